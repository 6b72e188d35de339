//! Shared simulator state: the (runtime-changeable) configuration, issued
//! tokens, conversations, and the event log. Its methods are the Rust API the
//! console's UI uses to change bots and faults while the simulator runs.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{broadcast, mpsc};
use uuid::Uuid;

use crate::auth::TokenIssuer;
use crate::config::{BotKind, CallbackDialect, SimConfig};
use crate::events::{EventLog, LoggedEvent};
// Kept importable from here, where it used to live.
pub use crate::events::SimEvent;
use crate::faults::FaultConfig;

/// A conversation is one avatar's conversation with one id.
pub(crate) type ConversationKey = (Uuid, String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SimError {
    #[error("no avatar with id {0}")]
    UnknownAvatar(Uuid),
}

/// An utterance waiting for its conversation's worker (`delivery`).
pub(crate) struct Job {
    pub utterance: String,
    pub custom_data: Value,
    pub callback_uri: String,
}

pub(crate) struct ConversationSlot {
    queue: mpsc::UnboundedSender<Job>,
    /// Replies go to the callback URI of the latest utterance, as the real
    /// avatar does, even for replies to earlier ones.
    latest_callback_uri: String,
}

#[derive(Default)]
struct Conversations {
    slots: HashMap<ConversationKey, ConversationSlot>,
    /// Sends seen per conversation (including refused ones), for `errorFirstN`.
    sends: HashMap<ConversationKey, u32>,
    /// Ended by a final reply or `stop`; further utterances are refused.
    ended: HashSet<ConversationKey>,
}

pub struct SimState {
    /// Shared snapshots: each utterance reads the configuration three or
    /// four times, and cloning it (accounts, avatars, scripts, faults) each
    /// time showed in the per-turn figures.
    config: RwLock<Arc<SimConfig>>,
    pub tokens: TokenIssuer,
    pub(crate) base_url: OnceLock<String>,
    pub(crate) logon_results: Mutex<HashSet<String>>,
    conversations: Mutex<Conversations>,
    pub(crate) http: reqwest::Client,
    log: EventLog,
    /// Scenario avatars' files, re-read when they change.
    pub(crate) scenarios: crate::bots::scenario::ScenarioFiles,
}

impl SimState {
    pub fn new(config: SimConfig) -> Arc<Self> {
        let http = reqwest::Client::builder()
            // A receiver that never answers must not stall its conversation forever.
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Arc::new(Self {
            config: RwLock::new(Arc::new(config)),
            tokens: TokenIssuer::new(),
            base_url: OnceLock::new(),
            logon_results: Mutex::new(HashSet::new()),
            conversations: Mutex::new(Conversations::default()),
            http,
            log: EventLog::new(),
            scenarios: Default::default(),
        })
    }

    /// Base URL the simulator is reachable at, returned as the NLU address.
    pub fn base_url(&self) -> &str {
        self.base_url
            .get()
            .map(String::as_str)
            .unwrap_or("http://127.0.0.1")
    }

    // ---- configuration, changeable at runtime ----

    /// A snapshot of the current configuration.
    pub fn config(&self) -> Arc<SimConfig> {
        self.config.read().map(|c| Arc::clone(&c)).unwrap_or_default()
    }

    /// Replace the whole configuration; conversations keep their state.
    pub fn set_config(&self, config: SimConfig) {
        self.update_config(|c| *c = config);
    }

    /// Change the configuration in place.
    pub fn update_config<R>(&self, change: impl FnOnce(&mut SimConfig) -> R) -> R {
        // A poisoned lock only means a panic mid-update elsewhere; the config
        // is plain data and still usable.
        let mut guard = self.config.write().unwrap_or_else(|p| p.into_inner());
        // Copy on write: snapshots handed out earlier keep what they saw.
        change(Arc::make_mut(&mut guard))
    }

    fn update_avatar(
        &self,
        avatar_id: Uuid,
        change: impl FnOnce(&mut crate::config::AvatarConfig),
    ) -> Result<(), SimError> {
        self.update_config(|c| match c.avatar_mut(avatar_id) {
            Some(a) => {
                change(a);
                Ok(())
            }
            None => Err(SimError::UnknownAvatar(avatar_id)),
        })
    }

    /// Which bot answers for an avatar. Running conversations keep their
    /// hibernated state and hand it to the new bot.
    pub fn set_bot(&self, avatar_id: Uuid, bot: BotKind) -> Result<(), SimError> {
        self.update_avatar(avatar_id, |a| a.bot = bot)
    }

    pub fn set_dialect(&self, avatar_id: Uuid, dialect: CallbackDialect) -> Result<(), SimError> {
        self.update_avatar(avatar_id, |a| a.dialect = dialect)
    }

    /// Faults for one avatar; `None` falls back to the global ones.
    pub fn set_avatar_faults(&self, avatar_id: Uuid, faults: Option<FaultConfig>) -> Result<(), SimError> {
        self.update_avatar(avatar_id, |a| a.faults = faults)
    }

    /// Faults for one conversation id; `None` removes them.
    pub fn set_conversation_faults(&self, conversation_id: &str, faults: Option<FaultConfig>) {
        self.update_config(|c| match faults {
            Some(f) => {
                c.conversation_faults.insert(conversation_id.to_owned(), f);
            }
            None => {
                c.conversation_faults.remove(conversation_id);
            }
        });
    }

    /// Faults for avatars that have none of their own.
    pub fn set_faults(&self, faults: FaultConfig) {
        self.update_config(|c| c.faults = faults);
    }

    /// Lifetime of tokens issued from now on.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.update_config(|c| c.token_lifetime_secs = lifetime.as_secs().max(1));
    }

    // ---- event log ----

    pub fn record(&self, event: SimEvent) {
        self.log.record(event);
    }

    /// Every event still in the log, oldest first.
    pub fn events(&self) -> Vec<SimEvent> {
        self.log.since(0).into_iter().map(|e| e.event).collect()
    }

    /// Events with `seq > after`, with their seq and time.
    pub fn events_since(&self, after: u64) -> Vec<LoggedEvent> {
        self.log.since(after)
    }

    /// Live events as they are recorded (for the UI).
    pub fn subscribe(&self) -> broadcast::Receiver<LoggedEvent> {
        self.log.subscribe()
    }

    pub fn clear_events(&self) {
        self.log.clear();
    }

    // ---- conversations ----

    /// Whether the conversation was ended (final reply or stop).
    pub fn conversation_ended(&self, avatar_id: Uuid, conversation_id: &str) -> bool {
        self.conversations
            .lock()
            .map(|c| c.ended.contains(&(avatar_id, conversation_id.to_owned())))
            .unwrap_or(false)
    }

    /// Forget every conversation (hibernated state, ended flags, counters):
    /// the next utterance of any conversation starts a fresh one.
    pub fn reset_conversations(&self) {
        if let Ok(mut c) = self.conversations.lock() {
            *c = Conversations::default();
        }
    }

    pub(crate) fn mark_ended(&self, key: &ConversationKey) {
        if let Ok(mut c) = self.conversations.lock() {
            c.ended.insert(key.clone());
            // The worker (and the hibernated state it holds) goes with the
            // slot: an ended conversation never answers again.
            c.slots.remove(key);
        }
    }

    pub(crate) fn is_ended(&self, key: &ConversationKey) -> bool {
        self.conversations
            .lock()
            .map(|c| c.ended.contains(key))
            .unwrap_or(false)
    }

    /// 0-based index of this send in its conversation.
    pub(crate) fn next_send_index(&self, key: &ConversationKey) -> u32 {
        self.conversations
            .lock()
            .map(|mut c| {
                let n = c.sends.entry(key.clone()).or_default();
                let index = *n;
                *n = n.saturating_add(1);
                index
            })
            .unwrap_or_default()
    }

    pub(crate) fn latest_callback_uri(&self, key: &ConversationKey) -> Option<String> {
        self.conversations
            .lock()
            .ok()?
            .slots
            .get(key)
            .map(|s| s.latest_callback_uri.clone())
    }

    /// Some other conversation's id, for the `wrongConversationId` fault.
    pub(crate) fn other_conversation_id(&self, key: &ConversationKey) -> String {
        self.conversations
            .lock()
            .ok()
            .and_then(|c| {
                c.slots
                    .keys()
                    .chain(c.ended.iter())
                    .map(|(_, id)| id)
                    .filter(|id| **id != key.1)
                    .min()
                    .cloned()
            })
            .unwrap_or_else(|| format!("{}-other", key.1))
    }

    /// Queue an utterance in the conversation's slot; `spawn_worker` starts
    /// the slot's worker when the conversation has none yet. The worker
    /// lives in `delivery`, which depends on this module, not the reverse.
    pub(crate) fn enqueue_with(
        &self,
        key: ConversationKey,
        job: Job,
        spawn_worker: impl FnOnce() -> mpsc::UnboundedSender<Job>,
    ) {
        let Ok(mut conversations) = self.conversations.lock() else {
            return;
        };
        let slot = conversations
            .slots
            .entry(key.clone())
            .or_insert_with(|| ConversationSlot {
                queue: spawn_worker(),
                latest_callback_uri: job.callback_uri.clone(),
            });
        slot.latest_callback_uri = job.callback_uri.clone();
        if slot.queue.send(job).is_err() {
            tracing::warn!(
                conversation_id = key.1,
                "conversation worker is gone; utterance dropped"
            );
        }
    }
}
