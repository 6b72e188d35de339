//! Assigning an inbox item to a conversation: a callback that carried an
//! unknown conversation id (say, a typo in the avatar's scenario) can be
//! attached to the pane it belongs to, keeping its raw bytes.

use uuid::Uuid;

use super::Hub;
use crate::callback::{CallbackSink, RawRequest, parse_callback};
use crate::error::CoreError;
use crate::model::ConversationView;

impl Hub {
    pub fn assign_inbox_item(&self, item: i64, pane: Uuid) -> Result<ConversationView, CoreError> {
        let target = self.conversation(pane)?;
        let stored = self
            .store
            .inbox_item(item)?
            .ok_or_else(|| CoreError::Invalid(format!("no inbox item {item}")))?;
        let mut callback = parse_callback(&stored.body).map_err(|e| {
            CoreError::Invalid(format!(
                "only a valid callback body can be assigned to a conversation ({e})"
            ))
        })?;
        callback.conversation_id = target.conversation_id.clone();
        let raw = RawRequest {
            received_at: stored.received_at,
            method: stored.method,
            path: stored.path,
            headers: stored.headers,
            body: stored.body.into(),
            turn_hint: None,
        };
        self.accept(callback, raw)?;
        self.store.delete_inbox_item(item)?;
        self.emit_inbox();
        self.conversation(pane)
    }
}
