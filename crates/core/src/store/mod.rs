//! SQLite store (WAL): conversations, turns, callbacks and the inbox.
//!
//! Every write is on disk before it returns, so a callback acknowledged with
//! 2xx is kept even if the process is killed right after. The journal's hot
//! writes go to an append log first (`log.rs`) and reach SQLite in batches
//! (`apply.rs`, `background.rs`); everything else commits to SQLite directly,
//! after applying what the log holds, so order is kept and reads see every
//! earlier write.

mod apply;
mod background;
mod inbox;
mod log;
mod panes;
mod schema;
mod views;
mod writes;

pub use inbox::StoredRequest;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;

use crate::model::{CallbackDialect, ReplyFlag};

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
    #[error("journal log error: {0}")]
    Log(String),
    #[error("{0} is in use by another Avatar Console: close it, or start this one with another data folder")]
    InUse(String),
}

/// Take the exclusive lock now (an empty write transaction keeps it in
/// EXCLUSIVE mode), so that a file another process holds is refused at once
/// with a clear error instead of at the first write.
fn take_the_file(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    match conn.execute_batch("BEGIN IMMEDIATE; COMMIT;") {
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy => {
            Err(StoreError::InUse(path.display().to_string()))
        }
        other => Ok(other?),
    }
}

/// A new conversation row.
pub struct NewConversation<'a> {
    pub id: Uuid,
    pub profile_name: &'a str,
    pub avatar_id: Uuid,
    pub conversation_id: &'a str,
    pub user_id: &'a str,
    pub custom_data_template: &'a str,
    pub profile_id: Uuid,
}

/// An outgoing turn to journal (state `sending`).
pub struct NewTurn<'a> {
    pub id: Uuid,
    pub conversation: Uuid,
    pub seq: u32,
    pub utterance: &'a str,
    pub custom_data: &'a Value,
    pub callback_uri: &'a str,
    pub sent_at: i64,
}

/// A callback to journal, already parsed and paired.
pub struct NewCallback<'a> {
    pub conversation: Uuid,
    /// The seq of the turn it answers; `None` keeps it unpaired.
    pub turn_seq: Option<u32>,
    pub turn_hint: Option<u32>,
    pub flags: &'a [ReplyFlag],
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
    shared: Arc<Shared>,
}

/// What every clone of a [`Store`] shares. Dropping the last one applies
/// what is pending and empties the log.
pub(crate) struct Shared {
    conn: Mutex<Connection>,
    tail: Mutex<Tail>,
    /// Wakes the background thread; dropping it stops the thread.
    wake: std::sync::mpsc::Sender<()>,
}

/// The append log and what it holds that SQLite does not have yet.
pub(crate) struct Tail {
    log: log::AppendLog,
    pending: Vec<log::Logged>,
    /// The next callback id (callbacks are clustered by conversation, so
    /// SQLite has no rowid to hand out). Taken under this lock, so ids
    /// follow log order.
    next_callback_id: i64,
}

impl Drop for Shared {
    fn drop(&mut self) {
        let Ok(conn) = self.conn.get_mut() else { return };
        let applied = apply::flush(conn, &self.tail);
        match (applied, self.tail.get_mut()) {
            (Ok(()), Ok(tail)) => {
                if let Err(e) = tail.log.truncate() {
                    tracing::warn!(error = %e, "could not empty the journal log; it is replayed on the next start");
                }
            }
            (Err(e), _) => {
                tracing::warn!(error = %e, "journal log not applied; it is replayed on the next start")
            }
            (_, Err(_)) => {}
        }
    }
}

impl Store {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut conn = Connection::open(path)?;
        // One connection owns the file for as long as the store is open. Set
        // before WAL mode is first used, this keeps the WAL index in memory
        // and takes no file locks per transaction: the commits got ~17 us
        // cheaper (console-bench overhead, docs/benchmarks.md). It also keeps
        // a second app instance off the same data folder (and its log).
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        // Briefly: the background thread may be finishing a checkpoint on a
        // store that was just dropped. `Console::start` waits longer, without
        // blocking its runtime, for a console of this process still closing.
        conn.busy_timeout(std::time::Duration::from_millis(100))?;
        take_the_file(&conn, path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // NORMAL in WAL mode survives a killed process; only an OS crash can
        // lose the last commits. The append log gives the same guarantee.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "wal_autocheckpoint", background::BACKSTOP_PAGES)?;
        schema::migrations().to_latest(&mut conn)?;
        let log = replay(&mut conn, path)?;
        let last_callback: i64 =
            conn.query_row("SELECT COALESCE(MAX(id), 0) FROM callbacks", [], |r| r.get(0))?;
        let (wake, woken) = std::sync::mpsc::channel();
        let shared = Arc::new(Shared {
            conn: Mutex::new(conn),
            tail: Mutex::new(Tail {
                log,
                pending: Vec::new(),
                next_callback_id: last_callback + 1,
            }),
            wake,
        });
        background::spawn(Arc::downgrade(&shared), woken);
        Ok(Self { shared })
    }

    /// The connection, with everything the log holds applied first.
    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        let mut conn = self.shared.conn.lock().map_err(|_| StoreError::Poisoned)?;
        apply::flush(&mut conn, &self.shared.tail)?;
        Ok(conn)
    }

    /// Append the entry `build` makes (it is given the next callback id,
    /// which is used up only if the entry is a callback); returns that id.
    fn append(
        &self,
        build: impl FnOnce(i64) -> Result<writes::Entry, StoreError>,
    ) -> Result<i64, StoreError> {
        let mut tail = apply::lock(&self.shared.tail)?;
        let id = tail.next_callback_id;
        let entry = build(id)?;
        let lsn = tail.log.append(&entry)?;
        if matches!(entry, writes::Entry::Callback(_)) {
            tail.next_callback_id += 1;
        }
        let first = tail.pending.is_empty();
        tail.pending.push(log::Logged { lsn, entry });
        let backlog = tail.pending.len();
        drop(tail);
        if first {
            // The thread is gone only if the store is closing.
            let _ = self.shared.wake.send(());
        }
        if backlog >= apply::MAX_PENDING {
            // Writers outpace the background thread (a tight import loop):
            // apply here, so memory stays bounded, at the old cost of a commit.
            drop(self.conn()?);
        }
        Ok(id)
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

    /// Move a callback secret an older version kept in `settings` out of the
    /// database: hide it in every stored turn and captured request, delete
    /// the setting, and overwrite what the old rows left behind (freed page
    /// space, the WAL), so the secret is nowhere in the database's files.
    pub fn forget_callback_secret(&self, key: &str, secret: &str) -> Result<(), StoreError> {
        let placeholder = crate::callback_secret::PLACEHOLDER;
        let mut conn = self.conn()?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE turns SET callback_uri = replace(callback_uri, ?1, ?2) WHERE instr(callback_uri, ?1) > 0",
            params![secret, placeholder],
        )?;
        tx.execute(
            "UPDATE turn_outcomes SET exchanges = replace(exchanges, ?1, ?2) WHERE instr(exchanges, ?1) > 0",
            params![secret, placeholder],
        )?;
        tx.execute("DELETE FROM settings WHERE key = ?1", [key])?;
        tx.commit()?;
        // The old pages are still in the WAL until a checkpoint copies the
        // new ones over them; TRUNCATE then empties the WAL file.
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
        conn.pragma_update(None, "secure_delete", "OFF")?;
        Ok(())
    }

    pub fn insert_conversation(&self, c: &NewConversation<'_>, now: i64) -> Result<(), StoreError> {
        self.conn()?.execute(
            "INSERT INTO conversations
                 (id, position, profile_name, avatar_id, conversation_id, created_at, user_id, custom_data_template, profile_id)
             VALUES (?1, (SELECT COALESCE(MAX(position), -1) + 1 FROM conversations), ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                c.id.to_string(),
                c.profile_name,
                c.avatar_id.to_string(),
                c.conversation_id,
                now,
                c.user_id,
                c.custom_data_template,
                c.profile_id.to_string()
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
}

/// Open the database's append log and apply what a crash left in it.
fn replay(conn: &mut Connection, db: &Path) -> Result<log::AppendLog, StoreError> {
    let applied: i64 = conn.query_row("SELECT applied_lsn FROM log_state WHERE id = 1", [], |r| r.get(0))?;
    let (mut log, unapplied) = log::AppendLog::open(&log::path_for(db), applied)?;
    if !unapplied.is_empty() {
        apply::apply(conn, &unapplied)?;
        tracing::info!(
            entries = unapplied.len(),
            "journal log replayed after an unclean stop"
        );
    }
    log.truncate()?;
    Ok(log)
}

pub(crate) fn parse_uuid(s: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("bad uuid {s:?}: {e}")))
}

pub(crate) fn dialect_name(d: CallbackDialect) -> &'static str {
    match d {
        CallbackDialect::CamelCase => "camelCase",
        CallbackDialect::SnakeCase => "snakeCase",
    }
}

pub(crate) fn parse_dialect(s: &str) -> CallbackDialect {
    if s == "snakeCase" {
        CallbackDialect::SnakeCase
    } else {
        CallbackDialect::CamelCase
    }
}

#[cfg(test)]
mod tests;
