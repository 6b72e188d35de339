//! Tauri commands for profiles: each maps onto `ProfileService`.

use avatar_console_core::ErrorPayload;
use avatar_console_core::profile_service::ProfileView;
use avatar_console_core::profiles::{ConnectionTestReport, Profile, ProfileError};
use tauri::State;
use uuid::Uuid;

use crate::startup::Backend;

type CommandResult<T> = Result<T, ErrorPayload>;

fn payload(e: ProfileError) -> ErrorPayload {
    ErrorPayload::from(&e)
}

#[tauri::command]
pub async fn list_profiles(backend: State<'_, Backend>) -> CommandResult<Vec<ProfileView>> {
    backend.profiles.list().await.map_err(payload)
}

/// `secret` is only sent when the user typed one; it goes to the keychain.
#[tauri::command]
pub async fn save_profile(
    backend: State<'_, Backend>,
    profile: Profile,
    secret: Option<String>,
) -> CommandResult<ProfileView> {
    backend.profiles.save(profile, secret).await.map_err(payload)
}

#[tauri::command]
pub async fn duplicate_profile(backend: State<'_, Backend>, id: Uuid) -> CommandResult<ProfileView> {
    backend.profiles.duplicate(id).await.map_err(payload)
}

#[tauri::command]
pub async fn delete_profile(backend: State<'_, Backend>, id: Uuid) -> CommandResult<bool> {
    backend.profiles.delete(id).await.map_err(payload)
}

#[tauri::command]
pub fn keep_secret_for_session(backend: State<'_, Backend>, id: Uuid) {
    backend.profiles.keep_for_session(id);
}

#[tauri::command]
pub async fn test_connection(backend: State<'_, Backend>, id: Uuid) -> CommandResult<ConnectionTestReport> {
    backend.profiles.test_connection(id).await.map_err(payload)
}
