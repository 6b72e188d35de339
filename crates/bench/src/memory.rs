//! Benchmark 3: backend RSS with 16 conversations × 1,000 turns (each with a
//! reply) journaled through the Store API and every view loaded the way the
//! UI loads them on start (`Hub::conversations`).

use avatar_console_core::model::CallbackDialect;
use avatar_console_core::store::NewCallback;
use serde_json::json;

use crate::fixture::{journal_sent_turn, start_console};
use crate::rss::self_rss;

pub struct MemoryReport {
    pub panes: usize,
    pub turns_per_pane: usize,
    pub rss_before: u64,
    pub rss_loaded: u64,
    pub replies_loaded: usize,
}

pub async fn run(panes: usize, turns_per_pane: usize) -> anyhow::Result<MemoryReport> {
    let dir = tempfile::tempdir()?;
    let console = start_console(dir.path(), "http://127.0.0.1:9/platform_api/Logon".into()).await?;
    let rss_before = self_rss().unwrap_or(0);
    let mut ids = vec![
        console
            .conversations()?
            .first()
            .map(|c| c.id)
            .ok_or_else(|| anyhow::anyhow!("no first pane"))?,
    ];
    while ids.len() < panes {
        ids.push(console.new_conversation()?.id);
    }
    let store = console.store().clone();
    let callback_url = console.callback_url();
    let ids_for_insert = ids.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let now = avatar_console_core::time::now_ms();
        for pane in ids_for_insert {
            for n in 0..turns_per_pane {
                let data = json!({"orderId": n, "customer": "Jane Doe", "channel": "bench"});
                let seq = u32::try_from(n + 1).unwrap_or(u32::MAX);
                let utterance = format!("utterance number {n} from the tester");
                journal_sent_turn(&store, pane, seq, &utterance, &data, &callback_url, now)?;
                let body = format!(
                    r#"{{"isFinal":false,"response":"{n}","customData":{data},"conversationId":"c"}}"#
                );
                store.insert_callback(&NewCallback {
                    conversation: pane,
                    turn_seq: Some(seq),
                    turn_hint: Some(seq),
                    flags: &[],
                    received_at: now + 40,
                    dialect: CallbackDialect::CamelCase,
                    is_final: false,
                    response: Some(&n.to_string()),
                    custom_data: &data,
                    raw_headers: "content-type: application/json\nuser-agent: bench",
                    raw_body: body.as_bytes(),
                })?;
            }
        }
        Ok(())
    })
    .await??;
    // The hub keeps conversations in memory: a console started again on the
    // folder loads all of them, as the app does on launch.
    drop(console);
    let console = start_console(dir.path(), "http://127.0.0.1:9/platform_api/Logon".into()).await?;
    let views = console.conversations()?;
    let replies_loaded = views.iter().map(crate::fixture::reply_count).sum();
    let rss_loaded = self_rss().unwrap_or(0);
    drop(views);
    Ok(MemoryReport {
        panes,
        turns_per_pane,
        rss_before,
        rss_loaded,
        replies_loaded,
    })
}
