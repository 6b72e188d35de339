//! Forwards the core's events to the web UI on one typed channel.

use std::sync::Arc;

use avatar_console_core::hub::{Hub, HubEvent};
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::error::RecvError;

/// The one event name the UI listens to; the payload is a `HubEvent`.
pub const HUB_EVENT: &str = "hub://event";

pub fn forward(app: AppHandle, hub: Arc<Hub>) {
    let mut events = hub.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => emit(&app, &event),
                // Events are deltas (one reply, one turn): after a gap the UI
                // gets the whole state again instead of silently missing replies.
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "UI event listener lagged; sending the whole state");
                    match hub.resync_events() {
                        Ok(state) => state.iter().for_each(|event| emit(&app, event)),
                        Err(e) => tracing::error!(error = %e, "could not read the state to resync the UI"),
                    }
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

fn emit(app: &AppHandle, event: &HubEvent) {
    if let Err(e) = app.emit(HUB_EVENT, event) {
        tracing::warn!(error = %e, "could not emit an event to the UI");
    }
}
