//! The profiles the hub can send with: each has its own avatar client (and
//! so its own token cache) and avatars. A conversation uses the profile it
//! was opened with; the default one is the console's start-up profile.

use std::sync::{Arc, RwLock};

use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::events::Events;
use super::live::recover;
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

/// The profiles registered with the hub, the default one always among them.
pub struct ProfileRegistry {
    profiles: RwLock<Vec<Arc<ProfileRuntime>>>,
    default: Uuid,
    events: Events,
}

fn names_an_avatar(runtime: &ProfileRuntime) -> Result<(), CoreError> {
    if runtime.avatars.is_empty() {
        return Err(CoreError::Invalid(format!(
            "the profile {} names no avatar",
            runtime.name
        )));
    }
    Ok(())
}

impl ProfileRegistry {
    pub(super) fn new(default: ProfileRuntime, events: Events) -> Result<Self, CoreError> {
        names_an_avatar(&default)?;
        Ok(Self {
            default: default.id,
            profiles: RwLock::new(vec![Arc::new(default)]),
            events,
        })
    }

    fn all(&self) -> Vec<Arc<ProfileRuntime>> {
        recover(self.profiles.read()).clone()
    }

    /// A registered profile; the nil id (conversations stored before
    /// profiles had ids) means the default one.
    pub fn get(&self, id: Uuid) -> Result<Arc<ProfileRuntime>, CoreError> {
        let id = if id.is_nil() { self.default } else { id };
        recover(self.profiles.read())
            .iter()
            .find(|p| p.id == id)
            .cloned()
            .ok_or(CoreError::ProfileNotReady(id))
    }

    /// The console's start-up profile.
    pub fn default_profile(&self) -> Result<Arc<ProfileRuntime>, CoreError> {
        self.get(self.default)
    }

    /// Add or replace a profile (after its settings or secret changed).
    /// Conversations using it send with the new client from the next utterance.
    pub fn register(&self, runtime: ProfileRuntime) -> Result<(), CoreError> {
        names_an_avatar(&runtime)?;
        {
            let mut profiles = recover(self.profiles.write());
            profiles.retain(|p| p.id != runtime.id);
            profiles.push(Arc::new(runtime));
        }
        self.events.profiles_changed();
        Ok(())
    }

    /// Forget a profile (deleted, or its secret is gone). The default stays.
    pub fn unregister(&self, id: Uuid) {
        if id == self.default {
            return;
        }
        recover(self.profiles.write()).retain(|p| p.id != id);
        self.events.profiles_changed();
    }

    /// Profiles panes can use, the default first.
    pub fn options(&self) -> Vec<ProfileOption> {
        let mut options: Vec<ProfileOption> = self
            .all()
            .iter()
            .map(|p| ProfileOption {
                id: p.id,
                name: p.name.clone(),
                avatars: p.avatars.clone(),
            })
            .collect();
        options.sort_by_key(|p| p.id != self.default);
        options
    }

    /// Token state of every registered profile, the default first.
    pub async fn token_statuses(&self) -> Vec<TokenStatus> {
        let mut out = Vec::new();
        for p in self.all() {
            let expiry = p.client.token_expiry().await;
            out.push(TokenStatus {
                profile_id: p.id,
                profile_name: p.name.clone(),
                has_token: expiry.is_some(),
                expires_at: expiry.flatten(),
            });
        }
        out.sort_by_key(|t| t.profile_id != self.default);
        out
    }
}

#[cfg(test)]
impl ProfileRegistry {
    pub(super) fn profiles_for_test(&self) -> &RwLock<Vec<Arc<ProfileRuntime>>> {
        &self.profiles
    }
}
