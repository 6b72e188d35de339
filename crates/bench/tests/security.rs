//! Checks behind the claims of docs/security.md: the webview's CSP and
//! capabilities, the callback server's bind address and secret path, and no
//! credentials in the SQLite file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use avatar_bench::fixture::{Rig, reply_count, wait_for};
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
            &["0.0.0.0", "UNSPECIFIED", "[::]"],
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
async fn callback_path_is_secret_loopback_and_kept_out_of_the_journal() {
    let rig = Rig::start(SimConfig::default()).await.expect("rig");
    let addr = rig.console.callback_addr();
    assert!(addr.ip().is_loopback(), "{addr}");
    let url = rig.console.hub().callback_url().to_owned();
    let secret = url.rsplit('/').next().expect("secret segment").to_owned();
    assert!(
        secret.len() >= 32 && secret.chars().all(|c| c.is_ascii_hexdigit()),
        "128-bit secret"
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
        .hub()
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
        .hub()
        .send(pane, "hello", json!({}))
        .await
        .expect("send");
    let view = wait_for(
        Duration::from_secs(20),
        || rig.console.hub().conversation(pane).expect("view"),
        |v| reply_count(v) >= 1,
    )
    .await;
    assert_eq!(reply_count(&view), 1);
    let mut checked = 0;
    for entry in std::fs::read_dir(rig.dir.path())
        .expect("data dir")
        .filter_map(Result::ok)
    {
        let bytes = std::fs::read(entry.path()).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(DEFAULT_API_KEY),
            "API key in {}",
            entry.path().display()
        );
        // Every JWT starts with the base64 of `{"`.
        assert!(!text.contains("eyJ"), "a JWT in {}", entry.path().display());
        checked += 1;
    }
    assert!(checked >= 1);
}
