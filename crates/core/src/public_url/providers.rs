//! The two providers that start nothing.

use std::net::SocketAddr;

use super::join::parse_public_base;
use super::{PublicUrl, PublicUrlError, PublicUrlFuture, PublicUrlKind, PublicUrlProvider, loopback_url};

/// A URL the user pasted: whatever tunnel or reverse proxy they run is
/// theirs to keep up; the self-test tells whether it reaches us.
#[derive(Debug, Clone)]
pub struct ManualUrlProvider {
    url: String,
}

impl ManualUrlProvider {
    /// Validates the URL now, so a typo is reported where it was typed.
    pub fn new(url: &str) -> Result<Self, PublicUrlError> {
        let parsed = parse_public_base(url)?;
        Ok(Self {
            // Without the trailing slash the URL reads as the user typed it.
            url: parsed.as_str().trim_end_matches('/').to_owned(),
        })
    }
}

impl PublicUrlProvider for ManualUrlProvider {
    fn kind(&self) -> PublicUrlKind {
        PublicUrlKind::Manual
    }

    fn open(&self, _local: SocketAddr) -> PublicUrlFuture<'_> {
        let url = PublicUrl::new(self.url.clone(), PublicUrlKind::Manual, None);
        Box::pin(async move { Ok(url) })
    }
}

/// The callback server's own loopback URL: enough for the embedded
/// simulator, unreachable from Voximplant's cloud.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalOnlyProvider;

impl PublicUrlProvider for LocalOnlyProvider {
    fn kind(&self) -> PublicUrlKind {
        PublicUrlKind::LocalOnly
    }

    fn open(&self, local: SocketAddr) -> PublicUrlFuture<'_> {
        let url = PublicUrl::new(loopback_url(local), PublicUrlKind::LocalOnly, None);
        Box::pin(async move { Ok(url) })
    }
}
