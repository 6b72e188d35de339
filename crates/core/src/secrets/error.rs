//! Keychain failures, mapped to a few classes the UI can act on.

use crate::error_payload::{CodedError, ErrorCode};
use keyring_core::Error as KeyringError;

/// What to tell the user when no keychain can be used; differs per platform.
#[cfg(all(unix, not(target_os = "macos")))]
const START_KEYCHAIN: &str =
    "Start a Secret Service such as gnome-keyring (in a desktop session it normally runs already)";
#[cfg(target_os = "macos")]
const START_KEYCHAIN: &str = "Check that the login keychain exists in Keychain Access";
#[cfg(windows)]
const START_KEYCHAIN: &str = "Check that Windows Credential Manager is available for this user";
#[cfg(not(any(unix, windows)))]
const START_KEYCHAIN: &str = "This platform has no supported keychain";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// No keychain reachable at all: no session bus, no Secret Service, no store.
    #[error("No OS keychain is available ({0}). {START_KEYCHAIN}, or choose 'keep for this session only'.")]
    Unavailable(String),
    /// A keychain exists but is locked and nobody could unlock it.
    #[error(
        "The OS keychain is locked ({0}). Unlock it (for example by logging in to the desktop session, or unlocking the 'Login' keyring), then retry, or choose 'keep for this session only'."
    )]
    Locked(String),
    /// The stored value is not text (written by something else?).
    #[error(
        "The keychain entry for this profile is not readable text; enter the secret again to replace it."
    )]
    Corrupt,
    /// Any other keychain failure.
    #[error("The OS keychain failed: {0}. Retry, or choose 'keep for this session only'.")]
    Failed(String),
}

impl CodedError for SecretError {
    fn code(&self) -> ErrorCode {
        match self {
            SecretError::Unavailable(_) => ErrorCode::KeychainUnavailable,
            SecretError::Locked(_) => ErrorCode::KeychainLocked,
            SecretError::Corrupt => ErrorCode::KeychainCorrupt,
            SecretError::Failed(_) => ErrorCode::KeychainError,
        }
    }
}

/// Texts in platform errors that mean "there is no keychain to talk to":
/// libdbus and the Secret Service report these when the session bus or the
/// service is missing (see docs/platform-notes on the three failure modes).
const UNAVAILABLE_MARKERS: &[&str] = &[
    "autolaunch",
    "dbus_session_bus_address",
    "failed to connect",
    "no dbus session",
    "serviceunknown",
    "not provided by any .service files",
    "noreply",
    "noserver",
    "disconnected",
    "connection refused",
    "no such file or directory",
    "no result found",
];

const LOCKED_MARKERS: &[&str] = &["islocked", "locked", "prompt", "interaction not allowed"];

/// Map a keyring error to a [`SecretError`]. `connecting` is true when the
/// error came from opening the store: any failure there means no keychain.
///
/// Never formats the error with `Debug`: `BadEncoding`/`BadDataFormat` carry
/// the secret's bytes.
pub fn classify_keyring_error(error: &KeyringError, connecting: bool) -> SecretError {
    match error {
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => SecretError::Corrupt,
        KeyringError::NoDefaultStore => SecretError::Unavailable("no credential store".into()),
        KeyringError::NoStorageAccess(inner) | KeyringError::PlatformFailure(inner) => {
            let detail = inner.to_string();
            let lower = detail.to_lowercase();
            if LOCKED_MARKERS.iter().any(|m| lower.contains(m)) {
                SecretError::Locked(detail)
            } else if connecting || UNAVAILABLE_MARKERS.iter().any(|m| lower.contains(m)) {
                SecretError::Unavailable(detail)
            } else if matches!(error, KeyringError::NoStorageAccess(_)) {
                // "Couldn't access platform storage" is almost always a lock.
                SecretError::Locked(detail)
            } else {
                SecretError::Failed(detail)
            }
        }
        // NoEntry is handled by the callers; the rest carry no secret data.
        other if connecting => SecretError::Unavailable(other.to_string()),
        other => SecretError::Failed(other.to_string()),
    }
}
