//! Forwards the core's events to the web UI on one typed channel.

use avatar_console_core::ConsoleRuntime;
use avatar_console_core::hub::HubEvent;
use tauri::Manager;
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::{self, error::RecvError};

/// The one event name the UI listens to; the payload is a `HubEvent`.
pub const HUB_EVENT: &str = "hub://event";

/// The events for the generated TypeScript module (`command_api`).
#[cfg(test)]
pub fn specs() -> Vec<crate::command_api::typescript::EventSpec> {
    vec![crate::command_api::typescript::EventSpec {
        name: HUB_EVENT,
        function: "onHubEvent",
        doc: "Every change the core reports: one reply, one turn, a pane added (deltas).",
        payload: crate::command_api::typescript::TsType::of::<HubEvent>(),
    }]
}

/// Forward the events of the runtime `app` manages (call after managing it).
pub fn forward(app: AppHandle, mut events: broadcast::Receiver<HubEvent>) {
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => emit(&app, &event),
                // Events are deltas (one reply, one turn): after a gap the UI
                // gets the whole state again instead of silently missing replies.
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "UI event listener lagged; sending the whole state");
                    match app.state::<ConsoleRuntime>().resync_events() {
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
