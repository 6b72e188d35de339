//! Hostile callbacks against a running console's callback server over real
//! sockets: each case gets the right status, the server keeps answering, and
//! every valid callback is on disk.

use std::net::SocketAddr;
use std::time::Duration;

use avatar_bench::fixture::{count_rows, reopen_store, sent_turn, start_console};
use avatar_bench::raw_http::{Outcome, read_status, request};
use avatar_console_core::ConsoleRuntime;
use avatar_console_core::callback::DEFAULT_REQUEST_TIMEOUT;
use serde_json::json;
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

const LIMIT: Duration = Duration::from_secs(30);

struct Target {
    console: ConsoleRuntime,
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
        let pane = console.conversations().expect("panes")[0].id;
        sent_turn(&console, pane).expect("turn");
        // The hub keeps conversations in memory: start again on the folder so
        // it loads the journaled turn, as after a restart.
        drop(console);
        let console = start_console(dir.path(), "http://127.0.0.1:9/platform_api/Logon".into())
            .await
            .expect("console restarts");
        let conversation_id = console.conversation(pane).expect("view").conversation_id;
        let url = console.callback_url();
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

    /// Close the console and hand back its data folder.
    async fn close(self) -> tempfile::TempDir {
        self.console.shutdown().await;
        self._dir
    }

    fn stored(&self) -> i64 {
        count_rows(self.console.store(), "callbacks").expect("count")
    }

    fn inbox(&self) -> i64 {
        count_rows(self.console.store(), "inbox").expect("count")
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
    // Kept byte for byte: each inbox row, read back from a reopened store,
    // holds exactly the bytes posted (invalid UTF-8 included).
    let dir = t.close().await;
    let store = reopen_store(dir.path()).await.expect("reopen");
    let mut kept = store.inbox().expect("inbox");
    kept.reverse();
    assert_eq!(kept.len(), cases.len());
    for (item, (name, body)) in kept.iter().zip(&cases) {
        assert_eq!(item.reason, "malformed", "{name}");
        let row = store.inbox_item(item.id).expect("read").expect("row");
        assert!(
            row.body == *body,
            "{name}: stored {} bytes, posted {}",
            row.body.len(),
            body.len()
        );
    }
}

/// The inbox rows of a closed console, oldest first.
async fn inbox_on_disk(dir: &std::path::Path) -> Vec<avatar_console_core::store::StoredRequest> {
    let store = reopen_store(dir).await.expect("reopen");
    let mut items = store.inbox().expect("inbox");
    items.reverse();
    items
        .iter()
        .map(|item| {
            let row = store.inbox_item(item.id).expect("read").expect("row");
            assert_eq!(row.method, item.method);
            row
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_megabyte_body_is_413() {
    let t = Target::start().await;
    let mut body = t.valid("big");
    body.truncate(body.len() - 2);
    body.extend(std::iter::repeat_n(b' ', 10 * 1024 * 1024));
    body.extend_from_slice(b"\"}");
    assert_eq!(t.post_json(&body).await, Outcome::Status(413));
    // reqwest too (it sends the length up front and streams the rest). The
    // server may close the connection while reqwest is still sending, so
    // reqwest sees a transport error; that the server refused it is then
    // told by the inbox, which must hold it either way.
    let r = reqwest::Client::new()
        .post(&t.url)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await;
    match r {
        Ok(r) => assert_eq!(r.status().as_u16(), 413),
        Err(e) => assert!(!e.is_timeout(), "no answer within the client's time: {e:?}"),
    }
    assert_eq!(t.inbox(), 2, "both refusals are kept");
    assert_eq!(t.stored(), 0);
    t.still_answers().await;
    // Over the limit, a request is kept by its headers only (README, Inbox):
    // the body is not stored, the headers are, as sent.
    let dir = t.close().await;
    let kept = inbox_on_disk(dir.path()).await;
    assert_eq!(kept.len(), 2);
    for row in &kept {
        assert!(row.body.is_empty(), "{} body bytes kept", row.body.len());
        let length = format!("content-length: {}", body.len());
        assert!(
            row.headers.to_ascii_lowercase().contains(&length),
            "the headers kept for a 413 lack {length:?}: {:?}",
            row.headers
        );
        assert!(row.headers.contains("application/json"), "{}", row.headers);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn awkward_but_valid_text_is_stored_exactly() {
    let t = Target::start().await;
    let text =
        "nul:\u{0} rtl:\u{202e}olleh\u{202c} arabic:مرحبا emoji:🎉👩\u{200d}💻 zalgo:a\u{0301}\u{0302}";
    assert_eq!(t.post_json(&t.valid(text)).await, Outcome::Status(200));
    let view = t.console.conversation(t.pane).expect("view");
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
    t.still_answers().await;
    // What is on disk, read back by a store opened again on the folder once
    // the console has closed: the text, the customData and the raw body,
    // compared byte for byte with what was posted.
    let (pane, posted) = (t.pane, [t.valid(text), sdk.to_string().into_bytes()]);
    let dir = t.close().await;
    let store = reopen_store(dir.path()).await.expect("reopen");
    let view = store
        .conversation(pane)
        .expect("read")
        .expect("the pane is stored");
    let replies: Vec<_> = view.turns.iter().flat_map(|x| x.replies.iter()).collect();
    assert_eq!(
        replies.len(),
        3,
        "both dialects are on disk (and still_answers' one)"
    );
    for (reply, body) in replies.iter().zip(&posted) {
        assert_eq!(
            reply.response.as_deref().map(str::as_bytes),
            Some(text.as_bytes())
        );
        assert_eq!(
            reply.raw_body.as_bytes(),
            body.as_slice(),
            "the raw body as posted"
        );
    }
    assert_eq!(replies[0].custom_data, json!({"k": 1}));
    assert_eq!(
        replies[1].custom_data,
        json!({"t": text}),
        "the SDK's JSON string, parsed"
    );
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
    t.still_answers().await;
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
    t.still_answers().await;
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
    let stream = tokio::net::TcpStream::connect(t.addr).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{",
        t.path, t.addr
    );
    writer.write_all(head.as_bytes()).await.expect("head");
    let started = tokio::time::Instant::now();
    // One byte every 500 ms would take 8 minutes; the server must answer
    // after its request timeout (10 s by default), while bytes still trickle in.
    let trickle = tokio::spawn(async move {
        for _ in 0..999 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if writer.write_all(b" ").await.is_err() {
                break;
            }
        }
    });
    let outcome = read_status(&mut reader, DEFAULT_REQUEST_TIMEOUT * 4)
        .await
        .expect("an answer within 4x the request timeout");
    let waited = started.elapsed();
    trickle.abort();
    assert_eq!(outcome, Outcome::Status(408), "slow body after {waited:?}");
    assert!(
        waited >= DEFAULT_REQUEST_TIMEOUT,
        "answered after {waited:?}, before the {DEFAULT_REQUEST_TIMEOUT:?} timeout"
    );
    // The handler's own timeout answered (it keeps the request in the
    // inbox), not the router's backstop at 3x (which keeps nothing).
    let inbox = t.console.list_inbox().expect("inbox");
    assert_eq!(inbox.len(), 1, "the slow request is kept");
    assert_eq!(inbox[0].reason, "timeout");
    assert!(inbox[0].detail.contains("10s"), "{}", inbox[0].detail);
    t.still_answers().await;
    // Kept by its headers only: the part of the body that arrived is not.
    let dir = t.close().await;
    let kept = inbox_on_disk(dir.path()).await;
    assert!(kept[0].body.is_empty(), "{} body bytes kept", kept[0].body.len());
    assert!(
        kept[0].headers.contains("content-length: 1000"),
        "{}",
        kept[0].headers
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_valid_callbacks_are_all_stored() {
    // Both ends of 1,000 connections live in this process: ~2,000
    // descriptors, past the common soft limit of 1,024 (macOS: 256).
    let limit = rlimit::increase_nofile_limit(4096).expect("raise RLIMIT_NOFILE");
    assert!(
        limit >= 2100,
        "RLIMIT_NOFILE is {limit} (hard limit too low for 1,000 connections)"
    );
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
    let view = t.console.conversation(t.pane).expect("view");
    assert_eq!(avatar_bench::fixture::reply_count(&view), 1000);
    t.still_answers().await;
}
