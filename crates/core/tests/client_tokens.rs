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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_sends_share_one_login_and_one_refresh() {
    let config = SimConfig {
        token_lifetime_secs: 4,
        // Callbacks go nowhere; only the sends matter here.
        reply_delay_ms: 3_600_000,
        ..SimConfig::default()
    };
    let sim = avatar_simulator::spawn(config, LOOPBACK)
        .await
        .expect("simulator");
    let client = Arc::new(
        AvatarClient::new(ClientConfig::new(
            sim.logon_url(),
            DEFAULT_ACCOUNT_ID,
            Credentials::ApiKey(Secret::new(DEFAULT_API_KEY)),
        ))
        .expect("client"),
    );
    // No token yet: fifty sends, one login.
    send_50(&client, "first").await;
    assert_eq!(logins(&sim), 1);
    // Let the token expire (this wait is set-up, not an assertion).
    tokio::time::sleep(Duration::from_millis(4200)).await;
    // Expired token: fifty sends, exactly one more login.
    send_50(&client, "second").await;
    assert_eq!(logins(&sim), 2, "one refresh for fifty sends");
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
    let dead = std::net::TcpListener::bind(LOOPBACK)
        .expect("bind")
        .local_addr()
        .expect("addr");
    let mut config = client_config(format!("http://{dead}/platform_api/Logon"));
    config.retry = RetryPolicy {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(1),
    };
    let client = AvatarClient::new(config).expect("client");
    let result = client.send("a", "c", "hi", &json!({}), CB).await;
    assert!(matches!(result, Err(ClientError::Network(_))), "{result:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_posts_an_empty_object_with_the_bearer_token() {
    let api = fake_api(accept_all()).await;
    let client = AvatarClient::new(client_config(api.logon_url())).expect("client");
    let captured = client.stop("av 1", "conv/1").await;
    assert!(captured.result.is_ok(), "{:?}", captured.result);
    let exchange = &captured.exchanges[0];
    assert_eq!(exchange.method, "POST");
    assert!(
        exchange.url.ends_with("/api/v1/chats/av%201/conv%2F1/stop"),
        "{}",
        exchange.url
    );
    assert_eq!(exchange.request_body, "{}");
}
