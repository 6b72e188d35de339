//! Launching the app again on the same data folder brings the running
//! window forward and quits, instead of opening a second window that can
//! only say the folder is in use.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Result, bail, ensure};
use avatar_console_core::instance::SOCKET_NAME;
use support::{App, app_binary};

#[tokio::test]
async fn a_second_launch_on_the_same_data_folder_hands_over_and_quits() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        app.wait_for_texts("[data-testid=pane]", |t| !t.is_empty())
            .await?;
        let started = Instant::now();
        let mut second = Command::new(app_binary()?)
            .env("AVATAR_CONSOLE_DATA_DIR", app.data_dir())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let status = loop {
            if let Some(status) = second.try_wait()? {
                break status;
            }
            if started.elapsed() > Duration::from_secs(20) {
                let _ = second.kill();
                let _ = second.wait();
                bail!("the second launch is still running after 20 s: it opened a window of its own");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        ensure!(status.success(), "the second launch quit with {status}");
        // The first app is untouched and still answers.
        let panes = app
            .wait_for_texts("[data-testid=pane]", |t| !t.is_empty())
            .await?;
        ensure!(panes.len() == 1, "one pane as before, got {}", panes.len());
        ensure!(
            app.data_dir().join(SOCKET_NAME).exists(),
            "the first app still listens for later launches"
        );
        println!(
            "second launch handed over and quit in {} ms",
            started.elapsed().as_millis()
        );
        anyhow::Ok(())
    }
    .await;
    app.finish("second-launch", result).await
}
