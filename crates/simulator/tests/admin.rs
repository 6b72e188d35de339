//! The admin endpoint and the `avatar-sim` binary.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use avatar_simulator::{DEFAULT_AVATAR_ID, SimConfig};
use common::*;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_config_reads_and_replaces_the_running_configuration() {
    let sim = sim(SimConfig::default()).await;
    let url = format!("{}/_admin/config", sim.base_url());
    let mut config: Value = get_json(&url).await;
    assert_eq!(
        config["avatars"][0]["bot"],
        json!({"kind": "counting", "forgetsState": false})
    );
    config["avatars"][0]["bot"] = json!({"kind": "echo"});
    config["avatars"][0]["dialect"] = json!("snakeCase");
    config["faults"]["typing"] = json!(true);
    let r = http().put(&url).json(&config).send().await.expect("put");
    assert_eq!(r.status(), 200);
    // The change is live: the next utterance gets the echo bot, typing first, snake_case.
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "ping", &receiver.uri("cb")).await;
    let got = receiver.wait_for(2).await;
    assert_eq!(receiver.responses(), ["typing…", "ping"]);
    assert!(
        got[1]
            .json
            .as_ref()
            .expect("json")
            .get("conversation_id")
            .is_some()
    );

    let r = http()
        .put(&url)
        .header("content-type", "application/json")
        .body(r#"{"avatars": [{"id": "not-a-uuid"}]}"#)
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), 400);
    let err: Value = r.json().await.expect("json");
    assert_eq!(err["error"]["code"], "invalid_config");
    assert!(matches!(
        sim.state.config().avatars[0].bot,
        avatar_simulator::BotKind::Echo
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_events_list_filter_and_clear() {
    let sim = sim(SimConfig::default()).await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &receiver.uri("cb")).await;
    receiver.wait_for(1).await;
    wait_until(|| callbacks(&sim).len() == 1).await;
    let url = format!("{}/_admin/events", sim.base_url());
    let all: Value = get_json(&url).await;
    let kinds: Vec<&str> = all
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|e| e["event"]["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["login", "utterance", "callback"]);
    assert_eq!(all[2]["event"]["status"], 200);
    let seq = all[1]["seq"].as_u64().expect("seq");
    let since: Value = get_json(&format!("{url}?since={seq}")).await;
    assert_eq!(since.as_array().map(Vec::len), Some(1));
    let r = http().delete(&url).send().await.expect("delete");
    assert_eq!(r.status(), 204);
    assert!(sim.state.events().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_reset_forgets_conversations() {
    let sim = sim(SimConfig::default()).await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    let uri = receiver.uri("cb");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "bye", &uri).await;
    wait_until(|| sim.state.conversation_ended(DEFAULT_AVATAR_ID, "c")).await;
    let r = http()
        .post(format!("{}/_admin/reset", sim.base_url()))
        .send()
        .await
        .expect("reset");
    assert_eq!(r.status(), 204);
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &uri).await;
    receiver.wait_for(2).await;
    assert_eq!(receiver.responses(), ["Goodbye!", "1"]);
}

/// Kills the child we started even when an assertion fails.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn avatar_sim_prints_its_base_url_first_and_applies_its_flags() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_avatar-sim"))
        .args(["--port", "0", "--bot", "echo", "--duplicate"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("avatar-sim starts");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let first_line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .expect("join")
    .expect("read");
    let base = first_line.trim().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base:?}");
    let health = http()
        .get(format!("{base}/health"))
        .send()
        .await
        .expect("health")
        .text()
        .await
        .expect("text");
    assert_eq!(health, "ok");
    let config: Value = get_json(&format!("{base}/_admin/config")).await;
    assert_eq!(config["avatars"][0]["bot"]["kind"], "echo");
    assert_eq!(config["faults"]["duplicate"], true);
    drop(running);
}

#[test]
fn avatar_sim_refuses_a_bad_script_and_names_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("bad.yaml");
    std::fs::write(&script, "rules:\n  - match: \"(\"\n    response: \"x\"\n").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_avatar-sim"))
        .args(["--port", "0", "--script"])
        .arg(&script)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(out.stdout.is_empty(), "no base URL when it did not start");
}
