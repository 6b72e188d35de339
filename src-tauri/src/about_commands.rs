//! About: version, commit and folders, and "Open logs folder".

use avatar_console_core::about::About;
use avatar_console_core::{ErrorCode, ErrorPayload};
use tauri::State;

use crate::open_folder::open_folder;
use crate::startup::Folders;

#[tauri::command]
pub fn about(folders: State<'_, Folders>) -> About {
    About::new(&folders.data_dir, &folders.log_dir)
}

#[tauri::command]
pub fn open_logs_folder(folders: State<'_, Folders>) -> Result<(), ErrorPayload> {
    open_folder(&folders.log_dir).map_err(|e| {
        ErrorPayload::new(
            ErrorCode::OpenFailed,
            format!("could not open {}: {e}", folders.log_dir.display()),
        )
    })
}
