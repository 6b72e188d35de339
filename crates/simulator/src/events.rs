//! The record of everything the simulator saw and did, in order: every API
//! request with the status it got, and every callback attempt with the
//! receiver's status. Tests assert on it; the console's UI shows it.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use ts_rs::TS;
use uuid::Uuid;

/// Oldest events are forgotten past this, so a long-running app does not grow
/// without bound.
const CAPACITY: usize = 10_000;

/// One thing the simulator saw or did.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum SimEvent {
    /// `GET /platform_api/Logon`.
    Logon {
        account_id: String,
        ok: bool,
        status: u16,
    },
    /// `POST /api/v1/chats/login`; `subuser` is the sub-user login, if one was used.
    Login {
        account_id: String,
        subuser: Option<String>,
        ok: bool,
    },
    /// `POST /api/v1/chats/{avatarId}/{conversationId}` and what it was answered.
    Utterance {
        avatar_id: Uuid,
        conversation_id: String,
        utterance: String,
        status: u16,
        /// The JSON error code when the request was refused.
        error_code: Option<String>,
    },
    /// `POST …/{conversationId}/stop`.
    Stop {
        avatar_id: Uuid,
        conversation_id: String,
        status: u16,
    },
    /// An accepted utterance the avatar did not answer because the
    /// conversation had ended in the meantime.
    UtteranceIgnored {
        conversation_id: String,
        utterance: String,
        reason: String,
    },
    /// One POST to a callback URI; `status` is the receiver's, `error` the
    /// network error when there was none.
    Callback {
        conversation_id: String,
        uri: String,
        response: String,
        is_final: bool,
        status: Option<u16>,
        error: Option<String>,
        /// The exact body sent.
        body: String,
        /// Faults that shaped this attempt (e.g. `duplicate`, `malformed`).
        faults: Vec<String>,
    },
    /// A reply the `dropCallbacks` fault swallowed.
    CallbackDropped {
        conversation_id: String,
        response: String,
    },
    /// A scenario avatar's turn, as the lab recorded it: the file version it
    /// ran and its errors (`file:line:col: message (in callback)`).
    ScenarioTurn {
        conversation_id: String,
        #[ts(type = "number")]
        scenario_version: u64,
        replies: usize,
        errors: Vec<String>,
    },
    /// A scenario avatar's file was read (`version` 0 the first time, then
    /// one more on each change on disk), or could not be (`error`).
    ScenarioFile {
        path: String,
        #[ts(type = "number | null")]
        version: Option<u64>,
        error: Option<String>,
    },
    /// A request to a path the simulator does not serve.
    Unrouted { method: String, path: String },
}

/// An event with its place in the log and when it happened.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "SimLoggedEvent")]
pub struct LoggedEvent {
    /// 1-based, increasing; `GET /_admin/events?since=N` returns seq > N.
    #[ts(type = "number")]
    pub seq: u64,
    /// Unix time in milliseconds.
    #[ts(type = "number")]
    pub at_ms: i64,
    pub event: SimEvent,
}

pub(crate) struct EventLog {
    inner: Mutex<(u64, VecDeque<LoggedEvent>)>,
    live: broadcast::Sender<LoggedEvent>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

impl EventLog {
    pub fn new() -> Self {
        Self {
            inner: Mutex::new((0, VecDeque::new())),
            live: broadcast::channel(1024).0,
        }
    }

    pub fn record(&self, event: SimEvent) {
        if tracing::enabled!(tracing::Level::DEBUG) {
            // The log gets the callback URI without its secret path.
            let mut logged = event.clone();
            if let SimEvent::Callback { uri, .. } = &mut logged {
                *uri = crate::callback::log_safe_uri(uri);
            }
            tracing::debug!(event = ?logged, "simulator event");
        }
        let Ok(mut guard) = self.inner.lock() else {
            return;
        };
        let (seq, events) = &mut *guard;
        *seq += 1;
        let logged = LoggedEvent {
            seq: *seq,
            at_ms: now_ms(),
            event,
        };
        if events.len() == CAPACITY {
            events.pop_front();
        }
        events.push_back(logged.clone());
        // Sent under the lock so subscribers see events in seq order; no
        // subscriber is fine.
        let _ = self.live.send(logged);
    }

    pub fn since(&self, after: u64) -> Vec<LoggedEvent> {
        self.inner
            .lock()
            .map(|g| g.1.iter().filter(|e| e.seq > after).cloned().collect())
            .unwrap_or_default()
    }

    pub fn clear(&self) {
        if let Ok(mut g) = self.inner.lock() {
            g.1.clear();
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LoggedEvent> {
        self.live.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seq_increases_and_since_filters() {
        let log = EventLog::new();
        let mut live = log.subscribe();
        for i in 0..3 {
            log.record(SimEvent::Unrouted {
                method: "GET".into(),
                path: format!("/{i}"),
            });
        }
        let all = log.since(0);
        assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(log.since(2).len(), 1);
        assert_eq!(live.try_recv().expect("live event").seq, 1);
        log.clear();
        assert!(log.since(0).is_empty());
        log.record(SimEvent::Unrouted {
            method: "GET".into(),
            path: "/".into(),
        });
        assert_eq!(log.since(0)[0].seq, 4, "seq keeps counting after clear");
    }

    #[test]
    fn events_serialize_camel_case_with_kind() {
        let json = serde_json::to_value(SimEvent::CallbackDropped {
            conversation_id: "c".into(),
            response: "r".into(),
        })
        .expect("serialize");
        assert_eq!(json["kind"], "callbackDropped");
        assert_eq!(json["conversationId"], "c");
    }
}
