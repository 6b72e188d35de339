//! The keychain, plus per-profile "keep for this session only".
//!
//! When the keychain is unavailable the UI asks the user; if they agree,
//! [`SecretVault::keep_for_session`] routes that profile's secrets to memory
//! (lost when the app quits) and never to the keychain or any file. Every
//! other profile keeps using the keychain.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use uuid::Uuid;

use super::{MemorySecretStore, Secret, SecretFuture, SecretKind, SecretStore};

pub struct SecretVault {
    keychain: Arc<dyn SecretStore>,
    session: MemorySecretStore,
    session_only: Mutex<HashSet<Uuid>>,
}

impl fmt::Debug for SecretVault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretVault")
            .field(
                "session_only_profiles",
                &self.session_only.lock().map(|s| s.len()).unwrap_or(0),
            )
            .finish_non_exhaustive()
    }
}

impl SecretVault {
    /// `keychain` is normally a [`super::KeychainSecretStore`].
    pub fn new(keychain: Arc<dyn SecretStore>) -> Self {
        Self {
            keychain,
            session: MemorySecretStore::new(),
            session_only: Mutex::new(HashSet::new()),
        }
    }

    /// The user approved keeping this profile's secrets in memory only.
    pub fn keep_for_session(&self, profile: Uuid) {
        self.session_only
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(profile);
    }

    /// Whether this profile's secrets live in memory only (for a UI badge).
    pub fn is_session_only(&self, profile: Uuid) -> bool {
        self.session_only
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&profile)
    }

    fn store_for(&self, profile: Uuid) -> &dyn SecretStore {
        if self.is_session_only(profile) {
            &self.session
        } else {
            self.keychain.as_ref()
        }
    }
}

impl SecretStore for SecretVault {
    fn get(&self, profile: Uuid, kind: SecretKind) -> SecretFuture<'_, Option<Secret>> {
        self.store_for(profile).get(profile, kind)
    }

    fn set(&self, profile: Uuid, kind: SecretKind, secret: Secret) -> SecretFuture<'_, ()> {
        self.store_for(profile).set(profile, kind, secret)
    }

    fn delete(&self, profile: Uuid, kind: SecretKind) -> SecretFuture<'_, ()> {
        self.store_for(profile).delete(profile, kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error_payload::CodedError;
    use crate::secrets::SecretError;

    /// A keychain that is never there.
    struct NoKeychain;
    impl SecretStore for NoKeychain {
        fn get(&self, _: Uuid, _: SecretKind) -> SecretFuture<'_, Option<Secret>> {
            Box::pin(async { Err(SecretError::Unavailable("test".into())) })
        }
        fn set(&self, _: Uuid, _: SecretKind, _: Secret) -> SecretFuture<'_, ()> {
            Box::pin(async { Err(SecretError::Unavailable("test".into())) })
        }
        fn delete(&self, _: Uuid, _: SecretKind) -> SecretFuture<'_, ()> {
            Box::pin(async { Err(SecretError::Unavailable("test".into())) })
        }
    }

    #[tokio::test]
    async fn secrets_session_only_profiles_bypass_the_missing_keychain() {
        let vault = SecretVault::new(Arc::new(NoKeychain));
        let approved = Uuid::new_v4();
        let other = Uuid::new_v4();
        let error = vault
            .set(approved, SecretKind::ApiKey, Secret::new("k"))
            .await
            .expect_err("no keychain");
        assert_eq!(error.code(), "keychain_unavailable");

        vault.keep_for_session(approved);
        assert!(vault.is_session_only(approved));
        vault
            .set(approved, SecretKind::ApiKey, Secret::new("k"))
            .await
            .expect("kept in memory");
        let read = vault.get(approved, SecretKind::ApiKey).await.expect("get");
        assert_eq!(read, Some(Secret::new("k")));
        // Profiles the user did not approve still need the keychain.
        assert!(vault.get(other, SecretKind::ApiKey).await.is_err());
    }
}
