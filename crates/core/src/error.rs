//! Errors that cross to the UI as `{code, message}`.

use serde::Serialize;
use ts_rs::TS;

use crate::client::ClientError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no conversation with id {0}")]
    UnknownConversation(uuid::Uuid),
    #[error("the conversation has ended: the avatar sent its final reply; start a new conversation")]
    ConversationEnded,
    #[error(transparent)]
    Profile(#[from] crate::profiles::ProfileError),
    #[error("{0}")]
    Invalid(String),
    #[error("this conversation was imported and is read-only: start a new conversation to send")]
    ReadOnly,
    #[error("profile {0} cannot send: open Profiles, save its API key (or password), then try again")]
    ProfileNotReady(uuid::Uuid),
    #[error("could not start: {0}")]
    Startup(String),
}

impl CoreError {
    /// Stable, machine-readable code; the UI picks its remedy text by it.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Client(e) => e.code(),
            CoreError::Store(_) => "store",
            CoreError::UnknownConversation(_) => "unknown_conversation",
            CoreError::ConversationEnded => "conversation_ended",
            CoreError::Profile(e) => e.code(),
            CoreError::Invalid(_) => "invalid_input",
            CoreError::ReadOnly => "read_only",
            CoreError::ProfileNotReady(_) => "profile_not_ready",
            CoreError::Startup(_) => "startup",
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[ts(export)]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
}

impl From<&CoreError> for ErrorPayload {
    fn from(e: &CoreError) -> Self {
        Self {
            code: e.code().into(),
            message: e.to_string(),
        }
    }
}
