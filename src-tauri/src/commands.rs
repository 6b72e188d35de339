//! Tauri commands: each maps one call onto the core and its error onto
//! `{code, message}`.

use avatar_console_core::hub::{Restart, TokenStatus, ui_view};
use avatar_console_core::model::{BackendInfo, ConversationView, InboxItemView, ReplyView, TurnView};
use avatar_console_core::presets::{self, Preset};
use avatar_console_core::{CoreError, ErrorPayload};
use serde_json::Value;
use tauri::{AppHandle, State};
use uuid::Uuid;

use crate::startup::{self, Backend};

type CommandResult<T> = Result<T, ErrorPayload>;

fn payload(e: CoreError) -> ErrorPayload {
    ErrorPayload::from(&e)
}

// The UI's first two calls: if the backend did not start they answer why
// (see `startup::StartupFailure`), and the window shows it.
#[tauri::command]
pub fn backend_info(app: AppHandle) -> CommandResult<BackendInfo> {
    Ok(startup::backend(&app)?.console.info())
}

#[tauri::command]
pub fn list_conversations(app: AppHandle) -> CommandResult<Vec<ConversationView>> {
    startup::backend(&app)?
        .console
        .hub()
        .conversations_for_ui()
        .map_err(payload)
}

/// How many requests the inbox holds: the status bar's count at start-up.
#[tauri::command]
pub fn inbox_count(app: AppHandle) -> CommandResult<u32> {
    startup::backend(&app)?
        .console
        .hub()
        .inbox_count()
        .map_err(payload)
}

/// Unpaired replies `offset..offset + limit` of a pane's conversation (oldest
/// first), for the rows its view leaves out (`olderUnpaired`).
#[tauri::command]
pub fn unpaired_replies(
    backend: State<'_, Backend>,
    id: Uuid,
    offset: usize,
    limit: usize,
) -> CommandResult<Vec<ReplyView>> {
    backend
        .console
        .hub()
        .unpaired_replies(id, offset, limit)
        .map_err(payload)
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
) -> CommandResult<TurnView> {
    backend
        .console
        .hub()
        .send(id, &utterance, custom_data)
        .await
        .map_err(payload)
}

#[tauri::command]
pub fn duplicate_conversation(backend: State<'_, Backend>, id: Uuid) -> CommandResult<ConversationView> {
    backend.console.hub().duplicate_conversation(id).map_err(payload)
}

#[tauri::command]
pub fn restart_conversation(
    backend: State<'_, Backend>,
    id: Uuid,
    how: Restart,
) -> CommandResult<ConversationView> {
    backend
        .console
        .hub()
        .restart_conversation(id, how)
        .map_err(payload)
}

#[tauri::command]
pub fn close_conversation(backend: State<'_, Backend>, id: Uuid) -> CommandResult<()> {
    backend.console.hub().close_conversation(id).map_err(payload)
}

#[tauri::command]
pub fn move_conversation(backend: State<'_, Backend>, id: Uuid, index: usize) -> CommandResult<Vec<Uuid>> {
    backend
        .console
        .hub()
        .move_conversation(id, index)
        .map_err(payload)
}

#[tauri::command]
pub fn set_custom_data_template(
    backend: State<'_, Backend>,
    id: Uuid,
    template: String,
) -> CommandResult<()> {
    backend
        .console
        .hub()
        .set_custom_data_template(id, &template)
        .map_err(payload)
}

/// Ask the avatar to stop the session (the API's stop endpoint) and mark the pane ended.
#[tauri::command]
pub async fn end_conversation(backend: State<'_, Backend>, id: Uuid) -> CommandResult<ConversationView> {
    let view = backend
        .console
        .hub()
        .end_conversation(id)
        .await
        .map_err(payload)?;
    Ok(ui_view(&view))
}

/// Requests the callback server kept aside (orphan, malformed, rejected), newest first.
#[tauri::command]
pub fn list_inbox(backend: State<'_, Backend>) -> CommandResult<Vec<InboxItemView>> {
    backend.console.hub().inbox().map_err(payload)
}

/// Each profile's avatar API token (for the status bar).
#[tauri::command]
pub async fn token_statuses(backend: State<'_, Backend>) -> CommandResult<Vec<TokenStatus>> {
    Ok(backend.console.hub().profiles().token_statuses().await)
}

/// Attach an inbox item (a valid callback for an unknown conversation) to a pane.
#[tauri::command]
pub fn assign_inbox_item(
    backend: State<'_, Backend>,
    item: i64,
    id: Uuid,
) -> CommandResult<ConversationView> {
    let view = backend
        .console
        .hub()
        .assign_inbox_item(item, id)
        .map_err(payload)?;
    Ok(ui_view(&view))
}

/// customData presets of a profile.
#[tauri::command(rename_all = "camelCase")]
pub fn list_presets(backend: State<'_, Backend>, profile_id: Uuid) -> CommandResult<Vec<Preset>> {
    presets::list(backend.console.hub().store(), profile_id).map_err(payload)
}

#[tauri::command(rename_all = "camelCase")]
pub fn save_preset(
    backend: State<'_, Backend>,
    profile_id: Uuid,
    name: String,
    template: String,
) -> CommandResult<Vec<Preset>> {
    presets::save(backend.console.hub().store(), profile_id, &name, &template).map_err(payload)
}

#[tauri::command(rename_all = "camelCase")]
pub fn delete_preset(
    backend: State<'_, Backend>,
    profile_id: Uuid,
    name: String,
) -> CommandResult<Vec<Preset>> {
    presets::delete(backend.console.hub().store(), profile_id, &name).map_err(payload)
}
