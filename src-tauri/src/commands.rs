//! Tauri commands: each maps one call onto the core and its error onto
//! `{code, message}`.

use avatar_console_core::model::{BackendInfo, ConversationView};
use avatar_console_core::{CoreError, ErrorPayload};
use serde_json::Value;
use tauri::State;
use uuid::Uuid;

use crate::startup::Backend;

type CommandResult<T> = Result<T, ErrorPayload>;

fn payload(e: CoreError) -> ErrorPayload {
    ErrorPayload::from(&e)
}

#[tauri::command]
pub fn backend_info(backend: State<'_, Backend>) -> BackendInfo {
    backend.console.info()
}

#[tauri::command]
pub fn list_conversations(backend: State<'_, Backend>) -> CommandResult<Vec<ConversationView>> {
    backend.console.hub().conversations().map_err(payload)
}

#[tauri::command]
pub fn new_conversation(backend: State<'_, Backend>) -> CommandResult<ConversationView> {
    backend.console.hub().create_conversation().map_err(payload)
}

#[tauri::command(rename_all = "camelCase")]
pub async fn send_message(
    backend: State<'_, Backend>,
    id: Uuid,
    utterance: String,
    custom_data: Value,
) -> CommandResult<ConversationView> {
    backend
        .console
        .hub()
        .send(id, &utterance, custom_data)
        .await
        .map_err(payload)
}
