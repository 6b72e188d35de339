//! Views the UI renders. Generated into TypeScript by ts-rs (`ui/src/bindings`).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConversationView {
    /// Local id of the pane's conversation (not sent to the avatar).
    pub id: Uuid,
    pub profile_name: String,
    pub avatar_id: Uuid,
    /// The conversation id sent to the avatar API.
    pub conversation_id: String,
    /// The simulated customer, for the `{{userId}}` template variable;
    /// "New user" changes it, "New conversation" keeps it.
    pub user_id: String,
    /// The pane's customData editor text (JSON with template variables).
    pub custom_data_template: String,
    /// True once the avatar sent `isFinal`.
    pub ended: bool,
    pub turns: Vec<TurnView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TurnView {
    pub id: Uuid,
    pub seq: u32,
    pub utterance: String,
    #[ts(type = "unknown")]
    pub custom_data: Value,
    pub callback_uri: String,
    #[ts(type = "number")]
    pub sent_at: i64,
    pub state: TurnState,
    pub replies: Vec<ReplyView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum TurnState {
    /// Journaled, request to the avatar API in flight.
    Sending,
    /// The avatar API accepted the utterance.
    Sent,
    /// The avatar API could not be reached or refused; the turn can be retried.
    Failed { code: String, message: String },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReplyView {
    pub response: Option<String>,
    pub is_final: bool,
    #[ts(type = "unknown")]
    pub custom_data: Value,
    #[ts(type = "number")]
    pub received_at: i64,
    /// Milliseconds from sending the utterance to receiving this reply.
    #[ts(type = "number")]
    pub latency_ms: i64,
    pub dialect: CallbackDialect,
}

/// Which of the two callback body shapes the avatar used.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CallbackDialect {
    /// The guide's `{isFinal, response, customData, conversationId}`.
    CamelCase,
    /// Voximplant's SDK's `{is_final, response, custom_data, conversation_id}`.
    SnakeCase,
}

/// An avatar the tester can pick for a pane.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AvatarOption {
    pub id: Uuid,
    pub label: String,
}

/// Facts about the running backend, for the status bar.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackendInfo {
    pub profile_name: String,
    /// Where avatars POST their replies (secret path included).
    pub callback_url: String,
    pub data_dir: String,
    /// Avatars of the profile; the first is the default for new panes.
    pub avatars: Vec<AvatarOption>,
}
