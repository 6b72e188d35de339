//! The conversation hub: sends utterances, pairs callbacks with the turns
//! they answer (see [`pairing`]), journals everything in the store and tells
//! listeners which conversation changed.
//!
//! Conversations are loaded from the store once and then kept in memory,
//! updated in step with each write, so an event costs the write plus a clone
//! of one view, not a reload of the conversation from SQLite. The store is
//! always written first: memory never shows what the disk does not hold.

mod import;
mod inbox;
pub mod pairing;
mod panes;
mod profiles;
mod unpaired;

pub use crate::model::ProfileOption;
pub use panes::Restart;
pub use profiles::{ProfileRuntime, TokenStatus};
pub use unpaired::{UNPAIRED_PAGE_MAX, UNPAIRED_WINDOW, ui_view};

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
use serde_json::Value;
use tokio::sync::broadcast;
use ts_rs::TS;
use uuid::Uuid;

use crate::callback::{CallbackSink, Disposition, ParsedCallback, RawRequest, secret};
use crate::client::{AvatarClient, Captured, SendReceipt};
use crate::error::CoreError;
use crate::error_payload::CodedError;
use crate::model::{
    AvatarOption, ConversationView, InboxItemView, ReplyFlag, ReplyView, TurnState, TurnView,
};
use crate::store::{NewCallback, NewInboxItem, NewTurn, Store, StoreError};
use crate::template::{self, TemplateContext};
use crate::time::now_ms;
use pairing::PairingState;

/// What changed, for the UI.
#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum HubEvent {
    /// A whole pane changed (restart, end, resync). Its view carries only
    /// the newest unpaired replies ([`ui_view`]).
    ConversationUpdated {
        conversation: ConversationView,
    },
    /// One turn changed (sent, failed, a reply arrived): only that turn is
    /// published, so the cost does not grow with the conversation.
    #[serde(rename_all = "camelCase")]
    TurnUpdated {
        conversation_id: Uuid,
        ended: bool,
        turn: TurnView,
    },
    /// A callback was paired with a turn. Only the reply travels, so the
    /// cost of a callback does not grow with the replies the turn already has.
    #[serde(rename_all = "camelCase")]
    ReplyAdded {
        conversation_id: Uuid,
        turn_id: Uuid,
        ended: bool,
        several_replies: bool,
        reply: ReplyView,
    },
    /// A callback that answers no turn (flagged `unpaired`): only the reply
    /// travels, and the conversation's count of them, so the cost of one
    /// does not grow with how many came before.
    #[serde(rename_all = "camelCase")]
    UnpairedReplyAdded {
        conversation_id: Uuid,
        ended: bool,
        unpaired_total: u32,
        reply: ReplyView,
    },
    /// The open panes, in order, after one was added, closed or moved.
    LayoutChanged {
        order: Vec<Uuid>,
    },
    InboxChanged {
        count: u32,
    },
    /// A profile became usable by panes or stopped being usable (saved,
    /// deleted, or registered once the keychain answered at start-up): ask
    /// for the list again (`profile_options`).
    ProfilesChanged,
}

struct Live {
    view: ConversationView,
    pairing: PairingState,
}

#[derive(Default)]
struct Conversations {
    live: HashMap<Uuid, Live>,
    /// Open panes in display order; closed conversations stay in `live` so
    /// late callbacks still find them.
    order: Vec<Uuid>,
    /// Avatar-side conversation id → the newest local conversation using it.
    by_conversation_id: HashMap<String, Uuid>,
}

impl Conversations {
    fn insert(&mut self, view: ConversationView) {
        let id = view.id;
        // Imported (read-only) conversations never take live callbacks.
        if !view.read_only {
            self.by_conversation_id.insert(view.conversation_id.clone(), id);
        }
        self.order.push(id);
        let pairing = PairingState::from_view(&view);
        self.live.insert(id, Live { view, pairing });
    }
}

pub struct Hub {
    store: Store,
    /// Profiles that can send; see `profiles.rs`.
    profiles: std::sync::RwLock<Vec<std::sync::Arc<ProfileRuntime>>>,
    default_profile: Uuid,
    /// Base callback URI for new turns; changes when the public URL does
    /// (a turn keeps the URI it was sent with).
    callback_url: std::sync::RwLock<String>,
    events: broadcast::Sender<HubEvent>,
    /// Writes, memory updates and event sends happen under this lock, so
    /// listeners never see an older view after a newer one.
    conversations: Mutex<Conversations>,
}

/// A fresh avatar-side conversation id.
pub fn new_conversation_id() -> String {
    short_id("conv")
}

/// A fresh simulated customer id.
pub fn new_user_id() -> String {
    short_id("user")
}

fn short_id(prefix: &str) -> String {
    let id = Uuid::new_v4().simple().to_string();
    format!("{prefix}-{}", &id[..12])
}

/// The callback URI for one turn: the conversation's plus `turn=<seq>`, so a
/// callback says which utterance's URI the avatar used.
pub fn turn_callback_uri(base: &str, seq: u32) -> String {
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}turn={seq}")
}

/// `text` with the secret of `callback_uri` (a URI as sent) replaced by
/// [`secret::PLACEHOLDER`].
fn hide_callback_secret(text: &str, callback_uri: &str) -> String {
    match secret::secret_of(callback_uri) {
        Some(s) => secret::hide(text, s),
        None => text.to_owned(),
    }
}

/// A captured request carries the real callback URI in its body: keep the
/// secret out of what is journaled and shown.
fn hide_secret_in_exchange(exchange: &mut crate::model::HttpExchange, callback_uri: &str) {
    let hide = |text: &mut String| *text = hide_callback_secret(text, callback_uri);
    hide(&mut exchange.url);
    hide(&mut exchange.request_body);
    exchange.response_body.as_mut().map(hide);
    exchange.error.as_mut().map(hide);
    for (_, value) in &mut exchange.request_headers {
        hide(value);
    }
}

impl Hub {
    /// Load every stored conversation and start serving them.
    pub fn new(
        store: Store,
        client: AvatarClient,
        profile_name: String,
        avatars: Vec<AvatarOption>,
        callback_url: String,
    ) -> Result<Self, CoreError> {
        Self::with_profile(
            store,
            ProfileRuntime {
                id: Uuid::nil(),
                name: profile_name,
                client,
                avatars,
            },
            callback_url,
        )
    }

    /// Like `new`, with the default profile's own id.
    pub fn with_profile(
        store: Store,
        default: ProfileRuntime,
        callback_url: String,
    ) -> Result<Self, CoreError> {
        if default.avatars.is_empty() {
            return Err(CoreError::Startup("the profile names no avatar".into()));
        }
        let (events, _) = broadcast::channel(1024);
        let mut conversations = Conversations::default();
        for id in store.conversation_ids()? {
            if let Some(view) = store.conversation(id)? {
                conversations.insert(view);
            }
        }
        Ok(Self {
            store,
            default_profile: default.id,
            profiles: std::sync::RwLock::new(vec![std::sync::Arc::new(default)]),
            callback_url: std::sync::RwLock::new(callback_url),
            events,
            conversations: Mutex::new(conversations),
        })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<HubEvent> {
        self.events.subscribe()
    }

    pub fn callback_url(&self) -> String {
        self.callback_url.read().map(|u| u.clone()).unwrap_or_default()
    }

    /// Where avatars should send replies to the next utterances.
    pub fn set_callback_url(&self, url: String) {
        if let Ok(mut current) = self.callback_url.write() {
            *current = url;
        }
    }

    /// The default profile's name.
    pub fn profile_name(&self) -> String {
        self.default_runtime().map(|p| p.name.clone()).unwrap_or_default()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The default profile's avatars.
    pub fn avatars(&self) -> Vec<AvatarOption> {
        self.default_runtime()
            .map(|p| p.avatars.clone())
            .unwrap_or_default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Conversations>, CoreError> {
        self.conversations
            .lock()
            .map_err(|_| CoreError::Store(StoreError::Poisoned))
    }

    pub fn conversations(&self) -> Result<Vec<ConversationView>, CoreError> {
        let guard = self.lock()?;
        Ok(guard
            .order
            .iter()
            .filter_map(|id| guard.live.get(id).map(|l| l.view.clone()))
            .collect())
    }

    /// Events that bring a listener that missed some (a lagging receiver)
    /// back to the current state: every open pane's whole view, the layout,
    /// the inbox count and the profiles. Events are deltas (`ReplyAdded`,
    /// `TurnUpdated`), so a gap would otherwise stay until a reload.
    pub fn resync_events(&self) -> Result<Vec<HubEvent>, CoreError> {
        let guard = self.lock()?;
        let mut events: Vec<HubEvent> = guard
            .order
            .iter()
            .filter_map(|id| guard.live.get(id))
            .map(|l| HubEvent::ConversationUpdated {
                conversation: ui_view(&l.view),
            })
            .collect();
        events.push(HubEvent::LayoutChanged {
            order: guard.order.clone(),
        });
        drop(guard);
        events.push(self.inbox_event()?);
        events.push(HubEvent::ProfilesChanged);
        Ok(events)
    }

    pub fn conversation(&self, id: Uuid) -> Result<ConversationView, CoreError> {
        self.lock()?
            .live
            .get(&id)
            .map(|l| l.view.clone())
            .ok_or(CoreError::UnknownConversation(id))
    }

    /// Everything the callback server kept aside, newest first.
    pub fn inbox(&self) -> Result<Vec<InboxItemView>, CoreError> {
        Ok(self.store.inbox()?)
    }

    /// Journal and send one utterance with `custom_data`, the pane's
    /// template: its variables (`{{turn}}`, `{{uuid}}`, … see [`template`])
    /// are filled here, and the turn records what was sent.
    ///
    /// Returns the turn as it stands once the avatar API has answered. A
    /// failure to reach the API is not an error here: the turn is kept,
    /// marked failed with the reason, for a retry. Replies come later, as
    /// [`HubEvent::ReplyAdded`].
    pub async fn send(&self, id: Uuid, utterance: &str, custom_data: Value) -> Result<TurnView, CoreError> {
        let utterance = utterance.trim();
        if utterance.is_empty() {
            return Err(CoreError::Invalid("type a message first".into()));
        }
        let (profile, seq, index, avatar_id, conversation_id, callback_uri, custom_data) = {
            let mut guard = self.lock()?;
            let live = guard
                .live
                .get_mut(&id)
                .ok_or(CoreError::UnknownConversation(id))?;
            let profile = self.profile(live.view.profile_id)?;
            if live.view.read_only {
                return Err(CoreError::ReadOnly);
            }
            if live.view.ended {
                return Err(CoreError::ConversationEnded);
            }
            let index = live.view.turns.len();
            let seq = u32::try_from(index + 1).map_err(|_| CoreError::Invalid("too many turns".into()))?;
            let now = template::iso_now();
            let custom_data = template::fill(
                &custom_data,
                &TemplateContext {
                    turn: seq,
                    conversation_id: &live.view.conversation_id,
                    user_id: &live.view.user_id,
                    now: &now,
                },
            );
            // The journal and the views keep the URI with the secret hidden;
            // only the request to the avatar carries the real one.
            let real_uri = turn_callback_uri(&self.callback_url(), seq);
            let turn = TurnView {
                id: Uuid::new_v4(),
                seq,
                utterance: utterance.to_owned(),
                custom_data,
                callback_uri: hide_callback_secret(&real_uri, &real_uri),
                sent_at: now_ms(),
                state: TurnState::Sending,
                replies: Vec::new(),
                several_replies: false,
                exchanges: Vec::new(),
            };
            self.store.insert_turn(&NewTurn {
                id: turn.id,
                conversation: id,
                seq,
                utterance,
                custom_data: &turn.custom_data,
                callback_uri: &turn.callback_uri,
                sent_at: turn.sent_at,
            })?;
            let prepared = (
                profile,
                seq,
                index,
                live.view.avatar_id.to_string(),
                live.view.conversation_id.clone(),
                real_uri,
                turn.custom_data.clone(),
            );
            live.view.turns.push(turn);
            live.pairing.add_turn(index);
            self.emit_turn(&live.view, index);
            prepared
        };
        let Captured {
            result,
            mut exchanges,
        } = profile
            .client
            .send_captured(
                &avatar_id,
                &conversation_id,
                utterance,
                &custom_data,
                &callback_uri,
            )
            .await;
        let state = match result {
            Ok(_) => TurnState::Sent,
            Err(e) => {
                tracing::warn!(code = %e.code(), error = %e, "send failed");
                TurnState::Failed {
                    code: e.code().to_string(),
                    message: hide_callback_secret(&e.to_string(), &callback_uri),
                }
            }
        };
        for exchange in &mut exchanges {
            hide_secret_in_exchange(exchange, &callback_uri);
        }
        let mut guard = self.lock()?;
        self.store.finish_turn(id, seq, &state, &exchanges)?;
        let live = guard
            .live
            .get_mut(&id)
            .ok_or(CoreError::UnknownConversation(id))?;
        if matches!(state, TurnState::Failed { .. })
            && live.view.turns.get(index).is_some_and(|t| t.replies.is_empty())
        {
            live.pairing.turn_failed(index);
        }
        let t = live
            .view
            .turns
            .get_mut(index)
            .ok_or(CoreError::UnknownConversation(id))?;
        t.state = state;
        t.exchanges = exchanges;
        let sent = t.clone();
        self.emit_turn(&live.view, index);
        Ok(sent)
    }

    /// End the conversation: ask the avatar to stop its session, then mark it
    /// ended so no more utterances go out. Ending an ended one is harmless.
    pub async fn end_conversation(&self, id: Uuid) -> Result<ConversationView, CoreError> {
        let view = self.conversation(id)?;
        let profile = self.profile(view.profile_id)?;
        let Captured { result, .. } = profile
            .client
            .stop(&view.avatar_id.to_string(), &view.conversation_id)
            .await;
        let _: SendReceipt = result?;
        let mut guard = self.lock()?;
        self.store.set_ended(id, true)?;
        let live = guard
            .live
            .get_mut(&id)
            .ok_or(CoreError::UnknownConversation(id))?;
        live.view.ended = true;
        self.emit(&live.view);
        Ok(live.view.clone())
    }

    fn emit(&self, view: &ConversationView) {
        // No listener is fine: the UI may not be up yet.
        let _ = self.events.send(HubEvent::ConversationUpdated {
            conversation: ui_view(view),
        });
    }

    fn emit_turn(&self, view: &ConversationView, index: usize) {
        if let Some(turn) = view.turns.get(index) {
            let _ = self.events.send(HubEvent::TurnUpdated {
                conversation_id: view.id,
                ended: view.ended,
                turn: turn.clone(),
            });
        }
    }

    fn inbox_event(&self) -> Result<HubEvent, StoreError> {
        let count = self.store.inbox_count()?;
        Ok(HubEvent::InboxChanged {
            count: u32::try_from(count).unwrap_or(u32::MAX),
        })
    }

    fn emit_inbox(&self) {
        if let Ok(event) = self.inbox_event() {
            let _ = self.events.send(event);
        }
    }

    fn to_inbox(&self, reason: &str, detail: &str, raw: &RawRequest) -> Result<(), StoreError> {
        self.store.insert_inbox(&NewInboxItem {
            received_at: raw.received_at,
            reason,
            detail,
            method: &raw.method,
            path: &raw.path,
            raw_headers: &raw.headers,
            raw_body: &raw.body,
        })?;
        self.emit_inbox();
        Ok(())
    }
}

impl CallbackSink for Hub {
    fn accept(&self, callback: ParsedCallback, raw: RawRequest) -> Result<Disposition, StoreError> {
        let mut guard = self.conversations.lock().map_err(|_| StoreError::Poisoned)?;
        let known = guard.by_conversation_id.get(&callback.conversation_id).copied();
        let Some(live) = known.and_then(|id| guard.live.get_mut(&id)) else {
            drop(guard);
            let detail = format!("no conversation with id {:?}", callback.conversation_id);
            self.to_inbox("orphan", &detail, &raw)?;
            return Ok(Disposition::Orphan);
        };
        let plan = live
            .pairing
            .plan(&live.view, &callback, raw.received_at, raw.turn_hint);
        let turn = plan.turn.and_then(|i| live.view.turns.get(i));
        let id = self.store.insert_callback(&NewCallback {
            conversation: live.view.id,
            turn_seq: turn.map(|t| t.seq),
            turn_hint: raw.turn_hint,
            flags: &plan.flags,
            received_at: raw.received_at,
            dialect: callback.dialect,
            is_final: callback.is_final,
            response: callback.response.as_deref(),
            custom_data: &callback.custom_data,
            raw_headers: &raw.headers,
            raw_body: &raw.body,
        })?;
        if callback.is_final && !live.view.ended {
            self.store.set_ended(live.view.id, true)?;
            live.view.ended = true;
        }
        live.pairing.commit(&plan, callback.is_final);
        let reply = ReplyView {
            id,
            response: callback.response,
            is_final: callback.is_final,
            custom_data: callback.custom_data,
            received_at: raw.received_at,
            latency_ms: 0,
            dialect: callback.dialect,
            flags: plan.flags,
            raw_body: String::from_utf8_lossy(&raw.body).into_owned(),
            raw_headers: raw.headers,
        };
        match plan.turn.and_then(|i| live.view.turns.get_mut(i)) {
            Some(t) => {
                let reply = ReplyView {
                    latency_ms: reply.received_at - t.sent_at,
                    ..reply
                };
                t.several_replies |= reply.flags.contains(&ReplyFlag::ExtraReply);
                // No listener is fine: the UI may not be up yet.
                let _ = self.events.send(HubEvent::ReplyAdded {
                    conversation_id: live.view.id,
                    turn_id: t.id,
                    ended: live.view.ended,
                    several_replies: t.several_replies,
                    reply: reply.clone(),
                });
                t.replies.push(reply);
            }
            None => {
                live.view.unpaired_replies.push(reply);
                self.emit_unpaired(&live.view);
            }
        }
        Ok(Disposition::Paired)
    }

    fn reject(&self, reason: &str, detail: &str, raw: RawRequest) -> Result<(), StoreError> {
        tracing::info!(reason, detail, path = %raw.path, "request kept in the inbox");
        self.to_inbox(reason, detail, &raw)
    }
}
