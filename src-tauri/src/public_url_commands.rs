//! Tauri commands for the public callback URL and its self-test; each is
//! one call onto `ConsoleRuntime`.

use avatar_console_core::public_url::{PublicUrlChoice, PublicUrlView, SelfTestReport};
use avatar_console_core::{Answer, ConsoleRuntime};
use tauri::State;

#[tauri::command]
pub async fn set_public_url(rt: State<'_, ConsoleRuntime>, choice: PublicUrlChoice) -> Answer<PublicUrlView> {
    rt.set_public_url(&choice).await
}

#[tauri::command]
pub async fn public_url(rt: State<'_, ConsoleRuntime>) -> Answer<Option<PublicUrlView>> {
    Ok(rt.public_url().await)
}

#[tauri::command]
pub async fn self_test(rt: State<'_, ConsoleRuntime>) -> Answer<SelfTestReport> {
    Ok(rt.self_test().await)
}
