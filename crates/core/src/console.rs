//! The facade the desktop shell (and tests) drive: opens the store, starts the
//! callback server, builds the hub.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use uuid::Uuid;

use crate::callback::{CallbackServer, secret};
use crate::client::{AvatarClient, ClientConfig, Credentials, Secret};
use crate::error::CoreError;
use crate::hub::{Hub, ProfileRuntime};
use crate::model::{AvatarOption, BackendInfo};
use crate::public_url::{
    HealthExpectation, PublicUrl, PublicUrlChoice, PublicUrlError, PublicUrlView, SelfTestReport, self_test,
};
use crate::store::{Store, StoreError};

/// Where versions before the `callback-secret` file kept the secret.
const LEGACY_SECRET_KEY: &str = "callback_secret";
const SELF_TEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How long start-up waits for the journal to be free (see [`open_store`]).
const STORE_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Open the journal, waiting up to [`STORE_WAIT`] while it is in use: a
/// console of this process that was just dropped closes its store once its
/// server task has finished, and that task needs this runtime to run. After
/// that, `StoreError::InUse` says another app instance holds the folder.
async fn open_store(path: &std::path::Path) -> Result<Store, CoreError> {
    let since = std::time::Instant::now();
    loop {
        match Store::open(path) {
            Err(StoreError::InUse(_)) if since.elapsed() < STORE_WAIT => {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            other => return Ok(other?),
        }
    }
}

pub struct ConsoleOptions {
    /// Where `console.db` lives.
    pub data_dir: PathBuf,
    /// Address of the callback server; port 0 picks a free one.
    pub callback_addr: SocketAddr,
    /// The default profile: its id, name and client settings.
    pub profile_id: Uuid,
    pub profile_name: String,
    pub client: ClientConfig,
    /// Avatars offered in panes; the first is the default (at least one).
    pub avatars: Vec<AvatarOption>,
}

impl ConsoleOptions {
    /// The console every simulator-backed setup starts (CLI, tests, bench):
    /// its default profile, "Local simulator", logs on to the simulator at
    /// `logon_url` with the simulator's default account and API key and
    /// offers its counting bot; the callback server takes a free loopback
    /// port. Change the fields that differ with struct update syntax.
    pub fn for_simulator(data_dir: impl Into<PathBuf>, logon_url: impl Into<String>) -> Self {
        use avatar_simulator::{DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, DEFAULT_AVATAR_ID};
        Self {
            data_dir: data_dir.into(),
            callback_addr: SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, 0)),
            profile_id: Uuid::nil(),
            profile_name: "Local simulator".into(),
            client: ClientConfig::new(
                logon_url.into(),
                DEFAULT_ACCOUNT_ID,
                Credentials::ApiKey(Secret::new(DEFAULT_API_KEY)),
            ),
            avatars: vec![AvatarOption {
                id: DEFAULT_AVATAR_ID,
                label: "Counting bot".into(),
            }],
        }
    }
}

pub struct Console {
    hub: Arc<Hub>,
    server: CallbackServer,
    data_dir: PathBuf,
    secret: String,
    /// The public URL in use; `None` means local only. Dropping it stops a
    /// tunnel the app started.
    public_url: tokio::sync::Mutex<Option<PublicUrl>>,
}

impl Console {
    pub async fn start(options: ConsoleOptions) -> Result<Self, CoreError> {
        std::fs::create_dir_all(&options.data_dir)
            .map_err(|e| CoreError::Startup(format!("cannot create {}: {e}", options.data_dir.display())))?;
        let store = open_store(&options.data_dir.join("console.db")).await?;
        // The secret path segment is kept across restarts, so replies to
        // utterances sent before a restart still find their way in. It has a
        // file of its own (`callback::secret`); a secret an older version
        // kept in the settings is moved there and scrubbed from the journal.
        let legacy = store.setting(LEGACY_SECRET_KEY)?;
        let secret = secret::load_or_create(&options.data_dir, legacy.as_deref())
            .map_err(|e| CoreError::Startup(format!("cannot keep the callback secret: {e}")))?;
        if let Some(old) = legacy {
            store.forget_callback_secret(LEGACY_SECRET_KEY, &old)?;
        }
        let listener = TcpListener::bind(options.callback_addr)
            .await
            .map_err(|e| CoreError::Startup(format!("cannot listen on {}: {e}", options.callback_addr)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| CoreError::Startup(e.to_string()))?;
        let callback_url = format!("http://{addr}/cb/{secret}");
        let client = AvatarClient::new(options.client)?;
        let default = ProfileRuntime {
            id: options.profile_id,
            name: options.profile_name,
            client,
            avatars: options.avatars,
        };
        let hub = Arc::new(Hub::with_profile(store, default, callback_url)?);
        let server = CallbackServer::serve(listener, hub.clone(), secret.clone());
        if hub.store().conversation_ids()?.is_empty() {
            // A first launch shows one pane ready to use.
            hub.create_conversation()?;
        }
        Ok(Self {
            hub,
            server,
            data_dir: options.data_dir,
            secret,
            public_url: tokio::sync::Mutex::new(None),
        })
    }

    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    pub fn callback_addr(&self) -> SocketAddr {
        self.server.addr
    }

    /// Stop the callback server, letting requests in flight be answered (and
    /// journaled) first. Dropping the console stops it without waiting.
    pub async fn shutdown(self) {
        self.server.stop().await;
    }

    /// Switch where avatars reach the callback server. The next utterance
    /// carries the new callback URI; replies to earlier ones still go where
    /// those said. A tunnel the app started before is stopped.
    pub async fn set_public_url(&self, choice: &PublicUrlChoice) -> Result<PublicUrlView, PublicUrlError> {
        let opened = choice.provider()?.open(self.server.addr).await?;
        let callback = opened.callback_uri(&self.secret)?;
        let view = opened.view();
        let previous = self.public_url.lock().await.replace(opened);
        self.hub.set_callback_url(callback);
        if let Some(previous) = previous {
            previous.close().await;
        }
        Ok(view)
    }

    /// The public URL in use, if one was set.
    pub async fn public_url(&self) -> Option<PublicUrlView> {
        self.public_url.lock().await.as_ref().map(PublicUrl::view)
    }

    /// Call our own `/health` through the public URL (or the local one) and
    /// check that this very process answered.
    pub async fn self_test(&self) -> SelfTestReport {
        let base = match self.public_url.lock().await.as_ref() {
            Some(public) => public.base_url().to_owned(),
            None => format!("http://{}", self.server.addr),
        };
        let expect = HealthExpectation::Instance(crate::callback::instance_id().to_owned());
        self_test(&base, &expect, SELF_TEST_TIMEOUT).await
    }

    pub fn info(&self) -> BackendInfo {
        let profiles = self.hub.profiles();
        let default = profiles.default_profile().ok();
        BackendInfo {
            profile_name: default.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
            callback_url: self.hub.callback_url(),
            data_dir: self.data_dir.display().to_string(),
            avatars: default.map(|p| p.avatars.clone()).unwrap_or_default(),
            profiles: profiles.options(),
        }
    }
}
