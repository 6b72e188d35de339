//! Benchmark 1: per-turn overhead of the full console path against a bare
//! reqwest → axum loopback round trip with a callback, interleaved in one run.
//!
//! Console path: `Hub::send` → journal the turn → `AvatarClient` (cached JWT)
//! → simulator (reply delay 0) → callback POST → callback server → parse →
//! pairing → SQLite → `HubEvent` on the broadcast channel carrying the reply.
//!
//! Bare path: reqwest POSTs a JSON utterance to an axum "avatar" that answers
//! 200 and at once POSTs a JSON reply back to an axum callback server, which
//! signals a channel. Same shape (two HTTP exchanges, JSON both ways), no
//! store, no pairing, no auth, no bot.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use avatar_console_core::ConsoleRuntime;
use avatar_console_core::client::{AvatarClient, ClientConfig, Credentials, Secret};
use avatar_console_core::hub::HubEvent;
use avatar_simulator::{DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, DEFAULT_AVATAR_ID, SimConfig};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};
use uuid::Uuid;

use avatar_console_core::model::CallbackDialect;
use avatar_console_core::store::{NewCallback, NewConversation, Store};

use crate::fixture::{LOOPBACK, Rig, journal_sent_turn, reply_count};

/// Turns per pane before the benchmark opens a fresh one, so views stay the
/// size of a real test conversation.
pub const TURNS_PER_PANE: usize = 50;

pub struct OverheadReport {
    pub console: Vec<Duration>,
    pub bare: Vec<Duration>,
    /// The bare pair plus two SQLite commits (utterance before sending,
    /// callback before answering): what the console's critical path paid
    /// before the append log (`store/log.rs`) took the commits off it.
    pub bare_durable: Vec<Duration>,
    /// `AvatarClient` → simulator → bare callback receiver: what the network
    /// and the (simulated) avatar cost, without the console's store and hub.
    pub client_sim: Vec<Duration>,
    /// The three journal writes a turn costs (turn sent, turn finished,
    /// callback stored) on a store of their own, as a caller waits for them:
    /// appends to the log (applying them to SQLite happens in the background).
    pub journal: Vec<Duration>,
}

/// The bare loopback pair: an "avatar" and a callback receiver.
struct Bare {
    client: reqwest::Client,
    send_url: String,
    callback_url: String,
    received: mpsc::UnboundedReceiver<()>,
    /// The durable variant: the utterance is committed before it is sent and
    /// the callback before it is answered, in a one-table SQLite file with the
    /// console's settings (the console now appends to its log instead).
    journal: Option<BareJournal>,
}

/// A minimal durable journal for the bare pair (WAL, synchronous=NORMAL).
type BareJournal = Arc<Mutex<rusqlite::Connection>>;

fn open_bare_journal(path: &std::path::Path) -> anyhow::Result<BareJournal> {
    let conn = rusqlite::Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute(
        "CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
        [],
    )?;
    Ok(Arc::new(Mutex::new(conn)))
}

fn commit(journal: &BareJournal, body: &[u8]) -> anyhow::Result<()> {
    let conn = journal
        .lock()
        .map_err(|_| anyhow::anyhow!("journal lock poisoned"))?;
    conn.prepare_cached("INSERT INTO log (body) VALUES (?1)")?
        .execute([body])?;
    Ok(())
}

impl Bare {
    async fn start(journal: Option<BareJournal>) -> anyhow::Result<Self> {
        let (tx, received) = mpsc::unbounded_channel::<()>();
        let callback_app = Router::new()
            .route("/cb", post(bare_callback))
            .with_state((tx, journal.clone()));
        let callback_listener = tokio::net::TcpListener::bind(LOOPBACK).await?;
        let callback_url = format!("http://{}/cb", callback_listener.local_addr()?);
        tokio::spawn(async move { axum::serve(callback_listener, callback_app).await });

        let avatar_app = Router::new()
            .route("/send", post(bare_avatar))
            .with_state(reqwest::Client::new());
        let avatar_listener = tokio::net::TcpListener::bind(LOOPBACK).await?;
        let send_url = format!("http://{}/send", avatar_listener.local_addr()?);
        tokio::spawn(async move { axum::serve(avatar_listener, avatar_app).await });
        Ok(Self {
            client: reqwest::Client::new(),
            send_url,
            callback_url,
            received,
            journal,
        })
    }

    async fn turn(&mut self) -> anyhow::Result<Duration> {
        let start = Instant::now();
        let body = json!({"callbackUri": self.callback_url, "utterance": "hello", "customData": {}});
        if let Some(journal) = &self.journal {
            commit(journal, body.to_string().as_bytes())?;
        }
        let response = self.client.post(&self.send_url).json(&body).send().await?;
        anyhow::ensure!(
            response.status().is_success(),
            "bare avatar said {}",
            response.status()
        );
        response.bytes().await?;
        tokio::time::timeout(Duration::from_secs(10), self.received.recv())
            .await?
            .ok_or_else(|| anyhow::anyhow!("bare callback channel closed"))?;
        Ok(start.elapsed())
    }
}

/// The console's own avatar client against the simulator, replies caught by
/// the bare callback receiver.
struct ClientSim {
    client: AvatarClient,
    callback: Bare,
}

impl ClientSim {
    async fn start(logon_url: String) -> anyhow::Result<Self> {
        let client = AvatarClient::new(ClientConfig::new(
            logon_url,
            DEFAULT_ACCOUNT_ID,
            Credentials::ApiKey(Secret::new(DEFAULT_API_KEY)),
        ))?;
        Ok(Self {
            client,
            callback: Bare::start(None).await?,
        })
    }

    async fn turn(&mut self) -> anyhow::Result<Duration> {
        let start = Instant::now();
        self.client
            .send(
                &DEFAULT_AVATAR_ID.to_string(),
                "bench-client-sim",
                "hello",
                &json!({}),
                &self.callback.callback_url,
            )
            .await?;
        tokio::time::timeout(Duration::from_secs(10), self.callback.received.recv())
            .await?
            .ok_or_else(|| anyhow::anyhow!("bare callback channel closed"))?;
        Ok(start.elapsed())
    }
}

async fn bare_avatar(State(http): State<reqwest::Client>, body: Bytes) -> axum::Json<Value> {
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let uri = request["callbackUri"].as_str().unwrap_or_default().to_owned();
    tokio::spawn(async move {
        let reply = json!({"isFinal": false, "response": "1", "customData": {}, "conversationId": "c"});
        if let Err(e) = http.post(uri).json(&reply).send().await {
            eprintln!("bare callback failed: {e}");
        }
    });
    axum::Json(json!({"ok": true}))
}

async fn bare_callback(
    State((tx, journal)): State<(mpsc::UnboundedSender<()>, Option<BareJournal>)>,
    body: Bytes,
) -> axum::Json<Value> {
    let parsed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let stored = journal.as_ref().is_none_or(|j| commit(j, &body).is_ok());
    if parsed.is_object() && stored {
        let _ = tx.send(());
    }
    axum::Json(json!({"ok": true}))
}

/// The console path on one pane.
pub(crate) struct ConsolePath {
    rig: Rig,
    /// When the listener task saw each reply event, and for which pane.
    replies: mpsc::UnboundedReceiver<ReplySeen>,
    pane: Uuid,
    turns_on_pane: usize,
}

/// A reply event as the listener task received it.
enum ReplySeen {
    Reply {
        pane: Uuid,
        at: Instant,
    },
    /// The listener lagged and missed events: count replies in the hub instead.
    Lagged {
        at: Instant,
    },
}

/// The hub's listener, as the app runs it (`src-tauri/src/events.rs`): a task
/// of its own that receives every event. It notes when each reply arrived,
/// so the figure is "the reply reached the UI's listener", not when the
/// benchmark's own task next got around to looking.
fn spawn_listener(mut events: broadcast::Receiver<HubEvent>) -> mpsc::UnboundedReceiver<ReplySeen> {
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let seen = match events.recv().await {
                Ok(HubEvent::ReplyAdded { pane_id, .. }) => ReplySeen::Reply {
                    pane: pane_id,
                    at: Instant::now(),
                },
                Ok(_) => continue,
                Err(broadcast::error::RecvError::Lagged(_)) => ReplySeen::Lagged { at: Instant::now() },
                Err(broadcast::error::RecvError::Closed) => return,
            };
            if tx.send(seen).is_err() {
                return;
            }
        }
    });
    rx
}

impl ConsolePath {
    async fn start() -> anyhow::Result<Self> {
        Self::start_with(SimConfig {
            reply_delay_ms: 0,
            ..SimConfig::default()
        })
        .await
    }

    /// The console path against a simulator configured as `config` (the lab's
    /// benchmark gives the default avatar a scenario).
    pub(crate) async fn start_with(config: SimConfig) -> anyhow::Result<Self> {
        let rig = Rig::start(config).await?;
        let replies = spawn_listener(rig.console.subscribe());
        let pane = rig.first_pane()?;
        Ok(Self {
            rig,
            replies,
            pane,
            turns_on_pane: 0,
        })
    }

    pub(crate) async fn turn(&mut self) -> anyhow::Result<Duration> {
        if self.turns_on_pane == TURNS_PER_PANE {
            self.pane = self.rig.console.new_conversation()?.id;
            self.turns_on_pane = 0;
        }
        let expected = self.turns_on_pane + 1;
        let console = &self.rig.console;
        let pane = self.pane;
        let start = Instant::now();
        // The send runs on this task, as a Tauri command's does in the app.
        console.send_message(pane, "hello", json!({})).await?;
        let arrived = wait_reply(&mut self.replies, console, pane, expected).await?;
        let elapsed = arrived.duration_since(start);
        self.turns_on_pane += 1;
        Ok(elapsed)
    }
}

/// When the listener saw a reply on `pane` (the `expected`-th of its turns, one reply each).
async fn wait_reply(
    replies: &mut mpsc::UnboundedReceiver<ReplySeen>,
    console: &ConsoleRuntime,
    pane: Uuid,
    expected: usize,
) -> anyhow::Result<Instant> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, replies.recv()).await {
            Err(_) => anyhow::bail!("no reply event within 10 s"),
            Ok(None) => anyhow::bail!("hub events closed"),
            // Turns run one at a time, so a reply on this pane answers this turn.
            Ok(Some(ReplySeen::Reply { pane: p, at })) if p == pane => return Ok(at),
            Ok(Some(ReplySeen::Reply { .. })) => {}
            Ok(Some(ReplySeen::Lagged { at })) => {
                if reply_count(&console.conversation(pane)?) >= expected {
                    return Ok(at);
                }
            }
        }
    }
}

/// The store writes of one turn, without HTTP, pairing or events.
struct Journal {
    store: Store,
    pane: Uuid,
    seq: u32,
}

impl Journal {
    fn open(dir: &std::path::Path) -> anyhow::Result<Self> {
        let store = Store::open(&dir.join("journal.db"))?;
        let pane = Uuid::new_v4();
        store.insert_conversation(
            &NewConversation {
                id: pane,
                profile_name: "bench",
                avatar_id: DEFAULT_AVATAR_ID,
                conversation_id: "bench-journal",
                user_id: "bench",
                custom_data_template: "{}",
                profile_id: Uuid::nil(),
            },
            0,
        )?;
        Ok(Self { store, pane, seq: 0 })
    }

    fn turn(&mut self) -> anyhow::Result<Duration> {
        self.seq += 1;
        let start = Instant::now();
        journal_sent_turn(
            &self.store,
            self.pane,
            self.seq,
            "hello",
            &json!({}),
            "http://x/cb",
            0,
        )?;
        self.store.insert_callback(&NewCallback {
            conversation: self.pane,
            turn_seq: Some(self.seq),
            turn_hint: Some(self.seq),
            flags: &[],
            received_at: 0,
            dialect: CallbackDialect::CamelCase,
            is_final: false,
            response: Some("1"),
            custom_data: &json!({}),
            raw_headers: "content-type: application/json",
            raw_body: br#"{"isFinal":false,"response":"1","customData":{},"conversationId":"c"}"#,
        })?;
        Ok(start.elapsed())
    }
}

/// `warmup` untimed turns of each, then `turns` timed ones, alternating which goes first.
pub async fn run(turns: usize, warmup: usize) -> anyhow::Result<OverheadReport> {
    let mut bare = Bare::start(None).await?;
    let bare_journal_dir = tempfile::tempdir()?;
    let bare_journal = open_bare_journal(&bare_journal_dir.path().join("bare.db"))?;
    let mut bare_durable = Bare::start(Some(bare_journal)).await?;
    let mut console = ConsolePath::start().await?;
    let mut client_sim = ClientSim::start(console.rig.sim.logon_url()).await?;
    for _ in 0..warmup {
        bare.turn().await?;
        bare_durable.turn().await?;
        client_sim.turn().await?;
        console.turn().await?;
    }
    let mut report = OverheadReport {
        console: Vec::with_capacity(turns),
        bare: Vec::with_capacity(turns),
        bare_durable: Vec::with_capacity(turns),
        client_sim: Vec::with_capacity(turns),
        journal: Vec::with_capacity(turns),
    };
    let journal_dir = tempfile::tempdir()?;
    let mut journal = Journal::open(journal_dir.path())?;
    // Rotate which path goes first so drifts in machine load hit all alike.
    for i in 0..turns {
        for step in 0..4 {
            match (i + step) % 4 {
                0 => report.bare.push(bare.turn().await?),
                1 => report.client_sim.push(client_sim.turn().await?),
                2 => report.bare_durable.push(bare_durable.turn().await?),
                _ => report.console.push(console.turn().await?),
            }
        }
        report.journal.push(journal.turn()?);
    }
    Ok(report)
}
