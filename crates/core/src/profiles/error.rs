use uuid::Uuid;

use crate::secrets::{SecretError, SecretKind};

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("{message}")]
    Invalid { field: &'static str, message: String },
    #[error("a profile named {0:?} already exists; choose another name")]
    NameTaken(String),
    #[error("no profile with id {0}")]
    NotFound(Uuid),
    #[error("no {kind} is stored for profile {profile:?}: enter it in the profile's settings")]
    MissingSecret { profile: String, kind: SecretKind },
    #[error("the embedded simulator is not running; restart the app or pick another profile")]
    SimulatorNotRunning,
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("profile database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("stored profile is corrupt: {0}")]
    Corrupt(String),
}

impl ProfileError {
    /// Stable, machine-readable code; the UI picks its remedy text by it.
    pub fn code(&self) -> &'static str {
        match self {
            ProfileError::Invalid { .. } => "invalid_profile",
            ProfileError::NameTaken(_) => "profile_name_taken",
            ProfileError::NotFound(_) => "profile_not_found",
            ProfileError::MissingSecret { .. } => "secret_missing",
            ProfileError::SimulatorNotRunning => "simulator_not_running",
            ProfileError::Secret(e) => e.code(),
            ProfileError::Db(_) | ProfileError::Corrupt(_) => "store",
        }
    }

    /// Which profile field is wrong, for the form to highlight.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ProfileError::Invalid { field, .. } => Some(field),
            ProfileError::NameTaken(_) => Some("name"),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ProfileError::Invalid {
            field,
            message: message.into(),
        }
    }
}

/// For Tauri commands: `{code, message}` like every other error.
impl From<&ProfileError> for crate::error::ErrorPayload {
    fn from(e: &ProfileError) -> Self {
        Self {
            code: e.code().into(),
            message: e.to_string(),
        }
    }
}
