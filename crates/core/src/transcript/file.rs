//! The transcript file: `{"format": "avatar-console-transcript", "version": 1, …}`.
//! It holds what the store holds for each conversation, never a secret
//! (profiles keep their secrets in the OS keychain, not in views).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::callback::secret::secret_of as callback_secret;
use crate::error::CoreError;
use crate::error_payload::{CodedError, ErrorCode};
use crate::hub::Hub;
use crate::model::ConversationView;

pub const TRANSCRIPT_FORMAT: &str = "avatar-console-transcript";
pub const TRANSCRIPT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TranscriptFile {
    pub format: String,
    pub version: u32,
    #[ts(type = "number")]
    pub exported_at: i64,
    pub app_version: String,
    /// The commit the exporting app was built from (empty in files written
    /// before exports recorded it).
    #[serde(default)]
    pub app_commit: String,
    pub conversations: Vec<ConversationView>,
}

impl TranscriptFile {
    /// A transcript of `conversations`, with the callback URI's secret redacted everywhere.
    pub fn new(mut conversations: Vec<ConversationView>) -> Self {
        conversations.iter_mut().for_each(redact_conversation);
        Self {
            format: TRANSCRIPT_FORMAT.into(),
            version: TRANSCRIPT_VERSION,
            exported_at: crate::time::now_ms(),
            app_version: crate::about::version().into(),
            app_commit: crate::about::commit().into(),
            conversations,
        }
    }

    /// Opens each conversation of the file as a new, read-only pane.
    pub fn import_into(&self, hub: &Hub) -> Result<Vec<ConversationView>, CoreError> {
        hub.import_conversations(&self.conversations)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// `…/cb/<secret>?turn=2` → `…/cb/<redacted>?turn=2`: the secret path
/// segment is what keeps strangers from posting replies into the console.
pub fn redact_callback_uri(uri: &str) -> String {
    match callback_secret(uri) {
        Some(secret) => uri.replace(secret, "<redacted>"),
        None => uri.to_owned(),
    }
}

/// Redact the callback secret from a conversation: turn URIs and the captured
/// requests that carried them.
pub fn redact_conversation(conversation: &mut ConversationView) {
    for turn in &mut conversation.turns {
        let Some(secret) = callback_secret(&turn.callback_uri).map(str::to_owned) else {
            continue;
        };
        let scrub = |text: &mut String| {
            if text.contains(&secret) {
                *text = text.replace(&secret, "<redacted>");
            }
        };
        scrub(&mut turn.callback_uri);
        for exchange in &mut turn.exchanges {
            scrub(&mut exchange.url);
            scrub(&mut exchange.request_body);
            exchange.response_body.as_mut().map(scrub);
            exchange.error.as_mut().map(scrub);
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TranscriptError {
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not {expected} file (its \"format\" is {found})")]
    WrongFormat { expected: &'static str, found: String },
    #[error(
        "made by a newer Avatar Console (file version {found}; this one reads up to version {supported}): update the app"
    )]
    TooNew { found: u64, supported: u32 },
    #[error("invalid at {path}: {message}")]
    Invalid { path: String, message: String },
}

impl CodedError for TranscriptError {
    fn code(&self) -> ErrorCode {
        match self {
            TranscriptError::Json { .. } => ErrorCode::FileNotJson,
            TranscriptError::WrongFormat { .. } => ErrorCode::FileWrongFormat,
            TranscriptError::TooNew { .. } => ErrorCode::FileTooNew,
            TranscriptError::Invalid { .. } => ErrorCode::FileInvalid,
        }
    }
}

/// Parse a versioned file: JSON, then `format`, then `version`, then shape.
pub(crate) fn parse_versioned<T: serde::de::DeserializeOwned>(
    text: &str,
    format: &'static str,
    supported: u32,
) -> Result<T, TranscriptError> {
    let value: Value = serde_json::from_str(text).map_err(|e| TranscriptError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let found = value
        .get("format")
        .map(|f| f.to_string())
        .unwrap_or_else(|| "missing".into());
    if value.get("format").and_then(Value::as_str) != Some(format) {
        return Err(TranscriptError::WrongFormat {
            expected: format,
            found,
        });
    }
    match value.get("version").and_then(Value::as_u64) {
        Some(v) if v > u64::from(supported) => return Err(TranscriptError::TooNew { found: v, supported }),
        Some(_) => {}
        None => {
            return Err(TranscriptError::Invalid {
                path: "version".into(),
                message: "missing".into(),
            });
        }
    }
    serde_path_to_error::deserialize(value).map_err(|e| TranscriptError::Invalid {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

pub fn parse_transcript(text: &str) -> Result<TranscriptFile, TranscriptError> {
    parse_versioned(text, TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_errors() {
        assert!(matches!(
            parse_transcript("{\n  \"format\": "),
            Err(TranscriptError::Json { line: 2, .. })
        ));
        assert_eq!(
            parse_transcript(r#"{"format":"something-else","version":1}"#),
            Err(TranscriptError::WrongFormat {
                expected: TRANSCRIPT_FORMAT,
                found: "\"something-else\"".into()
            })
        );
        let newer =
            parse_transcript(r#"{"format":"avatar-console-transcript","version":7,"conversations":[]}"#);
        assert_eq!(
            newer,
            Err(TranscriptError::TooNew {
                found: 7,
                supported: 1
            })
        );
        let bad = parse_transcript(
            r#"{"format":"avatar-console-transcript","version":1,"exportedAt":0,"appVersion":"x","conversations":[{"id":5}]}"#,
        );
        match bad {
            Err(TranscriptError::Invalid { path, .. }) => assert_eq!(path, "conversations[0].id"),
            other => panic!("expected an invalid-path error, got {other:?}"),
        }
    }
}
