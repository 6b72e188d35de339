//! Unpaired replies (callbacks that answer no turn, see [`super::pairing`])
//! as the UI gets them: each one alone, as [`super::HubEvent::UnpairedReplyAdded`],
//! and views that carry only the newest [`UNPAIRED_WINDOW`] of them, the
//! older ones paged in on demand with [`Hub::unpaired_replies`].
//!
//! An avatar (or anyone holding the callback URL) can send any number of
//! them. Sending the whole conversation per unpaired reply made each one
//! cost O(n) and n of them O(n²) in the backend and the web view; with the
//! window, what a view or an event carries is bounded whatever n is. The
//! hub itself keeps every reply (pairing needs their payloads; the store
//! has them anyway).

use uuid::Uuid;

use super::Hub;
use crate::error::CoreError;
use crate::model::{ConversationView, ReplyView};

/// Unpaired replies a view sent to the UI carries (the newest ones).
pub const UNPAIRED_WINDOW: usize = 100;
/// The most unpaired replies one page request returns.
pub const UNPAIRED_PAGE_MAX: usize = 200;

/// `view` with only its newest [`UNPAIRED_WINDOW`] unpaired replies, the
/// others counted in `older_unpaired`. Clones nothing it leaves out.
pub fn ui_view(view: &ConversationView) -> ConversationView {
    let start = view.unpaired_replies.len().saturating_sub(UNPAIRED_WINDOW);
    let older = u32::try_from(start).unwrap_or(u32::MAX);
    ConversationView {
        id: view.id,
        profile_id: view.profile_id,
        profile_name: view.profile_name.clone(),
        avatar_id: view.avatar_id,
        conversation_id: view.conversation_id.clone(),
        user_id: view.user_id.clone(),
        custom_data_template: view.custom_data_template.clone(),
        ended: view.ended,
        read_only: view.read_only,
        turns: view.turns.clone(),
        unpaired_replies: view.unpaired_replies[start..].to_vec(),
        older_unpaired: view.older_unpaired.saturating_add(older),
    }
}

impl Hub {
    /// The open panes' views for the UI (each with its newest unpaired replies only).
    pub fn conversations_for_ui(&self) -> Result<Vec<ConversationView>, CoreError> {
        Ok(self.lock()?.open_views(ui_view))
    }

    /// Unpaired replies `offset..offset + limit` of a conversation, oldest
    /// first (offset 0 is the first that arrived); at most [`UNPAIRED_PAGE_MAX`].
    pub fn unpaired_replies(
        &self,
        id: Uuid,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ReplyView>, CoreError> {
        let guard = self.lock()?;
        let view = &guard
            .live
            .get(&id)
            .ok_or(CoreError::UnknownConversation(id))?
            .view;
        let all = &view.unpaired_replies;
        let start = offset.min(all.len());
        let end = start.saturating_add(limit.min(UNPAIRED_PAGE_MAX)).min(all.len());
        Ok(all[start..end].to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CallbackDialect, ReplyFlag};
    use serde_json::json;

    fn reply(id: i64) -> ReplyView {
        ReplyView {
            id,
            response: Some(format!("r{id}")),
            is_final: false,
            custom_data: json!({}),
            received_at: id,
            latency_ms: 0,
            dialect: CallbackDialect::CamelCase,
            flags: vec![ReplyFlag::Unpaired],
            raw_body: String::new(),
            raw_headers: String::new(),
        }
    }

    fn view(unpaired: usize) -> ConversationView {
        ConversationView {
            id: Uuid::new_v4(),
            profile_id: Uuid::nil(),
            profile_name: "p".into(),
            avatar_id: Uuid::nil(),
            conversation_id: "c".into(),
            user_id: "u".into(),
            custom_data_template: "{}".into(),
            ended: false,
            read_only: false,
            turns: Vec::new(),
            unpaired_replies: (0..unpaired as i64).map(reply).collect(),
            older_unpaired: 0,
        }
    }

    #[test]
    fn a_short_list_travels_whole() {
        let v = ui_view(&view(3));
        assert_eq!(v.older_unpaired, 0);
        assert_eq!(
            v.unpaired_replies.iter().map(|r| r.id).collect::<Vec<_>>(),
            [0, 1, 2]
        );
    }

    #[test]
    fn a_long_list_keeps_the_newest_window_and_counts_the_rest() {
        let v = ui_view(&view(UNPAIRED_WINDOW + 7));
        assert_eq!(v.older_unpaired, 7);
        assert_eq!(v.unpaired_replies.len(), UNPAIRED_WINDOW);
        assert_eq!(v.unpaired_replies.first().map(|r| r.id), Some(7));
        assert_eq!(
            v.unpaired_replies.last().map(|r| r.id),
            Some(UNPAIRED_WINDOW as i64 + 6)
        );
        // Trimming a trimmed view changes nothing.
        assert_eq!(ui_view(&v), v);
    }
}
