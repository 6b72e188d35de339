//! Errors that cross to the UI as `{code, message}`.

use crate::client::ClientError;
use crate::error_payload::{CodedError, ErrorCode};
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

impl CodedError for CoreError {
    fn code(&self) -> ErrorCode {
        match self {
            CoreError::Client(e) => e.code(),
            CoreError::Store(_) => ErrorCode::Store,
            CoreError::UnknownConversation(_) => ErrorCode::UnknownConversation,
            CoreError::ConversationEnded => ErrorCode::ConversationEnded,
            CoreError::Profile(e) => e.code(),
            CoreError::Invalid(_) => ErrorCode::InvalidInput,
            CoreError::ReadOnly => ErrorCode::ReadOnly,
            CoreError::ProfileNotReady(_) => ErrorCode::ProfileNotReady,
            CoreError::Startup(_) => ErrorCode::Startup,
        }
    }
}
