//! 16 panes × 1,000 turns in the real window: prints how long they take to
//! show and the frame times while every transcript scrolls (figures, not a
//! timing test). The assertions are functional: all panes show, and the
//! virtualized transcripts keep the DOM small.

mod support;

use std::time::Instant;

use anyhow::{Result, ensure};
use avatar_console_core::model::{CallbackDialect, TurnState};
use avatar_console_core::store::{NewCallback, NewConversation, NewTurn, Store};
use fantoccini::Locator;
use serde_json::json;
use support::App;
use uuid::Uuid;

const PANES: usize = 16;
const TURNS: u32 = 1_000;

fn prepare_store(dir: &std::path::Path) -> Result<()> {
    let store = Store::open(&dir.join("console.db"))?;
    for p in 0..PANES {
        let pane = Uuid::new_v4();
        let conversation_id = format!("load-{p}");
        store.insert_conversation(
            &NewConversation {
                id: pane,
                profile_name: "Local simulator",
                avatar_id: Uuid::nil(),
                conversation_id: &conversation_id,
                user_id: "user-load",
                custom_data_template: "{}",
                profile_id: Uuid::nil(),
            },
            0,
        )?;
        for seq in 1..=TURNS {
            let turn = Uuid::new_v4();
            let data = json!({"orderId": seq, "channel": "load"});
            let utterance = format!("utterance {seq} of pane {p}");
            store.insert_turn(&NewTurn {
                id: turn,
                conversation: pane,
                seq,
                utterance: &utterance,
                custom_data: &data,
                callback_uri: "http://127.0.0.1:1/cb/x",
                sent_at: i64::from(seq) * 1000,
            })?;
            store.finish_turn(turn, &TurnState::Sent, &[])?;
            let body = format!(
                r#"{{"isFinal":false,"response":"{seq}","customData":{data},"conversationId":"{conversation_id}"}}"#
            );
            store.insert_callback(&NewCallback {
                conversation: pane,
                turn: Some(turn),
                turn_hint: Some(seq),
                flags: &[],
                received_at: i64::from(seq) * 1000 + 40,
                dialect: CallbackDialect::CamelCase,
                is_final: false,
                response: Some(&seq.to_string()),
                custom_data: &data,
                raw_headers: "content-type: application/json",
                raw_body: body.as_bytes(),
            })?;
        }
    }
    Ok(())
}

/// Scrolls every transcript at once (harder than a person scrolling one)
/// from the bottom to the top in 60 animation frames; returns the frame
/// intervals in ms.
const SCROLL_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const panes = Array.from(document.querySelectorAll('[data-testid=transcript]'));
const frames = [];
let last = performance.now();
let step = 0;
function tick(now) {
  frames.push(now - last);
  last = now;
  step += 1;
  for (const p of panes) p.scrollTop = p.scrollHeight * (1 - step / 60);
  if (step < 60) requestAnimationFrame(tick); else done(frames.slice(1));
}
requestAnimationFrame(tick);
"#;

#[tokio::test]
async fn sixteen_panes_of_a_thousand_turns() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let prepared = Instant::now();
    prepare_store(dir.path())?;
    let prepare_ms = prepared.elapsed().as_millis();
    let started = Instant::now();
    let app = App::launch_with(dir, &[]).await?;
    let result = async {
        let c = &app.client;
        let counts = app
            .wait_for_texts("[data-testid=pane]", |t| t.len() >= PANES)
            .await?;
        ensure!(
            counts.len() == PANES + 1 || counts.len() == PANES,
            "panes: {}",
            counts.len()
        );
        app.wait_for_texts("[data-testid=reply-text]", |t| t.len() >= PANES)
            .await?;
        let visible_ms = started.elapsed().as_millis();
        let rendered_turns = c.find_all(Locator::Css("[data-testid=turn]")).await?.len();
        ensure!(
            rendered_turns < PANES * 60,
            "virtualized transcripts render a window of turns, not all {}: {rendered_turns}",
            PANES * TURNS as usize
        );
        let frames: Vec<f64> = serde_json::from_value(c.execute_async(SCROLL_SCRIPT, vec![]).await?)?;
        ensure!(!frames.is_empty(), "no frames measured");
        let mut sorted = frames.clone();
        sorted.sort_by(f64::total_cmp);
        let pct = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
        let nodes: u64 = serde_json::from_value(
            c.execute("return document.getElementsByTagName('*').length", vec![])
                .await?,
        )?;
        println!(
            "many_panes: {PANES} panes x {TURNS} turns (store written in {prepare_ms} ms); \
             launch to all panes showing a reply: {visible_ms} ms; turns in the DOM: {rendered_turns}; \
             DOM elements: {nodes}; scroll frames: n={} p50={:.1} ms p95={:.1} ms max={:.1} ms",
            frames.len(),
            pct(0.5),
            pct(0.95),
            pct(1.0)
        );
        app.screenshot("sixteen-panes.png").await?;
        anyhow::Ok(())
    }
    .await;
    app.close().await?;
    result
}
