//! Shared helpers for the simulator's socket tests: start a simulator, a
//! callback receiver, log in, send, and wait for conditions (never a fixed
//! sleep as an assertion: the CI machine is small and busy).

#![allow(dead_code)] // each test binary uses a different subset

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use avatar_simulator::{DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, SimConfig, SimEvent, SimulatorHandle};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::{Value, json};
use uuid::Uuid;

pub const LOOPBACK: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 0);
/// Generous: a loaded 2-core machine can be slow, and a passing test never waits this long.
pub const PATIENCE: Duration = Duration::from_secs(15);

pub async fn sim(config: SimConfig) -> SimulatorHandle {
    avatar_simulator::spawn(config, LOOPBACK)
        .await
        .expect("simulator starts")
}

/// One POST the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub raw: String,
    pub json: Option<Value>,
    pub at: Instant,
}

/// A tiny axum server standing in for the console's callback server. Paths
/// under `/fail/` answer 500.
#[derive(Clone)]
pub struct Receiver {
    pub addr: SocketAddr,
    got: Arc<Mutex<Vec<Received>>>,
}

async fn receive(
    State(got): State<Arc<Mutex<Vec<Received>>>>,
    Path(path): Path<String>,
    body: Bytes,
) -> StatusCode {
    let raw = String::from_utf8_lossy(&body).into_owned();
    let json = serde_json::from_str(&raw).ok();
    got.lock().expect("lock").push(Received {
        path: path.clone(),
        raw,
        json,
        at: Instant::now(),
    });
    if path.starts_with("fail/") {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

impl Receiver {
    pub async fn start() -> Self {
        let got = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/{*path}", post(receive))
            .with_state(got.clone());
        let listener = tokio::net::TcpListener::bind(LOOPBACK).await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, got }
    }

    pub fn uri(&self, path: &str) -> String {
        format!("http://{}/{path}", self.addr)
    }

    /// Forget what arrived so far.
    pub fn clear(&self) {
        self.got.lock().expect("lock").clear();
    }

    pub fn all(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }

    /// Wait until at least `n` callbacks arrived; all of them.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        let got = self.clone();
        wait_until(|| got.all().len() >= n).await;
        self.all()
    }

    /// The `response` field of each parsed callback, in arrival order.
    pub fn responses(&self) -> Vec<String> {
        self.all()
            .iter()
            .filter_map(|r| r.json.as_ref()?.get("response")?.as_str().map(str::to_owned))
            .collect()
    }
}

/// Poll `cond` until it holds; panics after `PATIENCE`.
pub async fn wait_until(mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !cond() {
        assert!(Instant::now() < deadline, "condition not met within {PATIENCE:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Wait until the simulator recorded an event matching `pred`.
pub async fn wait_event(sim: &SimulatorHandle, pred: impl Fn(&SimEvent) -> bool) -> SimEvent {
    let mut found = None;
    wait_until(|| {
        found = sim.state.events().into_iter().find(&pred);
        found.is_some()
    })
    .await;
    found.expect("event")
}

/// GET `url` and read its JSON body.
pub async fn get_json(url: &str) -> serde_json::Value {
    http()
        .get(url)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json")
}

/// A simulator with the default counting bot plus an echo bot, and the echo bot's id.
pub async fn sim_with_echo() -> (SimulatorHandle, uuid::Uuid) {
    let echo = uuid::Uuid::new_v4();
    let mut config = SimConfig::default();
    config.avatars.push(avatar_simulator::AvatarConfig::new(
        echo,
        "Echo",
        avatar_simulator::BotKind::Echo,
    ));
    (sim(config).await, echo)
}

pub fn http() -> reqwest::Client {
    reqwest::Client::new()
}

pub async fn login(sim: &SimulatorHandle) -> String {
    let r: Value = http()
        .post(format!("{}/api/v1/chats/login", sim.base_url()))
        .json(&json!({"accountId": DEFAULT_ACCOUNT_ID, "apiKey": DEFAULT_API_KEY}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    r["jwt"].as_str().expect("jwt").to_owned()
}

/// POST an utterance; the status and the JSON answer (Null if none).
pub async fn send_raw(
    sim: &SimulatorHandle,
    jwt: Option<&str>,
    avatar: Uuid,
    conversation: &str,
    body: String,
) -> (u16, Value) {
    let mut req = http()
        .post(format!("{}/api/v1/chats/{avatar}/{conversation}", sim.base_url()))
        .header("content-type", "application/json")
        .body(body);
    if let Some(jwt) = jwt {
        req = req.bearer_auth(jwt);
    }
    let r = req.send().await.expect("send");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

pub async fn send(
    sim: &SimulatorHandle,
    jwt: &str,
    avatar: Uuid,
    conversation: &str,
    utterance: &str,
    callback_uri: &str,
) -> (u16, Value) {
    let body = json!({"utterance": utterance, "callbackUri": callback_uri, "customData": {}});
    send_raw(sim, Some(jwt), avatar, conversation, body.to_string()).await
}

/// Send and insist on a 2xx.
pub async fn send_ok(
    sim: &SimulatorHandle,
    jwt: &str,
    avatar: Uuid,
    conversation: &str,
    utterance: &str,
    uri: &str,
) {
    let (status, body) = send(sim, jwt, avatar, conversation, utterance, uri).await;
    assert_eq!(status, 200, "send {utterance:?}: {body}");
}

pub fn callbacks(sim: &SimulatorHandle) -> Vec<SimEvent> {
    sim.state
        .events()
        .into_iter()
        .filter(|e| matches!(e, SimEvent::Callback { .. }))
        .collect()
}
