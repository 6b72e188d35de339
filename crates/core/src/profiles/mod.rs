//! Profiles: which avatar API endpoint, account and credential kind a
//! conversation uses. Stored in SQLite without secrets; secrets are in the
//! keychain (`crate::secrets`), keyed by the profile's id.

mod config;
mod connection_test;
mod error;
mod model;
mod repo;
#[cfg(test)]
mod tests;

pub use config::{SimulatorEndpoint, client_config, delete_profile, has_profile_secret, set_profile_secret};
pub use connection_test::{ConnectionStep, ConnectionTestReport, test_connection};
pub use error::ProfileError;
pub use model::{
    AvatarEntry, CredentialKind, CredentialSpellingOption, CustomDataEncodingOption, Environment, Profile,
    VOXIMPLANT_LOGON_URL, WireOptions,
};
pub use repo::ProfileRepo;
