//! Test helpers: a scriptable fake avatar API (for failures the simulator
//! cannot produce) and a hub wired to a temporary store.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use avatar_console_core::client::{AvatarClient, ClientConfig, Credentials, RetryPolicy, Secret};
use avatar_console_core::hub::Hub;
use avatar_console_core::model::AvatarOption;
use avatar_console_core::store::Store;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use uuid::Uuid;

pub const LOOPBACK: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 0);

/// How the fake API answers the n-th (0-based) utterance or stop, given the
/// Authorization header it carried.
pub type Behaviour = Arc<dyn Fn(usize, &str) -> Response + Send + Sync>;

pub struct FakeApi {
    pub addr: SocketAddr,
    pub logins: Arc<AtomicUsize>,
    pub posts: Arc<AtomicUsize>,
}

impl FakeApi {
    pub fn logon_url(&self) -> String {
        format!("http://{}/platform_api/Logon", self.addr)
    }
    pub fn logins(&self) -> usize {
        self.logins.load(Ordering::SeqCst)
    }
    pub fn posts(&self) -> usize {
        self.posts.load(Ordering::SeqCst)
    }
}

#[derive(Clone)]
struct FakeState {
    base: String,
    logins: Arc<AtomicUsize>,
    posts: Arc<AtomicUsize>,
    behaviour: Behaviour,
}

/// A JWT-shaped token (unsigned: the client only reads `exp`) naming its login.
pub fn token(login: usize, lifetime: Duration) -> String {
    let exp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + lifetime.as_secs();
    let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{exp},"n":{login}}}"#));
    format!("h.{payload}.login{login}")
}

pub async fn fake_api(behaviour: Behaviour) -> FakeApi {
    let listener = tokio::net::TcpListener::bind(LOOPBACK).await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let state = FakeState {
        base: format!("http://{addr}"),
        logins: Arc::new(AtomicUsize::new(0)),
        posts: Arc::new(AtomicUsize::new(0)),
        behaviour,
    };
    let (logins, posts) = (state.logins.clone(), state.posts.clone());
    let app = Router::new()
        .route(
            "/platform_api/Logon",
            get(|State(s): State<FakeState>| async move {
                axum::Json(json!({"result": "r", "nlu_addresses": [s.base]}))
            }),
        )
        .route(
            "/api/v1/chats/login",
            post(|State(s): State<FakeState>| async move {
                let n = s.logins.fetch_add(1, Ordering::SeqCst);
                axum::Json(json!({"jwt": token(n, Duration::from_secs(3600))}))
            }),
        )
        .route("/api/v1/chats/{avatar}/{conversation}", post(answer))
        .route("/api/v1/chats/{avatar}/{conversation}/stop", post(answer))
        .with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    FakeApi { addr, logins, posts }
}

async fn answer(State(s): State<FakeState>, headers: HeaderMap) -> Response {
    let n = s.posts.fetch_add(1, Ordering::SeqCst);
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let response = (s.behaviour)(n, &auth);
    // A behaviour asks for a slow answer with this header (see `slow`).
    let delay = response
        .headers()
        .get(DELAY_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    if let Some(ms) = delay {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    response
}

const DELAY_HEADER: &str = "x-test-delay-ms";

/// `response`, answered only after `delay`.
pub fn slow(delay: Duration, response: Response) -> Response {
    let mut response = response;
    if let Ok(value) = axum::http::HeaderValue::from_str(&delay.as_millis().to_string()) {
        response.headers_mut().insert(DELAY_HEADER, value);
    }
    response
}

pub fn accept_all() -> Behaviour {
    Arc::new(|_, _| (StatusCode::OK, axum::Json(json!({"result": "accepted"}))).into_response())
}

pub fn client_config(logon_url: String) -> ClientConfig {
    let mut config = ClientConfig::new(logon_url, "1", Credentials::ApiKey(Secret::new("key")));
    config.retry = RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
    };
    config
}

pub const CALLBACK_URL: &str = "http://127.0.0.1:9/cb/secret";
pub const SECRET: &str = "secret";

/// A hub over a fresh store in `dir`, sending to `api`.
pub fn hub(dir: &std::path::Path, api: &FakeApi) -> Arc<Hub> {
    let store = Store::open(&dir.join("console.db")).expect("store");
    let client = AvatarClient::new(client_config(api.logon_url())).expect("client");
    Arc::new(
        Hub::new(
            store,
            client,
            "Test".into(),
            vec![AvatarOption {
                id: Uuid::nil(),
                label: "Test".into(),
            }],
            CALLBACK_URL.into(),
        )
        .expect("hub"),
    )
}

/// Wait for a condition with a generous deadline (the machine may be loaded).
pub async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !condition() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A console in `dir` whose default profile logs on at `logon_url` with the
/// simulator's default credentials and offers its counting bot.
pub async fn console_at(dir: &std::path::Path, logon_url: String) -> avatar_console_core::Console {
    avatar_console_core::Console::start(avatar_console_core::ConsoleOptions::for_simulator(dir, logon_url))
        .await
        .expect("console starts")
}

/// A simulator on loopback and a console in `dir` talking to it.
pub async fn simulator_console(
    dir: &std::path::Path,
) -> (avatar_simulator::SimulatorHandle, avatar_console_core::Console) {
    let sim = avatar_simulator::spawn(avatar_simulator::SimConfig::default(), LOOPBACK)
        .await
        .expect("simulator starts");
    let console = console_at(dir, sim.logon_url()).await;
    (sim, console)
}

/// A console whose avatar API is unreachable (for tests that never send).
pub async fn offline_console(dir: &std::path::Path) -> avatar_console_core::Console {
    console_at(dir, "http://127.0.0.1:9/platform_api/Logon".into()).await
}
