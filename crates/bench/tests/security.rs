//! Checks behind the claims of docs/security.md: the webview's CSP and
//! capabilities, the callback server's bind address and secret path, and no
//! credentials or callback secret in any file of the data folder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use avatar_bench::fixture::{FolderScan, Rig, reply_count, scan_folder, start_console, wait_for};
use avatar_console_core::callback::secret::SECRET_FILE;
use avatar_console_core::model::{HttpExchange, TurnState};
use avatar_console_core::store::NewTurn;
use avatar_simulator::{DEFAULT_API_KEY, SimConfig};
use serde_json::{Value, json};

fn repo_root() -> PathBuf {
    Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR")).join("../..")
}

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(repo_root().join(path)).expect("file exists");
    serde_json::from_str(&text).expect("valid JSON")
}

/// `directive -> sources` of a CSP string.
fn csp_directives(csp: &str) -> Vec<(String, Vec<String>)> {
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut parts = d.split_whitespace().map(str::to_owned);
            let name = parts.next().unwrap_or_default();
            (name, parts.collect())
        })
        .collect()
}

#[test]
fn csp_allows_only_the_apps_own_origin() {
    let conf = read_json("tauri.conf.json");
    let security = &conf["app"]["security"];
    let csp = security["csp"].as_str().expect("a CSP is set (null disables it)");
    let directives = csp_directives(csp);
    let get = |name: &str| directives.iter().find(|(n, _)| n == name).map(|(_, s)| s.clone());
    assert_eq!(get("default-src"), Some(vec!["'self'".to_owned()]));
    // Scripts fall back to default-src 'self': no script-src may widen it.
    if let Some(script) = get("script-src") {
        assert_eq!(script, ["'self'"], "script-src");
    }
    for (name, sources) in &directives {
        for source in sources {
            if source == "data:" {
                assert_eq!(name, "img-src", "data: URLs only for images");
            }
            assert!(!source.contains("unsafe-eval"), "{name} allows eval");
            assert!(!source.contains('*'), "{name} has a wildcard {source}");
            if source.starts_with("http:") || source.starts_with("https:") || source.starts_with("ws") {
                // Tauri's IPC endpoint is the only URL; no remote origin at all.
                assert_eq!(source, "http://ipc.localhost", "{name} allows a remote origin");
            }
        }
    }
    // Inline styles are allowed (the UI sets style attributes); inline scripts are not.
    let unsafe_inline: Vec<_> = directives
        .iter()
        .filter(|(_, s)| s.iter().any(|x| x == "'unsafe-inline'"))
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(unsafe_inline, ["style-src"]);
    assert!(security.get("dangerousDisableAssetCspModification").is_none());
    assert_ne!(
        conf["app"]["withGlobalTauri"],
        json!(true),
        "no global __TAURI__ object"
    );
}

#[test]
fn capabilities_grant_only_what_the_ui_uses() {
    let capabilities = std::fs::read_dir(repo_root().join("src-tauri/capabilities"))
        .expect("capabilities folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect::<Vec<_>>();
    assert_eq!(capabilities.len(), 1, "one capability file: {capabilities:?}");
    let cap: Value =
        serde_json::from_str(&std::fs::read_to_string(&capabilities[0]).expect("read")).expect("JSON");
    assert_eq!(cap["windows"], json!(["main"]));
    assert!(cap.get("remote").is_none(), "no remote URL may use the IPC");
    assert_eq!(
        cap["permissions"],
        json!([
            "core:event:allow-listen",
            "core:event:allow-unlisten",
            "dialog:allow-open",
            "dialog:allow-save"
        ]),
        "exactly what the UI needs: events, and the native open/save dialogs (its own commands need none)"
    );
    // The UI uses exactly those: invoke (app commands), listen/unlisten, open/save dialogs.
    let mut imports = Vec::new();
    collect_tauri_imports(&repo_root().join("ui/src"), &mut imports);
    imports.sort();
    imports.dedup();
    assert_eq!(
        imports,
        [
            "@tauri-apps/api/core",
            "@tauri-apps/api/event",
            "@tauri-apps/plugin-dialog"
        ]
    );
}

fn collect_tauri_imports(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("ui/src").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            collect_tauri_imports(&path, out);
        } else if path.extension().is_some_and(|x| x == "ts" || x == "tsx") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for piece in text.split(['"', '\'']) {
                if piece.starts_with("@tauri-apps/") {
                    out.push(piece.to_owned());
                }
            }
        }
    }
}

#[test]
fn the_app_binds_its_callback_server_to_loopback() {
    let startup = std::fs::read_to_string(repo_root().join("src-tauri/src/startup.rs")).expect("startup.rs");
    let bind = startup
        .lines()
        .find(|l| l.contains("callback_addr:"))
        .expect("startup.rs sets the callback address");
    assert!(
        bind.contains("Ipv4Addr::LOCALHOST"),
        "callback server bound with {bind}"
    );
    for dir in ["src-tauri/src", "crates/core/src"] {
        let mut hits = Vec::new();
        grep(
            &repo_root().join(dir),
            &[
                "0.0.0.0",
                "[0, 0, 0, 0]",
                "UNSPECIFIED",
                "[::]",
                "\"::\"",
                "[0; 4]",
                "[0u8; 4]",
            ],
            &mut hits,
        );
        assert!(hits.is_empty(), "a wildcard bind address in {hits:?}");
    }
}

fn grep(dir: &Path, needles: &[&str], out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("dir").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            grep(&path, needles, out);
        } else if path.extension().is_some_and(|x| x == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            // Unit-test files may spell a wildcard address as input data.
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if needles.iter().any(|n| text.contains(n)) {
                out.push(path.display().to_string());
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callback_path_is_secret_and_redacted_in_the_inbox() {
    // (The address the app listens on is checked on the running app, by
    // e2e `listening_sockets.rs`: this rig binds loopback itself.)
    let rig = Rig::start(SimConfig::default()).await.expect("rig");
    let addr = rig.console.callback_addr();
    let url = rig.console.callback_url().to_owned();
    let secret = url.rsplit('/').next().expect("secret segment").to_owned();
    assert!(
        secret.len() >= 32 && secret.chars().all(|c| c.is_ascii_hexdigit()),
        "32 hex digits (a UUID v4: 122 random bits)"
    );
    let body = json!({"conversationId": "x", "response": "intruder"}).to_string();
    let http = reqwest::Client::new();
    let wrong = http
        .post(format!("http://{addr}/cb/{}", "0".repeat(32)))
        .body(body.clone())
        .send()
        .await
        .expect("answer");
    assert_eq!(wrong.status().as_u16(), 404);
    // The right secret with an unknown conversation: kept, as an orphan.
    let right = http.post(&url).body(body).send().await.expect("answer");
    assert_eq!(right.status().as_u16(), 202);
    let paths: Vec<String> = rig
        .console
        .store()
        .inbox()
        .expect("inbox")
        .into_iter()
        .map(|item| item.path)
        .collect();
    assert_eq!(
        paths,
        ["/cb/<secret>", "/cb/<secret>"],
        "paths are redacted in the inbox"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_api_key_or_token_in_the_database_files() {
    let rig = Rig::start(SimConfig::default()).await.expect("rig");
    let pane = rig.first_pane().expect("pane");
    rig.console
        .send_message(pane, "hello", json!({}))
        .await
        .expect("send");
    let view = wait_for(
        Duration::from_secs(20),
        || rig.console.conversation(pane).expect("view"),
        |v| reply_count(v) >= 1,
    )
    .await;
    assert_eq!(reply_count(&view), 1);
    // Every JWT starts with the base64 of `{"`.
    let scan = scan_folder(rig.dir.path(), &[DEFAULT_API_KEY, "eyJ"], &[]).expect("scan");
    assert!(scan.hits.is_empty(), "{:?} (read {:?})", scan.hits, scan.files);
    assert_scanned_the_journal(&scan);
}

/// The scan read the database and the files beside it that hold fresh
/// writes: its WAL and its append log.
fn assert_scanned_the_journal(scan: &FolderScan) {
    for file in ["console.db", "console.db-wal", "console.db-log"] {
        assert!(
            scan.files.iter().any(|f| f == file),
            "{file} not scanned: {:?}",
            scan.files
        );
    }
}

/// The callback secret as the server checks it, from its own file.
fn callback_secret(dir: &Path) -> String {
    let path = dir.join(SECRET_FILE);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .expect("the secret file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{} is readable by others", path.display());
    }
    std::fs::read_to_string(&path).expect("secret").trim().to_owned()
}

/// Files that may hold the secret: its own file, and nothing else.
const SECRET_ONLY_IN: &[&str] = &[SECRET_FILE];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callback_secret_is_in_no_file_of_the_data_folder_but_its_own() {
    let rig = Rig::start(SimConfig::default()).await.expect("rig");
    let secret = callback_secret(rig.dir.path());
    assert!(
        rig.console.callback_url().ends_with(&format!("/cb/{secret}")),
        "the server uses the secret of the file"
    );
    let pane = rig.first_pane().expect("pane");
    let hub = &rig.console;
    for (n, text) in ["hello", "again"].into_iter().enumerate() {
        let turn = hub.send_message(pane, text, json!({"n": n})).await.expect("send");
        // What the hub keeps and shows has the secret hidden, in the URI and
        // in the captured request that carried it.
        assert!(
            turn.callback_uri.contains("/cb/<secret>?turn="),
            "{}",
            turn.callback_uri
        );
        assert!(
            turn.exchanges
                .iter()
                .any(|e| e.request_body.contains("/cb/<secret>"))
        );
    }
    let view = wait_for(
        Duration::from_secs(30),
        || hub.conversation(pane).expect("view"),
        |v| reply_count(v) >= 2,
    )
    .await;
    assert_eq!(reply_count(&view), 2, "the avatar used the real callback URI");
    // Requests a stranger or a confused proxy could send, kept in the inbox.
    let http = reqwest::Client::new();
    let addr = rig.console.callback_addr();
    for path in [format!("/cb/{secret}/extra"), format!("/cb/{secret}")] {
        let answer = http
            .get(format!("http://{addr}{path}"))
            .send()
            .await
            .expect("answer");
        assert!(answer.status().is_client_error(), "{path}: {}", answer.status());
    }
    // While it runs: the WAL and the append log hold the fresh writes.
    let running = scan_folder(rig.dir.path(), &[&secret], SECRET_ONLY_IN).expect("scan");
    assert!(running.hits.is_empty(), "the secret is in {:?}", running.hits);
    assert_scanned_the_journal(&running);
    // After a restart on the same folder (the log replayed, checkpoints run)
    // and one more turn.
    let Rig { sim, console, dir } = rig;
    console.shutdown().await;
    let console = start_console(dir.path(), sim.logon_url()).await.expect("restart");
    assert_eq!(callback_secret(dir.path()), secret, "kept across restarts");
    console
        .send_message(pane, "after restart", json!({}))
        .await
        .expect("send");
    let after = scan_folder(dir.path(), &[&secret], SECRET_ONLY_IN).expect("scan");
    assert!(after.hits.is_empty(), "the secret is in {:?}", after.hits);
    console.shutdown().await;
    let closed = scan_folder(dir.path(), &[&secret], SECRET_ONLY_IN).expect("scan");
    assert!(
        closed.hits.is_empty(),
        "the secret is in {:?} (read {:?})",
        closed.hits,
        closed.files
    );
    assert!(
        closed.files.iter().any(|f| f == "console.db"),
        "{:?}",
        closed.files
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_an_older_version_kept_in_the_journal_is_moved_to_its_file() {
    const OLD: &str = "0123456789abcdef0123456789abcdef";
    let rig = Rig::start(SimConfig::default()).await.expect("rig");
    let pane = rig.first_pane().expect("pane");
    let store = rig.console.store();
    // What an older version wrote: the secret in the settings, in a turn's
    // URI and in the captured request.
    store.set_setting("callback_secret", OLD).expect("setting");
    let uri = format!("http://127.0.0.1:1/cb/{OLD}?turn=1");
    store
        .insert_turn(&NewTurn {
            id: uuid::Uuid::new_v4(),
            conversation: pane,
            seq: 1,
            utterance: "old",
            custom_data: &json!({}),
            callback_uri: &uri,
            sent_at: 1,
        })
        .expect("turn");
    let exchange = HttpExchange {
        method: "POST".into(),
        url: "http://127.0.0.1:1/api".into(),
        request_headers: Vec::new(),
        request_body: json!({"callbackUri": uri}).to_string(),
        status: Some(200),
        response_body: None,
        error: None,
        started_at: 1,
        duration_ms: 1,
    };
    store
        .finish_turn(pane, 1, &TurnState::Sent, &[exchange])
        .expect("outcome");
    let Rig { sim, console, dir } = rig;
    console.shutdown().await;
    std::fs::remove_file(dir.path().join(SECRET_FILE)).expect("as before the file existed");
    let before = scan_folder(dir.path(), &[OLD], &[]).expect("scan");
    assert!(
        !before.hits.is_empty(),
        "the old secret was written: {:?}",
        before.files
    );

    let console = start_console(dir.path(), sim.logon_url()).await.expect("restart");
    assert_eq!(
        callback_secret(dir.path()),
        OLD,
        "the secret is kept, so old replies still come in"
    );
    assert!(console.callback_url().ends_with(&format!("/cb/{OLD}")));
    let turn = &console.conversation(pane).expect("view").turns[0];
    assert_eq!(turn.callback_uri, "http://127.0.0.1:1/cb/<secret>?turn=1");
    assert!(turn.exchanges[0].request_body.contains("/cb/<secret>?turn=1"));
    let moved = scan_folder(dir.path(), &[OLD], SECRET_ONLY_IN).expect("scan");
    assert!(
        moved.hits.is_empty(),
        "the old secret is still in {:?}",
        moved.hits
    );
    console.shutdown().await;
    let closed = scan_folder(dir.path(), &[OLD], SECRET_ONLY_IN).expect("scan");
    assert!(
        closed.hits.is_empty(),
        "the old secret is still in {:?}",
        closed.hits
    );
}
