//! Tauri commands for the public callback URL and its self-test.

use avatar_console_core::ErrorPayload;
use avatar_console_core::public_url::{PublicUrlChoice, PublicUrlView, SelfTestReport};
use tauri::State;

use crate::startup::Backend;

#[tauri::command]
pub async fn set_public_url(
    backend: State<'_, Backend>,
    choice: PublicUrlChoice,
) -> Result<PublicUrlView, ErrorPayload> {
    backend
        .console
        .set_public_url(&choice)
        .await
        .map_err(|e| ErrorPayload::from(&e))
}

#[tauri::command]
pub async fn public_url(backend: State<'_, Backend>) -> Result<Option<PublicUrlView>, ErrorPayload> {
    Ok(backend.console.public_url().await)
}

#[tauri::command]
pub async fn self_test(backend: State<'_, Backend>) -> Result<SelfTestReport, ErrorPayload> {
    Ok(backend.console.self_test().await)
}
