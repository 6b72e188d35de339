//! WAL checkpoints off the write path.
//!
//! SQLite's automatic checkpoint runs inside whichever commit crosses the
//! threshold, and a checkpoint fsyncs the database file: that one commit
//! (a callback being acknowledged, a turn being sent) then takes milliseconds
//! instead of microseconds. So the writer's threshold is raised to a
//! backstop, and a thread with its own connection runs a PASSIVE checkpoint
//! (which never blocks writers) every [`INTERVAL`]. Commits stay durable the
//! same way either way: a commit is in the WAL when it returns.

use std::path::PathBuf;
use std::sync::{Mutex, Weak};
use std::time::Duration;

use rusqlite::Connection;

/// How often the background thread folds the WAL into the database.
pub const INTERVAL: Duration = Duration::from_millis(500);

/// The writer's own automatic checkpoint, in pages (4 KiB each): only
/// reached if the background thread cannot keep up or has stopped.
pub const BACKSTOP_PAGES: u32 = 16_384;

/// Checkpoint `path` every [`INTERVAL`] until the store that owns `alive`
/// is dropped.
pub fn spawn(path: PathBuf, alive: Weak<Mutex<Connection>>) {
    let spawned = std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            let conn = match Connection::open(&path) {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::warn!(error = %e, "no background checkpoints; the writer's own remain");
                    return;
                }
            };
            loop {
                std::thread::sleep(INTERVAL);
                if alive.upgrade().is_none() {
                    return;
                }
                // PASSIVE copies what no reader still needs and returns; a
                // busy database just means "next time".
                if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::debug!(error = %e, "checkpoint skipped");
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "no checkpoint thread; the writer's own checkpoints remain");
    }
}
