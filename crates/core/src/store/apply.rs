//! Applying the append log to SQLite: the pending entries become rows in one
//! transaction that also records the last entry's sequence number
//! (`log_state.applied_lsn`), so a replay after a crash skips exactly what
//! SQLite already has.

use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, ErrorCode};

use super::log::Logged;
use super::{StoreError, Tail};

/// Once the log file is this large and everything in it is applied, it is
/// emptied.
pub const TRUNCATE_AT: u64 = 4 << 20;

/// Pending entries at most before the writer applies them itself.
pub const MAX_PENDING: usize = 1024;

pub(crate) fn lock(tail: &Mutex<Tail>) -> Result<MutexGuard<'_, Tail>, StoreError> {
    tail.lock().map_err(|_| StoreError::Poisoned)
}

/// Apply every pending entry. Called with the connection's lock held (the
/// lock order is always connection, then tail); appends go on meanwhile.
pub(crate) fn flush(conn: &mut Connection, tail: &Mutex<Tail>) -> Result<(), StoreError> {
    let (batch, log_len) = {
        let mut t = lock(tail)?;
        if t.pending.is_empty() {
            return Ok(());
        }
        (std::mem::take(&mut t.pending), t.log.len())
    };
    if let Err(e) = apply(conn, &batch) {
        lock(tail)?.pending.splice(0..0, batch);
        return Err(e);
    }
    if log_len >= TRUNCATE_AT {
        // Hold the tail so nothing is appended between applying the rest
        // and emptying the file; this pause comes once per TRUNCATE_AT bytes.
        let mut t = lock(tail)?;
        let rest = std::mem::take(&mut t.pending);
        if let Err(e) = apply(conn, &rest) {
            t.pending.splice(0..0, rest);
            return Err(e);
        }
        t.log.truncate()?;
    }
    Ok(())
}

/// Write `batch` in one transaction. An entry that conflicts with the
/// database (its conversation was deleted meanwhile) is reported and
/// skipped; any other error rolls the whole batch back.
pub(crate) fn apply(conn: &mut Connection, batch: &[Logged]) -> Result<(), StoreError> {
    let Some(last) = batch.last() else {
        return Ok(());
    };
    let tx = conn.transaction()?;
    for logged in batch {
        match logged.entry.apply(&tx) {
            Ok(()) => {}
            Err(rusqlite::Error::SqliteFailure(e, message)) if e.code == ErrorCode::ConstraintViolation => {
                tracing::error!(
                    lsn = logged.lsn,
                    error = message.as_deref().unwrap_or("constraint violation"),
                    "a journal entry conflicts with the database; skipped"
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    tx.prepare_cached("UPDATE log_state SET applied_lsn = ?1 WHERE id = 1")?
        .execute([last.lsn])?;
    tx.commit()?;
    Ok(())
}
