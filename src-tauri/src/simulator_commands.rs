//! Tauri commands for the embedded simulator's panel: read and change its
//! bots and faults while it runs.

use avatar_console_core::{ErrorCode, ErrorPayload};
use avatar_simulator::{LoggedEvent, SimConfig};
use tauri::State;

use crate::startup::Backend;

#[tauri::command]
pub fn simulator_config(backend: State<'_, Backend>) -> SimConfig {
    SimConfig::clone(&backend.simulator.state.config())
}

#[tauri::command]
pub fn set_simulator_config(
    backend: State<'_, Backend>,
    config: SimConfig,
) -> Result<SimConfig, ErrorPayload> {
    if config.avatars.is_empty() {
        return Err(ErrorPayload::new(
            ErrorCode::InvalidInput,
            "keep at least one avatar",
        ));
    }
    backend.simulator.state.set_config(config);
    Ok(SimConfig::clone(&backend.simulator.state.config()))
}

/// Forget every conversation's state (counts, ended flags).
#[tauri::command]
pub fn reset_simulator_conversations(backend: State<'_, Backend>) {
    backend.simulator.state.reset_conversations();
}

/// What the simulator saw and did after event number `since`.
#[tauri::command]
pub fn simulator_events(backend: State<'_, Backend>, since: u64) -> Vec<LoggedEvent> {
    backend.simulator.state.events_since(since)
}
