//! Journal writes: turns, callbacks and the inbox. Each is one autocommitted
//! statement, so it is on disk (WAL) when the call returns. The statements
//! are prepared once per connection (`prepare_cached`): parsing the SQL
//! again for every callback cost more than the insert itself.

use rusqlite::params;
use uuid::Uuid;

use super::{NewCallback, NewInboxItem, NewTurn, Store, StoreError, dialect_name};
use crate::model::{HttpExchange, TurnState};

impl Store {
    pub fn insert_turn(&self, t: &NewTurn<'_>) -> Result<(), StoreError> {
        self.conn()?.prepare_cached(
            "INSERT INTO turns (id, conversation, seq, utterance, custom_data, callback_uri, sent_at, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'sending')",
        )?
        .execute(params![
                t.id.to_string(),
                t.conversation.to_string(),
                t.seq,
                t.utterance,
                t.custom_data.to_string(),
                t.callback_uri,
                t.sent_at
            ])?;
        Ok(())
    }

    /// Record how delivering a turn ended, with every HTTP attempt made.
    pub fn finish_turn(
        &self,
        turn: Uuid,
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
        self.conn()?.prepare_cached(
            "UPDATE turns SET state = ?2, error_code = ?3, error_message = ?4, exchanges = ?5 WHERE id = ?1",
        )?
        .execute(params![turn.to_string(), name, code, message, exchanges])?;
        Ok(())
    }

    pub fn insert_callback(&self, c: &NewCallback<'_>) -> Result<i64, StoreError> {
        let flags = serde_json::to_string(c.flags)
            .map_err(|e| StoreError::Corrupt(format!("cannot encode flags: {e}")))?;
        let conn = self.conn()?;
        conn.prepare_cached(
            "INSERT INTO callbacks (conversation, turn, received_at, dialect, is_final, response, custom_data,
                                    turn_hint, flags, raw_headers, raw_body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
                c.conversation.to_string(),
                c.turn.map(|t| t.to_string()),
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
        Ok(conn.last_insert_rowid())
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
