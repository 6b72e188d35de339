//! Start-up wiring: where the app keeps its data, its window, and the
//! options it starts the core's `ConsoleRuntime` with.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use avatar_console_core::secrets::{KEYCHAIN_SERVICE, KeychainSecretStore};
use avatar_console_core::{AppOptions, ConsoleRuntime};
use avatar_simulator::SimConfig;
use tauri::{AppHandle, Manager};

/// Overrides where the app keeps its data (tests use a fresh folder each run).
const DATA_DIR_ENV: &str = "AVATAR_CONSOLE_DATA_DIR";
/// Overrides the callback server's port (default: a free one).
const CALLBACK_PORT_ENV: &str = "AVATAR_CONSOLE_CALLBACK_PORT";

/// Why the backend did not start, kept so the window can say it (the first
/// calls the UI makes answer with it) instead of the app vanishing.
pub struct StartupFailure(pub String);

/// The started runtime, or the reason it did not start as `{code, message}`.
pub fn runtime(
    app: &AppHandle,
) -> Result<tauri::State<'_, ConsoleRuntime>, avatar_console_core::ErrorPayload> {
    app.try_state::<ConsoleRuntime>().ok_or_else(|| {
        avatar_console_core::ErrorPayload::new(
            avatar_console_core::ErrorCode::Startup,
            app.try_state::<StartupFailure>()
                .map(|f| f.0.clone())
                .unwrap_or_else(|| "the backend is still starting".into()),
        )
    })
}

/// The data folder named by `AVATAR_CONSOLE_DATA_DIR`, if any.
pub fn data_dir_override() -> Option<PathBuf> {
    std::env::var_os(DATA_DIR_ENV)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

pub fn data_dir(app: &AppHandle) -> Result<PathBuf, Box<dyn std::error::Error>> {
    match data_dir_override() {
        Some(dir) => Ok(dir),
        None => Ok(app.path().app_data_dir()?),
    }
}

/// Where this app keeps its files, for About; known before the backend starts
/// (About works when it did not).
pub struct Folders {
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
}

/// Open the main window (`"create": false` in tauri.conf.json). Made here,
/// not by Tauri before `setup`: a second launch that hands over quits before
/// any window exists. With `remember`, it opens at its last size and position
/// and keeps them (`window_memory`); a run on a refused data folder goes
/// without, since that file may be in the folder.
pub fn open_main_window(app: &AppHandle, remember: bool) -> tauri::Result<()> {
    if remember {
        // Beside an overridden data folder (each e2e test starts from the
        // configured size); else the plugin's default in the app's config folder.
        let file = data_dir_override().and_then(|d| d.join("window-state.json").to_str().map(str::to_owned));
        crate::window_memory::install(app, file)?;
    }
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .ok_or(tauri::Error::WindowNotFound)?;
    let window = tauri::WebviewWindowBuilder::from_config(app, config)?.build()?;
    if remember {
        crate::window_memory::save_when_settled(&window);
    }
    Ok(())
}

fn callback_port() -> u16 {
    std::env::var(CALLBACK_PORT_ENV)
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0)
}

/// With no configuration at all the app talks to the embedded simulator
/// (the core's `ConsoleRuntime::start_app` owns the rest of start-up).
pub async fn start(data_dir: PathBuf) -> Result<ConsoleRuntime, avatar_console_core::CoreError> {
    ConsoleRuntime::start_app(AppOptions {
        data_dir,
        callback_addr: SocketAddr::from((Ipv4Addr::LOCALHOST, callback_port())),
        keychain: Arc::new(KeychainSecretStore::new(KEYCHAIN_SERVICE)),
        simulator: SimConfig::with_demo_avatars(),
    })
    .await
}
