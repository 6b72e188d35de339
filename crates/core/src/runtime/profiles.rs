//! Commands on saved profiles. The hub sends with the profiles registered
//! with it, so every change here keeps it in step: a profile that can send
//! (its secret at hand, at least one avatar) is registered, any other one
//! is withdrawn, and the simulator's profile is the console's default one.

use uuid::Uuid;

use super::{Answer, ConsoleRuntime, payload};
use crate::CodedError;
use crate::profile_service::ProfileView;
use crate::profiles::{ConnectionTestReport, Profile};

impl ConsoleRuntime {
    pub async fn list_profiles(&self) -> Answer<Vec<ProfileView>> {
        self.profiles.list().await.map_err(payload)
    }

    /// Save `profile`; `secret` is only given when the user typed one, and
    /// goes to the keychain. A profile that can send afterwards is offered
    /// to panes at once.
    pub async fn save_profile(&self, profile: Profile, secret: Option<String>) -> Answer<ProfileView> {
        let view = self.profiles.save(profile, secret).await.map_err(payload)?;
        self.refresh_registration(view.profile.id).await;
        Ok(view)
    }

    /// A copy has no secret, so it cannot send until one is saved.
    pub async fn duplicate_profile(&self, id: Uuid) -> Answer<ProfileView> {
        self.profiles.duplicate(id).await.map_err(payload)
    }

    pub async fn delete_profile(&self, id: Uuid) -> Answer<bool> {
        let deleted = self.profiles.delete(id).await.map_err(payload)?;
        self.console.hub().profiles().unregister(id);
        Ok(deleted)
    }

    /// The user agreed to keep this profile's secret in memory only.
    pub fn keep_secret_for_session(&self, id: Uuid) {
        self.profiles.keep_for_session(id);
    }

    /// Logon + chats/login with the profile's settings and secret.
    pub async fn test_connection(&self, id: Uuid) -> Answer<ConnectionTestReport> {
        self.profiles.test_connection(id).await.map_err(payload)
    }

    /// Make every saved profile whose secret is at hand available to panes.
    /// A profile without its secret (or with no keychain) is skipped: the
    /// Profiles dialog says why, and saving the secret registers it. The app
    /// runs this after its window opens: a locked keychain may wait for the
    /// user to unlock it.
    pub async fn register_saved_profiles(&self) {
        let Ok(views) = self.profiles.list().await else {
            return;
        };
        let default = self.profiles.simulator_profile_id().ok().flatten();
        for view in views.into_iter().filter(|v| Some(v.profile.id) != default) {
            match self.profiles.runtime(view.profile.id).await {
                Ok(runtime) => {
                    if let Err(e) = self.console.hub().profiles().register(runtime) {
                        tracing::warn!(profile = %view.profile.name, error = %e, "profile not available to panes");
                    }
                }
                Err(e) => {
                    tracing::info!(profile = %view.profile.name, code = %e.code(), "profile not ready to send")
                }
            }
        }
    }

    /// Register the profile with the hub if it can send, else withdraw it.
    /// The simulator's profile is the console's default and stays as it is.
    async fn refresh_registration(&self, id: Uuid) {
        if self.profiles.simulator_profile_id().ok().flatten() == Some(id) {
            return;
        }
        match self.profiles.runtime(id).await {
            Ok(runtime) => {
                if let Err(e) = self.console.hub().profiles().register(runtime) {
                    tracing::warn!(error = %e, "profile not available to panes");
                }
            }
            Err(_) => self.console.hub().profiles().unregister(id),
        }
    }
}
