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
    /// The profile it sends with (nil: the console's default profile).
    pub profile_id: Uuid,
    pub profile_name: String,
    pub avatar_id: Uuid,
    /// The conversation id sent to the avatar API.
    pub conversation_id: String,
    /// The simulated customer, for the `{{userId}}` template variable;
    /// "New user" changes it, "New conversation" keeps it.
    pub user_id: String,
    /// The pane's customData editor text (JSON with template variables).
    pub custom_data_template: String,
    /// True once the avatar sent `isFinal` or the tester ended the conversation.
    pub ended: bool,
    /// An imported transcript: shown, never sent to.
    pub read_only: bool,
    pub turns: Vec<TurnView>,
    /// Callbacks for this conversation that answer no turn (they arrived
    /// before any utterance was sent); flagged `unpaired`.
    pub unpaired_replies: Vec<ReplyView>,
    /// Unpaired replies older than those in `unpaired_replies` that this view
    /// leaves out: views sent to the UI carry only the newest ones (see
    /// `hub::unpaired`), the UI pages the rest in. 0 in a full view.
    #[serde(default)]
    pub older_unpaired: u32,
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
    /// More than one distinct reply was paired with this turn.
    pub several_replies: bool,
    /// Every HTTP attempt made to deliver this utterance (retries and the
    /// 401 refresh included), secrets redacted: "the request as sent".
    pub exchanges: Vec<HttpExchange>,
}

/// One request to the avatar API and what came back, secrets redacted.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HttpExchange {
    pub method: String,
    pub url: String,
    /// `name: value` pairs; `Authorization` reads `Bearer <redacted>`.
    pub request_headers: Vec<(String, String)>,
    pub request_body: String,
    /// None when no response arrived (timeout, connection error).
    pub status: Option<u16>,
    pub response_body: Option<String>,
    /// Why the attempt failed without a response, if it did.
    pub error: Option<String>,
    #[ts(type = "number")]
    pub started_at: i64,
    #[ts(type = "number")]
    pub duration_ms: i64,
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
    /// The stored callback's id (stable across restarts).
    #[ts(type = "number")]
    pub id: i64,
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
    /// Anomalies found when the callback was paired; empty for a clean reply.
    pub flags: Vec<ReplyFlag>,
    /// The body exactly as it arrived (callbacks are JSON, hence UTF-8).
    pub raw_body: String,
    /// The request headers as they arrived, one `name: value` per line.
    pub raw_headers: String,
}

/// Why a reply deserves a second look. Orphan and malformed callbacks never
/// reach a conversation: they are kept in the inbox ([`InboxItemView`]).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReplyFlag {
    /// Arrived after a newer utterance had been sent in this conversation.
    Late,
    /// Same payload (isFinal, response, customData) as an earlier callback.
    Duplicate,
    /// The avatar answered an older utterance after a newer one had already
    /// been answered.
    OutOfOrder,
    /// Arrived after the conversation had received `isFinal`.
    AfterFinal,
    /// Another distinct reply had already been paired with the same turn.
    ExtraReply,
    /// No utterance had been sent when it arrived: it answers no turn.
    Unpaired,
}

/// A request the callback server kept because it was not a valid callback for
/// a known conversation (orphan, malformed, wrong secret, too large…).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InboxItemView {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub received_at: i64,
    /// Stable code: `orphan`, `malformed`, `wrong_secret`, `wrong_method`,
    /// `unknown_path`, `too_large`, `timeout`.
    pub reason: String,
    pub detail: String,
    pub method: String,
    /// The path with the secret segment replaced by `<secret>`.
    pub path: String,
    pub raw_headers: String,
    /// The body as text when it is UTF-8, else lossily decoded.
    pub body_text: String,
    /// The exact body bytes, base64 (standard alphabet).
    pub body_base64: String,
    pub body_size: u32,
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
    /// Avatars of the default profile; the first is the default for new panes.
    pub avatars: Vec<AvatarOption>,
    /// Profiles panes can switch to (those whose credentials are available).
    pub profiles: Vec<ProfileOption>,
}

/// A profile a pane can switch to, for the UI.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileOption {
    pub id: Uuid,
    pub name: String,
    pub avatars: Vec<AvatarOption>,
}
