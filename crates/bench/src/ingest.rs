//! Benchmark 2: callbacks per second the callback server acknowledges with
//! every acknowledged callback journaled in SQLite, then counted on disk.
//!
//! One pane per connection, each with one sent turn, so every callback is
//! paired (the full path: parse → find conversation → pair → insert → view
//! published). Load comes from this process over loopback keep-alive
//! connections, so it shares the machine's cores with the server.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::fixture::{count_rows, journal_sent_turn, start_console};

/// Acknowledgements are timed in windows of this many callbacks, to show
/// whether the rate holds as the journal grows.
pub const WINDOW: u64 = 5_000;

pub struct IngestReport {
    pub connections: usize,
    /// (callbacks acknowledged so far, time since start) at each `WINDOW`.
    pub marks: Vec<(u64, Duration)>,
    pub acknowledged: u64,
    pub refused: u64,
    pub elapsed: Duration,
    pub rows_on_disk: i64,
}

impl IngestReport {
    pub fn per_second(&self) -> f64 {
        self.acknowledged as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn lost(&self) -> i64 {
        i64::try_from(self.acknowledged).unwrap_or(i64::MAX) - self.rows_on_disk
    }
}

/// Send at most `total` callbacks over `connections` connections, for at most `limit`.
pub async fn run(total: u64, connections: usize, limit: Duration) -> anyhow::Result<IngestReport> {
    let dir = tempfile::tempdir()?;
    // Nothing is sent to an avatar here: the profile points at a closed port.
    let console = start_console(dir.path(), "http://127.0.0.1:9/platform_api/Logon".into()).await?;
    let mut conversation_ids = Vec::with_capacity(connections);
    for i in 0..connections {
        let pane = if i == 0 {
            console
                .conversations()?
                .first()
                .map(|c| c.id)
                .ok_or_else(|| anyhow::anyhow!("no first pane"))?
        } else {
            console.new_conversation()?.id
        };
        journal_sent_turn(
            console.store(),
            pane,
            1,
            "hello",
            &json!({}),
            &console.callback_url(),
            0,
        )?;
        conversation_ids.push(console.conversation(pane)?.conversation_id);
    }
    // The hub keeps conversations in memory: start it again on the same
    // folder so it loads the turns journaled above, as after a restart.
    drop(console);
    let console = start_console(dir.path(), "http://127.0.0.1:9/platform_api/Logon".into()).await?;
    let url = console.callback_url();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()?;
    let claimed = Arc::new(AtomicU64::new(0));
    let acknowledged = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let marks = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let deadline = start + limit;
    let mut workers = Vec::with_capacity(connections);
    for conversation_id in conversation_ids {
        let (http, url) = (http.clone(), url.clone());
        let (claimed, acknowledged, refused) = (claimed.clone(), acknowledged.clone(), refused.clone());
        let marks = marks.clone();
        workers.push(tokio::spawn(async move {
            let mut n = 0u64;
            while claimed.fetch_add(1, Ordering::Relaxed) < total && Instant::now() < deadline {
                n += 1;
                let body = json!({
                    "isFinal": false,
                    "response": format!("reply {n}"),
                    "customData": {"n": n},
                    "conversationId": conversation_id,
                });
                match http.post(&url).json(&body).send().await {
                    Ok(r) if r.status().is_success() => {
                        // Read the body so the connection goes back to the pool.
                        let _ = r.bytes().await;
                        let done = acknowledged.fetch_add(1, Ordering::Relaxed) + 1;
                        if done % WINDOW == 0
                            && let Ok(mut marks) = marks.lock()
                        {
                            marks.push((done, start.elapsed()));
                        }
                    }
                    _ => {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for worker in workers {
        worker.await?;
    }
    let elapsed = start.elapsed();
    let rows_on_disk = count_rows(console.store(), "callbacks")?;
    drop(console);
    let marks = marks.lock().map(|m| m.clone()).unwrap_or_default();
    Ok(IngestReport {
        connections,
        marks,
        acknowledged: acknowledged.load(Ordering::Relaxed),
        refused: refused.load(Ordering::Relaxed),
        elapsed,
        rows_on_disk,
    })
}
