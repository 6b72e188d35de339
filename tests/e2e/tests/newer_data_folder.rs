//! A data folder written by a newer Avatar Console is refused: the window
//! says which version wrote it and what to do, and nothing in the folder is
//! written — no stamp, store, socket, log file or window state.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, ensure};
use avatar_console_core::data_folder::{DATA_FORMAT, STAMP_FILE};
use support::App;

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path.clone());
            }
            let bytes = if path.is_file() {
                std::fs::read(&path)?
            } else {
                Vec::new()
            };
            files.insert(path, bytes);
        }
    }
    Ok(files)
}

#[tokio::test]
async fn a_data_folder_from_a_newer_version_is_refused_and_left_untouched() -> Result<()> {
    let data = tempfile::tempdir()?;
    std::fs::write(
        data.path().join(STAMP_FILE),
        format!(r#"{{"format": {}, "writtenBy": "9.0.0"}}"#, DATA_FORMAT + 1),
    )?;
    std::fs::write(
        data.path().join("console.db"),
        b"a store of a format this build cannot read",
    )?;
    std::fs::write(data.path().join("profiles.db"), b"newer profiles")?;
    let before = snapshot(data.path())?;

    // No log folder of its own: by default the logs would go inside this folder.
    let app = App::launch_with_env(&[("AVATAR_CONSOLE_DATA_DIR", data.path().display().to_string())]).await?;
    let result = async {
        let banner = app
            .wait_for_texts("[role=alert]", |t| t.iter().any(|s| s.contains("9.0.0")))
            .await?;
        let text = banner.join(" ");
        ensure!(
            text.contains("was written by Avatar Console 9.0.0")
                && text.contains("It was left untouched")
                && text.contains("install Avatar Console 9.0.0 or newer"),
            "the banner says who wrote the folder and what to do: {text:?}"
        );
        app.screenshot("newer-data-folder.png").await?;
        anyhow::Ok(())
    }
    .await;
    app.finish("newer-data-folder", result).await?;
    let after = snapshot(data.path())?;
    ensure!(
        after == before,
        "the folder changed: before {:?}, after {:?}",
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    Ok(())
}
