//! The console as the app runs it: start-up (the embedded simulator, the
//! profiles and the order they are opened in, the console) and every command
//! the UI can give, each one call returning `{code, message}` on failure.
//!
//! The desktop shell maps each Tauri command onto one method here and adds
//! nothing; the CLI, the bench and the tests start the same object, so what
//! they drive is what the app drives. Nothing outside the core reaches into
//! the hub: what it needs is a method of [`ConsoleRuntime`].
//!
//! The methods are grouped by what they touch: `conversations.rs` (panes,
//! the inbox, presets, the public URL), `profiles.rs` (saved profiles, kept
//! in step with the hub), `files.rs` (transcripts, test files, replays, bug
//! reports) and `simulator.rs` (the embedded simulator's panel).

mod conversations;
mod files;
mod profiles;
mod simulator;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use avatar_simulator::{DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, SimConfig, SimulatorHandle};
use tokio::sync::broadcast;

use crate::client::{ClientConfig, Credentials, Secret};
use crate::console::{Console, ConsoleOptions};
use crate::error::CoreError;
use crate::error_payload::ErrorPayload;
use crate::hub::HubEvent;
use crate::model::AvatarOption;
use crate::profile_service::ProfileService;
use crate::secrets::{MemorySecretStore, SecretStore};
use crate::store::Store;

/// What a command answers: its result, or the error as the UI receives it.
pub type Answer<T> = Result<T, ErrorPayload>;

/// How the desktop app starts: on the embedded simulator, with the profiles
/// saved in its data folder.
pub struct AppOptions {
    /// Where `console.db`, `profiles.db` and the callback secret live.
    pub data_dir: PathBuf,
    /// Address of the callback server; port 0 picks a free one.
    pub callback_addr: SocketAddr,
    /// Where profile secrets go (the OS keychain in the app).
    pub keychain: Arc<dyn SecretStore>,
    /// The embedded simulator's bots, as it starts.
    pub simulator: SimConfig,
}

pub struct ConsoleRuntime {
    console: Console,
    profiles: ProfileService,
    /// The embedded simulator (the app's; its panel changes it at run time).
    simulator: Option<SimulatorHandle>,
}

impl ConsoleRuntime {
    /// The app's start-up. The simulator starts first (its address is the
    /// default profile's Logon URL); the profiles open before the store takes
    /// `console.db` for itself, since they move the profiles an older version
    /// kept there, and the simulator's profile is the console's default.
    /// Saved profiles are registered later, by
    /// [`register_saved_profiles`](Self::register_saved_profiles): a locked
    /// keychain may wait for the user.
    pub async fn start_app(options: AppOptions) -> Result<Self, CoreError> {
        let avatars: Vec<AvatarOption> = options
            .simulator
            .avatars
            .iter()
            .map(|a| AvatarOption {
                id: a.id,
                label: a.name.clone(),
            })
            .collect();
        let simulator =
            avatar_simulator::spawn(options.simulator, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
                .await
                .map_err(|e| CoreError::Startup(format!("cannot start the embedded simulator: {e}")))?;
        create_data_dir(&options.data_dir)?;
        let profiles = ProfileService::open_in_data_folder(
            &options.data_dir,
            options.keychain,
            simulator.logon_url(),
            &avatars,
        )?;
        let console = Console::start(ConsoleOptions {
            data_dir: options.data_dir,
            callback_addr: options.callback_addr,
            profile_id: profiles.simulator_profile_id()?.unwrap_or_default(),
            profile_name: "Local simulator".into(),
            client: ClientConfig::new(
                simulator.logon_url(),
                DEFAULT_ACCOUNT_ID,
                Credentials::ApiKey(Secret::new(DEFAULT_API_KEY)),
            ),
            avatars,
        })
        .await?;
        tracing::info!(callback = %console.callback_addr(), simulator = %simulator.base_url(), "backend ready");
        Ok(Self {
            console,
            profiles,
            simulator: Some(simulator),
        })
    }

    /// A console with one profile, `options`'s, and no saved profiles or
    /// embedded simulator (the CLI, the bench, tests): the profile list is
    /// kept in memory and starts empty.
    pub async fn start(options: ConsoleOptions) -> Result<Self, CoreError> {
        let profiles = ProfileService::open(Path::new(":memory:"), Arc::new(MemorySecretStore::new()), None)?;
        Ok(Self {
            console: Console::start(options).await?,
            profiles,
            simulator: None,
        })
    }

    /// Stop the callback server, letting requests in flight be answered (and
    /// journaled) first. Dropping the runtime stops it without waiting.
    pub async fn shutdown(self) {
        self.console.shutdown().await;
    }

    /// The hub's events (what changed, for the UI).
    pub fn subscribe(&self) -> broadcast::Receiver<HubEvent> {
        self.console.hub().subscribe()
    }

    /// Events that rebuild the UI's whole state, for a listener that lagged.
    pub fn resync_events(&self) -> Answer<Vec<HubEvent>> {
        self.console.hub().resync_events().map_err(payload)
    }

    pub fn callback_addr(&self) -> SocketAddr {
        self.console.callback_addr()
    }

    /// The callback URL the next utterance carries (secret included).
    pub fn callback_url(&self) -> String {
        self.console.hub().callback_url()
    }

    /// The journal, for measurements and checks of what is on disk (the
    /// bench counts rows, tests journal fixtures); commands never need it.
    pub fn store(&self) -> &Store {
        self.console.hub().store()
    }
}

fn create_data_dir(dir: &Path) -> Result<(), CoreError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CoreError::Startup(format!("cannot create {}: {e}", dir.display())))
}

/// Any coded error as the UI receives it.
fn payload<E: crate::CodedError>(e: E) -> ErrorPayload {
    ErrorPayload::from(&e)
}
