//! The conversations the hub keeps in memory, and its one policy for a
//! poisoned lock.
//!
//! Every hub operation writes the store first and memory after, under the
//! [`Hub`](super::Hub)'s conversations lock. A panic between the two (a bug:
//! nothing under the lock unwraps outside input) poisons the lock and may
//! leave memory one write behind the disk. The policy, the same for every
//! lock the hub holds: carry on, repairing what could be stale. Memory that
//! mirrors the store is reloaded from it (exactly as at start-up), values
//! that are replaced whole (the profile list, the callback URL) are used as
//! they are. Refusing every later operation instead would turn one bug into
//! an app that can only be restarted, for data the store already holds.

use std::collections::HashMap;
use std::sync::{LockResult, Mutex, MutexGuard, PoisonError};

use uuid::Uuid;

use super::pairing::PairingState;
use crate::model::ConversationView;
use crate::store::{Store, StoreError};

/// One conversation in memory: its view and where its pairing stands.
pub(super) struct Live {
    pub(super) view: ConversationView,
    pub(super) pairing: PairingState,
}

#[derive(Default)]
pub(super) struct Conversations {
    pub(super) live: HashMap<Uuid, Live>,
    /// Open panes in display order; closed conversations stay in `live` so
    /// late callbacks still find them.
    pub(super) order: Vec<Uuid>,
    /// Avatar-side conversation id → the newest local conversation using it.
    pub(super) by_conversation_id: HashMap<String, Uuid>,
}

impl Conversations {
    /// Every open conversation the store holds, in pane order.
    pub(super) fn load(store: &Store) -> Result<Self, StoreError> {
        let mut conversations = Self::default();
        for id in store.conversation_ids()? {
            if let Some(view) = store.conversation(id)? {
                conversations.insert(view);
            }
        }
        Ok(conversations)
    }

    pub(super) fn insert(&mut self, view: ConversationView) {
        let id = view.id;
        // Imported (read-only) conversations never take live callbacks.
        if !view.read_only {
            self.by_conversation_id.insert(view.conversation_id.clone(), id);
        }
        self.order.push(id);
        let pairing = PairingState::from_view(&view);
        self.live.insert(id, Live { view, pairing });
    }

    /// The open panes' views, in order, each passed through `shape`.
    pub(super) fn open_views(
        &self,
        shape: impl Fn(&ConversationView) -> ConversationView,
    ) -> Vec<ConversationView> {
        self.order
            .iter()
            .filter_map(|id| self.live.get(id).map(|l| shape(&l.view)))
            .collect()
    }
}

/// The conversations lock, repaired from the store when a panic poisoned it.
pub(super) struct LiveSet {
    conversations: Mutex<Conversations>,
}

impl LiveSet {
    pub(super) fn load(store: &Store) -> Result<Self, StoreError> {
        Ok(Self {
            conversations: Mutex::new(Conversations::load(store)?),
        })
    }

    pub(super) fn lock(&self, store: &Store) -> Result<MutexGuard<'_, Conversations>, StoreError> {
        match self.conversations.lock() {
            Ok(guard) => Ok(guard),
            Err(poisoned) => {
                tracing::error!(
                    "a panic interrupted a hub update: reloading the conversations from the store"
                );
                let mut guard = poisoned.into_inner();
                *guard = Conversations::load(store)?;
                self.conversations.clear_poison();
                Ok(guard)
            }
        }
    }

    #[cfg(test)]
    pub(super) fn poison_for_test(&self) {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _guard = self.conversations.lock();
            panic!("poisoning the conversations lock on purpose");
        }));
        assert!(self.conversations.is_poisoned());
    }
}

/// The policy for a lock whose value is replaced whole: use it as it is.
pub(super) fn recover<G>(result: LockResult<G>) -> G {
    result.unwrap_or_else(PoisonError::into_inner)
}
