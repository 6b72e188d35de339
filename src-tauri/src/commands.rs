//! Every command the UI can call, in one list. Each is one call onto the
//! core's `ConsoleRuntime` (or, for About, onto the folders known before it
//! starts); `command_api!` turns the list into the Tauri commands, their
//! handler and `ui/src/bindings/commands.ts` (see `command_api/mod.rs`).

use std::path::PathBuf;

use avatar_console_core::about::About;
use avatar_console_core::hub::{Restart, TokenStatus};
use avatar_console_core::model::{BackendInfo, ConversationView, InboxItemView, ReplyView, TurnView};
use avatar_console_core::presets::Preset;
use avatar_console_core::profile_service::ProfileView;
use avatar_console_core::profiles::{ConnectionTestReport, Profile};
use avatar_console_core::public_url::{PublicUrlChoice, PublicUrlView, SelfTestReport};
use avatar_console_core::transcript::ReplayReport;
use avatar_console_core::{ConsoleRuntime, ErrorCode, ErrorPayload};
use avatar_simulator::{LoggedEvent, SimConfig};
use serde_json::Value;
use tauri::{AppHandle, State};
use uuid::Uuid;

use crate::command_api::command_api;
use crate::open_folder::open_folder;
use crate::startup::{self, Folders};

command_api! {
    // --- About (works when the backend did not start) ---

    /// Version, commit and the folders this app uses.
    sync fn about(folders: State<'_, Folders>) -> About {
        Ok(About::new(&folders.data_dir, &folders.log_dir))
    }

    /// Opens the log folder in the desktop's file manager.
    sync fn open_logs_folder(folders: State<'_, Folders>) -> () {
        open_folder(&folders.log_dir).map_err(|e| {
            ErrorPayload::new(ErrorCode::OpenFailed, format!("could not open {}: {e}", folders.log_dir.display()))
        })
    }

    // --- Panes. The UI's first calls answer why the backend did not start,
    // if it did not (`startup::StartupFailure`), and the window shows it. ---

    /// What the backend is connected to (simulator or profile, callback URL).
    sync fn backend_info(app: AppHandle) -> BackendInfo {
        Ok(startup::runtime(&app)?.backend_info())
    }

    /// Every open pane, in order.
    sync fn list_conversations(app: AppHandle) -> Vec<ConversationView> {
        startup::runtime(&app)?.list_conversations()
    }

    /// The inbox's size now (later changes arrive as `inboxChanged` events).
    sync fn inbox_count(app: AppHandle) -> u32 {
        startup::runtime(&app)?.inbox_count()
    }

    /// Unpaired replies `offset..offset + limit` (oldest first) of a pane's conversation.
    sync fn unpaired_replies(rt: State<'_, ConsoleRuntime>, id: Uuid, offset: usize, limit: usize) -> Vec<ReplyView> {
        rt.unpaired_replies(id, offset, limit)
    }

    sync fn new_conversation(rt: State<'_, ConsoleRuntime>) -> ConversationView {
        rt.new_conversation()
    }

    /// Sends one utterance; the reply arrives later as events.
    async fn send_message(rt: State<'_, ConsoleRuntime>, id: Uuid, utterance: String, custom_data: Value) -> TurnView {
        rt.send_message(id, &utterance, custom_data).await
    }

    sync fn duplicate_conversation(rt: State<'_, ConsoleRuntime>, id: Uuid) -> ConversationView {
        rt.duplicate_conversation(id)
    }

    sync fn restart_conversation(rt: State<'_, ConsoleRuntime>, id: Uuid, how: Restart) -> ConversationView {
        rt.restart_conversation(id, how)
    }

    sync fn close_conversation(rt: State<'_, ConsoleRuntime>, id: Uuid) -> () {
        rt.close_conversation(id)
    }

    /// Moves a pane to `index`; answers the new order.
    sync fn move_conversation(rt: State<'_, ConsoleRuntime>, id: Uuid, index: usize) -> Vec<Uuid> {
        rt.move_conversation(id, index)
    }

    sync fn set_custom_data_template(rt: State<'_, ConsoleRuntime>, id: Uuid, template: String) -> () {
        rt.set_custom_data_template(id, &template)
    }

    async fn end_conversation(rt: State<'_, ConsoleRuntime>, id: Uuid) -> ConversationView {
        rt.end_conversation(id).await
    }

    // --- Inbox, tokens and presets ---

    sync fn list_inbox(rt: State<'_, ConsoleRuntime>) -> Vec<InboxItemView> {
        rt.list_inbox()
    }

    /// Moves an inbox item into a pane's conversation.
    sync fn assign_inbox_item(rt: State<'_, ConsoleRuntime>, item: i64, id: Uuid) -> ConversationView {
        rt.assign_inbox_item(item, id)
    }

    async fn token_statuses(rt: State<'_, ConsoleRuntime>) -> Vec<TokenStatus> {
        Ok(rt.token_statuses().await)
    }

    sync fn list_presets(rt: State<'_, ConsoleRuntime>, profile_id: Uuid) -> Vec<Preset> {
        rt.list_presets(profile_id)
    }

    sync fn save_preset(rt: State<'_, ConsoleRuntime>, profile_id: Uuid, name: String, template: String) -> Vec<Preset> {
        rt.save_preset(profile_id, &name, &template)
    }

    sync fn delete_preset(rt: State<'_, ConsoleRuntime>, profile_id: Uuid, name: String) -> Vec<Preset> {
        rt.delete_preset(profile_id, &name)
    }

    // --- Profiles (the runtime keeps the hub in step with what is saved) ---

    async fn list_profiles(rt: State<'_, ConsoleRuntime>) -> Vec<ProfileView> {
        rt.list_profiles().await
    }

    /// `secret` only when the user typed one: it goes to the OS keychain.
    async fn save_profile(rt: State<'_, ConsoleRuntime>, profile: Profile, secret: Option<String>) -> ProfileView {
        rt.save_profile(profile, secret).await
    }

    async fn duplicate_profile(rt: State<'_, ConsoleRuntime>, id: Uuid) -> ProfileView {
        rt.duplicate_profile(id).await
    }

    async fn delete_profile(rt: State<'_, ConsoleRuntime>, id: Uuid) -> bool {
        rt.delete_profile(id).await
    }

    /// Keeps the profile's secret in memory only, for this run.
    sync fn keep_secret_for_session(rt: State<'_, ConsoleRuntime>, id: Uuid) -> () {
        rt.keep_secret_for_session(id);
        Ok(())
    }

    async fn test_connection(rt: State<'_, ConsoleRuntime>, id: Uuid) -> ConnectionTestReport {
        rt.test_connection(id).await
    }

    // --- Transcripts, test files, replay, bug reports ---

    sync fn export_conversations(rt: State<'_, ConsoleRuntime>, ids: Vec<Uuid>, path: PathBuf) -> () {
        rt.export_conversations(ids, &path)
    }

    sync fn export_test_file(rt: State<'_, ConsoleRuntime>, id: Uuid, path: PathBuf) -> () {
        rt.export_test_file(id, &path)
    }

    sync fn import_transcript(rt: State<'_, ConsoleRuntime>, path: PathBuf) -> Vec<ConversationView> {
        rt.import_transcript(&path)
    }

    async fn replay_file(rt: State<'_, ConsoleRuntime>, path: PathBuf) -> ReplayReport {
        rt.replay_file(&path).await
    }

    /// A Markdown bug report for one turn, secrets left out.
    sync fn bug_report_for_turn(rt: State<'_, ConsoleRuntime>, id: Uuid, seq: u32) -> String {
        rt.bug_report_for_turn(id, seq)
    }

    // --- The public callback URL and its self-test ---

    async fn set_public_url(rt: State<'_, ConsoleRuntime>, choice: PublicUrlChoice) -> PublicUrlView {
        rt.set_public_url(&choice).await
    }

    async fn public_url(rt: State<'_, ConsoleRuntime>) -> Option<PublicUrlView> {
        Ok(rt.public_url().await)
    }

    async fn self_test(rt: State<'_, ConsoleRuntime>) -> SelfTestReport {
        Ok(rt.self_test().await)
    }

    // --- The embedded simulator's panel ---

    sync fn simulator_config(rt: State<'_, ConsoleRuntime>) -> SimConfig {
        rt.simulator_config()
    }

    sync fn set_simulator_config(rt: State<'_, ConsoleRuntime>, config: SimConfig) -> SimConfig {
        rt.set_simulator_config(config)
    }

    sync fn reset_simulator_conversations(rt: State<'_, ConsoleRuntime>) -> () {
        rt.reset_simulator_conversations()
    }

    /// The simulator's event log after `since`.
    sync fn simulator_events(rt: State<'_, ConsoleRuntime>, since: u64) -> Vec<LoggedEvent> {
        rt.simulator_events(since)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    /// Writes `ui/src/bindings/commands.ts`; the test command fails when the
    /// committed file differs from what this writes (as for ts-rs's types).
    #[test]
    fn writes_the_typescript_command_module() {
        let dir = std::env::var_os("TS_RS_EXPORT_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings"));
        let ts = crate::command_api::typescript::typescript(&super::specs(), &crate::events::specs());
        std::fs::write(dir.join("commands.ts"), &ts).expect("write commands.ts");
        for import in ts.lines().filter_map(|l| l.strip_prefix("import type ")) {
            let path = import.split('"').nth(1).expect("an import names its file");
            let file = dir.join(format!("{path}.ts"));
            assert!(
                file.is_file(),
                "commands.ts imports {}, which nothing exported",
                file.display()
            );
        }
        for name in ["backendInfo", "sendMessage", "simulatorEvents", "onHubEvent"] {
            assert!(ts.contains(name), "{name} missing from the generated module");
        }
    }
}
