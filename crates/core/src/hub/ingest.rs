//! Callbacks arriving from the callback server: paired with the turn they
//! answer (see [`super::pairing`]), journaled, and published as one reply;
//! what answers no known conversation, or is no callback at all, goes to the
//! inbox with its raw bytes.

use super::Hub;
use crate::callback::{CallbackSink, Disposition, ParsedCallback, RawRequest};
use crate::model::{ReplyFlag, ReplyView};
use crate::store::{NewCallback, NewInboxItem, StoreError};

impl Hub {
    pub(super) fn to_inbox(&self, reason: &str, detail: &str, raw: &RawRequest) -> Result<(), StoreError> {
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
        let mut guard = self.lock()?;
        let known = guard.by_conversation_id.get(&callback.conversation_id).copied();
        let Some(live) = known.and_then(|id| guard.live.get_mut(&id)) else {
            drop(guard);
            let detail = format!("no conversation with id {:?}", callback.conversation_id);
            self.to_inbox("orphan", &detail, &raw)?;
            return Ok(Disposition::Orphan);
        };
        let plan = live
            .pairing
            .plan(&live.view, &callback, raw.received_at, raw.turn_hint);
        let turn = plan.turn.and_then(|i| live.view.turns.get(i));
        let id = self.store.insert_callback(&NewCallback {
            conversation: live.view.id,
            turn_seq: turn.map(|t| t.seq),
            turn_hint: raw.turn_hint,
            flags: &plan.flags,
            received_at: raw.received_at,
            dialect: callback.dialect,
            is_final: callback.is_final,
            response: callback.response.as_deref(),
            custom_data: &callback.custom_data,
            raw_headers: &raw.headers,
            raw_body: &raw.body,
        })?;
        if callback.is_final && !live.view.ended {
            self.store.set_ended(live.view.id, true)?;
            live.view.ended = true;
        }
        live.pairing.commit(&plan, callback.is_final);
        let reply = ReplyView {
            id,
            response: callback.response,
            is_final: callback.is_final,
            custom_data: callback.custom_data,
            received_at: raw.received_at,
            latency_ms: 0,
            dialect: callback.dialect,
            flags: plan.flags,
            raw_body: String::from_utf8_lossy(&raw.body).into_owned(),
            raw_headers: raw.headers,
        };
        let (conversation, ended) = (live.view.id, live.view.ended);
        let view = &mut live.view;
        match plan.turn.and_then(|i| view.turns.get_mut(i)) {
            Some(t) => {
                let reply = ReplyView {
                    latency_ms: reply.received_at - t.sent_at,
                    ..reply
                };
                t.several_replies |= reply.flags.contains(&ReplyFlag::ExtraReply);
                self.events.reply(conversation, ended, t, reply.clone());
                t.replies.push(reply);
            }
            None => {
                view.unpaired_replies.push(reply);
                self.events.unpaired(view);
            }
        }
        Ok(Disposition::Paired)
    }

    fn reject(&self, reason: &str, detail: &str, raw: RawRequest) -> Result<(), StoreError> {
        tracing::info!(reason, detail, path = %raw.path, "request kept in the inbox");
        self.to_inbox(reason, detail, &raw)
    }
}
