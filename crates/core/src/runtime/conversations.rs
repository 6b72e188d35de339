//! Commands on panes, the inbox, customData presets and the public URL.

use serde_json::Value;
use uuid::Uuid;

use super::{Answer, ConsoleRuntime, payload};
use crate::hub::{Restart, TokenStatus, ui_view};
use crate::model::{BackendInfo, ConversationView, InboxItemView, ReplyView, TurnView};
use crate::presets::{self, Preset};
use crate::public_url::{PublicUrlChoice, PublicUrlView, SelfTestReport};

impl ConsoleRuntime {
    pub fn backend_info(&self) -> BackendInfo {
        self.console.info()
    }

    /// Every open pane, in order, as the UI shows them (the newest unpaired
    /// replies only, see `hub::unpaired`).
    pub fn list_conversations(&self) -> Answer<Vec<ConversationView>> {
        self.console.hub().conversations_for_ui().map_err(payload)
    }

    /// Every open pane in full (every unpaired reply), as exports take them.
    pub fn conversations(&self) -> Answer<Vec<ConversationView>> {
        self.console.hub().conversations().map_err(payload)
    }

    /// One pane in full.
    pub fn conversation(&self, id: Uuid) -> Answer<ConversationView> {
        self.console.hub().conversation(id).map_err(payload)
    }

    /// How many requests the inbox holds: the status bar's count at start-up.
    pub fn inbox_count(&self) -> Answer<u32> {
        self.console.hub().inbox_count().map_err(payload)
    }

    /// Unpaired replies `offset..offset + limit` of a pane's conversation
    /// (oldest first), for the rows its view leaves out (`olderUnpaired`).
    pub fn unpaired_replies(&self, id: Uuid, offset: usize, limit: usize) -> Answer<Vec<ReplyView>> {
        self.console
            .hub()
            .unpaired_replies(id, offset, limit)
            .map_err(payload)
    }

    pub fn new_conversation(&self) -> Answer<ConversationView> {
        self.console.hub().create_conversation().map_err(payload)
    }

    pub async fn send_message(&self, id: Uuid, utterance: &str, custom_data: Value) -> Answer<TurnView> {
        self.console
            .hub()
            .send(id, utterance, custom_data)
            .await
            .map_err(payload)
    }

    pub fn duplicate_conversation(&self, id: Uuid) -> Answer<ConversationView> {
        self.console.hub().duplicate_conversation(id).map_err(payload)
    }

    pub fn restart_conversation(&self, id: Uuid, how: Restart) -> Answer<ConversationView> {
        self.console.hub().restart_conversation(id, how).map_err(payload)
    }

    pub fn close_conversation(&self, id: Uuid) -> Answer<()> {
        self.console.hub().close_conversation(id).map_err(payload)
    }

    /// Move a pane to `index`; answers the new order.
    pub fn move_conversation(&self, id: Uuid, index: usize) -> Answer<Vec<Uuid>> {
        self.console.hub().move_conversation(id, index).map_err(payload)
    }

    pub fn set_custom_data_template(&self, id: Uuid, template: &str) -> Answer<()> {
        self.console
            .hub()
            .set_custom_data_template(id, template)
            .map_err(payload)
    }

    /// Ask the avatar to stop the session (the API's stop endpoint) and mark the pane ended.
    pub async fn end_conversation(&self, id: Uuid) -> Answer<ConversationView> {
        let view = self.console.hub().end_conversation(id).await.map_err(payload)?;
        Ok(ui_view(&view))
    }

    /// Requests the callback server kept aside (orphan, malformed, rejected), newest first.
    pub fn list_inbox(&self) -> Answer<Vec<InboxItemView>> {
        self.console.hub().inbox().map_err(payload)
    }

    /// Attach an inbox item (a valid callback for an unknown conversation) to a pane.
    pub fn assign_inbox_item(&self, item: i64, id: Uuid) -> Answer<ConversationView> {
        let view = self.console.hub().assign_inbox_item(item, id).map_err(payload)?;
        Ok(ui_view(&view))
    }

    /// Each profile's avatar API token (for the status bar).
    pub async fn token_statuses(&self) -> Vec<TokenStatus> {
        self.console.hub().profiles().token_statuses().await
    }

    /// customData presets of a profile.
    pub fn list_presets(&self, profile_id: Uuid) -> Answer<Vec<Preset>> {
        presets::list(self.store(), profile_id).map_err(payload)
    }

    pub fn save_preset(&self, profile_id: Uuid, name: &str, template: &str) -> Answer<Vec<Preset>> {
        presets::save(self.store(), profile_id, name, template).map_err(payload)
    }

    pub fn delete_preset(&self, profile_id: Uuid, name: &str) -> Answer<Vec<Preset>> {
        presets::delete(self.store(), profile_id, name).map_err(payload)
    }

    /// Switch where avatars reach the callback server (see `Console::set_public_url`).
    pub async fn set_public_url(&self, choice: &PublicUrlChoice) -> Answer<PublicUrlView> {
        self.console.set_public_url(choice).await.map_err(payload)
    }

    /// The public URL in use, if one was set.
    pub async fn public_url(&self) -> Option<PublicUrlView> {
        self.console.public_url().await
    }

    /// Call our own `/health` through the public URL (or the local one).
    pub async fn self_test(&self) -> SelfTestReport {
        self.console.self_test().await
    }
}
