//! Secrets kept in process memory only: for tests, and for the user-approved
//! "keep for this session only" mode when no keychain is available.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use uuid::Uuid;

use super::{Secret, SecretFuture, SecretKind, SecretStore};

#[derive(Default)]
pub struct MemorySecretStore {
    secrets: Mutex<HashMap<(Uuid, SecretKind), Secret>>,
}

impl MemorySecretStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> MutexGuard<'_, HashMap<(Uuid, SecretKind), Secret>> {
        // A panic while holding the lock cannot leave the map half-written.
        self.secrets.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for MemorySecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemorySecretStore")
            .field("entries", &self.map().len())
            .finish()
    }
}

impl SecretStore for MemorySecretStore {
    fn get(&self, profile: Uuid, kind: SecretKind) -> SecretFuture<'_, Option<Secret>> {
        let value = self.map().get(&(profile, kind)).cloned();
        Box::pin(async move { Ok(value) })
    }

    fn set(&self, profile: Uuid, kind: SecretKind, secret: Secret) -> SecretFuture<'_, ()> {
        self.map().insert((profile, kind), secret);
        Box::pin(async { Ok(()) })
    }

    fn delete(&self, profile: Uuid, kind: SecretKind) -> SecretFuture<'_, ()> {
        self.map().remove(&(profile, kind));
        Box::pin(async { Ok(()) })
    }
}
