//! Tauri commands for transcripts: export, test files, replay, bug reports.

use std::path::PathBuf;

use avatar_console_core::hub::ui_view;
use avatar_console_core::model::ConversationView;
use avatar_console_core::transcript::{
    ReplayOptions, ReplayReport, TestFile, bug_report, export_test, export_transcript, parse_transcript,
    replay,
};
use avatar_console_core::{CodedError, CoreError, ErrorCode, ErrorPayload};
use tauri::State;
use uuid::Uuid;

use crate::startup::Backend;

type CommandResult<T> = Result<T, ErrorPayload>;

fn core(e: CoreError) -> ErrorPayload {
    ErrorPayload::from(&e)
}

/// Export these panes (all open panes when `ids` is empty) to `path` (`.md` → Markdown).
#[tauri::command]
pub fn export_conversations(backend: State<'_, Backend>, ids: Vec<Uuid>, path: PathBuf) -> CommandResult<()> {
    let hub = backend.console.hub();
    let views = if ids.is_empty() {
        hub.conversations().map_err(core)?
    } else {
        ids.into_iter()
            .map(|id| hub.conversation(id))
            .collect::<Result<_, _>>()
            .map_err(core)?
    };
    export_transcript(&path, views).map_err(|e| ErrorPayload::from(&e))
}

#[tauri::command]
pub fn export_test_file(backend: State<'_, Backend>, id: Uuid, path: PathBuf) -> CommandResult<()> {
    let view = backend.console.hub().conversation(id).map_err(core)?;
    export_test(&path, &view).map_err(|e| ErrorPayload::from(&e))
}

/// Open a transcript file as new, read-only panes.
#[tauri::command]
pub fn import_transcript(backend: State<'_, Backend>, path: PathBuf) -> CommandResult<Vec<ConversationView>> {
    let text = std::fs::read_to_string(&path)
        .map_err(|e| ErrorPayload::new(ErrorCode::FileUnreadable, format!("{}: {e}", path.display())))?;
    let file = parse_transcript(&text)
        .map_err(|e| ErrorPayload::new(e.code(), format!("{}: {e}", path.display())))?;
    let views = file.import_into(backend.console.hub()).map_err(core)?;
    Ok(views.iter().map(ui_view).collect())
}

/// Replay a test file or transcript in a new pane and report per step.
#[tauri::command]
pub async fn replay_file(backend: State<'_, Backend>, path: PathBuf) -> CommandResult<ReplayReport> {
    let text = std::fs::read_to_string(&path)
        .map_err(|e| ErrorPayload::new(ErrorCode::FileUnreadable, format!("{}: {e}", path.display())))?;
    let test = TestFile::from_any(&text)
        .map_err(|e| ErrorPayload::new(e.code(), format!("{}: {e}", path.display())))?;
    replay(backend.console.hub(), &test, &ReplayOptions::default())
        .await
        .map_err(core)
}

#[tauri::command]
pub fn bug_report_for_turn(backend: State<'_, Backend>, id: Uuid, seq: u32) -> CommandResult<String> {
    let view = backend.console.hub().conversation(id).map_err(core)?;
    bug_report(&view, seq).ok_or_else(|| {
        ErrorPayload::new(
            ErrorCode::UnknownTurn,
            format!("the conversation has no turn {seq}"),
        )
    })
}
