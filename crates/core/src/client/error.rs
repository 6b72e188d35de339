use crate::error_payload::{CodedError, ErrorCode};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    #[error("the avatar API refused the credentials ({0}); check the account id and API key in the profile")]
    BadCredentials(String),
    #[error("the avatar API refused the token ({0})")]
    Unauthorized(String),
    #[error("avatar not found ({0}); check the avatar id in the profile")]
    AvatarNotFound(String),
    #[error("the avatar API rejected the request with HTTP {status}: {message}")]
    Rejected { status: u16, message: String },
    #[error("the avatar API failed with HTTP {status}: {message}; retry later")]
    Server { status: u16, message: String },
    #[error("could not reach the avatar API: {0}; check the network and the profile's Logon URL")]
    Network(String),
    #[error("the avatar API did not answer in time: {0}")]
    Timeout(String),
    #[error("the avatar API answered something unexpected: {0}")]
    Protocol(String),
}

impl CodedError for ClientError {
    fn code(&self) -> ErrorCode {
        match self {
            ClientError::BadCredentials(_) => ErrorCode::BadCredentials,
            ClientError::Unauthorized(_) => ErrorCode::Unauthorized,
            ClientError::AvatarNotFound(_) => ErrorCode::AvatarNotFound,
            ClientError::Rejected { .. } => ErrorCode::Rejected,
            ClientError::Server { .. } => ErrorCode::ServerError,
            ClientError::Network(_) => ErrorCode::Network,
            ClientError::Timeout(_) => ErrorCode::Timeout,
            ClientError::Protocol(_) => ErrorCode::Protocol,
        }
    }
}

impl ClientError {
    /// Worth another attempt: the server or the network may recover.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ClientError::Server { .. } | ClientError::Network(_) | ClientError::Timeout(_)
        )
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        // `without_url` keeps query strings (which may carry an API key) out of messages.
        let timeout = e.is_timeout();
        let message = e.without_url().to_string();
        if timeout {
            ClientError::Timeout(message)
        } else {
            ClientError::Network(message)
        }
    }

    /// Map a non-2xx status to an error, using the body's error message if any.
    pub(crate) fn check_status(status: u16, body: &str) -> Result<(), ClientError> {
        if (200..300).contains(&status) {
            return Ok(());
        }
        let message = serde_json::from_str::<Value>(body)
            .ok()
            .and_then(|v| {
                let e = v.get("error")?;
                e.get("message")
                    .or_else(|| e.get("msg"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| body.chars().take(200).collect());
        Err(match status {
            401 => ClientError::Unauthorized(message),
            404 => ClientError::AvatarNotFound(message),
            500..=599 => ClientError::Server { status, message },
            _ => ClientError::Rejected { status, message },
        })
    }
}
