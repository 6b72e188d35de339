//! Journal writes: turns, their outcomes, callbacks and the inbox. Each is
//! one autocommitted insert into one B-tree, so it is on disk (WAL) when the
//! call returns and costs one page. The statements
//! are prepared once per connection (`prepare_cached`): parsing the SQL
//! again for every callback cost more than the insert itself.

use std::sync::atomic::Ordering;

use rusqlite::params;
use uuid::Uuid;

use super::{NewCallback, NewInboxItem, NewTurn, Store, StoreError, dialect_name};
use crate::model::{HttpExchange, TurnState};

impl Store {
    pub fn insert_turn(&self, t: &NewTurn<'_>) -> Result<(), StoreError> {
        self.conn()?
            .prepare_cached(
                "INSERT INTO turns (conversation, seq, id, utterance, custom_data, callback_uri, sent_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                t.conversation.to_string(),
                t.seq,
                t.id.to_string(),
                t.utterance,
                t.custom_data.to_string(),
                t.callback_uri,
                t.sent_at
            ])?;
        Ok(())
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
            TurnState::Failed { code, message } => ("failed", Some(code.as_str()), Some(message.as_str())),
        };
        let exchanges = serde_json::to_string(exchanges)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode exchanges: {e}")))?;
        self.conn()?
            .prepare_cached(
                "INSERT OR REPLACE INTO turn_outcomes (conversation, seq, state, error_code, error_message, exchanges)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![conversation.to_string(), seq, name, code, message, exchanges])?;
        Ok(())
    }

    /// Journal a callback; returns the id the store gave it.
    pub fn insert_callback(&self, c: &NewCallback<'_>) -> Result<i64, StoreError> {
        let flags = serde_json::to_string(c.flags)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode flags: {e}")))?;
        let conn = self.conn()?;
        // Taken under the connection's lock, so ids follow commit order; an
        // id whose insert failed is simply never used.
        let id = self.next_callback_id.fetch_add(1, Ordering::Relaxed);
        conn.prepare_cached(
            "INSERT INTO callbacks (conversation, id, turn_seq, received_at, dialect, is_final, response, custom_data,
                                    turn_hint, flags, raw_headers, raw_body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            c.conversation.to_string(),
            id,
            c.turn_seq,
            c.received_at,
            dialect_name(c.dialect),
            c.is_final,
            c.response,
            c.custom_data.to_string(),
            c.turn_hint,
            flags,
            c.raw_headers,
            c.raw_body
        ])?;
        Ok(id)
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
