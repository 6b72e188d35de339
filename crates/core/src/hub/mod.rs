//! The conversation hub: sends utterances, pairs callbacks with the turns
//! they answer (see [`pairing`]), journals everything in the store and tells
//! listeners which conversation changed.
//!
//! Conversations are loaded from the store once and then kept in memory,
//! updated in step with each write, so an event costs the write plus a clone
//! of one view, not a reload of the conversation from SQLite. The store is
//! always written first: memory never shows what the disk does not hold.
//!
//! One file per responsibility:
//! - [`live`]: the conversations in memory and the hub's one policy for a
//!   poisoned lock;
//! - [`events`]: [`HubEvent`] and the only place that sends it;
//! - [`profiles`]: the [`ProfileRegistry`] the hub sends with;
//! - `send`: journaling and sending a turn, ending a conversation;
//! - `ingest`: callbacks in (pairing, journal, inbox);
//! - `panes`, `import`, `inbox`, [`unpaired`]: what the UI does with panes.

mod events;
mod ids;
mod import;
mod inbox;
mod ingest;
mod live;
pub mod pairing;
mod panes;
mod profiles;
mod send;
mod unpaired;

pub use crate::model::ProfileOption;
pub use events::HubEvent;
pub use ids::{new_conversation_id, new_user_id, turn_callback_uri};
pub use panes::Restart;
pub use profiles::{ProfileRegistry, ProfileRuntime, TokenStatus};
pub use unpaired::{UNPAIRED_PAGE_MAX, UNPAIRED_WINDOW, ui_view};

use std::sync::{MutexGuard, RwLock};

use tokio::sync::broadcast;
use uuid::Uuid;

use crate::client::AvatarClient;
use crate::error::CoreError;
use crate::model::{AvatarOption, ConversationView, InboxItemView};
use crate::store::{Store, StoreError};
use events::Events;
use live::{Conversations, LiveSet, recover};

pub struct Hub {
    store: Store,
    /// Profiles that can send.
    profiles: ProfileRegistry,
    /// Base callback URI for new turns; changes when the public URL does
    /// (a turn keeps the URI it was sent with).
    callback_url: RwLock<String>,
    events: Events,
    /// Writes, memory updates and event sends happen under this lock, so
    /// listeners never see an older view after a newer one.
    conversations: LiveSet,
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
        let events = Events::new();
        Ok(Self {
            conversations: LiveSet::load(&store)?,
            store,
            profiles: ProfileRegistry::new(default, events.clone())?,
            callback_url: RwLock::new(callback_url),
            events,
        })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<HubEvent> {
        self.events.subscribe()
    }

    pub fn callback_url(&self) -> String {
        recover(self.callback_url.read()).clone()
    }

    /// Where avatars should send replies to the next utterances.
    pub fn set_callback_url(&self, url: String) {
        *recover(self.callback_url.write()) = url;
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The profiles conversations send with (register, options, tokens).
    pub fn profiles(&self) -> &ProfileRegistry {
        &self.profiles
    }

    fn lock(&self) -> Result<MutexGuard<'_, Conversations>, StoreError> {
        self.conversations.lock(&self.store)
    }

    pub fn conversations(&self) -> Result<Vec<ConversationView>, CoreError> {
        Ok(self.lock()?.open_views(Clone::clone))
    }

    /// Events that bring a listener that missed some (a lagging receiver)
    /// back to the current state: every open pane's whole view, the layout,
    /// the inbox count and the profiles. Events are deltas (`ReplyAdded`,
    /// `TurnUpdated`), so a gap would otherwise stay until a reload.
    pub fn resync_events(&self) -> Result<Vec<HubEvent>, CoreError> {
        let guard = self.lock()?;
        let mut events: Vec<HubEvent> = guard
            .open_views(ui_view)
            .into_iter()
            .map(|conversation| HubEvent::ConversationUpdated { conversation })
            .collect();
        events.push(HubEvent::LayoutChanged {
            order: guard.order.clone(),
        });
        drop(guard);
        events.push(HubEvent::InboxChanged {
            count: self.inbox_count()?,
        });
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

    /// How many requests the inbox holds, for the status bar at start-up
    /// (later changes arrive as [`HubEvent::InboxChanged`]).
    pub fn inbox_count(&self) -> Result<u32, CoreError> {
        Ok(self.stored_inbox_count()?)
    }

    fn stored_inbox_count(&self) -> Result<u32, StoreError> {
        let count = self.store.inbox_count()?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    fn emit_inbox(&self) {
        if let Ok(count) = self.stored_inbox_count() {
            self.events.inbox(count);
        }
    }
}

#[cfg(test)]
mod tests;
