//! Journal writes: turns, their outcomes, callbacks and the inbox.
//!
//! Turns, outcomes and callbacks are on a turn's critical path: each is one
//! append to the log (`store/log.rs`), on disk when the call returns, and
//! becomes one insert into one B-tree when the log is applied
//! (`store/apply.rs`). Reads apply the log first, so they always see every
//! write made before them. The inbox is written to SQLite directly: a
//! rejected request is not on anyone's critical path.
//!
//! The statements are prepared once per connection (`prepare_cached`):
//! parsing the SQL again for every callback cost more than the insert itself.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{NewCallback, NewInboxItem, NewTurn, Store, StoreError, dialect_name};
use crate::model::{HttpExchange, TurnState};

/// One write kept in the append log until it is applied.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Entry {
    Turn(TurnRow),
    Outcome(OutcomeRow),
    Callback(CallbackRow),
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct TurnRow {
    pub conversation: Uuid,
    pub seq: u32,
    pub id: Uuid,
    pub utterance: String,
    pub custom_data: String,
    pub callback_uri: String,
    pub sent_at: i64,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct OutcomeRow {
    pub conversation: Uuid,
    pub seq: u32,
    pub state: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub exchanges: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct CallbackRow {
    pub conversation: Uuid,
    pub id: i64,
    pub turn_seq: Option<u32>,
    pub received_at: i64,
    pub dialect: String,
    pub is_final: bool,
    pub response: Option<String>,
    pub custom_data: String,
    pub turn_hint: Option<u32>,
    pub flags: String,
    pub raw_headers: String,
    pub raw_body: Vec<u8>,
}

impl Entry {
    /// Write this entry's row (inside the caller's transaction).
    pub(crate) fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        match self {
            Entry::Turn(t) => conn
                .prepare_cached(
                    "INSERT INTO turns (conversation, seq, id, utterance, custom_data, callback_uri, sent_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    t.conversation.to_string(),
                    t.seq,
                    t.id.to_string(),
                    t.utterance,
                    t.custom_data,
                    t.callback_uri,
                    t.sent_at
                ]),
            Entry::Outcome(o) => conn
                .prepare_cached(
                    "INSERT OR REPLACE INTO turn_outcomes (conversation, seq, state, error_code, error_message, exchanges)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    o.conversation.to_string(),
                    o.seq,
                    o.state,
                    o.error_code,
                    o.error_message,
                    o.exchanges
                ]),
            Entry::Callback(c) => conn
                .prepare_cached(
                    "INSERT INTO callbacks (conversation, id, turn_seq, received_at, dialect, is_final, response,
                                            custom_data, turn_hint, flags, raw_headers, raw_body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )?
                .execute(params![
                    c.conversation.to_string(),
                    c.id,
                    c.turn_seq,
                    c.received_at,
                    c.dialect,
                    c.is_final,
                    c.response,
                    c.custom_data,
                    c.turn_hint,
                    c.flags,
                    c.raw_headers,
                    c.raw_body
                ]),
        }
        .map(|_| ())
    }
}

impl Store {
    pub fn insert_turn(&self, t: &NewTurn<'_>) -> Result<(), StoreError> {
        self.append(|_| {
            Ok(Entry::Turn(TurnRow {
                conversation: t.conversation,
                seq: t.seq,
                id: t.id,
                utterance: t.utterance.to_owned(),
                custom_data: t.custom_data.to_string(),
                callback_uri: t.callback_uri.to_owned(),
                sent_at: t.sent_at,
            }))
        })
        .map(|_| ())
    }

    /// Record how delivering turn `seq` of `conversation` ended, with every
    /// HTTP attempt made. The turn's own row is never rewritten.
    pub fn finish_turn(
        &self,
        conversation: Uuid,
        seq: u32,
        state: &TurnState,
        exchanges: &[HttpExchange],
    ) -> Result<(), StoreError> {
        let (name, code, message) = match state {
            TurnState::Sending => ("sending", None, None),
            TurnState::Sent => ("sent", None, None),
            TurnState::Failed { code, message } => ("failed", Some(code.clone()), Some(message.clone())),
        };
        let exchanges = serde_json::to_string(exchanges)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode exchanges: {e}")))?;
        self.append(|_| {
            Ok(Entry::Outcome(OutcomeRow {
                conversation,
                seq,
                state: name.into(),
                error_code: code,
                error_message: message,
                exchanges,
            }))
        })
        .map(|_| ())
    }

    /// Journal a callback; returns the id the store gave it.
    pub fn insert_callback(&self, c: &NewCallback<'_>) -> Result<i64, StoreError> {
        let flags = serde_json::to_string(c.flags)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode flags: {e}")))?;
        self.append(|id| {
            Ok(Entry::Callback(CallbackRow {
                conversation: c.conversation,
                id,
                turn_seq: c.turn_seq,
                received_at: c.received_at,
                dialect: dialect_name(c.dialect).into(),
                is_final: c.is_final,
                response: c.response.map(str::to_owned),
                custom_data: c.custom_data.to_string(),
                turn_hint: c.turn_hint,
                flags,
                raw_headers: c.raw_headers.to_owned(),
                raw_body: c.raw_body.to_vec(),
            }))
        })
    }

    pub fn insert_inbox(&self, item: &NewInboxItem<'_>) -> Result<i64, StoreError> {
        let conn = self.conn()?;
        conn.prepare_cached(
            "INSERT INTO inbox (received_at, reason, detail, method, path, raw_headers, raw_body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            item.received_at,
            item.reason,
            item.detail,
            item.method,
            item.path,
            item.raw_headers,
            item.raw_body
        ])?;
        Ok(conn.last_insert_rowid())
    }

    pub fn inbox_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn()?
            .query_row("SELECT COUNT(*) FROM inbox", [], |r| r.get(0))?)
    }

    pub fn callback_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn()?
            .query_row("SELECT COUNT(*) FROM callbacks", [], |r| r.get(0))?)
    }
}
