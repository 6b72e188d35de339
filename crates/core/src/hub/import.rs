//! Importing conversations (from a transcript file: see
//! `transcript::TranscriptFile::import_into`): each opens as a new, read-only
//! pane with the same turns, replies (raw bytes, flags, latency) and
//! captured exchanges, so badges and the inspector work as they did.
//!
//! It takes plain `ConversationView`s, not the file type, so the hub stays
//! below the transcript layer.

use uuid::Uuid;

use super::Hub;
use crate::error::CoreError;
use crate::model::{ConversationView, ReplyView};
use crate::store::{NewCallback, NewConversation, NewTurn};
use crate::time::now_ms;

impl Hub {
    pub fn import_conversations(
        &self,
        conversations: &[ConversationView],
    ) -> Result<Vec<ConversationView>, CoreError> {
        let mut guard = self.lock()?;
        let mut imported = Vec::new();
        for source in conversations {
            let id = Uuid::new_v4();
            self.store.insert_conversation(
                &NewConversation {
                    id,
                    profile_name: &source.profile_name,
                    avatar_id: source.avatar_id,
                    conversation_id: &source.conversation_id,
                    user_id: &source.user_id,
                    custom_data_template: &source.custom_data_template,
                    profile_id: source.profile_id,
                },
                now_ms(),
            )?;
            self.store.set_read_only(id)?;
            self.store.set_ended(id, source.ended)?;
            for turn in &source.turns {
                let turn_id = Uuid::new_v4();
                self.store.insert_turn(&NewTurn {
                    id: turn_id,
                    conversation: id,
                    seq: turn.seq,
                    utterance: &turn.utterance,
                    custom_data: &turn.custom_data,
                    callback_uri: &turn.callback_uri,
                    sent_at: turn.sent_at,
                })?;
                self.store
                    .finish_turn(id, turn.seq, &turn.state, &turn.exchanges)?;
                for reply in &turn.replies {
                    self.journal_reply(id, Some(turn.seq), reply)?;
                }
            }
            for reply in &source.unpaired_replies {
                self.journal_reply(id, None, reply)?;
            }
            let view = self
                .store
                .conversation(id)?
                .ok_or(CoreError::UnknownConversation(id))?;
            guard.insert(view.clone());
            imported.push(view);
        }
        self.reload_order(&mut guard)?;
        Ok(imported)
    }

    fn journal_reply(
        &self,
        conversation: Uuid,
        turn_seq: Option<u32>,
        reply: &ReplyView,
    ) -> Result<(), CoreError> {
        self.store.insert_callback(&NewCallback {
            conversation,
            turn_seq,
            turn_hint: None,
            flags: &reply.flags,
            received_at: reply.received_at,
            dialect: reply.dialect,
            is_final: reply.is_final,
            response: reply.response.as_deref(),
            custom_data: &reply.custom_data,
            raw_headers: &reply.raw_headers,
            raw_body: reply.raw_body.as_bytes(),
        })?;
        Ok(())
    }
}
