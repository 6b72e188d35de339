//! The store's background thread: applies the append log to SQLite in
//! batches, and checkpoints the WAL, both off the write path.
//!
//! **Applying.** The first append after the log was applied wakes the
//! thread through a channel (the store holds the sending end, so the thread
//! stops when the store closes); it waits [`BATCH_WINDOW`] for more to
//! gather, then applies them all in one transaction. A read applies what is pending
//! itself first (`Store::conn`), so the window never makes data look late.
//!
//! **Checkpoints.** SQLite's automatic checkpoint runs inside whichever
//! commit crosses the threshold, and a checkpoint that copies frames fsyncs:
//! that one commit then takes milliseconds (console p99 3.9 ms with the
//! default 1,000-page threshold). So this thread checkpoints every
//! [`CHECKPOINT_INTERVAL`], between writes, and the writer's own threshold is
//! raised to [`BACKSTOP_PAGES`]. It runs on the store's own connection (which
//! holds the file, `locking_mode = EXCLUSIVE`), under its lock, so SQLite can
//! restart the WAL after it.

use std::sync::Weak;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::Shared;

/// How often the WAL is folded into the database.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(500);

/// How long appends gather before they are applied in one transaction.
pub const BATCH_WINDOW: Duration = Duration::from_millis(10);

/// The writer's own automatic checkpoint, in pages (4 KiB each): only
/// reached if the background thread cannot keep up or has stopped.
pub const BACKSTOP_PAGES: u32 = 16_384;

pub(crate) fn spawn(store: Weak<Shared>, woken: Receiver<()>) {
    let spawned = std::thread::Builder::new()
        .name("store-background".into())
        .spawn(move || {
            let mut checkpointed = Instant::now();
            loop {
                match woken.recv_timeout(CHECKPOINT_INTERVAL) {
                    Err(RecvTimeoutError::Disconnected) => return,
                    Ok(()) => std::thread::sleep(BATCH_WINDOW),
                    Err(RecvTimeoutError::Timeout) => {}
                }
                let Some(store) = store.upgrade() else { return };
                let Ok(mut conn) = store.conn.lock() else { return };
                if let Err(e) = super::apply::flush(&mut conn, &store.tail) {
                    // The entries stay pending (and in the log): the next
                    // read or batch tries again and reports it.
                    tracing::warn!(error = %e, "could not apply the journal log");
                }
                if checkpointed.elapsed() >= CHECKPOINT_INTERVAL {
                    // PASSIVE copies what it can and returns.
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                        tracing::debug!(error = %e, "checkpoint skipped");
                    }
                    checkpointed = Instant::now();
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "no background thread; reads apply the log and the writer checkpoints");
    }
}
