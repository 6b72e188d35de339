//! Profiles as the UI manages them: list, save (with the secret going to the
//! keychain), duplicate, delete, test the connection. Keeps a "Local
//! simulator" profile present when the app embeds one.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::client::{AvatarClient, ClientConfig, Secret};
use crate::error::CoreError;
use crate::error_payload::ErrorPayload;
use crate::hub::ProfileRuntime;
use crate::model::AvatarOption;
use crate::profiles::{
    AvatarEntry, ConnectionTestReport, Environment, Profile, ProfileError, ProfileRepo, SimulatorEndpoint,
    client_config, delete_profile, has_profile_secret, set_profile_secret, test_connection,
};
use crate::secrets::{SecretStore, SecretVault};

/// A profile and where its secret stands, for the profile list.
#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileView {
    pub profile: Profile,
    /// `None` when the keychain could not be asked (see `keychainError`).
    pub has_secret: Option<bool>,
    /// The secret is kept in memory for this session only, by the user's choice.
    pub session_only: bool,
    pub keychain_error: Option<ErrorPayload>,
}

pub struct ProfileService {
    repo: ProfileRepo,
    vault: Arc<SecretVault>,
    simulator: Option<SimulatorEndpoint>,
}

impl ProfileService {
    /// Open the profiles in `db`; with a simulator, make sure a profile for it exists.
    pub fn open(
        db: &Path,
        keychain: Arc<dyn SecretStore>,
        simulator: Option<(SimulatorEndpoint, Vec<AvatarEntry>)>,
    ) -> Result<Self, ProfileError> {
        Self::with_repo(ProfileRepo::open(db)?, keychain, simulator)
    }

    /// The profiles of data folder `data_dir`, as the app opens them: in
    /// `profiles.db`, after moving profiles an older version kept in
    /// `console.db` (once, and before the simulator's profile is saved: the
    /// import only fills an empty repo), with the embedded simulator at
    /// `logon_url` kept up to date as a profile offering `avatars`.
    pub fn open_in_data_folder(
        data_dir: &Path,
        keychain: Arc<dyn SecretStore>,
        logon_url: String,
        avatars: &[AvatarOption],
    ) -> Result<Self, ProfileError> {
        let repo = ProfileRepo::open(&data_dir.join("profiles.db"))?;
        match repo.import_legacy(&data_dir.join("console.db")) {
            Ok(0) => {}
            Ok(n) => tracing::info!(profiles = n, "profiles moved to profiles.db"),
            Err(e) => tracing::warn!(error = %e, "could not move profiles from console.db"),
        }
        let endpoint = SimulatorEndpoint {
            logon_url,
            account_id: avatar_simulator::DEFAULT_ACCOUNT_ID.into(),
            api_key: Secret::new(avatar_simulator::DEFAULT_API_KEY),
        };
        let entries = avatars
            .iter()
            .map(|a| AvatarEntry {
                id: a.id,
                label: a.label.clone(),
            })
            .collect();
        Self::with_repo(repo, keychain, Some((endpoint, entries)))
    }

    /// Like [`open`](Self::open), on a repo already open (e.g. one that has
    /// just imported legacy profiles, which must come before the simulator's).
    pub fn with_repo(
        repo: ProfileRepo,
        keychain: Arc<dyn SecretStore>,
        simulator: Option<(SimulatorEndpoint, Vec<AvatarEntry>)>,
    ) -> Result<Self, ProfileError> {
        let simulator = match simulator {
            Some((endpoint, avatars)) => {
                let existing = repo
                    .list()?
                    .into_iter()
                    .find(|p| p.environment == Environment::LocalSimulator);
                let mut profile = existing.unwrap_or_else(|| {
                    let mut p = Profile::new_voximplant("Local simulator", endpoint.account_id.clone());
                    p.environment = Environment::LocalSimulator;
                    p
                });
                // The simulator's avatars are what it offers this run.
                profile.avatars = avatars;
                repo.save(&profile)?;
                Some(endpoint)
            }
            None => None,
        };
        Ok(Self {
            repo,
            vault: Arc::new(SecretVault::new(keychain)),
            simulator,
        })
    }

    async fn view(&self, profile: Profile) -> ProfileView {
        let (has_secret, keychain_error) = match has_profile_secret(&profile, self.vault.as_ref()).await {
            Ok(has) => (Some(has), None),
            Err(e) => (None, Some(ErrorPayload::from(&e))),
        };
        ProfileView {
            session_only: self.vault.is_session_only(profile.id),
            profile,
            has_secret,
            keychain_error,
        }
    }

    pub async fn list(&self) -> Result<Vec<ProfileView>, ProfileError> {
        let mut out = Vec::new();
        for profile in self.repo.list()? {
            out.push(self.view(profile).await);
        }
        Ok(out)
    }

    pub fn get(&self, id: Uuid) -> Result<Profile, ProfileError> {
        self.repo.get(id)?.ok_or(ProfileError::NotFound(id))
    }

    /// Save `profile`; a non-empty `secret` goes to the keychain (or to memory
    /// if the user chose "keep for this session only" for this profile).
    pub async fn save(&self, profile: Profile, secret: Option<String>) -> Result<ProfileView, ProfileError> {
        profile.validate()?;
        if let Some(secret) = secret.filter(|s| !s.trim().is_empty()) {
            set_profile_secret(&profile, self.vault.as_ref(), Secret::new(secret)).await?;
        }
        self.repo.save(&profile)?;
        Ok(self.view(profile).await)
    }

    pub async fn duplicate(&self, id: Uuid) -> Result<ProfileView, ProfileError> {
        let mut copy = self.get(id)?;
        if copy.environment == Environment::LocalSimulator {
            return Err(ProfileError::invalid(
                "environment",
                "the local simulator profile cannot be copied",
            ));
        }
        copy.id = Uuid::new_v4();
        copy.name = format!("{} (copy)", copy.name);
        self.save(copy, None).await
    }

    pub async fn delete(&self, id: Uuid) -> Result<bool, ProfileError> {
        if self.get(id)?.environment == Environment::LocalSimulator {
            return Err(ProfileError::invalid(
                "environment",
                "the local simulator profile cannot be deleted",
            ));
        }
        delete_profile(&self.repo, self.vault.as_ref(), id).await
    }

    /// The user agreed to keep this profile's secret in memory only.
    pub fn keep_for_session(&self, id: Uuid) {
        self.vault.keep_for_session(id);
    }

    pub async fn client_config(&self, id: Uuid) -> Result<ClientConfig, ProfileError> {
        client_config(&self.get(id)?, self.vault.as_ref(), self.simulator.as_ref()).await
    }

    /// The id of the embedded simulator's profile, if the app embeds one.
    pub fn simulator_profile_id(&self) -> Result<Option<Uuid>, ProfileError> {
        if self.simulator.is_none() {
            return Ok(None);
        }
        Ok(self
            .repo
            .list()?
            .into_iter()
            .find(|p| p.environment == Environment::LocalSimulator)
            .map(|p| p.id))
    }

    /// A profile ready for the hub: its avatar client (with the secret from
    /// the keychain) and its avatars.
    pub async fn runtime(&self, id: Uuid) -> Result<ProfileRuntime, CoreError> {
        let profile = self.get(id)?;
        if profile.avatars.is_empty() {
            return Err(ProfileError::invalid("avatars", "add at least one avatar id to the profile").into());
        }
        let client = AvatarClient::new(self.client_config(id).await?)?;
        let avatars = profile
            .avatars
            .iter()
            .map(|a| AvatarOption {
                id: a.id,
                label: a.label.clone(),
            })
            .collect();
        Ok(ProfileRuntime {
            id,
            name: profile.name,
            client,
            avatars,
        })
    }

    /// Logon + chats/login with the profile's settings and secret.
    pub async fn test_connection(&self, id: Uuid) -> Result<ConnectionTestReport, ProfileError> {
        let config = self.client_config(id).await?;
        Ok(test_connection(&config).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemorySecretStore;

    fn endpoint() -> SimulatorEndpoint {
        SimulatorEndpoint {
            logon_url: "http://127.0.0.1:9/platform_api/Logon".into(),
            account_id: "1".into(),
            api_key: Secret::new("sim-key"),
        }
    }

    /// `(name, bytes)` of every file in `dir`: the database, its `-wal`, its `-shm`.
    fn database_files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .map(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, std::fs::read(&p).expect("read"))
            })
            .collect();
        files.sort();
        files
    }

    fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
        files.iter().map(|(n, _)| n.as_str()).collect()
    }

    #[tokio::test]
    async fn keeps_one_simulator_profile_and_stores_secrets_outside_the_db() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("profiles.db");
        let avatars = vec![AvatarEntry {
            id: Uuid::nil(),
            label: "Counting bot".into(),
        }];
        let service = ProfileService::open(
            &db,
            Arc::new(MemorySecretStore::new()),
            Some((endpoint(), avatars.clone())),
        )
        .expect("open");
        let again = ProfileService::open(
            &db,
            Arc::new(MemorySecretStore::new()),
            Some((endpoint(), avatars)),
        )
        .expect("reopen");
        assert_eq!(
            again.list().await.expect("list").len(),
            1,
            "the simulator profile is not duplicated"
        );

        let mut staging = Profile::new_voximplant("Staging", "42");
        staging.avatars = vec![AvatarEntry {
            id: Uuid::new_v4(),
            label: "Support bot".into(),
        }];
        let view = service
            .save(staging.clone(), Some("very-secret-key".into()))
            .await
            .expect("save");
        assert_eq!(view.has_secret, Some(true));
        // Every file of the database: a fresh row lives in `profiles.db-wal`
        // until a checkpoint, so reading `profiles.db` alone proves nothing.
        let files = database_files(dir.path());
        let holds = |needle: &str| {
            files
                .iter()
                .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
                .map(|(name, _)| name.clone())
                .collect::<Vec<_>>()
        };
        // The scan sees what was just saved (the profile's name, in the WAL)…
        assert!(
            !holds("Staging").is_empty(),
            "the scan missed the fresh row: {:?}",
            names(&files)
        );
        // …and the key is in none of the files.
        assert_eq!(
            holds("very-secret-key"),
            Vec::<String>::new(),
            "the key is on disk"
        );

        let copy = service.duplicate(staging.id).await.expect("duplicate");
        assert_eq!(copy.profile.name, "Staging (copy)");
        assert_eq!(copy.has_secret, Some(false), "a copy does not share the secret");
        let simulator = service
            .list()
            .await
            .expect("list")
            .into_iter()
            .find(|v| v.profile.environment == Environment::LocalSimulator);
        let simulator = simulator.expect("simulator profile");
        assert!(
            service.delete(simulator.profile.id).await.is_err(),
            "the simulator profile stays"
        );
        assert!(service.delete(staging.id).await.expect("delete"));
        assert_eq!(service.list().await.expect("list").len(), 2);
    }
}
