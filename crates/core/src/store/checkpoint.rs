//! WAL checkpoints off the write path.
//!
//! SQLite's automatic checkpoint runs inside whichever commit crosses the
//! threshold, and a checkpoint that copies frames fsyncs: that one commit (a
//! callback being acknowledged, a turn being sent) then takes milliseconds
//! instead of microseconds (console p99 3.9 ms with the default 1,000-page
//! threshold). So a background thread checkpoints every [`INTERVAL`], between
//! writes rather than inside one, and the writer's own threshold is raised to
//! [`BACKSTOP_PAGES`].
//!
//! The store's connection owns the file (`locking_mode = EXCLUSIVE`, see
//! `Store::open`), so the checkpoint runs on that connection, under its lock:
//! a write that comes while one runs waits for it. Because it is the
//! writer's own connection, SQLite can restart the WAL after it. (Before, a
//! thread with a connection of its own checkpointed, SQLite restarted the WAL
//! only after a checkpoint by the writer, and the file grew once to the
//! 64 MiB backstop.) `console-bench`, 2026-12-01: ingest 14,315–18,613
//! callbacks/s over four runs (13,669 and 14,350 with the separate
//! connection), console p99 388–441 µs over six overhead runs.
//! Commits are durable the same way either way: a commit is in the WAL when
//! it returns.

use std::sync::{Mutex, Weak};
use std::time::Duration;

use rusqlite::Connection;

/// How often the background thread folds the WAL into the database.
pub const INTERVAL: Duration = Duration::from_millis(500);

/// The writer's own automatic checkpoint, in pages (4 KiB each): only
/// reached if the background thread cannot keep up or has stopped.
pub const BACKSTOP_PAGES: u32 = 16_384;

/// Checkpoint the store's connection every [`INTERVAL`] until the store is
/// dropped.
pub fn spawn(conn: Weak<Mutex<Connection>>) {
    let spawned = std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            loop {
                std::thread::sleep(INTERVAL);
                let Some(conn) = conn.upgrade() else { return };
                let Ok(conn) = conn.lock() else { return };
                // PASSIVE copies what it can and returns.
                if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::debug!(error = %e, "checkpoint skipped");
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "no checkpoint thread; the writer's own checkpoints remain");
    }
}
