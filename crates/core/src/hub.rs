//! The conversation hub: sends utterances, pairs callbacks with the turns
//! they answer, journals everything in the store and tells listeners which
//! conversation changed.

use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;
use tokio::sync::broadcast;
use ts_rs::TS;
use uuid::Uuid;

use crate::callback::{CallbackSink, Disposition, ParsedCallback, RawRequest};
use crate::client::AvatarClient;
use crate::error::CoreError;
use crate::model::{AvatarOption, ConversationView, TurnState};
use crate::store::{NewCallback, NewConversation, NewInboxItem, Store, StoreError};
use crate::time::now_ms;

/// What changed, for the UI.
#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum HubEvent {
    ConversationUpdated {
        conversation: ConversationView,
    },
    /// The open panes, in order, after one was added, closed or moved.
    LayoutChanged {
        order: Vec<Uuid>,
    },
    InboxChanged {
        count: u32,
    },
}

pub struct Hub {
    store: Store,
    client: AvatarClient,
    profile_name: String,
    /// Never empty: the first is the default for new panes.
    avatars: Vec<AvatarOption>,
    callback_url: String,
    events: broadcast::Sender<HubEvent>,
    /// Views are loaded and sent under this lock so listeners never see an
    /// older view after a newer one.
    emit_lock: Mutex<()>,
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

/// How a pane's conversation is restarted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Restart {
    /// A fresh conversation id for the same customer.
    NewConversation,
    /// A fresh conversation id and a fresh customer.
    NewUser,
    /// A conversation id the tester typed.
    #[serde(rename_all = "camelCase")]
    WithId { conversation_id: String },
    /// Another avatar of the profile, in a fresh conversation.
    #[serde(rename_all = "camelCase")]
    SwitchAvatar { avatar_id: Uuid },
}

impl Hub {
    pub fn new(
        store: Store,
        client: AvatarClient,
        profile_name: String,
        avatars: Vec<AvatarOption>,
        callback_url: String,
    ) -> Self {
        let (events, _) = broadcast::channel(1024);
        Self {
            store,
            client,
            profile_name,
            avatars,
            callback_url,
            events,
            emit_lock: Mutex::new(()),
        }
    }

    pub fn avatars(&self) -> &[AvatarOption] {
        &self.avatars
    }

    fn default_avatar(&self) -> Uuid {
        self.avatars.first().map(|a| a.id).unwrap_or_default()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<HubEvent> {
        self.events.subscribe()
    }

    pub fn callback_url(&self) -> &str {
        &self.callback_url
    }

    pub fn profile_name(&self) -> &str {
        &self.profile_name
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn conversations(&self) -> Result<Vec<ConversationView>, CoreError> {
        let mut out = Vec::new();
        for id in self.store.conversation_ids()? {
            if let Some(view) = self.store.conversation(id)? {
                out.push(view);
            }
        }
        Ok(out)
    }

    pub fn conversation(&self, id: Uuid) -> Result<ConversationView, CoreError> {
        self.store
            .conversation(id)?
            .ok_or(CoreError::UnknownConversation(id))
    }

    /// Open a new pane's conversation with a fresh avatar-side id.
    pub fn create_conversation(&self) -> Result<ConversationView, CoreError> {
        let view = self.insert_conversation(
            self.default_avatar(),
            &new_conversation_id(),
            &new_user_id(),
            "{}",
        )?;
        self.emit_layout();
        Ok(view)
    }

    fn insert_conversation(
        &self,
        avatar_id: Uuid,
        conversation_id: &str,
        user_id: &str,
        custom_data_template: &str,
    ) -> Result<ConversationView, CoreError> {
        let id = Uuid::new_v4();
        self.store.insert_conversation(
            &NewConversation {
                id,
                profile_name: &self.profile_name,
                avatar_id,
                conversation_id,
                user_id,
                custom_data_template,
            },
            now_ms(),
        )?;
        self.conversation(id)
    }

    /// A new pane with the same avatar and customData template, as another customer.
    pub fn duplicate_conversation(&self, id: Uuid) -> Result<ConversationView, CoreError> {
        let source = self.conversation(id)?;
        let view = self.insert_conversation(
            source.avatar_id,
            &new_conversation_id(),
            &new_user_id(),
            &source.custom_data_template,
        )?;
        self.store.move_conversation(view.id, self.position_of(id)? + 1)?;
        self.emit_layout();
        Ok(view)
    }

    /// Replace the pane's conversation with a fresh one in the same place; the
    /// old transcript stays in the store.
    pub fn restart_conversation(&self, id: Uuid, how: Restart) -> Result<ConversationView, CoreError> {
        let old = self.conversation(id)?;
        let mut avatar_id = old.avatar_id;
        let (conversation_id, user_id) = match how {
            Restart::NewConversation => (new_conversation_id(), old.user_id.clone()),
            Restart::NewUser => (new_conversation_id(), new_user_id()),
            Restart::SwitchAvatar { avatar_id: wanted } => {
                if !self.avatars.iter().any(|a| a.id == wanted) {
                    return Err(CoreError::Invalid(format!("the profile has no avatar {wanted}")));
                }
                avatar_id = wanted;
                (new_conversation_id(), old.user_id.clone())
            }
            Restart::WithId {
                conversation_id: typed,
            } => {
                let typed = typed.trim().to_owned();
                if typed.is_empty() || typed.len() > 256 || typed.chars().any(char::is_control) {
                    return Err(CoreError::Invalid(
                        "a conversation id needs 1 to 256 printable characters".into(),
                    ));
                }
                (typed, old.user_id.clone())
            }
        };
        let view =
            self.insert_conversation(avatar_id, &conversation_id, &user_id, &old.custom_data_template)?;
        self.store.replace_conversation(id, view.id)?;
        self.emit_layout();
        Ok(view)
    }

    pub fn close_conversation(&self, id: Uuid) -> Result<(), CoreError> {
        self.conversation(id)?;
        self.store.close_conversation(id)?;
        self.emit_layout();
        Ok(())
    }

    pub fn move_conversation(&self, id: Uuid, index: usize) -> Result<Vec<Uuid>, CoreError> {
        self.store.move_conversation(id, index)?;
        self.emit_layout();
        Ok(self.store.conversation_ids()?)
    }

    /// Keep the pane's customData editor text (it is a template, so any text is fine).
    pub fn set_custom_data_template(&self, id: Uuid, template: &str) -> Result<(), CoreError> {
        if template.len() > 256 * 1024 {
            return Err(CoreError::Invalid("customData is limited to 256 KiB".into()));
        }
        self.store.set_custom_data_template(id, template)?;
        Ok(())
    }

    fn position_of(&self, id: Uuid) -> Result<usize, CoreError> {
        self.store
            .conversation_ids()?
            .iter()
            .position(|c| *c == id)
            .ok_or(CoreError::UnknownConversation(id))
    }

    fn emit_layout(&self) {
        match self.store.conversation_ids() {
            Ok(order) => {
                let _ = self.events.send(HubEvent::LayoutChanged { order });
            }
            Err(e) => tracing::error!(error = %e, "could not load the pane layout to publish"),
        }
    }

    /// Send one utterance. A failure to reach the avatar API is not an error
    /// here: the turn is kept, marked failed with the reason, for a retry.
    pub async fn send(
        &self,
        id: Uuid,
        utterance: &str,
        custom_data: Value,
    ) -> Result<ConversationView, CoreError> {
        let utterance = utterance.trim();
        if utterance.is_empty() {
            return Err(CoreError::Invalid("type a message first".into()));
        }
        let conversation = self.conversation(id)?;
        if conversation.ended {
            return Err(CoreError::ConversationEnded);
        }
        let turn = Uuid::new_v4();
        self.store
            .insert_turn(turn, id, utterance, &custom_data, &self.callback_url, now_ms())?;
        self.emit_conversation(id);
        let result = self
            .client
            .send(
                &conversation.avatar_id.to_string(),
                &conversation.conversation_id,
                utterance,
                &custom_data,
                &self.callback_url,
            )
            .await;
        let state = match result {
            Ok(_) => TurnState::Sent,
            Err(e) => {
                tracing::warn!(code = e.code(), error = %e, "send failed");
                TurnState::Failed {
                    code: e.code().into(),
                    message: e.to_string(),
                }
            }
        };
        self.store.set_turn_state(turn, &state)?;
        self.emit_conversation(id);
        self.conversation(id)
    }

    fn emit_conversation(&self, id: Uuid) {
        let Ok(_guard) = self.emit_lock.lock() else { return };
        match self.store.conversation(id) {
            // No listener is fine: the UI may not be up yet.
            Ok(Some(conversation)) => {
                let _ = self.events.send(HubEvent::ConversationUpdated { conversation });
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "could not load a conversation to publish"),
        }
    }

    fn emit_inbox(&self) {
        if let Ok(count) = self.store.inbox_count() {
            let _ = self.events.send(HubEvent::InboxChanged {
                count: u32::try_from(count).unwrap_or(u32::MAX),
            });
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
        let Some(conversation) = self.store.find_by_conversation_id(&callback.conversation_id)? else {
            let detail = format!("no conversation with id {:?}", callback.conversation_id);
            self.to_inbox("orphan", &detail, &raw)?;
            return Ok(Disposition::Orphan);
        };
        let turn = self.store.latest_sent_turn(conversation)?.map(|(turn, _)| turn);
        self.store.insert_callback(&NewCallback {
            conversation,
            turn,
            received_at: raw.received_at,
            dialect: callback.dialect,
            is_final: callback.is_final,
            response: callback.response.as_deref(),
            custom_data: &callback.custom_data,
            raw_headers: &raw.headers,
            raw_body: &raw.body,
        })?;
        if callback.is_final {
            self.store.set_ended(conversation, true)?;
        }
        self.emit_conversation(conversation);
        Ok(Disposition::Paired)
    }

    fn reject(&self, reason: &str, detail: &str, raw: RawRequest) -> Result<(), StoreError> {
        tracing::info!(reason, detail, path = %raw.path, "request kept in the inbox");
        self.to_inbox(reason, detail, &raw)
    }
}
