//! Editable test files: utterances with the reply each should get.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::expect::{CustomDataExpectation, ResponseExpectation};
use super::file::{TranscriptError, TranscriptFile, parse_versioned};
use crate::model::ConversationView;

pub const TEST_FORMAT: &str = "avatar-console-test";
pub const TEST_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TestFile {
    pub format: String,
    pub version: u32,
    pub name: String,
    pub steps: Vec<TestStep>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TestStep {
    pub utterance: String,
    /// Sent as customData; `{{uuid}}`-style template variables are filled again.
    #[serde(default)]
    #[ts(type = "unknown")]
    pub custom_data: Value,
    #[serde(default)]
    pub expect: Expectation,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Expectation {
    #[serde(default)]
    pub response: ResponseExpectation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_final: Option<bool>,
    #[serde(default)]
    pub custom_data: CustomDataExpectation,
}

pub fn parse_test(text: &str) -> Result<TestFile, TranscriptError> {
    parse_versioned(text, TEST_FORMAT, TEST_VERSION)
}

impl TestFile {
    /// A test that expects exactly what was recorded: the last reply of each
    /// turn (text, isFinal and whole customData).
    pub fn from_recording(conversation: &ConversationView) -> Self {
        let steps = conversation
            .turns
            .iter()
            .map(|turn| {
                let last = turn.replies.last();
                TestStep {
                    utterance: turn.utterance.clone(),
                    custom_data: turn.custom_data.clone(),
                    expect: Expectation {
                        response: match last.and_then(|r| r.response.clone()) {
                            Some(text) => ResponseExpectation::Exact(text),
                            None => ResponseExpectation::Any,
                        },
                        is_final: last.map(|r| r.is_final),
                        custom_data: CustomDataExpectation {
                            whole: last.map(|r| r.custom_data.clone()),
                            ..Default::default()
                        },
                    },
                }
            })
            .collect();
        Self {
            format: TEST_FORMAT.into(),
            version: TEST_VERSION,
            name: format!("{} ({})", conversation.conversation_id, conversation.profile_name),
            steps,
        }
    }

    /// Read a test file, or turn a transcript (its first conversation) into one.
    pub fn from_any(text: &str) -> Result<Self, TranscriptError> {
        match parse_test(text) {
            Err(TranscriptError::WrongFormat { .. }) => {
                let transcript: TranscriptFile = super::parse_transcript(text)?;
                let first = transcript
                    .conversations
                    .first()
                    .ok_or_else(|| TranscriptError::Invalid {
                        path: "conversations".into(),
                        message: "the transcript holds no conversation".into(),
                    })?;
                Ok(Self::from_recording(first))
            }
            other => other,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
