//! The profiles the hub can send with: each has its own avatar client (and
//! so its own token cache) and avatars. A conversation uses the profile it
//! was opened with; the default one is the console's start-up profile.

use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::{Hub, HubEvent};
use crate::client::AvatarClient;
use crate::error::CoreError;
use crate::model::{AvatarOption, ProfileOption};

/// A profile ready to send: its client holds the credentials.
pub struct ProfileRuntime {
    pub id: Uuid,
    pub name: String,
    pub client: AvatarClient,
    /// Never empty: the first is the default for new panes.
    pub avatars: Vec<AvatarOption>,
}

/// The avatar API token of one profile, for the status bar.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TokenStatus {
    pub profile_id: Uuid,
    pub profile_name: String,
    /// False until the first send (or after a refused token) logs in.
    pub has_token: bool,
    /// The JWT's `exp` in ms since the epoch, if it has one.
    #[ts(type = "number | null")]
    pub expires_at: Option<i64>,
}

impl Hub {
    /// Token state of every registered profile, the default first.
    pub async fn token_statuses(&self) -> Vec<TokenStatus> {
        let profiles: Vec<Arc<ProfileRuntime>> = match self.profiles.read() {
            Ok(p) => p.clone(),
            Err(_) => return Vec::new(),
        };
        let mut out = Vec::new();
        for p in profiles {
            let expiry = p.client.token_expiry().await;
            out.push(TokenStatus {
                profile_id: p.id,
                profile_name: p.name.clone(),
                has_token: expiry.is_some(),
                expires_at: expiry.flatten(),
            });
        }
        out.sort_by_key(|t| t.profile_id != self.default_profile);
        out
    }

    pub(super) fn profile(&self, id: Uuid) -> Result<Arc<ProfileRuntime>, CoreError> {
        let profiles = self
            .profiles
            .read()
            .map_err(|_| CoreError::Invalid("profile registry poisoned".into()))?;
        // Conversations stored before profiles had ids use the default one.
        let id = if id.is_nil() { self.default_profile } else { id };
        profiles
            .iter()
            .find(|p| p.id == id)
            .cloned()
            .ok_or_else(|| CoreError::ProfileNotReady(id))
    }

    pub(super) fn default_runtime(&self) -> Result<Arc<ProfileRuntime>, CoreError> {
        self.profile(self.default_profile)
    }

    /// Add or replace a profile (after its settings or secret changed).
    /// Conversations using it send with the new client from the next utterance.
    pub fn register_profile(&self, runtime: ProfileRuntime) -> Result<(), CoreError> {
        if runtime.avatars.is_empty() {
            return Err(CoreError::Invalid(format!(
                "the profile {} names no avatar",
                runtime.name
            )));
        }
        let mut profiles = self
            .profiles
            .write()
            .map_err(|_| CoreError::Invalid("profile registry poisoned".into()))?;
        profiles.retain(|p| p.id != runtime.id);
        profiles.push(Arc::new(runtime));
        drop(profiles);
        self.emit_profiles_changed();
        Ok(())
    }

    /// Forget a profile (deleted, or its secret is gone). The default stays.
    pub fn unregister_profile(&self, id: Uuid) {
        if id == self.default_profile {
            return;
        }
        if let Ok(mut profiles) = self.profiles.write() {
            profiles.retain(|p| p.id != id);
        }
        self.emit_profiles_changed();
    }

    fn emit_profiles_changed(&self) {
        // No listener is fine: the UI may not be up yet.
        let _ = self.events.send(HubEvent::ProfilesChanged);
    }

    /// Profiles panes can use, the default first.
    pub fn profile_options(&self) -> Vec<ProfileOption> {
        let Ok(profiles) = self.profiles.read() else {
            return Vec::new();
        };
        let mut options: Vec<ProfileOption> = profiles
            .iter()
            .map(|p| ProfileOption {
                id: p.id,
                name: p.name.clone(),
                avatars: p.avatars.clone(),
            })
            .collect();
        options.sort_by_key(|p| p.id != self.default_profile);
        options
    }
}
