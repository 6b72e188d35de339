//! Forwards the core's events to the web UI on one typed channel.

use avatar_console_core::hub::HubEvent;
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::{Receiver, error::RecvError};

/// The one event name the UI listens to; the payload is a `HubEvent`.
pub const HUB_EVENT: &str = "hub://event";

pub fn forward(app: AppHandle, mut events: Receiver<HubEvent>) {
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Err(e) = app.emit(HUB_EVENT, &event) {
                        tracing::warn!(error = %e, "could not emit an event to the UI");
                    }
                }
                // Each update carries a whole conversation, so the next one heals a gap.
                Err(RecvError::Lagged(n)) => tracing::warn!(missed = n, "UI event listener lagged"),
                Err(RecvError::Closed) => break,
            }
        }
    });
}
