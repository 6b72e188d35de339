//! The callback server's answers, in process (`oneshot`) and over sockets.

mod common;

use std::sync::Arc;
use std::time::Duration;

use avatar_console_core::callback::{CallbackServer, ServerOptions, router};
use avatar_console_core::hub::Hub;
use avatar_console_core::model::{CallbackDialect, InboxItemView};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{FakeApi, LOOPBACK, SECRET, accept_all, eventually, fake_api, hub};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

struct Setup {
    _dir: tempfile::TempDir,
    _api: FakeApi,
    hub: Arc<Hub>,
    /// Avatar-side id of the one conversation.
    conversation_id: String,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let api = fake_api(accept_all()).await;
    let hub = hub(dir.path(), &api);
    let conversation_id = hub.create_conversation().expect("create").conversation_id;
    Setup {
        _dir: dir,
        _api: api,
        hub,
        conversation_id,
    }
}

async fn call(hub: &Arc<Hub>, method: &str, path: &str, body: impl Into<Body>) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .header("x-avatar", "test")
        .body(body.into())
        .expect("request");
    let response = router(hub.clone(), SECRET)
        .oneshot(request)
        .await
        .expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, value)
}

fn only_inbox_item(hub: &Hub) -> InboxItemView {
    let inbox = hub.inbox().expect("inbox");
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    inbox.into_iter().next().expect("one item")
}

const CB: &str = "/cb/secret";

#[tokio::test]
async fn health_answers_ok() {
    let s = setup().await;
    let (status, body) = call(&s.hub, "GET", "/health", Body::empty()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, Value::String("ok".into()));
    assert!(s.hub.inbox().expect("inbox").is_empty());
}

#[tokio::test]
async fn wrong_secret_is_404_and_kept_with_its_raw_bytes() {
    let s = setup().await;
    let body = format!(r#"{{"conversationId":"{}","response":"hi"}}"#, s.conversation_id);
    let (status, json) = call(&s.hub, "POST", "/cb/guess", body.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(json["error"]["code"], "wrong_secret");
    let item = only_inbox_item(&s.hub);
    assert_eq!(item.reason, "wrong_secret");
    assert_eq!(item.method, "POST");
    assert_eq!(item.path, "/cb/<secret>", "the secret is never journaled");
    assert_eq!(item.body_text, body);
    assert!(
        item.raw_headers.contains("x-avatar: test"),
        "{}",
        item.raw_headers
    );
    // Nothing reached the conversation.
    let view = s.hub.conversations().expect("list").remove(0);
    assert!(view.unpaired_replies.is_empty());
}

#[tokio::test]
async fn unknown_path_is_404_and_kept() {
    let s = setup().await;
    let (status, _) = call(&s.hub, "POST", "/hooks/x", "x").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(only_inbox_item(&s.hub).reason, "unknown_path");
}

#[tokio::test]
async fn get_on_the_callback_path_is_405_and_kept() {
    let s = setup().await;
    let (status, json) = call(&s.hub, "GET", CB, Body::empty()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(json["error"]["code"], "wrong_method");
    let item = only_inbox_item(&s.hub);
    assert_eq!(
        (item.reason.as_str(), item.method.as_str()),
        ("wrong_method", "GET")
    );
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413_and_kept() {
    let s = setup().await;
    let big = vec![b' '; 1024 * 1024 + 1];
    let (status, json) = call(&s.hub, "POST", CB, big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json["error"]["code"], "too_large");
    assert_eq!(only_inbox_item(&s.hub).reason, "too_large");
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read() {
    let s = setup().await;
    // Valid JSON padded with whitespace to exactly 1 MiB.
    let mut body = format!(r#"{{"conversationId":"{}","response":"big"}}"#, s.conversation_id).into_bytes();
    body.resize(1024 * 1024, b' ');
    let (status, _) = call(&s.hub, "POST", CB, body).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn malformed_bodies_are_400_with_a_json_error_and_kept_byte_for_byte() {
    let s = setup().await;
    let cases: [(&[u8], &str); 6] = [
        (b"\xff\xfe not json", "not JSON"),
        (b"[1,2]", "not a JSON object"),
        (br#"{"response":"x"}"#, "missing field `conversationId`"),
        (
            br#"{"conversationId":{"a":1}}"#,
            "`conversationId` has the wrong type",
        ),
        (
            br#"{"conversationId":"c","isFinal":"yes"}"#,
            "`isFinal` has the wrong type",
        ),
        (
            br#"{"conversation_id":"c","response":7}"#,
            "`response` has the wrong type",
        ),
    ];
    for (body, message) in cases {
        let (status, json) = call(&s.hub, "POST", CB, body.to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{message}");
        assert_eq!(json["error"]["code"], "malformed");
        let text = json["error"]["message"].as_str().expect("message");
        assert!(text.contains(message), "{text:?} should mention {message:?}");
        let item = &s.hub.inbox().expect("inbox")[0];
        assert_eq!(item.reason, "malformed");
        assert_eq!(STANDARD.decode(&item.body_base64).expect("base64"), body);
        assert_eq!(item.body_size as usize, body.len());
    }
    assert_eq!(s.hub.inbox().expect("inbox").len(), cases.len());
}

#[tokio::test]
async fn both_dialects_are_accepted_and_recorded() {
    let s = setup().await;
    let id = s.hub.conversations().expect("list")[0].id;
    s.hub.send(id, "hi", json!({})).await.expect("send");
    let camel = json!({"isFinal": false, "response": "camel", "customData": {"a": 1}, "conversationId": s.conversation_id}).to_string();
    let snake = json!({"is_final": false, "response": "snake", "custom_data": "{\"b\":2}", "conversation_id": s.conversation_id}).to_string();
    assert_eq!(call(&s.hub, "POST", CB, camel.clone()).await.0, StatusCode::OK);
    assert_eq!(call(&s.hub, "POST", CB, snake.clone()).await.0, StatusCode::OK);
    let view = s.hub.conversation(id).expect("view");
    let replies = &view.turns[0].replies;
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[0].dialect, CallbackDialect::CamelCase);
    assert_eq!(replies[0].custom_data, json!({"a": 1}));
    assert_eq!(replies[0].raw_body, camel);
    assert_eq!(replies[1].dialect, CallbackDialect::SnakeCase);
    // The string form is decoded for the diff; the raw body keeps it as sent.
    assert_eq!(replies[1].custom_data, json!({"b": 2}));
    assert_eq!(replies[1].raw_body, snake);
    assert!(replies[1].raw_headers.contains("content-type: application/json"));
    assert!(s.hub.inbox().expect("inbox").is_empty());
}

#[tokio::test]
async fn an_unknown_conversation_is_an_orphan_in_the_inbox() {
    let s = setup().await;
    let body = json!({"conversationId": "nobody", "response": "?"}).to_string();
    let (status, json) = call(&s.hub, "POST", CB, body.clone()).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(json["inbox"], "orphan");
    let item = only_inbox_item(&s.hub);
    assert_eq!(item.reason, "orphan");
    assert_eq!(item.body_text, body);
}

async fn raw_exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request).await.expect("write");
    let mut response = Vec::new();
    // The server answers and closes, or at least answers: read what comes.
    let _ = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut response)).await;
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_real_sockets_statuses_timeout_and_refused_after_stop() {
    let s = setup().await;
    let listener = tokio::net::TcpListener::bind(LOOPBACK).await.expect("bind");
    let options = ServerOptions {
        body_limit: 1024,
        request_timeout: Duration::from_millis(1000),
    };
    let server = CallbackServer::serve_with(listener, s.hub.clone(), SECRET.into(), options);
    let http = reqwest::Client::new();
    let base = format!("http://{}", server.addr);
    let get = |path: &str| http.get(format!("{base}{path}")).send();
    assert_eq!(get("/health").await.expect("health").status(), 200);
    assert_eq!(get(CB).await.expect("get").status(), 405);
    let post = |path: &str, body: String| http.post(format!("{base}{path}")).body(body).send();
    let valid = json!({"conversationId": s.conversation_id, "response": "hi"}).to_string();
    assert_eq!(post(CB, valid.clone()).await.expect("post").status(), 200);
    assert_eq!(post("/cb/nope", valid).await.expect("post").status(), 404);
    assert_eq!(post(CB, "x".repeat(2048)).await.expect("post").status(), 413);
    assert_eq!(post(CB, "{".into()).await.expect("post").status(), 400);

    // A body that never finishes is cut off with 408.
    let head = "POST /cb/secret HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"conv";
    let response = raw_exchange(server.addr, head.as_bytes()).await;
    assert!(response.starts_with("HTTP/1.1 408"), "{response:?}");
    eventually("the timeout in the inbox", || {
        s.hub
            .inbox()
            .expect("inbox")
            .iter()
            .any(|i| i.reason == "timeout")
    })
    .await;

    let addr = server.addr;
    server.stop().await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "stopped server still accepts"
    );
}

/// Read from `stream` until `marker` has arrived; what was read.
async fn read_until(stream: &mut tokio::net::TcpStream, marker: &str, within: Duration) -> String {
    let mut seen = Vec::new();
    let read = async {
        let mut chunk = [0u8; 1024];
        while !String::from_utf8_lossy(&seen).contains(marker) {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&chunk[..n]),
            }
        }
    };
    let _ = tokio::time::timeout(within, read).await;
    String::from_utf8_lossy(&seen).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_lets_a_request_in_flight_finish() {
    const WITHIN: Duration = Duration::from_secs(20);
    let s = setup().await;
    let listener = tokio::net::TcpListener::bind(LOOPBACK).await.expect("bind");
    let server = CallbackServer::serve(listener, s.hub.clone(), SECRET.into());
    let addr = server.addr;
    let body = json!({"conversationId": s.conversation_id, "response": "in flight"}).to_string();
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    // `Expect: 100-continue`: the server says "100 Continue" when the handler
    // starts reading the body, so the request is known to be in flight.
    let head = format!(
        "POST {CB} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\nexpect: 100-continue\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let continued = read_until(&mut stream, "100 Continue", WITHIN).await;
    assert!(continued.contains("100 Continue"), "{continued:?}");

    let stopping = tokio::spawn(server.stop());
    // Shutdown has begun once new connections are refused…
    let deadline = tokio::time::Instant::now() + WITHIN;
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server never stopped accepting"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // …and it waits for the request in flight.
    assert!(
        !stopping.is_finished(),
        "stop() returned with a request in flight"
    );
    stream.write_all(body.as_bytes()).await.expect("body");
    let answer = read_until(&mut stream, "\r\n\r\n", WITHIN).await;
    let answer = answer.trim_start_matches("HTTP/1.1 100 Continue\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    tokio::time::timeout(WITHIN, stopping)
        .await
        .expect("stop() returns once the request is answered")
        .expect("stop task");
    let view = s.hub.conversations().expect("list").remove(0);
    let replies: Vec<_> = view
        .unpaired_replies
        .iter()
        .chain(view.turns.iter().flat_map(|t| t.replies.iter()))
        .collect();
    assert_eq!(replies.len(), 1, "the request in flight was journaled");
    assert_eq!(replies[0].response.as_deref(), Some("in flight"));
}
