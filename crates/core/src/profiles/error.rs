use uuid::Uuid;

use crate::error_payload::{CodedError, ErrorCode};
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

impl CodedError for ProfileError {
    fn code(&self) -> ErrorCode {
        match self {
            ProfileError::Invalid { .. } => ErrorCode::InvalidProfile,
            ProfileError::NameTaken(_) => ErrorCode::ProfileNameTaken,
            ProfileError::NotFound(_) => ErrorCode::ProfileNotFound,
            ProfileError::MissingSecret { .. } => ErrorCode::SecretMissing,
            ProfileError::SimulatorNotRunning => ErrorCode::SimulatorNotRunning,
            ProfileError::Secret(e) => e.code(),
            ProfileError::Db(_) | ProfileError::Corrupt(_) => ErrorCode::Store,
        }
    }
}

impl ProfileError {
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
