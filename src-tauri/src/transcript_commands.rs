//! Tauri commands for transcripts: export, test files, replay, bug reports;
//! each is one call onto `ConsoleRuntime`.

use std::path::PathBuf;

use avatar_console_core::model::ConversationView;
use avatar_console_core::transcript::ReplayReport;
use avatar_console_core::{Answer, ConsoleRuntime};
use tauri::State;
use uuid::Uuid;

#[tauri::command]
pub fn export_conversations(rt: State<'_, ConsoleRuntime>, ids: Vec<Uuid>, path: PathBuf) -> Answer<()> {
    rt.export_conversations(ids, &path)
}

#[tauri::command]
pub fn export_test_file(rt: State<'_, ConsoleRuntime>, id: Uuid, path: PathBuf) -> Answer<()> {
    rt.export_test_file(id, &path)
}

#[tauri::command]
pub fn import_transcript(rt: State<'_, ConsoleRuntime>, path: PathBuf) -> Answer<Vec<ConversationView>> {
    rt.import_transcript(&path)
}

#[tauri::command]
pub async fn replay_file(rt: State<'_, ConsoleRuntime>, path: PathBuf) -> Answer<ReplayReport> {
    rt.replay_file(&path).await
}

#[tauri::command]
pub fn bug_report_for_turn(rt: State<'_, ConsoleRuntime>, id: Uuid, seq: u32) -> Answer<String> {
    rt.bug_report_for_turn(id, seq)
}
