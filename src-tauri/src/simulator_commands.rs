//! Tauri commands for the embedded simulator's panel: each is one call onto
//! `ConsoleRuntime`.

use avatar_console_core::{Answer, ConsoleRuntime};
use avatar_simulator::{LoggedEvent, SimConfig};
use tauri::State;

#[tauri::command]
pub fn simulator_config(rt: State<'_, ConsoleRuntime>) -> Answer<SimConfig> {
    rt.simulator_config()
}

#[tauri::command]
pub fn set_simulator_config(rt: State<'_, ConsoleRuntime>, config: SimConfig) -> Answer<SimConfig> {
    rt.set_simulator_config(config)
}

#[tauri::command]
pub fn reset_simulator_conversations(rt: State<'_, ConsoleRuntime>) -> Answer<()> {
    rt.reset_simulator_conversations()
}

#[tauri::command]
pub fn simulator_events(rt: State<'_, ConsoleRuntime>, since: u64) -> Answer<Vec<LoggedEvent>> {
    rt.simulator_events(since)
}
