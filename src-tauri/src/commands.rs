//! Tauri commands on panes, the inbox and presets: each is one call onto
//! the core's `ConsoleRuntime`, which answers errors as `{code, message}`.

use avatar_console_core::hub::{Restart, TokenStatus};
use avatar_console_core::model::{BackendInfo, ConversationView, InboxItemView, ReplyView, TurnView};
use avatar_console_core::presets::Preset;
use avatar_console_core::{Answer, ConsoleRuntime};
use serde_json::Value;
use tauri::{AppHandle, State};
use uuid::Uuid;

use crate::startup;

// The UI's first two calls: if the backend did not start they answer why
// (see `startup::StartupFailure`), and the window shows it.
#[tauri::command]
pub fn backend_info(app: AppHandle) -> Answer<BackendInfo> {
    Ok(startup::runtime(&app)?.backend_info())
}

#[tauri::command]
pub fn list_conversations(app: AppHandle) -> Answer<Vec<ConversationView>> {
    startup::runtime(&app)?.list_conversations()
}

#[tauri::command]
pub fn inbox_count(app: AppHandle) -> Answer<u32> {
    startup::runtime(&app)?.inbox_count()
}

#[tauri::command]
pub fn unpaired_replies(
    rt: State<'_, ConsoleRuntime>,
    id: Uuid,
    offset: usize,
    limit: usize,
) -> Answer<Vec<ReplyView>> {
    rt.unpaired_replies(id, offset, limit)
}

#[tauri::command]
pub fn new_conversation(rt: State<'_, ConsoleRuntime>) -> Answer<ConversationView> {
    rt.new_conversation()
}

#[tauri::command(rename_all = "camelCase")]
pub async fn send_message(
    rt: State<'_, ConsoleRuntime>,
    id: Uuid,
    utterance: String,
    custom_data: Value,
) -> Answer<TurnView> {
    rt.send_message(id, &utterance, custom_data).await
}

#[tauri::command]
pub fn duplicate_conversation(rt: State<'_, ConsoleRuntime>, id: Uuid) -> Answer<ConversationView> {
    rt.duplicate_conversation(id)
}

#[tauri::command]
pub fn restart_conversation(
    rt: State<'_, ConsoleRuntime>,
    id: Uuid,
    how: Restart,
) -> Answer<ConversationView> {
    rt.restart_conversation(id, how)
}

#[tauri::command]
pub fn close_conversation(rt: State<'_, ConsoleRuntime>, id: Uuid) -> Answer<()> {
    rt.close_conversation(id)
}

#[tauri::command]
pub fn move_conversation(rt: State<'_, ConsoleRuntime>, id: Uuid, index: usize) -> Answer<Vec<Uuid>> {
    rt.move_conversation(id, index)
}

#[tauri::command]
pub fn set_custom_data_template(rt: State<'_, ConsoleRuntime>, id: Uuid, template: String) -> Answer<()> {
    rt.set_custom_data_template(id, &template)
}

#[tauri::command]
pub async fn end_conversation(rt: State<'_, ConsoleRuntime>, id: Uuid) -> Answer<ConversationView> {
    rt.end_conversation(id).await
}

#[tauri::command]
pub fn list_inbox(rt: State<'_, ConsoleRuntime>) -> Answer<Vec<InboxItemView>> {
    rt.list_inbox()
}

#[tauri::command]
pub async fn token_statuses(rt: State<'_, ConsoleRuntime>) -> Answer<Vec<TokenStatus>> {
    Ok(rt.token_statuses().await)
}

#[tauri::command]
pub fn assign_inbox_item(rt: State<'_, ConsoleRuntime>, item: i64, id: Uuid) -> Answer<ConversationView> {
    rt.assign_inbox_item(item, id)
}

#[tauri::command(rename_all = "camelCase")]
pub fn list_presets(rt: State<'_, ConsoleRuntime>, profile_id: Uuid) -> Answer<Vec<Preset>> {
    rt.list_presets(profile_id)
}

#[tauri::command(rename_all = "camelCase")]
pub fn save_preset(
    rt: State<'_, ConsoleRuntime>,
    profile_id: Uuid,
    name: String,
    template: String,
) -> Answer<Vec<Preset>> {
    rt.save_preset(profile_id, &name, &template)
}

#[tauri::command(rename_all = "camelCase")]
pub fn delete_preset(rt: State<'_, ConsoleRuntime>, profile_id: Uuid, name: String) -> Answer<Vec<Preset>> {
    rt.delete_preset(profile_id, &name)
}
