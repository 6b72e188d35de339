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
/// A profile that can send afterwards is offered to panes at once.
#[tauri::command]
pub async fn save_profile(
    backend: State<'_, Backend>,
    profile: Profile,
    secret: Option<String>,
) -> CommandResult<ProfileView> {
    let view = backend.profiles.save(profile, secret).await.map_err(payload)?;
    refresh_runtime(&backend, view.profile.id).await;
    Ok(view)
}

/// Register the profile with the hub if it can send, else withdraw it.
async fn refresh_runtime(backend: &Backend, id: Uuid) {
    if backend.profiles.simulator_profile_id().ok().flatten() == Some(id) {
        return;
    }
    match backend.profiles.runtime(id).await {
        Ok(runtime) => {
            if let Err(e) = backend.console.hub().profiles().register(runtime) {
                tracing::warn!(error = %e, "profile not available to panes");
            }
        }
        Err(_) => backend.console.hub().profiles().unregister(id),
    }
}

#[tauri::command]
pub async fn duplicate_profile(backend: State<'_, Backend>, id: Uuid) -> CommandResult<ProfileView> {
    backend.profiles.duplicate(id).await.map_err(payload)
}

#[tauri::command]
pub async fn delete_profile(backend: State<'_, Backend>, id: Uuid) -> CommandResult<bool> {
    let deleted = backend.profiles.delete(id).await.map_err(payload)?;
    backend.console.hub().profiles().unregister(id);
    Ok(deleted)
}

#[tauri::command]
pub fn keep_secret_for_session(backend: State<'_, Backend>, id: Uuid) {
    backend.profiles.keep_for_session(id);
}

#[tauri::command]
pub async fn test_connection(backend: State<'_, Backend>, id: Uuid) -> CommandResult<ConnectionTestReport> {
    backend.profiles.test_connection(id).await.map_err(payload)
}
