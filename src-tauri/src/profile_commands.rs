//! Tauri commands for profiles: each is one call onto `ConsoleRuntime`,
//! which also keeps the hub in step with what is saved.

use avatar_console_core::profile_service::ProfileView;
use avatar_console_core::profiles::{ConnectionTestReport, Profile};
use avatar_console_core::{Answer, ConsoleRuntime};
use tauri::State;
use uuid::Uuid;

#[tauri::command]
pub async fn list_profiles(rt: State<'_, ConsoleRuntime>) -> Answer<Vec<ProfileView>> {
    rt.list_profiles().await
}

/// `secret` is only sent when the user typed one; it goes to the keychain.
#[tauri::command]
pub async fn save_profile(
    rt: State<'_, ConsoleRuntime>,
    profile: Profile,
    secret: Option<String>,
) -> Answer<ProfileView> {
    rt.save_profile(profile, secret).await
}

#[tauri::command]
pub async fn duplicate_profile(rt: State<'_, ConsoleRuntime>, id: Uuid) -> Answer<ProfileView> {
    rt.duplicate_profile(id).await
}

#[tauri::command]
pub async fn delete_profile(rt: State<'_, ConsoleRuntime>, id: Uuid) -> Answer<bool> {
    rt.delete_profile(id).await
}

#[tauri::command]
pub fn keep_secret_for_session(rt: State<'_, ConsoleRuntime>, id: Uuid) {
    rt.keep_secret_for_session(id);
}

#[tauri::command]
pub async fn test_connection(rt: State<'_, ConsoleRuntime>, id: Uuid) -> Answer<ConnectionTestReport> {
    rt.test_connection(id).await
}
