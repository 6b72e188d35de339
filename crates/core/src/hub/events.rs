//! What the hub tells its listeners (the UI, the CLI's replay, tests), and
//! the one place that sends it. Events are deltas where they can be, so the
//! cost of one does not grow with the conversation it belongs to; a listener
//! that lagged asks for [`super::Hub::resync_events`].

use serde::Serialize;
use tokio::sync::broadcast;
use ts_rs::TS;
use uuid::Uuid;

use super::unpaired::ui_view;
use crate::model::{ConversationView, ReplyView, TurnView};

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
        /// The pane's local id (`ConversationView::id`), never the avatar-side
        /// conversation id (`ConversationView::conversation_id`).
        pane_id: Uuid,
        ended: bool,
        turn: TurnView,
    },
    /// A callback was paired with a turn. Only the reply travels, so the
    /// cost of a callback does not grow with the replies the turn already has.
    #[serde(rename_all = "camelCase")]
    ReplyAdded {
        /// The pane's local id (`ConversationView::id`), never the avatar-side
        /// conversation id (`ConversationView::conversation_id`).
        pane_id: Uuid,
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
        /// The pane's local id (`ConversationView::id`), never the avatar-side
        /// conversation id (`ConversationView::conversation_id`).
        pane_id: Uuid,
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

/// The hub's event channel. Sending with no listener is fine (the UI may not
/// be up yet), so no method here fails.
#[derive(Clone)]
pub(super) struct Events {
    sender: broadcast::Sender<HubEvent>,
}

/// How many events a slow listener may fall behind before it must resync.
const BACKLOG: usize = 1024;

impl Events {
    pub(super) fn new() -> Self {
        Self {
            sender: broadcast::channel(BACKLOG).0,
        }
    }

    pub(super) fn subscribe(&self) -> broadcast::Receiver<HubEvent> {
        self.sender.subscribe()
    }

    fn send(&self, event: HubEvent) {
        let _ = self.sender.send(event);
    }

    pub(super) fn conversation(&self, view: &ConversationView) {
        self.send(HubEvent::ConversationUpdated {
            conversation: ui_view(view),
        });
    }

    pub(super) fn turn(&self, view: &ConversationView, index: usize) {
        if let Some(turn) = view.turns.get(index) {
            self.send(HubEvent::TurnUpdated {
                pane_id: view.id,
                ended: view.ended,
                turn: turn.clone(),
            });
        }
    }

    /// A reply paired with `turn` of `conversation` (the turn does not hold it yet).
    pub(super) fn reply(&self, conversation: Uuid, ended: bool, turn: &TurnView, reply: ReplyView) {
        self.send(HubEvent::ReplyAdded {
            pane_id: conversation,
            turn_id: turn.id,
            ended,
            several_replies: turn.several_replies,
            reply,
        });
    }

    /// One new unpaired reply (the view already holds it, last).
    pub(super) fn unpaired(&self, view: &ConversationView) {
        if let Some(reply) = view.unpaired_replies.last() {
            self.send(HubEvent::UnpairedReplyAdded {
                pane_id: view.id,
                ended: view.ended,
                unpaired_total: u32::try_from(view.unpaired_replies.len()).unwrap_or(u32::MAX),
                reply: reply.clone(),
            });
        }
    }

    pub(super) fn layout(&self, order: &[Uuid]) {
        self.send(HubEvent::LayoutChanged {
            order: order.to_vec(),
        });
    }

    pub(super) fn inbox(&self, count: u32) {
        self.send(HubEvent::InboxChanged { count });
    }

    pub(super) fn profiles_changed(&self) {
        self.send(HubEvent::ProfilesChanged);
    }
}
