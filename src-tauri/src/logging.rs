//! Logs go to the terminal and to a rotating file in the platform's log
//! folder, where a user who started the app from the menu (no terminal) can
//! find them through About → "Open logs folder".

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Overrides the log folder.
pub const LOG_DIR_ENV: &str = "AVATAR_CONSOLE_LOG_DIR";
/// Files are `avatar-console.YYYY-MM-DD.log`, one per day.
pub const LOG_FILE_PREFIX: &str = "avatar-console";
/// Days of logs kept; older files are deleted as a new day's file opens.
const LOG_FILES_KEPT: usize = 7;
const DEFAULT_FILTER: &str = "info,avatar_console_core=info,avatar_simulator=info";

/// `AVATAR_CONSOLE_LOG_DIR`; else `logs` inside a data folder given by
/// `AVATAR_CONSOLE_DATA_DIR` (tests and side-by-side setups then never write
/// into the user's log folder); else the platform's app log folder
/// (`~/.local/share/com.avatarconsole.app/logs` on Linux).
pub fn log_dir(app: &AppHandle, data_dir_overridden: Option<&Path>) -> Result<PathBuf, tauri::Error> {
    if let Some(dir) = std::env::var_os(LOG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    if let Some(data_dir) = data_dir_overridden {
        return Ok(data_dir.join("logs"));
    }
    app.path().app_log_dir()
}

fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| DEFAULT_FILTER.into())
}

/// Install the global subscriber: the terminal always, and the file in
/// `dir` (if given) when it can be opened; otherwise the terminal says why.
///
/// The file is written synchronously, line by line: the app logs little, and
/// a line is on disk before the app can crash or exit (a background writer
/// would lose its queue on `process::exit`).
pub fn init(dir: Option<&Path>) {
    // Standard error, the diagnostics stream: WebKitWebDriver (the e2e runs)
    // and desktop launchers keep it, and discard standard output.
    let terminal = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());
    let Some(dir) = dir else {
        let _ = tracing_subscriber::registry().with(terminal).try_init();
        return;
    };
    let file = std::fs::create_dir_all(dir)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            RollingFileAppender::builder()
                .rotation(Rotation::DAILY)
                .filename_prefix(LOG_FILE_PREFIX)
                .filename_suffix("log")
                .max_log_files(LOG_FILES_KEPT)
                .build(dir)
                .map_err(|e| e.to_string())
        });
    let (file_layer, file_error) = match file {
        Ok(appender) => (
            Some(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_writer(appender)
                    .with_filter(filter()),
            ),
            None,
        ),
        Err(e) => (None, Some(e)),
    };
    if tracing_subscriber::registry()
        .with(terminal)
        .with(file_layer)
        .try_init()
        .is_err()
    {
        return; // already installed (never in the app; harmless in tests)
    }
    match file_error {
        None => tracing::info!(
            version = avatar_console_core::about::version(),
            commit = avatar_console_core::about::commit(),
            log_dir = %dir.display(),
            "Avatar Console starting"
        ),
        Some(e) => {
            tracing::warn!(log_dir = %dir.display(), error = %e, "no log file: logging to the terminal only")
        }
    }
}
