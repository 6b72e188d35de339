//! A local, credential-free stand-in for the Voximplant Avatar REST API for
//! text channels: Logon, chats/login (expiring JWT; API key or sub-user),
//! send utterance, stop, and asynchronous replies POSTed to the caller's
//! callback URI in either callback dialect. Bots (counting, echo, scripted)
//! and faults are chosen per avatar or conversation and can be changed while
//! it runs, through `SimState`'s methods or the `/_admin` endpoint.
//!
//! Embedded in the console (default profile "Local simulator") and runnable on
//! its own as `avatar-sim`.

mod admin;
pub mod auth;
pub mod bots;
pub mod callback;
pub mod cli;
pub mod config;
mod delivery;
pub mod error;
pub mod events;
pub mod faults;
pub mod routes;
pub mod state;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use config::{
    Account, AvatarConfig, BotKind, CallbackDialect, DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, DEFAULT_AVATAR_ID,
    ECHO_AVATAR_ID, FORGETFUL_AVATAR_ID, SimConfig, SubUser,
};
pub use events::{LoggedEvent, SimEvent};
pub use faults::FaultConfig;
pub use state::{SimError, SimState};

/// A running simulator; dropping the handle does not stop it, `shutdown` does.
pub struct SimulatorHandle {
    pub state: Arc<SimState>,
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
}

impl SimulatorHandle {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// URL to use as the Logon endpoint of a profile.
    pub fn logon_url(&self) -> String {
        format!("{}/platform_api/Logon", self.base_url())
    }

    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Bind `addr` (port 0 picks a free one) and serve until `shutdown`.
pub async fn spawn(config: SimConfig, addr: SocketAddr) -> std::io::Result<SimulatorHandle> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let state = SimState::new(config);
    let _ = state.base_url.set(format!("http://{addr}"));
    let app = routes::router(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "simulator server stopped");
        }
    });
    tracing::info!(%addr, "avatar simulator listening");
    Ok(SimulatorHandle {
        state,
        addr,
        shutdown: Some(tx),
    })
}

/// This crate's folder, read when the test runs: `env!` would bake in the
/// path of whichever checkout first built the test binary, and cargo reuses
/// that binary for another checkout of the same code.
#[cfg(test)]
pub(crate) fn crate_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned())
}
