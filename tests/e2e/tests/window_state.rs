//! The app remembers its window's size and position: moved and resized, it
//! writes them down once the window is still (Tauri's window-state plugin;
//! with AVATAR_CONSOLE_DATA_DIR set, its file is `window-state.json` in the
//! data folder), and the next launch opens where and as large as it was —
//! even though this one ends by being killed, as the driver ends it.

mod support;

use std::time::{Duration, Instant};

use anyhow::{Result, bail, ensure};
use support::App;

/// The size and place the test gives the window: not the configured 1200×760.
const RECT: (u32, u32, u32, u32) = (60, 40, 900, 620);

#[tokio::test]
async fn the_window_opens_where_and_as_large_as_it_was() -> Result<()> {
    let data = tempfile::tempdir()?;
    let env = [("AVATAR_CONSOLE_DATA_DIR", data.path().display().to_string())];
    let state_file = data.path().join("window-state.json");

    let app = App::launch_with_env(&env).await?;
    let result = async {
        app.wait_for_texts("[data-testid=pane]", |t| !t.is_empty())
            .await?;
        let (x, y, width, height) = RECT;
        app.client.set_window_rect(x, y, width, height).await?;
        let now = app.client.get_window_rect().await?;
        ensure!(
            (now.2, now.3) == (u64::from(width), u64::from(height)),
            "the window did not take the test's size: {now:?}"
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let saved = std::fs::read_to_string(&state_file)
                .ok()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok());
            let main = saved.as_ref().map(|s| &s["main"]);
            let rect = main.map(|m| {
                (
                    m["x"].as_i64(),
                    m["y"].as_i64(),
                    m["width"].as_u64(),
                    m["height"].as_u64(),
                )
            });
            let wanted = (
                Some(i64::from(x)),
                Some(i64::from(y)),
                Some(u64::from(width)),
                Some(u64::from(height)),
            );
            if rect == Some(wanted) {
                break;
            }
            if Instant::now() > deadline {
                bail!(
                    "{} does not hold the new rect 10 s after the change: {saved:?}",
                    state_file.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::Ok(())
    }
    .await;
    // Killed with its driver, not closed: nothing is saved at exit.
    drop(app);
    result?;

    let app = App::launch_with_env(&env).await?;
    let result = async {
        app.wait_for_texts("[data-testid=pane]", |t| !t.is_empty())
            .await?;
        let (x, y, width, height) = app.client.get_window_rect().await?;
        ensure!(
            (width, height) == (u64::from(RECT.2), u64::from(RECT.3)),
            "reopened at {width}×{height}, not the {}×{} it had",
            RECT.2,
            RECT.3
        );
        ensure!(
            (x, y) == (u64::from(RECT.0), u64::from(RECT.1)),
            "reopened at ({x}, {y}), not at ({}, {}) where it was",
            RECT.0,
            RECT.1
        );
        anyhow::Ok(())
    }
    .await;
    app.finish("window-state", result).await
}
