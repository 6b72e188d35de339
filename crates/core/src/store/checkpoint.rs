//! WAL checkpoints off the write path.
//!
//! SQLite's automatic checkpoint runs inside whichever commit crosses the
//! threshold, and a checkpoint that copies frames fsyncs: that one commit (a
//! callback being acknowledged, a turn being sent) then takes milliseconds
//! instead of microseconds (console p99 3.9 ms with the default 1,000-page
//! threshold). So a thread with its own connection copies the WAL into the
//! database with a PASSIVE checkpoint (which never blocks writers) every
//! [`INTERVAL`], and the writer's own threshold is raised to
//! [`BACKSTOP_PAGES`].
//!
//! What was measured (`console-bench overhead`, with a probe since removed):
//! the background checkpoints complete, but SQLite restarts the WAL from its
//! beginning only after a checkpoint run by the writing connection. The WAL
//! file therefore grows to the backstop (64 MiB) once; there the writer's
//! checkpoint finds every frame already copied and synced, so it only
//! restarts the log, and the file is reused from then on. Over 10,000 turns:
//! p99 387 µs, the file stayed at 68 MB. With a 1,000-page writer threshold
//! as well, the file stayed at 4 MB but p99 was 0.7–1.3 ms. Commits are
//! durable the same way either way: a commit is in the WAL when it returns.

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
