//! The lab's options: every behaviour Voximplant leaves open is one of these,
//! with the default written in docs/scenario-lab.md.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// When the text channel terminates the scenario's JS session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "mode")]
pub enum Hibernation {
    /// After every customer message: the lab's worst case, and the default.
    EveryMessage,
    /// Never: one live session for the whole conversation, like a voice call.
    Never,
    /// When a message arrives more than this long after the previous one.
    AfterIdle {
        #[serde(with = "secs")]
        idle: Duration,
    },
}

mod secs {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let v = f64::deserialize(d)?;
        Duration::try_from_secs_f64(v).map_err(serde::de::Error::custom)
    }
}

/// A canned answer for `httpRequest` / `Net.httpRequestAsync` to one URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpFixture {
    #[serde(default = "ok")]
    pub code: u16,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

fn ok() -> u16 {
    200
}

#[derive(Debug, Clone, PartialEq)]
pub struct LabOptions {
    pub hibernation: Hibernation,
    /// JS heap limit of one session (VoxEngine's: 16 MB).
    pub memory_limit: usize,
    /// Time one callback (evaluation, a handler with its promise, a hook) may run.
    pub callback_timeout: Duration,
    /// Stack the engine may use before `RangeError: Maximum call stack size exceeded`.
    pub max_stack: usize,
    /// On the first message, enter the start state (`onEnter`, its reply)
    /// before the message goes to `onUtterance`.
    pub enter_start_on_first_message: bool,
    /// The engine keeps the current state and per-state counters across
    /// hibernation (when false they reset with the globals).
    pub engine_keeps_state: bool,
    /// Answers to `httpRequest`, by URL; any other URL is refused.
    pub http_fixtures: BTreeMap<String, HttpFixture>,
    /// At most this many state changes in one turn (a `nextState` loop ends there).
    pub max_transitions: usize,
}

impl Default for LabOptions {
    fn default() -> Self {
        Self {
            hibernation: Hibernation::EveryMessage,
            memory_limit: 16 * 1024 * 1024,
            callback_timeout: Duration::from_secs(1),
            max_stack: 512 * 1024,
            enter_start_on_first_message: true,
            engine_keeps_state: true,
            http_fixtures: BTreeMap::new(),
            max_transitions: 16,
        }
    }
}
