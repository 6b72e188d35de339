//! Profiles through the real app: the simulator profile's connection test,
//! and a new profile whose API key, typed into the window, goes to the OS
//! keychain and to no file of the data folder, no log and not the page.

mod support;

use std::time::Duration;

use std::path::Path;

use anyhow::{Context, Result, ensure};
use avatar_console_core::secrets::KEYCHAIN_SERVICE;
use fantoccini::Locator;
use support::App;

const SECRET: &str = "e2e-very-secret-api-key-7f3a";

/// The secrets libsecret's `secret-tool` finds under the app's service.
fn keychain_secrets() -> Result<Vec<String>> {
    let output = std::process::Command::new("secret-tool")
        .args(["search", "--all", "--unlock", "service", KEYCHAIN_SERVICE])
        .output()
        .context("secret-tool (apt package libsecret-tools) must be installed")?;
    // Items go to stdout ("secret = …" among their attributes), one per block.
    let text =
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    Ok(text
        .lines()
        .filter_map(|l| l.strip_prefix("secret = "))
        .map(str::to_owned)
        .collect())
}

/// Every file under `dir` (any depth), and those holding the key.
fn scan(dir: &Path, files: &mut Vec<String>, holding: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let kind = std::fs::symlink_metadata(&path)?.file_type();
        if kind.is_dir() {
            scan(&path, files, holding)?;
        } else if kind.is_file() {
            let bytes = std::fs::read(&path)?;
            if bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()) {
                holding.push(path.display().to_string());
            }
            files.push(path.display().to_string());
        }
    }
    Ok(())
}

#[tokio::test]
async fn simulator_connection_test_and_a_keychain_backed_profile() -> Result<()> {
    // Trace level: the log scanned below holds all the app can log.
    let app = App::launch_with_env(&[("RUST_LOG", "trace".into())]).await?;
    let result = async {
        let c = &app.client;
        app.click(Locator::Css("[data-testid=open-profiles]")).await?;
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css("[data-testid=profiles-dialog]"))
            .await?;
        // The first profile is the embedded simulator's.
        app.click(Locator::Css("[data-testid=test-connection]")).await?;
        let result = app
            .wait_for_texts("[data-testid=connection-result]", |t| !t.is_empty())
            .await?;
        ensure!(
            result[0].starts_with("Connected"),
            "simulator connection test: {result:?}"
        );

        // A new profile with an API key.
        app.click(Locator::XPath("//button[contains(., '+ New profile')]"))
            .await?;
        let secret_input = c
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css("[data-testid=profile-secret]"))
            .await?;
        let account = c
            .find(Locator::XPath("//label[contains(., 'Account id')]/input"))
            .await?;
        account.send_keys("4242").await?;
        secret_input.send_keys(SECRET).await?;
        app.click(Locator::XPath("//button[normalize-space(.)='Save']"))
            .await?;
        let saved = app
            .wait_for_texts(".profile-list .link-row", |t| {
                t.iter()
                    .any(|r| r.contains("New profile") && r.contains("key saved"))
            })
            .await?;
        println!("saved: {saved:?}");
        // Not in the page: neither its markup nor the value of any field
        // (page source does not show what was typed into an input).
        let page = c.source().await?;
        ensure!(!page.contains(SECRET), "the API key is in the page's markup");
        let typed = c
            .execute(
                "return [...document.querySelectorAll('input, textarea')].some(e => e.value.includes(arguments[0]));",
                vec![SECRET.into()],
            )
            .await?;
        ensure!(typed == serde_json::Value::Bool(false), "a field still holds the API key");
        app.screenshot("profiles.png").await?;

        // The key went where the app's real path puts it: the OS keychain,
        // read back independently with libsecret's secret-tool…
        let in_keychain = keychain_secrets()?;
        ensure!(
            in_keychain.iter().any(|s| s == SECRET),
            "the key is not in the keychain under {KEYCHAIN_SERVICE} ({} entries there)",
            in_keychain.len()
        );
        // …and nowhere on disk: no file of the data folder (the databases,
        // their -wal/-shm/-log, the callback secret's file, the log file),
        // nor what the app printed.
        let mut files = Vec::new();
        let mut holding = Vec::new();
        scan(app.data_dir(), &mut files, &mut holding)?;
        ensure!(holding.is_empty(), "the key is in {holding:?}");
        ensure!(files.iter().any(|f| f.ends_with("profiles.db-wal")), "read {files:?}");
        // The app's log file is among them: with AVATAR_CONSOLE_DATA_DIR set
        // it is `logs/avatar-console.<date>.log` inside the data folder.
        let log_files: Vec<_> = files.iter().filter(|f| f.contains("/logs/avatar-console")).collect();
        ensure!(!log_files.is_empty(), "no log file was scanned: {files:?}");
        let file_log = log_files
            .iter()
            .map(std::fs::read_to_string)
            .collect::<Result<String, _>>()?;
        ensure!(file_log.contains("callback server listening"), "the log file holds no record of the start");
        // And what it printed to standard error (the terminal's copy).
        let log = app.log()?;
        ensure!(log.contains("callback server listening"), "the app's log was not captured: {log:?}");
        ensure!(!log.contains(SECRET), "the key is in the app's log");
        anyhow::Ok(())
    }
    .await;
    app.finish("profiles", result).await
}
