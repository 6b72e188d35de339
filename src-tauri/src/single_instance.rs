//! A second launch on the same data folder brings the first app's window
//! forward and quits (`avatar_console_core::instance`).

use std::path::Path;

use avatar_console_core::instance::{self, Claim};
use tauri::{AppHandle, Manager};

/// Whether another app on `data_dir` took over: then this one should quit
/// before it starts anything.
pub fn handed_over(app: &AppHandle, data_dir: &Path) -> bool {
    if let Err(e) = std::fs::create_dir_all(data_dir) {
        tracing::warn!(error = %e, "cannot create the data folder");
        return false;
    }
    match instance::claim(data_dir) {
        Ok(Claim::Forwarded) => {
            tracing::info!(data_dir = %data_dir.display(), "Avatar Console already runs on this data folder: showed its window");
            true
        }
        Ok(Claim::First(listener)) => {
            let app = app.clone();
            listener.serve(move || show_main_window(&app));
            false
        }
        Err(e) => {
            // Start anyway; a second app on the folder is still refused by the journal's lock.
            tracing::warn!(error = %e, "a second launch will not find this app");
            false
        }
    }
}

fn show_main_window(app: &AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let shown = window
        .unminimize()
        .and_then(|()| window.show())
        .and_then(|()| window.set_focus());
    if let Err(e) = shown {
        tracing::warn!(error = %e, "could not bring the window forward");
    }
}
