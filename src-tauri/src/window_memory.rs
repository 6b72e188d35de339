//! The window's size and position, remembered by Tauri's window-state
//! plugin. The plugin writes its file only when the app exits normally; this
//! also writes it once a move or resize has settled, so a window that was
//! killed, crashed or lost its session still reopens where it last was.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Manager, WebviewWindow, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// A drag sends a burst of events: write once it has been still this long.
const SETTLE: Duration = Duration::from_millis(500);

/// Install the plugin (its file at `file` when given, else its default in
/// the app's config folder). Before the window is made: the plugin restores
/// the saved state as each window becomes ready.
pub fn install(app: &AppHandle, file: Option<String>) -> tauri::Result<()> {
    let mut builder = tauri_plugin_window_state::Builder::new();
    if let Some(file) = file {
        builder = builder.with_filename(file);
    }
    app.plugin(builder.build())
}

/// Write the state once `window` has stopped moving or resizing.
pub fn save_when_settled(window: &WebviewWindow) {
    let app = window.app_handle().clone();
    let changes = Arc::new(AtomicU64::new(0));
    window.on_window_event(move |event| {
        if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            return;
        }
        let this = changes.fetch_add(1, Ordering::SeqCst) + 1;
        let (app, changes) = (app.clone(), changes.clone());
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(SETTLE).await;
            // Only the last change of a burst writes.
            if changes.load(Ordering::SeqCst) == this
                && let Err(e) = app.save_window_state(StateFlags::all())
            {
                tracing::warn!(error = %e, "could not save the window's size and position");
            }
        });
    });
}
