//! Nothing the console logs, at any level, carries the API key or the JWT.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use avatar_simulator::{Account, DEFAULT_ACCOUNT_ID, SimConfig};
use serde_json::json;

const KEY: &str = "log-test-api-key-5b0c9e";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut out) = self.0.lock() {
            out.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_logs_never_show_the_api_key_or_the_token() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // Global: the server and the simulator log from other threads too. This
    // test binary holds this one test only.
    tracing::subscriber::set_global_default(subscriber).expect("first subscriber");

    let config = SimConfig {
        accounts: vec![Account {
            account_id: DEFAULT_ACCOUNT_ID.into(),
            api_key: KEY.into(),
        }],
        ..SimConfig::default()
    };
    let sim = avatar_simulator::spawn(config, common::LOOPBACK)
        .await
        .expect("simulator");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = common::client_config(sim.logon_url());
    client.account_id = DEFAULT_ACCOUNT_ID.into();
    client.credentials =
        avatar_console_core::client::Credentials::ApiKey(avatar_console_core::client::Secret::new(KEY));
    let console = avatar_console_core::Console::start(avatar_console_core::ConsoleOptions {
        data_dir: dir.path().to_path_buf(),
        callback_addr: common::LOOPBACK,
        profile_id: uuid::Uuid::nil(),
        profile_name: "Logged".into(),
        client,
        avatars: vec![avatar_console_core::model::AvatarOption {
            id: avatar_simulator::DEFAULT_AVATAR_ID,
            label: "Counting bot".into(),
        }],
    })
    .await
    .expect("console");
    let pane = console.hub().conversations().expect("list")[0].id;
    console.hub().send(pane, "hi", json!({})).await.expect("send");
    common::eventually("a reply", || {
        !console.hub().conversation(pane).expect("view").turns[0]
            .replies
            .is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(50)).await;

    let logs = String::from_utf8_lossy(&captured.0.lock().expect("logs")).into_owned();
    assert!(
        logs.len() > 1000,
        "the test captured the trace logs ({} bytes)",
        logs.len()
    );
    assert!(!logs.contains(KEY), "the API key appears in the logs");
    let jwt_start = "eyJ"; // every JWT's base64url header starts like this
    assert!(!logs.contains(jwt_start), "a JWT appears in the logs");
}
