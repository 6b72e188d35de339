//! Start-up wiring: the embedded simulator and the console core.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use avatar_console_core::client::{ClientConfig, Credentials, Secret};
use avatar_console_core::model::AvatarOption;
use avatar_console_core::profile_service::ProfileService;
use avatar_console_core::secrets::{KEYCHAIN_SERVICE, KeychainSecretStore};
use avatar_console_core::{CodedError, Console, ConsoleOptions};
use avatar_simulator::{DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, SimConfig, SimulatorHandle};
use tauri::{AppHandle, Manager};

/// Overrides where the app keeps its data (tests use a fresh folder each run).
const DATA_DIR_ENV: &str = "AVATAR_CONSOLE_DATA_DIR";
/// Overrides the callback server's port (default: a free one).
const CALLBACK_PORT_ENV: &str = "AVATAR_CONSOLE_CALLBACK_PORT";

pub struct Backend {
    pub console: Console,
    pub profiles: ProfileService,
    /// The embedded simulator (lives as long as the app; its panel changes it at run time).
    pub simulator: SimulatorHandle,
}

/// Why the backend did not start, kept so the window can say it (the first
/// calls the UI makes answer with it) instead of the app vanishing.
pub struct StartupFailure(pub String);

/// The started backend, or the reason it did not start as `{code, message}`.
pub fn backend(app: &AppHandle) -> Result<tauri::State<'_, Backend>, avatar_console_core::ErrorPayload> {
    app.try_state::<Backend>().ok_or_else(|| {
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

/// With no configuration at all the app talks to the embedded simulator.
pub async fn start(data_dir: PathBuf) -> Result<Backend, Box<dyn std::error::Error>> {
    let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let config = SimConfig::with_demo_avatars();
    let avatars: Vec<AvatarOption> = config
        .avatars
        .iter()
        .map(|a| AvatarOption {
            id: a.id,
            label: a.name.clone(),
        })
        .collect();
    let simulator = avatar_simulator::spawn(config, loopback).await?;
    let client = ClientConfig::new(
        simulator.logon_url(),
        DEFAULT_ACCOUNT_ID,
        Credentials::ApiKey(Secret::new(DEFAULT_API_KEY)),
    );
    std::fs::create_dir_all(&data_dir)?;
    // Before the store takes console.db for itself: it moves profiles an older
    // version kept there.
    let profiles = ProfileService::open_in_data_folder(
        &data_dir,
        Arc::new(KeychainSecretStore::new(KEYCHAIN_SERVICE)),
        simulator.logon_url(),
        &avatars,
    )?;
    let console = Console::start(ConsoleOptions {
        data_dir,
        callback_addr: SocketAddr::from((Ipv4Addr::LOCALHOST, callback_port())),
        profile_id: profiles.simulator_profile_id()?.unwrap_or_default(),
        profile_name: "Local simulator".into(),
        client,
        avatars,
    })
    .await?;
    tracing::info!(callback = %console.callback_addr(), simulator = %simulator.base_url(), "backend ready");
    Ok(Backend {
        console,
        profiles,
        simulator,
    })
}

/// Make every saved profile whose secret is at hand available to panes.
/// A profile without its secret (or with no keychain) is skipped: the
/// Profiles dialog says why, and saving the secret registers it. Runs after
/// the window opens: a locked keychain may wait for the user to unlock it.
pub async fn register_saved_profiles(console: &Console, profiles: &ProfileService) {
    let Ok(views) = profiles.list().await else { return };
    let default = profiles.simulator_profile_id().ok().flatten();
    for view in views.into_iter().filter(|v| Some(v.profile.id) != default) {
        match profiles.runtime(view.profile.id).await {
            Ok(runtime) => {
                if let Err(e) = console.hub().profiles().register(runtime) {
                    tracing::warn!(profile = %view.profile.name, error = %e, "profile not available to panes");
                }
            }
            Err(e) => {
                tracing::info!(profile = %view.profile.name, code = %e.code(), "profile not ready to send")
            }
        }
    }
}
