//! Launching the app again on the same data folder brings the running
//! window forward (it gets the input focus back) and quits, instead of
//! opening a second window that can only say the folder is in use.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use avatar_console_core::instance::SOCKET_NAME;
use support::{App, app_binary};

/// Run xdotool (the apt package of that name) and return what it printed.
fn xdotool(args: &[&str]) -> Result<String> {
    let output = Command::new("xdotool")
        .args(args)
        .output()
        .context("xdotool (apt package xdotool, installed by scripts/lib/setup.sh) must be installed")?;
    ensure!(
        output.status.success(),
        "xdotool {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn root_window() -> Result<String> {
    xdotool(&["search", "--maxdepth", "0", "--name", ""])
        .map(|ids| ids.lines().next().unwrap_or_default().to_owned())
}

/// The process owning the window with the X input focus (`_NET_WM_PID`),
/// if the focus is on a window that names one (not on the root window, nor
/// `PointerRoot`, which xdotool reports as an error).
fn focused_pid() -> Result<Option<u32>> {
    let Ok(window) = xdotool(&["getwindowfocus"]) else {
        return Ok(None);
    };
    let pid = Command::new("xdotool").args(["getwindowpid", &window]).output()?;
    Ok(String::from_utf8_lossy(&pid.stdout).trim().parse().ok())
}

#[tokio::test]
async fn a_second_launch_on_the_same_data_folder_hands_over_and_quits() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        app.wait_for_texts("[data-testid=pane]", |t| !t.is_empty())
            .await?;
        // Take the X input focus away from the window (to the root window),
        // so that getting it back is the second launch's doing.
        let pid = app.pid()?;
        xdotool(&["windowfocus", "--sync", &root_window()?])?;
        ensure!(focused_pid()? != Some(pid), "the window kept the focus");
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
        // The first app's window came forward: it has the input focus again
        // (Xvfb runs no window manager, so GTK raises and focuses it itself).
        let deadline = Instant::now() + support::WAIT;
        while focused_pid()? != Some(pid) {
            ensure!(
                Instant::now() < deadline,
                "the window of pid {pid} did not get the focus back within {:?}",
                support::WAIT
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
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
