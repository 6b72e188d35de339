//! The public URL avatars reach the callback server through.
//!
//! Voximplant's cloud must POST to our callback server, which listens on
//! 127.0.0.1; a provider makes it reachable (or not, for the local
//! simulator). Every provider's result is checked by [`self_test`]: the app
//! calls its own `/health` through the public URL.

mod cloudflared;
mod cloudflared_output;
mod error;
mod health;
mod join;
mod providers;
mod self_test;
#[cfg(test)]
mod tests;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use cloudflared::{CloudflaredProvider, TunnelProcess};
pub use cloudflared_output::parse_quick_tunnel_url;
pub use error::PublicUrlError;
pub use health::{INSTANCE_HEADER, health_response};
pub use join::{callback_uri, health_url, join_segments, parse_public_base};
pub use providers::{LocalOnlyProvider, ManualUrlProvider};
pub use self_test::{HealthExpectation, SelfTestFailure, SelfTestReport, self_test, self_test_until};

/// Which kind of provider made a public URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PublicUrlKind {
    /// A URL the user pasted (ngrok, cloudflared run by hand, a reverse proxy…).
    Manual,
    /// A cloudflared quick tunnel the app started.
    CloudflaredQuickTunnel,
    /// The callback server's own 127.0.0.1 URL: only the local simulator can reach it.
    LocalOnly,
}

/// What the user chose, as saved in settings; builds the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum PublicUrlChoice {
    LocalOnly,
    Manual {
        url: String,
    },
    #[serde(rename_all = "camelCase")]
    CloudflaredQuickTunnel {
        /// Path of the cloudflared executable; `None` looks it up on `PATH`.
        #[ts(optional)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        program: Option<String>,
    },
}

impl PublicUrlChoice {
    pub fn provider(&self) -> Result<Box<dyn PublicUrlProvider>, PublicUrlError> {
        Ok(match self {
            PublicUrlChoice::LocalOnly => Box::new(LocalOnlyProvider),
            PublicUrlChoice::Manual { url } => Box::new(ManualUrlProvider::new(url)?),
            PublicUrlChoice::CloudflaredQuickTunnel { program } => {
                let provider = CloudflaredProvider::new();
                Box::new(match program {
                    Some(p) if !p.trim().is_empty() => provider.with_program(p.trim()),
                    _ => provider,
                })
            }
        })
    }
}

/// A public base URL, and the tunnel process behind it if any (stopped when
/// this value is dropped or [`PublicUrl::close`]d).
#[derive(Debug)]
pub struct PublicUrl {
    base_url: String,
    kind: PublicUrlKind,
    tunnel: Option<TunnelProcess>,
}

impl PublicUrl {
    pub(crate) fn new(base_url: String, kind: PublicUrlKind, tunnel: Option<TunnelProcess>) -> Self {
        Self {
            base_url,
            kind,
            tunnel,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn kind(&self) -> PublicUrlKind {
        self.kind
    }

    /// The `callbackUri` to send with utterances.
    pub fn callback_uri(&self, secret: &str) -> Result<String, PublicUrlError> {
        callback_uri(&self.base_url, secret)
    }

    pub fn health_url(&self) -> Result<String, PublicUrlError> {
        health_url(&self.base_url)
    }

    /// The tunnel's process id, if a process backs this URL.
    pub fn process_id(&self) -> Option<u32> {
        self.tunnel.as_ref().and_then(TunnelProcess::id)
    }

    /// Stop the tunnel (if any) and wait until it is gone.
    pub async fn close(mut self) {
        if let Some(tunnel) = self.tunnel.take() {
            tunnel.stop().await;
        }
    }

    pub fn view(&self) -> PublicUrlView {
        PublicUrlView {
            kind: self.kind,
            base_url: self.base_url.clone(),
        }
    }
}

/// For the status bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PublicUrlView {
    pub kind: PublicUrlKind,
    pub base_url: String,
}

/// Boxed so providers can be chosen at run time (`Box<dyn PublicUrlProvider>`).
pub type PublicUrlFuture<'a> = Pin<Box<dyn Future<Output = Result<PublicUrl, PublicUrlError>> + Send + 'a>>;

/// Makes the callback server at `local` reachable and says where.
pub trait PublicUrlProvider: Send + Sync {
    fn kind(&self) -> PublicUrlKind;
    /// `local` is the callback server's bound address.
    fn open(&self, local: SocketAddr) -> PublicUrlFuture<'_>;
}

/// `http://127.0.0.1:PORT` for a bound address; a wildcard bind is reached
/// through loopback.
pub(crate) fn loopback_url(local: SocketAddr) -> String {
    let ip = if local.ip().is_unspecified() {
        match local {
            SocketAddr::V4(_) => std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            SocketAddr::V6(_) => std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        }
    } else {
        local.ip()
    };
    format!("http://{}", SocketAddr::new(ip, local.port()))
}
