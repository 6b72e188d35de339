//! Nothing the console logs, at any level, carries the API key, the JWT or
//! the callback secret.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

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

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("logs")).into_owned()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_logs_never_show_the_api_key_the_token_or_the_callback_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    // The app's own set-up (`src-tauri/src/lib.rs`): the fmt subscriber's
    // `init`, which also installs the `log` bridge, so records of crates
    // that log through `log` (reqwest) are captured as the app captures
    // them. At trace level: more than the app's default filter shows.
    // Global: the server and the simulator log from other threads too. This
    // test binary holds this one test only.
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .try_init()
        .expect("first subscriber");

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
    // The last record of the exchange: the simulator logs the callback's
    // outcome once the console has answered it (on the simulator's task).
    common::eventually("the simulator's record of the delivered callback", || {
        captured.text().lines().any(|l| {
            l.contains("simulator event") && l.contains("Callback {") && l.contains("status: Some(200)")
        })
    })
    .await;
    let console_callback_url = console.hub().callback_url();
    console.shutdown().await;

    let logs = captured.text();
    assert!(
        logs.len() > 1000,
        "the test captured the trace logs ({} bytes)",
        logs.len()
    );
    // Records that came through the `log` bridge (reqwest logs with `log`).
    assert!(
        logs.lines().any(|l| l.contains(" reqwest::")),
        "no record of reqwest: the log bridge is missing"
    );
    assert!(!logs.contains(KEY), "the API key appears in the logs");
    let callback_url = console_callback_url;
    let secret = callback_url.rsplit('/').next().expect("a /cb/<secret> URL");
    assert!(secret.len() >= 32, "{callback_url}");
    // Where, without the secret itself: the start of each line holding it.
    let holding: Vec<String> = logs
        .lines()
        .filter(|l| l.contains(secret))
        .map(|l| l.chars().take(100).collect())
        .collect();
    assert!(
        holding.is_empty(),
        "the callback secret appears in the logs: {holding:#?}"
    );
    let jwt_start = "eyJ"; // every JWT's base64url header starts like this
    assert!(!logs.contains(jwt_start), "a JWT appears in the logs");
}
