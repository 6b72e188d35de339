//! About names the build — the workspace version and the commit the checkout
//! is at — and the data and log folders; "Open logs folder" hands the log
//! folder to the desktop's opener; the rotating log file there has the
//! start-up lines. scripts/lib/package-check.sh runs this file again against
//! the installed package (`AVATAR_CONSOLE_APP=/usr/bin/avatar-console`).

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use fantoccini::Locator;
use support::App;

/// A stand-in `xdg-open` that writes what it was asked to open into `record`.
fn fake_opener(bin: &Path, record: &Path) -> Result<()> {
    let script = bin.join("xdg-open");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}.part' && mv '{0}.part' '{0}'\n",
            record.display()
        ),
    )?;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
    Ok(())
}

/// The contents of `path` once it exists (10 s at most).
async fn wait_for_file(path: &Path) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            return Ok(text);
        }
        if Instant::now() > deadline {
            bail!("{} did not appear within 10 s", path.display());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn log_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("no log folder {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with("avatar-console.") && name.ends_with(".log") {
            files.push(path);
        }
    }
    Ok(files)
}

#[tokio::test]
async fn about_names_the_build_and_folders_and_opens_the_logs() -> Result<()> {
    let logs = tempfile::tempdir()?;
    let bin = tempfile::tempdir()?;
    let opened = bin.path().join("opened.txt");
    fake_opener(bin.path(), &opened)?;
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let app = App::launch_with_env(&[
        ("AVATAR_CONSOLE_LOG_DIR", logs.path().display().to_string()),
        ("PATH", path),
    ])
    .await?;
    let result = async {
        app.wait_for_texts("[data-testid=pane]", |t| !t.is_empty())
            .await?;
        app.click(Locator::Css("[data-testid=open-about]")).await?;
        // What src-tauri/build.rs recorded, had it been built from this checkout.
        let commit = avatar_build_info::commit(Path::new(env!("CARGO_MANIFEST_DIR")));
        let version = app
            .wait_for_texts("[data-testid=about-version]", |t| !t.is_empty())
            .await?;
        ensure!(
            version == [env!("CARGO_PKG_VERSION")],
            "version shown: {version:?}"
        );
        let shown = app
            .wait_for_contents("[data-testid=about-commit]", |t| !t.is_empty())
            .await?;
        ensure!(
            shown == [commit.as_str()],
            "commit shown: {shown:?}, expected {commit}"
        );
        let data_dir = app.data_dir().display().to_string();
        let shown = app
            .wait_for_contents("[data-testid=about-data-dir]", |t| !t.is_empty())
            .await?;
        ensure!(shown == [data_dir.as_str()], "data folder shown: {shown:?}");
        let log_dir = logs.path().display().to_string();
        let shown = app
            .wait_for_contents("[data-testid=about-log-dir]", |t| !t.is_empty())
            .await?;
        ensure!(shown == [log_dir.as_str()], "log folder shown: {shown:?}");
        app.screenshot("about.png").await?;

        app.click(Locator::Css("[data-testid=open-logs-folder]")).await?;
        let asked = wait_for_file(&opened).await?;
        ensure!(
            asked.trim() == log_dir,
            "the opener was asked to open {asked:?}, not {log_dir}"
        );

        // The rotating file has the start-up lines, with the build named.
        let files = log_files(logs.path())?;
        ensure!(files.len() == 1, "one log file for today: {files:?}");
        let text = std::fs::read_to_string(&files[0])?;
        ensure!(
            text.contains("Avatar Console starting")
                && text.contains(&commit)
                && text.contains("backend ready"),
            "the log file lacks the start-up lines:\n{text}"
        );
        ensure!(
            !text.contains("\u{1b}["),
            "the log file has terminal colour codes"
        );
        anyhow::Ok(())
    }
    .await;
    app.finish("about", result).await
}
