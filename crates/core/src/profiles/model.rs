//! A profile: where and as whom the console talks to the avatar API. The
//! secret (API key or sub-user password) is NOT part of it: it lives in the
//! keychain under the profile's id (see `crate::secrets`).

use std::time::Duration;

use reqwest::Url;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use super::ProfileError;
use crate::client::{CredentialSpelling, CustomDataEncoding};
use crate::secrets::SecretKind;

/// The production platform API's Logon endpoint (the guide's URL).
pub const VOXIMPLANT_LOGON_URL: &str = "https://api.voximplant.com/platform_api/Logon";

const MAX_NAME: usize = 100;
const MAX_TIMEOUT_MS: u64 = 120_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Profile {
    pub id: Uuid,
    pub name: String,
    pub environment: Environment,
    /// Voximplant account id; ignored for the local simulator.
    pub account_id: String,
    pub credential: CredentialKind,
    /// Avatars the user works with under this profile.
    pub avatars: Vec<AvatarEntry>,
    /// customData a new conversation starts with (a JSON object).
    #[ts(type = "Record<string, unknown>")]
    pub default_custom_data: Value,
    pub wire: WireOptions,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Environment {
    /// The embedded simulator: no credentials, works offline.
    LocalSimulator,
    /// Voximplant's cloud (Logon at [`VOXIMPLANT_LOGON_URL`]).
    Voximplant,
    /// Any other Logon endpoint (a standalone simulator, a staging cloud).
    #[serde(rename_all = "camelCase")]
    Custom { logon_url: String },
}

/// Which credential the profile logs in with; the secret half is in the keychain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum CredentialKind {
    /// Account id + API key (the guide).
    ApiKey,
    /// Account id + sub-user login + password (Voximplant's SDK).
    Subuser { login: String },
}

impl CredentialKind {
    pub fn secret_kind(&self) -> SecretKind {
        match self {
            CredentialKind::ApiKey => SecretKind::ApiKey,
            CredentialKind::Subuser { .. } => SecretKind::SubuserPassword,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AvatarEntry {
    pub id: Uuid,
    pub label: String,
}

/// Wire-format choices the public guide leaves open (see `client::ClientConfig`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WireOptions {
    pub credential_spelling: CredentialSpellingOption,
    pub custom_data_encoding: CustomDataEncodingOption,
    #[ts(type = "number")]
    pub request_timeout_ms: u64,
}

impl Default for WireOptions {
    fn default() -> Self {
        Self {
            credential_spelling: CredentialSpellingOption::Platform,
            custom_data_encoding: CustomDataEncodingOption::Object,
            request_timeout_ms: 15_000,
        }
    }
}

/// Mirrors [`CredentialSpelling`], which has no serde/ts of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CredentialSpellingOption {
    /// `account_id` / `api_key`.
    Platform,
    /// `accountId` / `apiKey`.
    Guide,
}

/// Mirrors [`CustomDataEncoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CustomDataEncodingOption {
    /// customData as a JSON object (the guide).
    Object,
    /// customData as a JSON-encoded string (Voximplant's SDK).
    String,
}

impl From<CredentialSpellingOption> for CredentialSpelling {
    fn from(o: CredentialSpellingOption) -> Self {
        match o {
            CredentialSpellingOption::Platform => CredentialSpelling::Platform,
            CredentialSpellingOption::Guide => CredentialSpelling::Guide,
        }
    }
}

impl From<CustomDataEncodingOption> for CustomDataEncoding {
    fn from(o: CustomDataEncodingOption) -> Self {
        match o {
            CustomDataEncodingOption::Object => CustomDataEncoding::Object,
            CustomDataEncodingOption::String => CustomDataEncoding::String,
        }
    }
}

impl WireOptions {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms)
    }
}

impl Profile {
    /// A Voximplant-cloud profile with API-key credentials and default wire options.
    pub fn new_voximplant(name: impl Into<String>, account_id: impl Into<String>) -> Self {
        Self {
            id: Uuid::new_v4(),
            name: name.into(),
            environment: Environment::Voximplant,
            account_id: account_id.into(),
            credential: CredentialKind::ApiKey,
            avatars: Vec::new(),
            default_custom_data: Value::Object(Default::default()),
            wire: WireOptions::default(),
        }
    }

    /// The keychain entry this profile needs, if any (the simulator needs none).
    pub fn secret_kind(&self) -> Option<SecretKind> {
        match self.environment {
            Environment::LocalSimulator => None,
            _ => Some(self.credential.secret_kind()),
        }
    }

    /// The Logon URL, for environments that have a fixed one.
    pub fn logon_url(&self) -> Option<&str> {
        match &self.environment {
            Environment::LocalSimulator => None,
            Environment::Voximplant => Some(VOXIMPLANT_LOGON_URL),
            Environment::Custom { logon_url } => Some(logon_url.trim()),
        }
    }

    /// Check every field; the error names the field.
    pub fn validate(&self) -> Result<(), ProfileError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(ProfileError::invalid("name", "the profile needs a name"));
        }
        if name.chars().count() > MAX_NAME {
            return Err(ProfileError::invalid(
                "name",
                format!("the name is longer than {MAX_NAME} characters"),
            ));
        }
        if let Environment::Custom { logon_url } = &self.environment {
            validate_logon_url(logon_url)?;
        }
        if !matches!(self.environment, Environment::LocalSimulator) {
            let account = self.account_id.trim();
            if account.is_empty() {
                return Err(ProfileError::invalid(
                    "accountId",
                    "enter the Voximplant account id (Control panel → account settings)",
                ));
            }
            if account.chars().any(char::is_whitespace) {
                return Err(ProfileError::invalid(
                    "accountId",
                    "the account id cannot contain spaces",
                ));
            }
            if let CredentialKind::Subuser { login } = &self.credential
                && login.trim().is_empty()
            {
                return Err(ProfileError::invalid(
                    "credential.login",
                    "enter the sub-user's login",
                ));
            }
        }
        for (i, avatar) in self.avatars.iter().enumerate() {
            if avatar.label.trim().is_empty() {
                return Err(ProfileError::invalid(
                    "avatars",
                    format!("avatar {} needs a label", i + 1),
                ));
            }
            if self.avatars[..i].iter().any(|a| a.id == avatar.id) {
                return Err(ProfileError::invalid(
                    "avatars",
                    format!("avatar {} is listed twice", avatar.id),
                ));
            }
        }
        if !self.default_custom_data.is_object() {
            return Err(ProfileError::invalid(
                "defaultCustomData",
                "default customData must be a JSON object, e.g. {}",
            ));
        }
        if !(1..=MAX_TIMEOUT_MS).contains(&self.wire.request_timeout_ms) {
            return Err(ProfileError::invalid(
                "wire.requestTimeoutMs",
                format!("the request timeout must be between 1 and {MAX_TIMEOUT_MS} ms"),
            ));
        }
        Ok(())
    }
}

fn validate_logon_url(url: &str) -> Result<(), ProfileError> {
    let field = "environment.logonUrl";
    let parsed = Url::parse(url.trim())
        .map_err(|e| ProfileError::invalid(field, format!("the Logon URL is not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(ProfileError::invalid(
            field,
            "the Logon URL must be an http(s) address, e.g. https://host/platform_api/Logon",
        ));
    }
    if parsed.query().is_some() {
        return Err(ProfileError::invalid(
            field,
            "the Logon URL must not carry a query: credentials are added by the app",
        ));
    }
    Ok(())
}
