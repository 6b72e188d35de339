//! SQLite store (WAL): conversations, turns, callbacks and the inbox.
//!
//! Every write commits before it returns, so a callback acknowledged with 2xx
//! is on disk even if the process is killed right after.

mod panes;
mod schema;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;

use crate::model::{CallbackDialect, ConversationView, ReplyView, TurnState, TurnView};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("database lock poisoned")]
    Poisoned,
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// A new conversation row.
pub struct NewConversation<'a> {
    pub id: Uuid,
    pub profile_name: &'a str,
    pub avatar_id: Uuid,
    pub conversation_id: &'a str,
    pub user_id: &'a str,
    pub custom_data_template: &'a str,
}

/// A callback to journal, already parsed.
pub struct NewCallback<'a> {
    pub conversation: Uuid,
    pub turn: Option<Uuid>,
    pub received_at: i64,
    pub dialect: CallbackDialect,
    pub is_final: bool,
    pub response: Option<&'a str>,
    pub custom_data: &'a Value,
    pub raw_headers: &'a str,
    pub raw_body: &'a [u8],
}

/// A request that was not a valid callback for a known conversation.
pub struct NewInboxItem<'a> {
    pub received_at: i64,
    pub reason: &'a str,
    pub detail: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub raw_headers: &'a str,
    pub raw_body: &'a [u8],
}

#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // NORMAL in WAL mode survives a killed process; only an OS crash can
        // lose the last commits.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrations().to_latest(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::Poisoned)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()?
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn()?.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn insert_conversation(&self, c: &NewConversation<'_>, now: i64) -> Result<(), StoreError> {
        self.conn()?.execute(
            "INSERT INTO conversations
                 (id, position, profile_name, avatar_id, conversation_id, created_at, user_id, custom_data_template)
             VALUES (?1, (SELECT COALESCE(MAX(position), -1) + 1 FROM conversations), ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                c.id.to_string(),
                c.profile_name,
                c.avatar_id.to_string(),
                c.conversation_id,
                now,
                c.user_id,
                c.custom_data_template
            ],
        )?;
        Ok(())
    }

    pub fn conversation_ids(&self) -> Result<Vec<Uuid>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare("SELECT id FROM conversations WHERE closed = 0 ORDER BY position")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        ids.iter().map(|s| parse_uuid(s)).collect()
    }

    /// The most recently created conversation that uses this avatar-side id.
    pub fn find_by_conversation_id(&self, conversation_id: &str) -> Result<Option<Uuid>, StoreError> {
        let id: Option<String> = self
            .conn()?
            .query_row(
                "SELECT id FROM conversations WHERE conversation_id = ?1 ORDER BY created_at DESC, position DESC LIMIT 1",
                [conversation_id],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|s| parse_uuid(&s)).transpose()
    }

    pub fn set_ended(&self, id: Uuid, ended: bool) -> Result<(), StoreError> {
        self.conn()?.execute(
            "UPDATE conversations SET ended = ?2 WHERE id = ?1",
            params![id.to_string(), ended],
        )?;
        Ok(())
    }

    /// Journal an outgoing turn in state `sending`; returns its sequence number.
    pub fn insert_turn(
        &self,
        id: Uuid,
        conversation: Uuid,
        utterance: &str,
        custom_data: &Value,
        callback_uri: &str,
        sent_at: i64,
    ) -> Result<u32, StoreError> {
        let conn = self.conn()?;
        let seq: u32 = conn.query_row(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM turns WHERE conversation = ?1",
            [conversation.to_string()],
            |r| r.get(0),
        )?;
        conn.execute(
            "INSERT INTO turns (id, conversation, seq, utterance, custom_data, callback_uri, sent_at, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'sending')",
            params![
                id.to_string(),
                conversation.to_string(),
                seq,
                utterance,
                custom_data.to_string(),
                callback_uri,
                sent_at
            ],
        )?;
        Ok(seq)
    }

    pub fn set_turn_state(&self, turn: Uuid, state: &TurnState) -> Result<(), StoreError> {
        let (name, code, message) = match state {
            TurnState::Sending => ("sending", None, None),
            TurnState::Sent => ("sent", None, None),
            TurnState::Failed { code, message } => ("failed", Some(code.as_str()), Some(message.as_str())),
        };
        self.conn()?.execute(
            "UPDATE turns SET state = ?2, error_code = ?3, error_message = ?4 WHERE id = ?1",
            params![turn.to_string(), name, code, message],
        )?;
        Ok(())
    }

    /// The turn a callback for this conversation answers: the latest one that
    /// was sent, and when it was sent.
    pub fn latest_sent_turn(&self, conversation: Uuid) -> Result<Option<(Uuid, i64)>, StoreError> {
        let row: Option<(String, i64)> = self
            .conn()?
            .query_row(
                "SELECT id, sent_at FROM turns WHERE conversation = ?1 AND state != 'failed' ORDER BY seq DESC LIMIT 1",
                [conversation.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(id, at)| Ok((parse_uuid(&id)?, at))).transpose()
    }

    pub fn insert_callback(&self, c: &NewCallback<'_>) -> Result<i64, StoreError> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT INTO callbacks (conversation, turn, received_at, dialect, is_final, response, custom_data, raw_headers, raw_body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                c.conversation.to_string(),
                c.turn.map(|t| t.to_string()),
                c.received_at,
                dialect_name(c.dialect),
                c.is_final,
                c.response,
                c.custom_data.to_string(),
                c.raw_headers,
                c.raw_body
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    pub fn insert_inbox(&self, item: &NewInboxItem<'_>) -> Result<i64, StoreError> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT INTO inbox (received_at, reason, detail, method, path, raw_headers, raw_body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                item.received_at,
                item.reason,
                item.detail,
                item.method,
                item.path,
                item.raw_headers,
                item.raw_body
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    pub fn inbox_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn()?
            .query_row("SELECT COUNT(*) FROM inbox", [], |r| r.get(0))?)
    }

    /// One conversation with its transcript, as the UI shows it.
    pub fn conversation(&self, id: Uuid) -> Result<Option<ConversationView>, StoreError> {
        let conn = self.conn()?;
        let head: Option<(String, String, String, bool, String, String)> = conn
            .query_row(
                "SELECT profile_name, avatar_id, conversation_id, ended, user_id, custom_data_template
                 FROM conversations WHERE id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?;
        let Some((profile_name, avatar_id, conversation_id, ended, user_id, custom_data_template)) = head
        else {
            return Ok(None);
        };
        let mut turns = load_turns(&conn, id)?;
        let mut replies = conn.prepare(
            "SELECT turn, response, is_final, custom_data, received_at, dialect FROM callbacks
             WHERE conversation = ?1 AND turn IS NOT NULL ORDER BY id",
        )?;
        let rows = replies.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        for row in rows {
            let (turn, response, is_final, custom_data, received_at, dialect) = row?;
            let turn = parse_uuid(&turn)?;
            if let Some(t) = turns.iter_mut().find(|t| t.id == turn) {
                t.replies.push(ReplyView {
                    response,
                    is_final,
                    custom_data: serde_json::from_str(&custom_data).unwrap_or(Value::Null),
                    received_at,
                    latency_ms: received_at - t.sent_at,
                    dialect: parse_dialect(&dialect),
                });
            }
        }
        Ok(Some(ConversationView {
            id,
            profile_name,
            avatar_id: parse_uuid(&avatar_id)?,
            conversation_id,
            user_id,
            custom_data_template,
            ended,
            turns,
        }))
    }
}

fn load_turns(conn: &Connection, conversation: Uuid) -> Result<Vec<TurnView>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, seq, utterance, custom_data, callback_uri, sent_at, state, error_code, error_message
         FROM turns WHERE conversation = ?1 ORDER BY seq",
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
        ))
    })?;
    let mut turns = Vec::new();
    for row in rows {
        let (id, seq, utterance, custom_data, callback_uri, sent_at, state, code, message) = row?;
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
        });
    }
    Ok(turns)
}

fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("bad uuid {s:?}: {e}")))
}

fn dialect_name(d: CallbackDialect) -> &'static str {
    match d {
        CallbackDialect::CamelCase => "camelCase",
        CallbackDialect::SnakeCase => "snakeCase",
    }
}

fn parse_dialect(s: &str) -> CallbackDialect {
    if s == "snakeCase" {
        CallbackDialect::SnakeCase
    } else {
        CallbackDialect::CamelCase
    }
}
