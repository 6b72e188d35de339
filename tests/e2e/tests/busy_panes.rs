//! 16 panes × 1,000 turns, measured in the real window (#17):
//!
//! - (a) **renders per reply**: how many pane renders one reply causes (the
//!   UI counts each pane's renders in `window.__paneRenders`,
//!   `ui/src/diagnostics/renderCount.ts`); target 1, the pane it belongs to;
//! - (b) **launch → every pane shows its last reply**, the app restarted on
//!   the loaded data folder, from the app process's start (its `/proc` start
//!   time) to the animation frame in which all 16 panes show it; target
//!   ≤ 1.5 s. The figure from the test's launch call (tauri-driver and
//!   WebKitWebDriver starting included) is printed beside it;
//! - (c) **Enter → reply shown** in one pane while each of the 15 others
//!   gets a reply every second (callbacks the test posts to the app's own
//!   callback URL), p95 against the same with the others idle, in
//!   alternating blocks so both see the same machine; target ≤ 1.2×.
//!
//! Figures for docs/benchmarks.md. The assertions are functional (every
//! pane shows its last reply, every round trip gets its reply, each load
//! reply reaches its pane) plus the targets that are met: see `ASSERT_*`.

mod support;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail, ensure};
use fantoccini::Client;
use serde_json::{Value, json};
use support::App;
use support::seed::{SeededPane, write_panes};

const PANES: usize = 16;
const TURNS: u32 = 1_000;
/// The pane whose round trips are timed; the others carry the load.
const PROBE: usize = 0;
/// Restarts timed for (b).
const LAUNCHES: usize = 3;
/// Replies whose renders are counted for (a), each to another pane.
const COUNTED_REPLIES: [usize; 5] = [5, 10, 15, 1, 8];
/// Round trips per block, and blocks of each kind, for (c).
const TRIPS_PER_BLOCK: usize = 10;
const BLOCKS: usize = 4;
/// Each loaded pane's reply period, for (c).
const LOAD_PERIOD: Duration = Duration::from_secs(1);

/// Targets of #17. Asserted only where the UI meets them (the "before" UI
/// re-renders every pane on any reply): see docs/benchmarks.md.
const TARGET_RENDERS: f64 = 1.0;
const TARGET_LAUNCH_MS: f64 = 1500.0;
const TARGET_BUSY_RATIO: f64 = 1.2;
const ASSERT_RENDERS: bool = true;
const ASSERT_LAUNCH: bool = false;
const ASSERT_BUSY_RATIO: bool = false;

/// Runs an async script that hands its result to `done` as JSON text
/// (WebKitWebDriver parses a string result reliably; see many_panes.rs).
async fn json_of(c: &Client, script: &str, args: Vec<Value>) -> Result<Value> {
    let text = c.execute_async(script, args).await?;
    let text = text
        .as_str()
        .with_context(|| format!("the script returned {text}, not JSON text"))?;
    Ok(serde_json::from_str(text)?)
}

/// The CSS selector of the pane with avatar-side conversation id `id`.
fn pane_css(id: &str) -> String {
    format!("[data-testid=pane][aria-label=\"Conversation {id}\"]")
}

/// Calls one of the app's commands from the page, as the UI's backend module does.
const INVOKE_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1] || {})
  .then((v) => done(JSON.stringify({ ok: v })), (e) => done(JSON.stringify({ err: String(e && e.message || e) })));
"#;

async fn callback_url(c: &Client) -> Result<String> {
    let info = json_of(c, INVOKE_SCRIPT, vec![json!("backend_info")]).await?;
    info["ok"]["callbackUrl"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("backend_info answered {info}"))
}

/// Resolves in the first animation frame in which every pane of
/// arguments[0] (selectors) shows the reply text of arguments[1] (same
/// order): `{ at: Date.now(), pageMs, already }`, `already` when that was
/// so before the script ran (the figure is then an upper bound).
const ALL_SHOWN_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const [panes, texts] = arguments;
const shown = () => panes.every((css, i) => {
  const pane = document.querySelector(css);
  return !!pane && Array.from(pane.querySelectorAll('[data-testid=reply-text]')).some((r) => r.textContent === texts[i]);
});
const already = shown();
const timer = setTimeout(() => done(JSON.stringify({ timeout: true })), 30000);
function check() {
  if (shown()) { clearTimeout(timer); done(JSON.stringify({ at: Date.now(), pageMs: performance.now(), already })); return; }
  requestAnimationFrame(check);
}
check();
"#;

/// Types arguments[1] into the composer of the pane arguments[0] (a
/// selector), presses Enter and returns the ms until the avatar's reply to
/// it shows (null after 15 s). The transcript is scrolled to its end first:
/// it follows new messages only while the reader is there.
const ROUND_TRIP_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const [css, text] = arguments;
const pane = document.querySelector(css);
const transcript = pane.querySelector('[data-testid=transcript]');
if (transcript) transcript.scrollTop = transcript.scrollHeight;
const input = pane.querySelector('[data-testid=composer-input]');
Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(input, text);
input.dispatchEvent(new Event('input', { bubbles: true }));
setTimeout(() => {
  const t0 = performance.now();
  const replied = () => Array.from(pane.querySelectorAll('[data-testid=turn]')).some(
    (turn) => turn.querySelector('.bubble.user')?.textContent === text && turn.querySelector('[data-testid=reply-text]'));
  const observer = new MutationObserver(() => { if (replied()) finish(performance.now() - t0); });
  const timer = setTimeout(() => finish(null), 15000);
  function finish(ms) { observer.disconnect(); clearTimeout(timer); done(JSON.stringify(ms)); }
  observer.observe(pane, { childList: true, subtree: true, characterData: true });
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
}, 100);
"#;

/// Resolves once the pane arguments[0] (a selector) shows a reply with the
/// text arguments[1] (true), or after 10 s (false).
const REPLY_SHOWN_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const [css, text] = arguments;
const until = performance.now() + 10000;
function check() {
  const pane = document.querySelector(css);
  const ok = !!pane && Array.from(pane.querySelectorAll('[data-testid=reply-text]')).some((r) => r.textContent === text);
  if (ok || performance.now() > until) { done(JSON.stringify(ok)); return; }
  requestAnimationFrame(check);
}
check();
"#;

/// Posts a reply to turn `turn` of `conversation_id` through the callback
/// URL, as an avatar answering that utterance again would (a paired reply:
/// the hub sends `ReplyAdded`, not a whole view).
async fn post_reply(
    http: &reqwest::Client,
    url: &str,
    conversation_id: &str,
    turn: u32,
    text: &str,
) -> Result<()> {
    let body =
        json!({"isFinal": false, "response": text, "customData": {}, "conversationId": conversation_id});
    let status = http
        .post(format!("{url}?turn={turn}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await?
        .status();
    ensure!(status.is_success(), "callback for {conversation_id}: {status}");
    Ok(())
}

/// ms since the app process `pid` started (`/proc` start time, 10 ms ticks).
fn process_age_ms(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) in parentheses;
    // starttime is field 22, the 20th after it.
    let rest = stat.rsplit_once(')').context("no ) in /proc/pid/stat")?.1;
    let ticks: f64 = rest
        .split_whitespace()
        .nth(19)
        .context("no starttime in /proc/pid/stat")?
        .parse()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")?
        .split_whitespace()
        .next()
        .context("empty /proc/uptime")?
        .parse()?;
    // USER_HZ, the unit of /proc's start times, is 100 on Linux.
    Ok((uptime - ticks / 100.0) * 1000.0)
}

fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(f64::NAN)
}

/// Value at quantile `q` of a sample (nearest rank).
fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn summary(values: &[f64]) -> String {
    format!(
        "n={} p50={:.0} ms p95={:.0} ms max={:.0} ms",
        values.len(),
        quantile(values, 0.5),
        quantile(values, 0.95),
        quantile(values, 1.0)
    )
}

/// (b): one launch on `data`, timed until every pane shows `last[i]`.
/// Returns the app, the ms from the process's start and from the launch call.
async fn timed_launch(
    data: tempfile::TempDir,
    panes: &[SeededPane],
    last: &[String],
) -> Result<(App, f64, f64, bool)> {
    let called = Instant::now();
    let app = App::launch_with(data, &[]).await?;
    let selectors: Vec<String> = panes.iter().map(|p| pane_css(&p.conversation_id)).collect();
    let shown = json_of(&app.client, ALL_SHOWN_SCRIPT, vec![json!(selectors), json!(last)]).await?;
    let since_call = called.elapsed().as_secs_f64() * 1000.0;
    if shown["timeout"] == json!(true) {
        bail!("not every pane showed its last reply within 30 s");
    }
    let at = shown["at"].as_f64().context("no time")?;
    // The process's age now, less the time since the panes showed.
    let since_start = process_age_ms(app.pid()?)? - (epoch_ms() - at);
    let already = shown["already"] == json!(true);
    Ok((app, since_start, since_call, already))
}

/// (a): renders of each pane caused by one reply to pane `target`.
async fn renders_of_one_reply(
    app: &App,
    http: &reqwest::Client,
    url: &str,
    panes: &[SeededPane],
    target: usize,
    text: &str,
) -> Result<(u64, u64)> {
    let c = &app.client;
    let read = "return JSON.stringify(window.__paneRenders ?? {})";
    let counts = |v: Value| -> Result<Value> { Ok(serde_json::from_str(v.as_str().context("not text")?)?) };
    // Settle first: nothing else is rendering when the reply is posted.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = counts(c.execute(read, vec![]).await?)?;
    post_reply(http, url, &panes[target].conversation_id, TURNS, text).await?;
    let shown = json_of(
        c,
        REPLY_SHOWN_SCRIPT,
        vec![json!(pane_css(&panes[target].conversation_id)), json!(text)],
    )
    .await?;
    ensure!(
        shown == json!(true),
        "the reply {text:?} did not show in pane {target}"
    );
    // Anything the reply sets off later (effects, a second render) counts too.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = counts(c.execute(read, vec![]).await?)?;
    let renders = |p: &SeededPane| {
        let key = p.id.to_string();
        after[&key].as_u64().unwrap_or(0) - before[&key].as_u64().unwrap_or(0)
    };
    let own = renders(&panes[target]);
    let all: u64 = panes.iter().map(renders).sum();
    Ok((own, all))
}

/// (c): `n` Enter → reply round trips in the probe pane, in ms.
async fn round_trips(c: &Client, probe: &str, label: &str, n: usize) -> Result<Vec<f64>> {
    let mut times = Vec::new();
    for i in 0..n {
        let ms = json_of(
            c,
            ROUND_TRIP_SCRIPT,
            vec![json!(probe), json!(format!("{label} {i}"))],
        )
        .await?;
        times.push(
            ms.as_f64()
                .with_context(|| format!("no reply to round trip {label} {i}"))?,
        );
    }
    Ok(times)
}

/// Posts one reply a `LOAD_PERIOD` to each of `loaded` (conversation ids),
/// spread evenly over the period, until aborted (`block` tells the blocks'
/// texts apart). The last text posted to
/// each is kept in `last`.
fn start_load(
    block: usize,
    url: String,
    loaded: Vec<String>,
    last: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) -> tokio::task::JoinHandle<Result<()>> {
    tokio::spawn(async move {
        let http = reqwest::Client::new();
        let step = LOAD_PERIOD / u32::try_from(loaded.len()).unwrap_or(1);
        let started = tokio::time::Instant::now();
        for tick in 0u32.. {
            for (k, id) in loaded.iter().enumerate() {
                let k32 = u32::try_from(k).unwrap_or(0);
                tokio::time::sleep_until(started + LOAD_PERIOD * tick + step * k32).await;
                // Distinct texts: a payload seen before would be a duplicate.
                let text = format!("load {block}.{tick}");
                post_reply(&http, &url, id, TURNS, &text).await?;
                if let Ok(mut last) = last.lock() {
                    last[k] = text;
                }
            }
        }
        Ok(())
    })
}

#[tokio::test]
async fn sixteen_busy_panes() -> Result<()> {
    let data = tempfile::tempdir()?;
    let written = Instant::now();
    let panes = write_panes(data.path(), PANES, TURNS)?;
    println!(
        "busy_panes: {PANES} panes x {TURNS} turns written in {} ms",
        written.elapsed().as_millis()
    );
    let mut last: Vec<String> = vec![TURNS.to_string(); PANES];

    // (b) The first launch on a new store is not a restart: warm up.
    let app = App::launch_with(data, &[]).await?;
    let selectors: Vec<String> = panes.iter().map(|p| pane_css(&p.conversation_id)).collect();
    let first = json_of(&app.client, ALL_SHOWN_SCRIPT, vec![json!(selectors), json!(last)]).await;
    let mut data = app.close_keeping_data().await?;
    ensure!(
        first?["timeout"] != json!(true),
        "the first launch did not show every pane's last reply"
    );
    let (mut from_start, mut from_call) = (Vec::new(), Vec::new());
    let mut app = None;
    for i in 0..LAUNCHES {
        let (launched, since_start, since_call, already) = timed_launch(data, &panes, &last).await?;
        println!(
            "busy_panes: launch {}: every pane shows its last reply {since_start:.0} ms after the app process started \
             ({since_call:.0} ms after the launch call, tauri-driver included){}",
            i + 1,
            if already {
                "; already shown when the test looked: an upper bound"
            } else {
                ""
            }
        );
        from_start.push(since_start);
        from_call.push(since_call);
        if i + 1 < LAUNCHES {
            data = launched.close_keeping_data().await?;
        } else {
            app = Some(launched);
            break;
        }
        // `data` is moved back in for the next launch.
    }
    let app = app.context("no launch")?;

    let result = async {
        let c = &app.client;
        let url = callback_url(c).await?;
        let http = reqwest::Client::new();

        // (a) Renders caused by one reply.
        let mut per_reply = Vec::new();
        for (n, &target) in COUNTED_REPLIES.iter().enumerate() {
            let text = format!("counted {n}");
            let (own, all) = renders_of_one_reply(&app, &http, &url, &panes, target, &text).await?;
            last[target] = text;
            println!("busy_panes: one reply to pane {target}: {own} render(s) of that pane, {all} pane render(s) in all");
            per_reply.push(all as f64);
        }

        // (c) Enter -> reply in the probe pane, the others idle or busy.
        let probe = pane_css(&panes[PROBE].conversation_id);
        round_trips(c, &probe, "warm-up", 3).await?;
        let loaded: Vec<String> = panes
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != PROBE)
            .map(|(_, p)| p.conversation_id.clone())
            .collect();
        let last_load = std::sync::Arc::new(std::sync::Mutex::new(vec![String::new(); loaded.len()]));
        let (mut idle, mut busy) = (Vec::new(), Vec::new());
        for block in 0..BLOCKS {
            idle.extend(round_trips(c, &probe, &format!("idle {block}"), TRIPS_PER_BLOCK).await?);
            let load = start_load(block, url.clone(), loaded.clone(), last_load.clone());
            // One full period first, so every loaded pane is receiving.
            tokio::time::sleep(LOAD_PERIOD + Duration::from_millis(200)).await;
            let trips = round_trips(c, &probe, &format!("busy {block}"), TRIPS_PER_BLOCK).await;
            load.abort();
            // Aborted is how it ends; an error it returned before is a failure.
            if let Ok(Err(e)) = load.await {
                return Err(e.context("posting the load"));
            }
            busy.extend(trips?);
            // Let the last load replies drain before the next idle block.
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        // Every loaded pane shows the last reply posted to it.
        let last_texts = last_load.lock().map(|l| l.clone()).unwrap_or_default();
        for (id, text) in loaded.iter().zip(&last_texts) {
            let shown = json_of(c, REPLY_SHOWN_SCRIPT, vec![json!(pane_css(id)), json!(text)]).await?;
            ensure!(shown == json!(true), "{id} does not show its last load reply {text:?}");
        }
        app.screenshot("busy-panes.png").await?;

        let renders = quantile(&per_reply, 0.5);
        let launch = quantile(&from_start, 0.5);
        let ratio = quantile(&busy, 0.95) / quantile(&idle, 0.95);
        println!(
            "busy_panes: (a) pane renders per reply: median {renders} (max {}; target {TARGET_RENDERS})",
            quantile(&per_reply, 1.0)
        );
        println!(
            "busy_panes: (b) launch -> every pane shows its last reply, {LAUNCHES} restarts: from the process's start \
             median {launch:.0} ms, max {:.0} ms; from the launch call median {:.0} ms (target {TARGET_LAUNCH_MS} ms)",
            quantile(&from_start, 1.0),
            quantile(&from_call, 0.5)
        );
        println!(
            "busy_panes: (c) Enter -> reply in pane {PROBE}: others idle {}; {} others each replied to every {LOAD_PERIOD:?} {}; \
             p95 ratio {ratio:.2}x (target {TARGET_BUSY_RATIO}x)",
            summary(&idle),
            loaded.len(),
            summary(&busy)
        );
        if ASSERT_RENDERS {
            ensure!(renders <= TARGET_RENDERS, "one reply renders {renders} panes");
        }
        if ASSERT_LAUNCH {
            ensure!(launch <= TARGET_LAUNCH_MS, "launch took {launch:.0} ms");
        }
        if ASSERT_BUSY_RATIO {
            ensure!(ratio <= TARGET_BUSY_RATIO, "busy p95 is {ratio:.2}x idle");
        }
        anyhow::Ok(())
    }
    .await;
    app.finish("busy_panes", result).await
}
