//! Hostile callbacks against a running console's callback server over real
//! sockets: each case gets the right status, the server keeps answering, and
//! every valid callback is on disk.

use std::net::SocketAddr;
use std::time::Duration;

use avatar_bench::fixture::{count_rows, sent_turn, start_console};
use avatar_bench::raw_http::{Outcome, read_status, request};
use avatar_console_core::Console;
use serde_json::json;
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

const LIMIT: Duration = Duration::from_secs(30);

struct Target {
    console: Console,
    /// Kept for the console's lifetime: the data folder goes with it.
    _dir: tempfile::TempDir,
    addr: SocketAddr,
    /// `/cb/<secret>`.
    path: String,
    url: String,
    pane: Uuid,
    conversation_id: String,
}

impl Target {
    async fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let console = start_console(dir.path(), "http://127.0.0.1:9/platform_api/Logon".into())
            .await
            .expect("console starts");
        let pane = console.hub().conversations().expect("panes")[0].id;
        sent_turn(console.hub(), pane).expect("turn");
        // The hub keeps conversations in memory: start again on the folder so
        // it loads the journaled turn, as after a restart.
        drop(console);
        let console = start_console(dir.path(), "http://127.0.0.1:9/platform_api/Logon".into())
            .await
            .expect("console restarts");
        let hub = console.hub().clone();
        let conversation_id = hub.conversation(pane).expect("view").conversation_id;
        let url = hub.callback_url();
        let addr = console.callback_addr();
        let path = url
            .strip_prefix(&format!("http://{addr}"))
            .expect("callback url on the server's address")
            .to_owned();
        Self {
            console,
            _dir: dir,
            addr,
            path,
            url,
            pane,
            conversation_id,
        }
    }

    fn valid(&self, response: &str) -> Vec<u8> {
        json!({"isFinal": false, "response": response, "customData": {"k": 1}, "conversationId": self.conversation_id})
            .to_string()
            .into_bytes()
    }

    async fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Outcome {
        let head = format!("POST {path} HTTP/1.1\r\nContent-Type: {content_type}");
        request(self.addr, &head, body, LIMIT).await.expect("an answer")
    }

    async fn post_json(&self, body: &[u8]) -> Outcome {
        self.post(&self.path, "application/json", body).await
    }

    fn stored(&self) -> i64 {
        count_rows(self.console.hub().store(), "callbacks").expect("count")
    }

    fn inbox(&self) -> i64 {
        count_rows(self.console.hub().store(), "inbox").expect("count")
    }

    async fn still_answers(&self) {
        let health = reqwest::get(format!("http://{}/health", self.addr))
            .await
            .expect("health answers");
        assert_eq!(health.status().as_u16(), 200);
        let before = self.stored();
        assert_eq!(
            self.post_json(&self.valid("still here")).await,
            Outcome::Status(200)
        );
        assert_eq!(self.stored(), before + 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_are_400_and_kept_in_the_inbox() {
    let t = Target::start().await;
    let deep_arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_objects = format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty body", Vec::new()),
        ("not JSON", b"hello, avatar".to_vec()),
        ("truncated JSON", br#"{"isFinal":false,"resp"#.to_vec()),
        ("JSON array", br#"[{"conversationId":"x"}]"#.to_vec()),
        ("JSON string", br#""conversationId""#.to_vec()),
        ("nesting depth 10,000 (arrays)", deep_arrays.into_bytes()),
        ("nesting depth 10,000 (objects)", deep_objects.into_bytes()),
        (
            "isFinal a string",
            json!({"conversationId": t.conversation_id, "isFinal": "yes"})
                .to_string()
                .into_bytes(),
        ),
        (
            "conversationId an object",
            json!({"conversationId": {"id": 1}, "response": "x"})
                .to_string()
                .into_bytes(),
        ),
        (
            "response a number",
            json!({"conversationId": t.conversation_id, "response": 5})
                .to_string()
                .into_bytes(),
        ),
        (
            "missing conversationId",
            json!({"response": "x", "isFinal": false})
                .to_string()
                .into_bytes(),
        ),
        ("invalid UTF-8", b"{\"conversationId\":\"\xff\xfe\"}".to_vec()),
    ];
    for (i, (name, body)) in cases.iter().enumerate() {
        let outcome = t.post_json(body).await;
        assert_eq!(outcome, Outcome::Status(400), "{name}");
        assert_eq!(
            t.inbox(),
            i64::try_from(i + 1).expect("small"),
            "{name} is kept in the inbox"
        );
    }
    assert_eq!(t.stored(), 0, "no malformed body became a reply");
    t.still_answers().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_megabyte_body_is_413() {
    let t = Target::start().await;
    let mut body = t.valid("big");
    body.truncate(body.len() - 2);
    body.extend(std::iter::repeat_n(b' ', 10 * 1024 * 1024));
    body.extend_from_slice(b"\"}");
    assert_eq!(t.post_json(&body).await, Outcome::Status(413));
    // reqwest too (it sends the length up front and streams the rest).
    let r = reqwest::Client::new()
        .post(&t.url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await;
    if let Ok(r) = r {
        assert_eq!(r.status().as_u16(), 413);
    }
    assert_eq!(t.stored(), 0);
    t.still_answers().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn awkward_but_valid_text_is_stored_exactly() {
    let t = Target::start().await;
    let text =
        "nul:\u{0} rtl:\u{202e}olleh\u{202c} arabic:مرحبا emoji:🎉👩\u{200d}💻 zalgo:a\u{0301}\u{0302}";
    assert_eq!(t.post_json(&t.valid(text)).await, Outcome::Status(200));
    let view = t.console.hub().conversation(t.pane).expect("view");
    let replies: Vec<_> = view.turns.iter().flat_map(|x| x.replies.iter()).collect();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].response.as_deref(), Some(text));
    assert_eq!(replies[0].custom_data, json!({"k": 1}));
    // The SDK dialect with customData as a JSON string holding the same text.
    let sdk = json!({"is_final": false, "response": text, "custom_data": json!({"t": text}).to_string(), "conversation_id": t.conversation_id});
    assert_eq!(
        t.post_json(sdk.to_string().as_bytes()).await,
        Outcome::Status(200)
    );
    assert_eq!(t.stored(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_content_type_with_a_valid_body_is_accepted() {
    // Avatars' HTTP stacks differ; the body decides, not the header.
    let t = Target::start().await;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/octet-stream",
    ] {
        assert_eq!(
            t.post(&t.path, content_type, &t.valid(content_type)).await,
            Outcome::Status(200),
            "{content_type}"
        );
    }
    assert_eq!(t.stored(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_methods_are_405() {
    let t = Target::start().await;
    for method in ["GET", "PUT", "DELETE", "PATCH"] {
        let head = format!("{method} {} HTTP/1.1", t.path);
        let outcome = request(t.addr, &head, b"", LIMIT).await.expect("answer");
        assert_eq!(outcome, Outcome::Status(405), "{method}");
    }
    assert_eq!(t.stored(), 0);
    t.still_answers().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_secret_is_404() {
    let t = Target::start().await;
    let body = t.valid("intruder");
    // A secret one character off.
    let mut near = t.path.clone();
    let last = near.pop().expect("non-empty");
    near.push(if last == 'a' { 'b' } else { 'a' });
    let mut wrong = Vec::new();
    for path in [
        "/cb/not-the-secret",
        "/cb/",
        "/cb",
        "/callback",
        "/",
        near.as_str(),
    ] {
        let outcome = t.post(path, "application/json", &body).await;
        if outcome != Outcome::Status(404) {
            wrong.push(format!("POST {path} -> {outcome:?}, expected 404"));
        }
    }
    assert_eq!(t.stored(), 0, "nothing from a wrong path became a reply");
    assert!(wrong.is_empty(), "wrong statuses:\n{}", wrong.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn path_traversal_is_404_and_never_a_reply() {
    let t = Target::start().await;
    let body = t.valid("traversal");
    let secret = t.path.trim_start_matches("/cb/").to_owned();
    let paths = [
        "/cb/../../etc/passwd".to_owned(),
        "/cb/%2e%2e%2f%2e%2e%2fetc%2fpasswd".to_owned(),
        "/../cb/x".to_owned(),
        format!("/cb/{secret}/../../etc/passwd"),
        format!("/cb/x/../{secret}"),
        format!("/cb/{secret}/extra"),
    ];
    let mut wrong = Vec::new();
    for path in &paths {
        let outcome = t.post(path, "application/json", &body).await;
        if outcome != Outcome::Status(404) {
            wrong.push(format!("POST {path} -> {outcome:?}, expected 404"));
        }
    }
    assert_eq!(t.stored(), 0, "no traversal became a reply");
    t.still_answers().await;
    assert!(wrong.is_empty(), "wrong statuses:\n{}", wrong.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_body_is_cut_off() {
    let t = Target::start().await;
    let mut stream = tokio::net::TcpStream::connect(t.addr).await.expect("connect");
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{",
        t.path, t.addr
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let started = tokio::time::Instant::now();
    // One byte every 500 ms would take 8 minutes; the server must not wait that long.
    let trickle = async {
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if stream.write_all(b" ").await.is_err() || started.elapsed() > Duration::from_secs(60) {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(25), trickle).await;
    let outcome = read_status(&mut stream, Duration::from_secs(5))
        .await
        .expect("an answer or a close");
    assert!(
        matches!(outcome, Outcome::Status(408) | Outcome::Closed),
        "slow body got {outcome:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(40));
    t.still_answers().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_valid_callbacks_are_all_stored() {
    let t = Target::start().await;
    let http = reqwest::Client::new();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..1000 {
        let (http, url, body) = (http.clone(), t.url.clone(), t.valid(&format!("reply {i}")));
        tasks.spawn(async move {
            http.post(url)
                .header("content-type", "application/json")
                .body(body)
                .timeout(Duration::from_secs(60))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .map_err(|e| e.to_string())
        });
    }
    let mut ok = 0;
    let mut failures = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined.expect("task") {
            Ok(200) => ok += 1,
            other => failures.push(format!("{other:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert_eq!(ok, 1000);
    assert_eq!(t.stored(), 1000, "every acknowledged callback is on disk");
    let view = t.console.hub().conversation(t.pane).expect("view");
    assert_eq!(avatar_bench::fixture::reply_count(&view), 1000);
    t.still_answers().await;
}
