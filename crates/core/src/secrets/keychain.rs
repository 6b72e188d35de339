//! The production [`SecretStore`]: the OS keychain through keyring-core and one
//! real store per platform — Secret Service over libdbus on Linux/BSD, the
//! login keychain on macOS, Credential Manager on Windows.
//!
//! keyring calls block (D-Bus round trips, possibly an unlock prompt), so each
//! runs on `spawn_blocking`, never on the async runtime's workers.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use uuid::Uuid;

use super::{Secret, SecretError, SecretFuture, SecretKind, SecretStore, classify_keyring_error};
use crate::error_payload::CodedError;

/// The keychain "service" every entry is filed under (the app's identifier),
/// so the user can find and remove them in the OS's keychain viewer.
pub const KEYCHAIN_SERVICE: &str = "com.avatarconsole.app";

pub struct KeychainSecretStore {
    service: String,
    /// Opened on first use and kept; dropped again when the keychain turns out
    /// to be unreachable, so a retry after the user starts one reconnects.
    store: Arc<Mutex<Option<Arc<CredentialStore>>>>,
}

impl fmt::Debug for KeychainSecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeychainSecretStore")
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl Default for KeychainSecretStore {
    fn default() -> Self {
        Self::new(KEYCHAIN_SERVICE)
    }
}

impl KeychainSecretStore {
    /// A store filing entries under `service` (tests use their own service so
    /// they never touch the app's entries).
    pub fn new(service: &str) -> Self {
        Self {
            service: service.to_owned(),
            store: Arc::new(Mutex::new(None)),
        }
    }

    /// Connect to the keychain now, so the UI can offer "keep for this
    /// session only" before the user types a secret.
    pub async fn check_available(&self) -> Result<(), SecretError> {
        let store = self.store.clone();
        blocking(move || open(&store).map(|_| ())).await
    }

    fn run<T: Send + 'static>(
        &self,
        profile: Uuid,
        kind: SecretKind,
        op: impl FnOnce(&Entry) -> Result<T, KeyringError> + Send + 'static,
        on_missing: impl FnOnce() -> T + Send + 'static,
    ) -> SecretFuture<'_, T> {
        let store = self.store.clone();
        let service = self.service.clone();
        Box::pin(blocking(move || {
            let credentials = open(&store)?;
            let user = account(profile, kind);
            let result = credentials
                .build(&service, &user, None)
                .and_then(|entry| op(&entry));
            match result {
                Ok(value) => Ok(value),
                Err(KeyringError::NoEntry) => Ok(on_missing()),
                Err(e) => {
                    let error = classify_keyring_error(&e, false);
                    if matches!(error, SecretError::Unavailable(_)) {
                        forget(&store);
                    }
                    tracing::warn!(code = %error.code(), %profile, %kind, "keychain operation failed");
                    Err(error)
                }
            }
        }))
    }
}

impl SecretStore for KeychainSecretStore {
    fn get(&self, profile: Uuid, kind: SecretKind) -> SecretFuture<'_, Option<Secret>> {
        self.run(
            profile,
            kind,
            |entry| entry.get_password().map(|p| Some(Secret::new(p))),
            || None,
        )
    }

    fn set(&self, profile: Uuid, kind: SecretKind, secret: Secret) -> SecretFuture<'_, ()> {
        self.run(
            profile,
            kind,
            move |entry| entry.set_password(secret.expose()),
            || (),
        )
    }

    fn delete(&self, profile: Uuid, kind: SecretKind) -> SecretFuture<'_, ()> {
        self.run(profile, kind, |entry| entry.delete_credential(), || ())
    }
}

/// The keychain account name of one secret: stable, readable in OS viewers.
pub(crate) fn account(profile: Uuid, kind: SecretKind) -> String {
    format!("profile-{profile}/{kind}")
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SecretError> + Send + 'static,
) -> Result<T, SecretError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SecretError::Failed(format!("keychain task failed: {e}")))?
}

fn open(slot: &Mutex<Option<Arc<CredentialStore>>>) -> Result<Arc<CredentialStore>, SecretError> {
    let mut guard = slot.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(store) = guard.as_ref() {
        return Ok(store.clone());
    }
    let store = platform_store().map_err(|e| classify_keyring_error(&e, true))?;
    *guard = Some(store.clone());
    Ok(store)
}

fn forget(slot: &Mutex<Option<Arc<CredentialStore>>>) {
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = None;
}

// One real backend per platform. keyring-core on its own has no store (only a
// mock for tests), so a platform without a line here must fail, not pretend.
#[cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]
fn platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Ok(dbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(
    target_os = "macos",
    target_os = "windows",
    all(unix, not(any(target_os = "ios", target_os = "android")))
)))]
fn platform_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Err(KeyringError::NotSupportedByStore(
        "no OS keychain support on this platform".into(),
    ))
}
