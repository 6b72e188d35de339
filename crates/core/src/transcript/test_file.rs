//! Editable test files: utterances with the reply each should get.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::expect::{CustomDataExpectation, ResponseExpectation};
use super::file::{TranscriptError, TranscriptFile, parse_versioned};
use uuid::Uuid;

use crate::model::{CallbackDialect, ConversationView, ReplyView, TurnState, TurnView};

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

    /// Back from a test to a recording: each step becomes a turn, and an exact
    /// expectation becomes the avatar's reply (with the expected isFinal and
    /// whole customData). Ids are fresh; times count from zero.
    pub fn to_recording(&self) -> ConversationView {
        let turns = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let seq = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let sent_at = i64::from(seq) * 1000;
                let replies = match &step.expect.response {
                    ResponseExpectation::Exact(text) => vec![ReplyView {
                        id: i64::from(seq),
                        response: Some(text.clone()),
                        is_final: step.expect.is_final.unwrap_or(false),
                        custom_data: step.expect.custom_data.whole.clone().unwrap_or(Value::Null),
                        received_at: sent_at,
                        latency_ms: 0,
                        dialect: CallbackDialect::CamelCase,
                        flags: Vec::new(),
                        raw_body: String::new(),
                        raw_headers: String::new(),
                    }],
                    _ => Vec::new(),
                };
                TurnView {
                    id: Uuid::new_v4(),
                    seq,
                    utterance: step.utterance.clone(),
                    custom_data: step.custom_data.clone(),
                    callback_uri: String::new(),
                    sent_at,
                    state: TurnState::Sent,
                    replies,
                    several_replies: false,
                    exchanges: Vec::new(),
                }
            })
            .collect();
        ConversationView {
            id: Uuid::new_v4(),
            profile_id: Uuid::nil(),
            profile_name: "Test file".into(),
            avatar_id: Uuid::nil(),
            conversation_id: self.name.clone(),
            user_id: String::new(),
            custom_data_template: "{}".into(),
            ended: self.steps.last().and_then(|s| s.expect.is_final).unwrap_or(false),
            read_only: true,
            turns,
            unpaired_replies: Vec::new(),
            older_unpaired: 0,
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
