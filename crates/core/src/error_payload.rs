//! The one shape every error takes on its way to the UI: `{code, message}`,
//! with `code` from one enum shared with TypeScript (`ui/src/bindings/ErrorCode.ts`).
//!
//! A leaf module on purpose: every error type (`CoreError`, `ProfileError`,
//! `SecretError`, `PublicUrlError`, …) converts into it, so it must not
//! depend on any of them, or the modules would import each other in a loop.
//!
//! A code exists because a consumer acts on it: the UI picks its remedy text
//! (`ui/src/logic/remedy.ts`, which must cover every code: a `Record` over
//! this enum) and tests tell failures apart by it. Two failures that call
//! for the same remedy share a code.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    // Talking to the avatar API (`client`).
    BadCredentials,
    Unauthorized,
    AvatarNotFound,
    Rejected,
    ServerError,
    Network,
    Timeout,
    Protocol,
    // The console itself.
    Store,
    UnknownConversation,
    UnknownTurn,
    ConversationEnded,
    InvalidInput,
    ReadOnly,
    ProfileNotReady,
    Startup,
    // Profiles and the keychain.
    InvalidProfile,
    ProfileNameTaken,
    ProfileNotFound,
    SecretMissing,
    SimulatorNotRunning,
    KeychainUnavailable,
    KeychainLocked,
    KeychainCorrupt,
    KeychainError,
    // The public callback URL.
    InvalidPublicUrl,
    CloudflaredNotInstalled,
    CloudflaredFailed,
    CloudflaredTimeout,
    // Files: transcripts, test files, exports.
    FileUnreadable,
    FileNotJson,
    FileWrongFormat,
    FileTooNew,
    FileInvalid,
    ExportFailed,
    /// The desktop's file manager could not be started (About → Open logs folder).
    OpenFailed,
    /// Made up by the UI when the call itself failed (no backend answer).
    Ipc,
}

/// The wire form, as serde writes it (`bad_credentials`): one source of
/// truth for the spelling, so logs, stored turn states and the UI agree.
impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(wire)) => f.write_str(&wire),
            _ => write!(f, "{self:?}"),
        }
    }
}

/// Lets tests and logs compare with the wire form: `assert_eq!(e.code(), "store")`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        matches!(serde_json::to_value(self), Ok(serde_json::Value::String(wire)) if wire == *other)
    }
}

/// An error that can cross to the UI: its code, and its `Display` as the message.
pub trait CodedError: fmt::Display {
    fn code(&self) -> ErrorCode;
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[ts(export)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorPayload {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// The message alone: the code is for the UI to act on, the message for
/// people (the CLI and the bench print it through `anyhow`).
impl fmt::Display for ErrorPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ErrorPayload {}

/// The only conversion: every error type implements [`CodedError`].
impl<E: CodedError> From<&E> for ErrorPayload {
    fn from(e: &E) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_the_wire_form() {
        assert_eq!(ErrorCode::BadCredentials.to_string(), "bad_credentials");
        assert_eq!(ErrorCode::InvalidPublicUrl, "invalid_public_url");
        assert_ne!(ErrorCode::Store, "stores");
    }

    #[test]
    fn a_payload_crosses_as_code_and_message() {
        struct Broken;
        impl fmt::Display for Broken {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the store is broken")
            }
        }
        impl CodedError for Broken {
            fn code(&self) -> ErrorCode {
                ErrorCode::Store
            }
        }
        let json = serde_json::to_value(ErrorPayload::from(&Broken)).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"code": "store", "message": "the store is broken"})
        );
    }
}
