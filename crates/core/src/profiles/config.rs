//! From a profile and the keychain to a `ClientConfig`, and the secret
//! bookkeeping that goes with profiles.

use uuid::Uuid;

use super::{CredentialKind, Environment, Profile, ProfileError, ProfileRepo};
use crate::client::{ClientConfig, Credentials, Secret};
use crate::secrets::{SecretKind, SecretStore};

/// Where the embedded simulator listens and what it accepts. The simulator's
/// key is not a secret, and keeping it out of the keychain lets the first
/// launch work with no keychain at all.
#[derive(Debug, Clone)]
pub struct SimulatorEndpoint {
    pub logon_url: String,
    pub account_id: String,
    pub api_key: Secret,
}

/// The avatar client configuration for `profile`, reading its secret from
/// `secrets`. `simulator` is needed only by a `LocalSimulator` profile.
pub async fn client_config(
    profile: &Profile,
    secrets: &dyn SecretStore,
    simulator: Option<&SimulatorEndpoint>,
) -> Result<ClientConfig, ProfileError> {
    profile.validate()?;
    let mut config = match (&profile.environment, profile.logon_url()) {
        (Environment::LocalSimulator, _) => {
            let sim = simulator.ok_or(ProfileError::SimulatorNotRunning)?;
            ClientConfig::new(
                sim.logon_url.clone(),
                sim.account_id.clone(),
                Credentials::ApiKey(sim.api_key.clone()),
            )
        }
        (_, Some(logon_url)) => {
            let kind = profile.credential.secret_kind();
            let secret = secrets
                .get(profile.id, kind)
                .await?
                .ok_or_else(|| ProfileError::MissingSecret {
                    profile: profile.name.clone(),
                    kind,
                })?;
            let credentials = match &profile.credential {
                CredentialKind::ApiKey => Credentials::ApiKey(secret),
                CredentialKind::Subuser { login } => Credentials::Subuser {
                    login: login.trim().to_owned(),
                    password: secret,
                },
            };
            ClientConfig::new(logon_url, profile.account_id.trim(), credentials)
        }
        (_, None) => {
            return Err(ProfileError::invalid(
                "environment",
                "the profile has no Logon URL",
            ));
        }
    };
    config.credential_spelling = profile.wire.credential_spelling.into();
    config.custom_data_encoding = profile.wire.custom_data_encoding.into();
    config.request_timeout = profile.wire.request_timeout();
    Ok(config)
}

/// Store the secret the profile's credential kind needs.
pub async fn set_profile_secret(
    profile: &Profile,
    secrets: &dyn SecretStore,
    secret: Secret,
) -> Result<(), ProfileError> {
    if secret.expose().trim().is_empty() {
        return Err(ProfileError::invalid("secret", "the secret is empty"));
    }
    let kind = profile
        .secret_kind()
        .ok_or_else(|| ProfileError::invalid("secret", "the local simulator profile needs no secret"))?;
    secrets.set(profile.id, kind, secret).await?;
    Ok(())
}

/// Whether the profile's secret is stored (for a "key saved ✓" badge).
pub async fn has_profile_secret(profile: &Profile, secrets: &dyn SecretStore) -> Result<bool, ProfileError> {
    match profile.secret_kind() {
        None => Ok(true),
        Some(kind) => Ok(secrets.get(profile.id, kind).await?.is_some()),
    }
}

/// Delete a profile and every secret filed under it. Keychain entries go
/// first: a row left behind is visible and can be deleted again, an
/// orphaned keychain entry is not.
pub async fn delete_profile(
    repo: &ProfileRepo,
    secrets: &dyn SecretStore,
    id: Uuid,
) -> Result<bool, ProfileError> {
    for kind in [SecretKind::ApiKey, SecretKind::SubuserPassword] {
        secrets.delete(id, kind).await?;
    }
    repo.delete(id)
}
