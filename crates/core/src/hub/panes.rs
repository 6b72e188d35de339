//! Pane layout on the hub: open, duplicate, restart (new conversation, new
//! user, typed id, other avatar), close and move. The store is written first,
//! then memory, then listeners are told the new order.

use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use super::{Conversations, Hub, ProfileRuntime, new_conversation_id, new_user_id};
use crate::error::CoreError;
use crate::model::ConversationView;
use crate::store::NewConversation;
use crate::time::now_ms;

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
    /// Another profile (its first avatar), in a fresh conversation.
    #[serde(rename_all = "camelCase")]
    SwitchProfile { profile_id: Uuid },
}

impl Hub {
    /// Open a new pane's conversation with a fresh avatar-side id.
    pub fn create_conversation(&self) -> Result<ConversationView, CoreError> {
        let profile = self.profiles.default_profile()?;
        let avatar = profile.avatars.first().map(|a| a.id).unwrap_or_default();
        let mut guard = self.lock()?;
        let view = self.insert(
            &mut guard,
            &profile,
            avatar,
            &new_conversation_id(),
            &new_user_id(),
            "{}",
        )?;
        self.events.layout(&guard.order);
        Ok(view)
    }

    /// Store and load a new conversation; it is appended to the open panes.
    fn insert(
        &self,
        guard: &mut Conversations,
        profile: &ProfileRuntime,
        avatar_id: Uuid,
        conversation_id: &str,
        user_id: &str,
        custom_data_template: &str,
    ) -> Result<ConversationView, CoreError> {
        let id = Uuid::new_v4();
        self.store.insert_conversation(
            &NewConversation {
                id,
                profile_name: &profile.name,
                profile_id: profile.id,
                avatar_id,
                conversation_id,
                user_id,
                custom_data_template,
            },
            now_ms(),
        )?;
        let view = self
            .store
            .conversation(id)?
            .ok_or(CoreError::UnknownConversation(id))?;
        guard.insert(view.clone());
        Ok(view)
    }

    /// A new pane next to `id` with the same avatar and customData template, as another customer.
    pub fn duplicate_conversation(&self, id: Uuid) -> Result<ConversationView, CoreError> {
        let mut guard = self.lock()?;
        let source = guard
            .live
            .get(&id)
            .map(|l| l.view.clone())
            .ok_or(CoreError::UnknownConversation(id))?;
        let at = guard
            .order
            .iter()
            .position(|c| *c == id)
            .map_or(guard.order.len(), |p| p + 1);
        let profile = self.profiles.get(source.profile_id)?;
        let view = self.insert(
            &mut guard,
            &profile,
            source.avatar_id,
            &new_conversation_id(),
            &new_user_id(),
            &source.custom_data_template,
        )?;
        self.store.move_conversation(view.id, at)?;
        self.reload_order(&mut guard)?;
        Ok(view)
    }

    /// Replace the pane's conversation with a fresh one in the same place; the
    /// old transcript stays in the store.
    pub fn restart_conversation(&self, id: Uuid, how: Restart) -> Result<ConversationView, CoreError> {
        let mut guard = self.lock()?;
        let old = guard
            .live
            .get(&id)
            .map(|l| l.view.clone())
            .ok_or(CoreError::UnknownConversation(id))?;
        let mut avatar_id = old.avatar_id;
        let mut profile = self.profiles.get(old.profile_id)?;
        let (conversation_id, user_id) = match how {
            Restart::NewConversation => (new_conversation_id(), old.user_id.clone()),
            Restart::NewUser => (new_conversation_id(), new_user_id()),
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
            Restart::SwitchProfile { profile_id } => {
                profile = self.profiles.get(profile_id)?;
                avatar_id = profile.avatars.first().map(|a| a.id).unwrap_or_default();
                (new_conversation_id(), old.user_id.clone())
            }
            Restart::SwitchAvatar { avatar_id: wanted } => {
                if !profile.avatars.iter().any(|a| a.id == wanted) {
                    return Err(CoreError::Invalid(format!("the profile has no avatar {wanted}")));
                }
                avatar_id = wanted;
                (new_conversation_id(), old.user_id.clone())
            }
        };
        let view = self.insert(
            &mut guard,
            &profile,
            avatar_id,
            &conversation_id,
            &user_id,
            &old.custom_data_template,
        )?;
        self.store.replace_conversation(id, view.id)?;
        self.reload_order(&mut guard)?;
        Ok(view)
    }

    /// Hide a pane; its conversation stays in the store and still takes callbacks.
    pub fn close_conversation(&self, id: Uuid) -> Result<(), CoreError> {
        let mut guard = self.lock()?;
        if !guard.live.contains_key(&id) {
            return Err(CoreError::UnknownConversation(id));
        }
        self.store.close_conversation(id)?;
        self.reload_order(&mut guard)
    }

    pub fn move_conversation(&self, id: Uuid, index: usize) -> Result<Vec<Uuid>, CoreError> {
        let mut guard = self.lock()?;
        self.store.move_conversation(id, index)?;
        self.reload_order(&mut guard)?;
        Ok(guard.order.clone())
    }

    /// Keep the pane's customData editor text (it is a template, so any text is fine).
    pub fn set_custom_data_template(&self, id: Uuid, template: &str) -> Result<(), CoreError> {
        if template.len() > 256 * 1024 {
            return Err(CoreError::Invalid("customData is limited to 256 KiB".into()));
        }
        let mut guard = self.lock()?;
        let live = guard
            .live
            .get_mut(&id)
            .ok_or(CoreError::UnknownConversation(id))?;
        self.store.set_custom_data_template(id, template)?;
        live.view.custom_data_template = template.to_owned();
        Ok(())
    }

    /// The store decides the order; memory follows and listeners are told.
    pub(super) fn reload_order(&self, guard: &mut Conversations) -> Result<(), CoreError> {
        guard.order = self.store.conversation_ids()?;
        self.events.layout(&guard.order);
        Ok(())
    }
}
