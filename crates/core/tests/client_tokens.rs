//! Token lifecycle and retry rules of the avatar client.

mod common;

use std::sync::Arc;
use std::time::Duration;

use avatar_console_core::client::{
    AvatarClient, ClientConfig, ClientError, Credentials, RetryPolicy, Secret,
};
use avatar_simulator::{DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, DEFAULT_AVATAR_ID, SimConfig, SimEvent};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use common::{LOOPBACK, accept_all, client_config, fake_api, slow};
use serde_json::json;

const CB: &str = "http://127.0.0.1:9/cb/x";

fn logins(sim: &avatar_simulator::SimulatorHandle) -> usize {
    sim.state
        .events()
        .iter()
        .filter(|e| matches!(e, SimEvent::Login { ok: true, .. }))
        .count()
}

async fn send_50(client: &Arc<AvatarClient>, batch: &str) {
    let mut tasks = Vec::new();
    for i in 0..50 {
        let client = client.clone();
        let conversation = format!("{batch}-{i}");
        tasks.push(tokio::spawn(async move {
            client
                .send(
                    &DEFAULT_AVATAR_ID.to_string(),
                    &conversation,
                    "hi",
                    &json!({}),
                    CB,
                )
                .await
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("send succeeds");
    }
}

fn simulator_client(sim: &avatar_simulator::SimulatorHandle) -> Arc<AvatarClient> {
    Arc::new(
        AvatarClient::new(ClientConfig::new(
            sim.logon_url(),
            DEFAULT_ACCOUNT_ID,
            Credentials::ApiKey(Secret::new(DEFAULT_API_KEY)),
        ))
        .expect("client"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_sends_share_one_login_and_one_refresh() {
    let config = SimConfig {
        // Callbacks go nowhere; only the sends matter here.
        reply_delay_ms: 3_600_000,
        ..SimConfig::default()
    };
    let sim = avatar_simulator::spawn(config, LOOPBACK)
        .await
        .expect("simulator");
    // How long fifty sends take on this machine now, with an hour-long token
    // on a client of its own: the token lifetime below is derived from it,
    // so a busy machine gets a longer one instead of a refresh mid-batch.
    let started = std::time::Instant::now();
    send_50(&simulator_client(&sim), "warm-up").await;
    let batch = started.elapsed();
    // Fresh for 3/4 of its lifetime (refreshed lifetime/4 before `exp`), and
    // `exp` is in whole seconds: 20 batches' time, one second more, at least 4 s.
    let lifetime =
        Duration::from_secs_f64(batch.as_secs_f64() * 20.0 / 0.75 + 1.0).max(Duration::from_secs(4));
    sim.state.set_token_lifetime(lifetime);
    let before = logins(&sim);
    assert_eq!(before, 1, "the warm-up logged in once");

    let client = simulator_client(&sim);
    // No token yet: fifty sends, one login.
    send_50(&client, "first").await;
    assert_eq!(
        logins(&sim) - before,
        1,
        "one login for fifty sends (a batch takes {batch:?})"
    );
    // Wait until the token has expired (set-up, not an assertion).
    let expiry = client
        .token_expiry()
        .await
        .flatten()
        .expect("the token has an exp");
    let deadline = std::time::Instant::now() + lifetime + Duration::from_secs(5);
    while avatar_console_core::time::now_ms() <= expiry {
        assert!(std::time::Instant::now() < deadline, "the token never expired");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Expired token: fifty sends, exactly one more login.
    send_50(&client, "second").await;
    assert_eq!(
        logins(&sim) - before,
        2,
        "one refresh for fifty sends (token lifetime {lifetime:?}, a batch takes {batch:?})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_refreshes_once_and_retries() {
    // The first token is refused; any later one is accepted.
    let api = fake_api(Arc::new(|_, auth| {
        if auth.ends_with("login0") {
            (StatusCode::UNAUTHORIZED, "expired").into_response()
        } else {
            (StatusCode::OK, "{}").into_response()
        }
    }))
    .await;
    let client = AvatarClient::new(client_config(api.logon_url())).expect("client");
    let captured = client.send_captured("a", "c", "hi", &json!({}), CB).await;
    assert!(captured.result.is_ok(), "{:?}", captured.result);
    assert_eq!(api.logins(), 2);
    assert_eq!(api.posts(), 2);
    let statuses: Vec<_> = captured.exchanges.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [Some(401), Some(200)]);
    // The inspector never sees the token.
    for exchange in &captured.exchanges {
        let auth = exchange
            .request_headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .map(|(_, v)| v.as_str());
        assert_eq!(auth, Some("Bearer <redacted>"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_401_is_not_retried_again() {
    let api = fake_api(Arc::new(|_, _| (StatusCode::UNAUTHORIZED, "no").into_response())).await;
    let client = AvatarClient::new(client_config(api.logon_url())).expect("client");
    let result = client.send("a", "c", "hi", &json!({}), CB).await;
    assert!(matches!(result, Err(ClientError::Unauthorized(_))), "{result:?}");
    assert_eq!(api.posts(), 2);
    assert_eq!(api.logins(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_retried_a_bounded_number_of_times() {
    let api = fake_api(Arc::new(|_, _| {
        (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response()
    }))
    .await;
    let client = AvatarClient::new(client_config(api.logon_url())).expect("client");
    let captured = client.send_captured("a", "c", "hi", &json!({}), CB).await;
    assert!(
        matches!(captured.result, Err(ClientError::Server { status: 503, .. })),
        "{:?}",
        captured.result
    );
    assert_eq!(api.posts(), 3, "max_attempts is 3");
    assert_eq!(captured.exchanges.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_then_success_succeeds() {
    let api = fake_api(Arc::new(|n, _| {
        if n == 0 {
            (StatusCode::BAD_GATEWAY, "oops").into_response()
        } else {
            (StatusCode::OK, "{}").into_response()
        }
    }))
    .await;
    let client = AvatarClient::new(client_config(api.logon_url())).expect("client");
    client
        .send("a", "c", "hi", &json!({}), CB)
        .await
        .expect("second attempt succeeds");
    assert_eq!(api.posts(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_client_errors_are_never_retried() {
    for status in [
        StatusCode::BAD_REQUEST,
        StatusCode::NOT_FOUND,
        StatusCode::TOO_MANY_REQUESTS,
        StatusCode::FORBIDDEN,
    ] {
        let api = fake_api(Arc::new(move |_, _| (status, "no").into_response())).await;
        let client = AvatarClient::new(client_config(api.logon_url())).expect("client");
        let result = client.send("a", "c", "hi", &json!({}), CB).await;
        assert!(result.is_err(), "{status}");
        assert_eq!(api.posts(), 1, "{status} is not retried");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_is_retried() {
    let api = fake_api(Arc::new(|n, _| {
        let ok = (StatusCode::OK, "{}").into_response();
        if n == 0 {
            slow(Duration::from_millis(6000), ok)
        } else {
            ok
        }
    }))
    .await;
    let mut config = client_config(api.logon_url());
    config.request_timeout = Duration::from_millis(1500);
    let client = AvatarClient::new(config).expect("client");
    let captured = client.send_captured("a", "c", "hi", &json!({}), CB).await;
    assert!(captured.result.is_ok(), "{:?}", captured.result);
    assert!(captured.exchanges[0].error.is_some(), "first attempt timed out");
    assert_eq!(captured.exchanges.last().and_then(|e| e.status), Some(200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_errors_are_retried_then_reported() {
    // A server that takes each connection and drops it unanswered, counting
    // them. It stays bound, so no other program can take the port meanwhile.
    let listener = tokio::net::TcpListener::bind(LOOPBACK).await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepted.clone();
    let server = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(stream);
        }
    });
    let mut config = client_config(format!("http://{addr}/platform_api/Logon"));
    config.retry = RetryPolicy {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(1),
    };
    let client = AvatarClient::new(config).expect("client");
    let result = client.send("a", "c", "hi", &json!({}), CB).await;
    assert!(matches!(result, Err(ClientError::Network(_))), "{result:?}");
    // Logon is the first request: tried max_attempts times, then reported.
    assert_eq!(
        accepted.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "attempts made"
    );
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_posts_an_empty_object_with_the_bearer_token() {
    // The Authorization header each request to the chat API carried.
    let seen: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let record = seen.clone();
    let accept = accept_all();
    let api = fake_api(Arc::new(move |n, auth: &str| {
        if let Ok(mut seen) = record.lock() {
            seen.push(auth.to_owned());
        }
        accept(n, auth)
    }))
    .await;
    let client = AvatarClient::new(client_config(api.logon_url())).expect("client");
    let captured = client.stop("av 1", "conv/1").await;
    assert!(captured.result.is_ok(), "{:?}", captured.result);
    // The token of the one login (`common::token`: `h.<payload>.login0`)
    // went out as a Bearer token…
    let seen = seen.lock().expect("seen").clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0].starts_with("Bearer h.") && seen[0].ends_with(".login0"),
        "{:?} is not the login's token as a Bearer token",
        seen[0]
    );
    let exchange = &captured.exchanges[0];
    // …and the inspector shows the scheme, never the token.
    assert!(
        exchange
            .request_headers
            .iter()
            .any(|(k, v)| k == "authorization" && v == "Bearer <redacted>"),
        "{:?}",
        exchange.request_headers
    );
    assert_eq!(exchange.method, "POST");
    assert!(
        exchange.url.ends_with("/api/v1/chats/av%201/conv%2F1/stop"),
        "{}",
        exchange.url
    );
    assert_eq!(exchange.request_body, "{}");
}
