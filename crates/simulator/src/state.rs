//! Shared simulator state: configuration, issued tokens, conversations and a
//! record of everything that happened (for tests and the console's UI).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::auth::TokenIssuer;
use crate::config::SimConfig;
use crate::delivery::{self, Job};

/// One thing the simulator saw or did, in order.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SimEvent {
    Logon {
        account_id: String,
        ok: bool,
    },
    Login {
        account_id: String,
        ok: bool,
    },
    Utterance {
        avatar_id: Uuid,
        conversation_id: String,
        utterance: String,
        status: u16,
    },
    Callback {
        conversation_id: String,
        uri: String,
        response: String,
        status: Option<u16>,
        error: Option<String>,
    },
}

pub(crate) struct ConversationSlot {
    pub queue: mpsc::UnboundedSender<Job>,
}

pub struct SimState {
    pub config: SimConfig,
    pub tokens: TokenIssuer,
    pub(crate) base_url: OnceLock<String>,
    pub(crate) logon_results: Mutex<HashSet<String>>,
    pub(crate) conversations: Mutex<HashMap<(Uuid, String), ConversationSlot>>,
    pub(crate) http: reqwest::Client,
    events: Mutex<Vec<SimEvent>>,
}

impl SimState {
    pub fn new(config: SimConfig) -> Arc<Self> {
        Arc::new(Self {
            config,
            tokens: TokenIssuer::new(),
            base_url: OnceLock::new(),
            logon_results: Mutex::new(HashSet::new()),
            conversations: Mutex::new(HashMap::new()),
            http: reqwest::Client::new(),
            events: Mutex::new(Vec::new()),
        })
    }

    /// Base URL the simulator is reachable at, returned as the NLU address.
    pub fn base_url(&self) -> &str {
        self.base_url
            .get()
            .map(String::as_str)
            .unwrap_or("http://127.0.0.1")
    }

    pub fn record(&self, event: SimEvent) {
        if let Ok(mut events) = self.events.lock() {
            events.push(event);
        }
    }

    pub fn events(&self) -> Vec<SimEvent> {
        self.events.lock().map(|e| e.clone()).unwrap_or_default()
    }

    /// Queue an utterance for the conversation's worker, which answers the
    /// utterances of one conversation strictly in order.
    pub(crate) fn enqueue(self: &Arc<Self>, avatar_id: Uuid, conversation_id: &str, job: Job) {
        let Ok(mut conversations) = self.conversations.lock() else {
            return;
        };
        let key = (avatar_id, conversation_id.to_owned());
        let slot = conversations.entry(key).or_insert_with(|| ConversationSlot {
            queue: delivery::spawn_worker(self.clone(), avatar_id, conversation_id.to_owned()),
        });
        if slot.queue.send(job).is_err() {
            tracing::warn!(conversation_id, "conversation worker is gone; utterance dropped");
        }
    }
}
