//! A callback answered 2xx is on disk, even if the process is killed with
//! SIGKILL right after.
//!
//! The test binary re-executes itself: run with `CRASH_CHILD_DIR` set, the
//! `crash_child` test becomes a console serving callbacks until it is killed
//! (without the variable it does nothing). The parent posts callbacks from
//! several tasks, kills the child mid-stream, restarts it on the same data
//! and checks that every acknowledged callback was kept.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use avatar_console_core::client::{ClientConfig, Credentials, Secret};
use avatar_console_core::store::Store;
use avatar_console_core::{Console, ConsoleOptions};
use serde_json::json;
use uuid::Uuid;

const CHILD_ENV: &str = "CRASH_CHILD_DIR";

#[test]
fn crash_child() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async move {
        let console = Console::start(ConsoleOptions {
            data_dir: dir.into(),
            callback_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            profile_id: Default::default(),
            profile_name: "crash".into(),
            // Never called: the child only receives callbacks.
            client: ClientConfig::new(
                "http://127.0.0.1:9/Logon",
                "1",
                Credentials::ApiKey(Secret::new("k")),
            ),
            avatars: vec![avatar_console_core::model::AvatarOption {
                id: Uuid::nil(),
                label: "Test".into(),
            }],
        })
        .await
        .expect("console starts");
        let hub = console.hub();
        let conversation = hub.conversations().expect("list").remove(0).conversation_id;
        let stored = hub.store().callback_count().expect("count");
        println!("READY {} {conversation} {stored}", hub.callback_url());
        loop {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
}

struct Ready {
    child: Child,
    url: String,
    conversation: String,
    stored: u64,
}

/// How long a child may take to open the data and print READY: a start on a
/// fresh folder takes well under a second; this is for a machine busy with
/// other builds, and for a restart that replays a long log.
const READY_WITHIN: Duration = Duration::from_secs(60);

fn start_child(dir: &std::path::Path) -> Ready {
    let mut child = Command::new(std::env::current_exe().expect("own test binary"))
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("child starts");
    let stdout = child.stdout.take().expect("piped stdout");
    // Lines are read on a thread of their own so the wait has a deadline.
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + READY_WITHIN;
    let why = loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match lines.recv_timeout(left) {
            Ok(Ok(line)) => {
                // libtest prints "test crash_child ... " on the same line first.
                if let Some(rest) = line.split_once("READY ").map(|(_, rest)| rest) {
                    let parts: Vec<&str> = rest.split(' ').collect();
                    return Ready {
                        child,
                        url: parts[0].to_owned(),
                        conversation: parts[1].to_owned(),
                        stored: parts[2].parse().expect("count"),
                    };
                }
            }
            Ok(Err(e)) => break format!("its output could not be read: {e}"),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break "it exited".to_owned(),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                break format!("it printed no READY within {READY_WITHIN:?}");
            }
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    panic!("the child console did not get ready on {}: {why}", dir.display());
}

#[test]
fn acknowledged_callbacks_survive_kill_9() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let Ready {
        mut child,
        url,
        conversation,
        ..
    } = start_child(dir.path());
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client");
        let mut posters = Vec::new();
        for task in 0..4 {
            let (http, url, conversation, acked) =
                (http.clone(), url.clone(), conversation.clone(), acked.clone());
            posters.push(tokio::spawn(async move {
                for n in 0.. {
                    let response = format!("{task}-{n}");
                    let body = json!({"conversationId": conversation, "response": response});
                    match http.post(&url).json(&body).send().await {
                        Ok(r) if r.status().is_success() => acked.lock().expect("lock").push(response),
                        Ok(r) => panic!("unexpected status {}", r.status()),
                        // The child is dead: stop.
                        Err(_) => break,
                    }
                }
            }));
        }
        // Kill mid-stream, once a good number went through: at ~30,000
        // callbacks/s that is tens of ms, a few of the store's 10 ms batches,
        // so the last ones are in the append log only and come back by replay.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        while acked.lock().expect("lock").len() < 2_000 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "callbacks are not getting through"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        child.kill().expect("SIGKILL");
        for poster in posters {
            poster.await.expect("poster");
        }
    });
    let _ = child.wait();
    let acked = acked.lock().expect("lock").clone();

    // Restart on the crashed data: it opens, and already holds them all.
    let mut restarted = start_child(dir.path());
    assert!(
        restarted.stored >= acked.len() as u64,
        "restarted with {} callbacks, {} were acknowledged",
        restarted.stored,
        acked.len()
    );
    restarted.child.kill().expect("SIGKILL");
    let _ = restarted.child.wait();

    let store = Store::open(&dir.path().join("console.db")).expect("store reopens");
    let id = store.conversation_ids().expect("ids")[0];
    let view = store.conversation(id).expect("load").expect("conversation");
    let kept: std::collections::HashSet<String> = view
        .unpaired_replies
        .iter()
        .filter_map(|r| r.response.clone())
        .collect();
    let lost: Vec<&String> = acked.iter().filter(|r| !kept.contains(*r)).collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
}
