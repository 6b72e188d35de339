//! Reads the journal back as the views the UI renders.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;
use uuid::Uuid;

use super::{Store, StoreError, parse_dialect, parse_uuid};
use crate::model::{ConversationView, InboxItemView, ReplyFlag, ReplyView, TurnState, TurnView};

impl Store {
    /// One conversation with its transcript, as the UI shows it.
    pub fn conversation(&self, id: Uuid) -> Result<Option<ConversationView>, StoreError> {
        let conn = self.conn()?;
        type Head = (String, String, String, bool, String, String, String, bool);
        let head: Option<Head> = conn
            .query_row(
                "SELECT profile_name, avatar_id, conversation_id, ended, user_id, custom_data_template, profile_id,
                        read_only
                 FROM conversations WHERE id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
            )
            .optional()?;
        let Some((
            profile_name,
            avatar_id,
            conversation_id,
            ended,
            user_id,
            custom_data_template,
            profile_id,
            read_only,
        )) = head
        else {
            return Ok(None);
        };
        let mut turns = load_turns(&conn, id)?;
        let index: HashMap<u32, usize> = turns.iter().enumerate().map(|(i, t)| (t.seq, i)).collect();
        let mut unpaired_replies = Vec::new();
        for (turn, reply) in load_replies(&conn, id)? {
            let slot = turn.and_then(|t| index.get(&t)).and_then(|&i| turns.get_mut(i));
            match slot {
                Some(t) => {
                    let mut reply = reply;
                    reply.latency_ms = reply.received_at - t.sent_at;
                    t.several_replies |= reply.flags.contains(&ReplyFlag::ExtraReply);
                    t.replies.push(reply);
                }
                None => unpaired_replies.push(reply),
            }
        }
        Ok(Some(ConversationView {
            id,
            profile_id: if profile_id.is_empty() {
                Uuid::nil()
            } else {
                parse_uuid(&profile_id)?
            },
            profile_name,
            avatar_id: parse_uuid(&avatar_id)?,
            conversation_id,
            user_id,
            custom_data_template,
            ended,
            read_only,
            turns,
            unpaired_replies,
            older_unpaired: 0,
        }))
    }

    /// Everything the callback server kept aside, newest first.
    pub fn inbox(&self) -> Result<Vec<InboxItemView>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(
            "SELECT id, received_at, reason, detail, method, path, raw_headers, raw_body FROM inbox ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            let body: Vec<u8> = r.get(7)?;
            Ok(InboxItemView {
                id: r.get(0)?,
                received_at: r.get(1)?,
                reason: r.get(2)?,
                detail: r.get(3)?,
                method: r.get(4)?,
                path: r.get(5)?,
                raw_headers: r.get(6)?,
                body_text: String::from_utf8_lossy(&body).into_owned(),
                body_base64: STANDARD.encode(&body),
                body_size: u32::try_from(body.len()).unwrap_or(u32::MAX),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

fn load_replies(conn: &Connection, conversation: Uuid) -> Result<Vec<(Option<u32>, ReplyView)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, turn_seq, response, is_final, custom_data, received_at, dialect, flags, raw_headers, raw_body
         FROM callbacks WHERE conversation = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([conversation.to_string()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<u32>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, bool>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, String>(8)?,
            r.get::<_, Vec<u8>>(9)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, turn, response, is_final, custom_data, received_at, dialect, flags, raw_headers, raw_body) =
            row?;
        out.push((
            turn,
            ReplyView {
                id,
                response,
                is_final,
                custom_data: serde_json::from_str(&custom_data).unwrap_or(Value::Null),
                received_at,
                latency_ms: 0,
                dialect: parse_dialect(&dialect),
                flags: serde_json::from_str(&flags).unwrap_or_default(),
                raw_body: String::from_utf8_lossy(&raw_body).into_owned(),
                raw_headers,
            },
        ));
    }
    Ok(out)
}

fn load_turns(conn: &Connection, conversation: Uuid) -> Result<Vec<TurnView>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT t.id, t.seq, t.utterance, t.custom_data, t.callback_uri, t.sent_at,
                COALESCE(o.state, 'sending'), o.error_code, o.error_message, COALESCE(o.exchanges, '[]')
         FROM turns t LEFT JOIN turn_outcomes o ON o.conversation = t.conversation AND o.seq = t.seq
         WHERE t.conversation = ?1 ORDER BY t.seq",
    )?;
    let rows = stmt.query_map([conversation.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, Option<String>>(7)?,
            r.get::<_, Option<String>>(8)?,
            r.get::<_, String>(9)?,
        ))
    })?;
    let mut turns = Vec::new();
    for row in rows {
        let (id, seq, utterance, custom_data, callback_uri, sent_at, state, code, message, exchanges) = row?;
        let state = match state.as_str() {
            "sending" => TurnState::Sending,
            "sent" => TurnState::Sent,
            "failed" => TurnState::Failed {
                code: code.unwrap_or_default(),
                message: message.unwrap_or_default(),
            },
            other => return Err(StoreError::Corrupt(format!("unknown turn state {other}"))),
        };
        turns.push(TurnView {
            id: parse_uuid(&id)?,
            seq,
            utterance,
            custom_data: serde_json::from_str(&custom_data).unwrap_or(Value::Null),
            callback_uri,
            sent_at,
            state,
            replies: Vec::new(),
            several_replies: false,
            exchanges: serde_json::from_str(&exchanges).unwrap_or_default(),
        });
    }
    Ok(turns)
}
