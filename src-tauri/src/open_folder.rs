//! Opens a folder in the desktop's file manager, with the platform's own
//! opener (no plugin: one process to start).

use std::path::Path;
use std::process::{Command, Stdio};

#[cfg(target_os = "macos")]
const OPENER: &str = "open";
#[cfg(target_os = "windows")]
const OPENER: &str = "explorer";
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
const OPENER: &str = "xdg-open";

pub fn open_folder(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut child = Command::new(OPENER)
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Reaped when it ends, so no zombie stays behind; the file manager may
    // outlive it.
    std::thread::spawn(move || {
        if let Ok(status) = child.wait()
            && !status.success()
        {
            tracing::warn!(opener = OPENER, %status, "the file manager did not open");
        }
    });
    Ok(())
}
