//! What the lab records of one turn: the replies and everything the inspector
//! and the hibernation check need to explain them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ScriptError;

/// One customer message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub text: String,
    #[serde(default)]
    pub custom_data: Value,
    /// Forces the NLU's answer (a test step's field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
}

impl Message {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }
}

/// One reply the avatar sends back (one callback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    pub response: String,
    pub is_final: bool,
    pub custom_data: Value,
}

/// A global's value as the lab shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalValue {
    /// `json`, `map`, `set`, `date`, `function`, `undefined`, `other`, …
    pub kind: String,
    pub repr: String,
    /// Where JSON would drop or change part of it, if anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A global whose value differs after waking up from what it was before hibernating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlobalChange {
    pub name: String,
    pub before: String,
    /// `None` when the name no longer exists after wake-up.
    pub after: Option<String>,
    pub kind: String,
}

/// A timer still scheduled when the session was terminated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimerInfo {
    pub id: u64,
    pub kind: String,
    pub delay_ms: f64,
    pub callback: String,
}

/// What one hibernation kept and lost.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HibernationRecord {
    /// The hibernate callback's value as kept (a string, or an object as JSON).
    pub blob: Option<String>,
    pub blob_is_object: bool,
    pub blob_bytes: usize,
    /// Where the hibernate value does not survive JSON, if anywhere.
    pub problem: Option<String>,
    pub timers_lost: Vec<TimerInfo>,
    pub has_hibernate: bool,
    pub has_wakeup: bool,
}

/// The lab's record of one turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TurnRecord {
    pub index: usize,
    pub utterance: String,
    pub intent: String,
    pub replies: Vec<Reply>,
    pub state_before: Option<String>,
    pub state_after: Option<String>,
    /// This turn started from a fresh runtime (evaluation + wake-up).
    pub woke: bool,
    pub errors: Vec<ScriptError>,
    pub logs: Vec<String>,
    /// Globals that changed across the hibernation before this turn.
    pub globals_diff: Vec<GlobalChange>,
    /// The scenario's globals at the end of the turn.
    pub globals: BTreeMap<String, GlobalValue>,
    /// The hibernation at the end of this turn (or, idle mode, before it).
    pub hibernation: Option<HibernationRecord>,
    /// The file version this turn ran (bumped on reload).
    pub scenario_version: u64,
}

impl TurnRecord {
    pub(crate) fn new(index: usize, utterance: &str) -> Self {
        Self {
            index,
            utterance: utterance.to_string(),
            intent: "unknown".into(),
            replies: Vec::new(),
            state_before: None,
            state_after: None,
            woke: false,
            errors: Vec::new(),
            logs: Vec::new(),
            globals_diff: Vec::new(),
            globals: BTreeMap::new(),
            hibernation: None,
            scenario_version: 0,
        }
    }
}
