//! Where profile secrets (API keys, sub-user passwords) live: the OS keychain,
//! or — when the user chooses "keep for this session only" — process memory.
//!
//! Secrets never go to the SQLite store or any other file: there is no file
//! fallback on purpose, because a plaintext file is exactly what the keychain
//! exists to avoid. When no keychain is reachable the caller gets
//! [`SecretError::Unavailable`] and asks the user what to do.

mod error;
mod keychain;
mod memory;
mod session_choice;
#[cfg(test)]
mod tests;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use error::{SecretError, classify_keyring_error};
pub use keychain::{KEYCHAIN_SERVICE, KeychainSecretStore};
pub use memory::MemorySecretStore;
pub use session_choice::SecretVault;

pub use crate::client::Secret;

/// Which secret of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SecretKind {
    /// The account's API key (Logon + chats/login).
    ApiKey,
    /// A sub-user's password (chats/login with sub-user credentials).
    SubuserPassword,
}

impl SecretKind {
    /// The stable name used in keychain entries; never change it, or stored
    /// secrets are orphaned.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretKind::ApiKey => "api-key",
            SecretKind::SubuserPassword => "subuser-password",
        }
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A future returned by [`SecretStore`]; boxed so the trait stays usable as
/// `Arc<dyn SecretStore>` (the facade picks keychain or memory at run time).
pub type SecretFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, SecretError>> + Send + 'a>>;

/// Get, set and delete a profile's secrets.
pub trait SecretStore: Send + Sync {
    /// The secret, or `None` when none was stored.
    fn get(&self, profile: Uuid, kind: SecretKind) -> SecretFuture<'_, Option<Secret>>;
    /// Store or replace the secret.
    fn set(&self, profile: Uuid, kind: SecretKind, secret: Secret) -> SecretFuture<'_, ()>;
    /// Remove the secret; removing one that does not exist is not an error.
    fn delete(&self, profile: Uuid, kind: SecretKind) -> SecretFuture<'_, ()>;
}
