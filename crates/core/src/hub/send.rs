//! Sending an utterance and ending a conversation: journal the turn, send it
//! outside the lock, then journal how it went. The journal and the views
//! keep callback URIs with the secret hidden; only the request to the avatar
//! carries the real one.

use std::sync::Arc;

use serde_json::Value;
use uuid::Uuid;

use super::Hub;
use super::ids::turn_callback_uri;
use super::profiles::ProfileRuntime;
use crate::callback::secret;
use crate::client::{Captured, SendReceipt};
use crate::error::CoreError;
use crate::error_payload::CodedError;
use crate::model::{ConversationView, HttpExchange, TurnState, TurnView};
use crate::store::NewTurn;
use crate::template::{self, TemplateContext};
use crate::time::now_ms;

/// A turn journaled as sending, with what its request needs once the lock is released.
struct PreparedTurn {
    profile: Arc<ProfileRuntime>,
    seq: u32,
    /// Its place in the conversation's turns.
    index: usize,
    avatar_id: String,
    /// The avatar-side conversation id.
    conversation_id: String,
    /// With the real secret: only ever sent, never kept.
    real_callback_uri: String,
    custom_data: Value,
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
fn hide_secret_in_exchange(exchange: &mut HttpExchange, callback_uri: &str) {
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
    /// Journal and send one utterance with `custom_data`, the pane's
    /// template: its variables (`{{turn}}`, `{{uuid}}`, … see [`template`])
    /// are filled here, and the turn records what was sent.
    ///
    /// Returns the turn as it stands once the avatar API has answered. A
    /// failure to reach the API is not an error here: the turn is kept,
    /// marked failed with the reason, for a retry. Replies come later, as
    /// [`super::HubEvent::ReplyAdded`].
    pub async fn send(&self, id: Uuid, utterance: &str, custom_data: Value) -> Result<TurnView, CoreError> {
        let utterance = utterance.trim();
        if utterance.is_empty() {
            return Err(CoreError::Invalid("type a message first".into()));
        }
        let prepared = self.journal_turn(id, utterance, &custom_data)?;
        let Captured {
            result,
            mut exchanges,
        } = prepared
            .profile
            .client
            .send_captured(
                &prepared.avatar_id,
                &prepared.conversation_id,
                utterance,
                &prepared.custom_data,
                &prepared.real_callback_uri,
            )
            .await;
        let state = match result {
            Ok(_) => TurnState::Sent,
            Err(e) => {
                tracing::warn!(code = %e.code(), error = %e, "send failed");
                TurnState::Failed {
                    code: e.code().to_string(),
                    message: hide_callback_secret(&e.to_string(), &prepared.real_callback_uri),
                }
            }
        };
        for exchange in &mut exchanges {
            hide_secret_in_exchange(exchange, &prepared.real_callback_uri);
        }
        self.finish_turn(id, &prepared, state, exchanges)
    }

    /// Store the new turn as sending and show it.
    fn journal_turn(
        &self,
        id: Uuid,
        utterance: &str,
        custom_data: &Value,
    ) -> Result<PreparedTurn, CoreError> {
        let mut guard = self.lock()?;
        let live = guard
            .live
            .get_mut(&id)
            .ok_or(CoreError::UnknownConversation(id))?;
        let profile = self.profiles.get(live.view.profile_id)?;
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
            custom_data,
            &TemplateContext {
                turn: seq,
                conversation_id: &live.view.conversation_id,
                user_id: &live.view.user_id,
                now: &now,
            },
        );
        let real_callback_uri = turn_callback_uri(&self.callback_url(), seq);
        let turn = TurnView {
            id: Uuid::new_v4(),
            seq,
            utterance: utterance.to_owned(),
            custom_data,
            callback_uri: hide_callback_secret(&real_callback_uri, &real_callback_uri),
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
        let prepared = PreparedTurn {
            profile,
            seq,
            index,
            avatar_id: live.view.avatar_id.to_string(),
            conversation_id: live.view.conversation_id.clone(),
            real_callback_uri,
            custom_data: turn.custom_data.clone(),
        };
        live.view.turns.push(turn);
        live.pairing.add_turn(index);
        self.events.turn(&live.view, index);
        Ok(prepared)
    }

    /// Store how the request went and show it.
    fn finish_turn(
        &self,
        id: Uuid,
        prepared: &PreparedTurn,
        state: TurnState,
        exchanges: Vec<HttpExchange>,
    ) -> Result<TurnView, CoreError> {
        let mut guard = self.lock()?;
        self.store.finish_turn(id, prepared.seq, &state, &exchanges)?;
        let live = guard
            .live
            .get_mut(&id)
            .ok_or(CoreError::UnknownConversation(id))?;
        let index = prepared.index;
        if matches!(state, TurnState::Failed { .. })
            && live.view.turns.get(index).is_some_and(|t| t.replies.is_empty())
        {
            live.pairing.turn_failed(index);
        }
        let turn = live
            .view
            .turns
            .get_mut(index)
            .ok_or(CoreError::UnknownConversation(id))?;
        turn.state = state;
        turn.exchanges = exchanges;
        let sent = turn.clone();
        self.events.turn(&live.view, index);
        Ok(sent)
    }

    /// End the conversation: ask the avatar to stop its session, then mark it
    /// ended so no more utterances go out. Ending an ended one is harmless.
    pub async fn end_conversation(&self, id: Uuid) -> Result<ConversationView, CoreError> {
        let view = self.conversation(id)?;
        let profile = self.profiles.get(view.profile_id)?;
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
        self.events.conversation(&live.view);
        Ok(live.view.clone())
    }
}
