#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublicUrlError {
    #[error("invalid public URL: {0}. Paste the https:// address your tunnel or reverse proxy shows.")]
    InvalidUrl(String),
    #[error(
        "cloudflared is not installed (or not on PATH). Install it from Cloudflare's official packages (Debian/Ubuntu: Cloudflare's apt repository, then `apt install cloudflared`; macOS: `brew install cloudflared`; Windows: `winget install --id Cloudflare.cloudflared`) and try again, or paste a URL from any other tunnel as a manual URL."
    )]
    CloudflaredNotInstalled,
    #[error(
        "the cloudflared quick tunnel could not start: {0}. Check the internet connection, or use a manual URL."
    )]
    CloudflaredFailed(String),
    #[error(
        "cloudflared printed no tunnel URL within {0} s. Check the internet connection (a proxy or firewall may block it), or use a manual URL."
    )]
    CloudflaredTimeout(u64),
}

impl PublicUrlError {
    /// Stable, machine-readable code; the UI picks its remedy text by it.
    pub fn code(&self) -> &'static str {
        match self {
            PublicUrlError::InvalidUrl(_) => "invalid_public_url",
            PublicUrlError::CloudflaredNotInstalled => "cloudflared_not_installed",
            PublicUrlError::CloudflaredFailed(_) => "cloudflared_failed",
            PublicUrlError::CloudflaredTimeout(_) => "cloudflared_timeout",
        }
    }
}

/// For Tauri commands: `{code, message}` like every other error.
impl From<&PublicUrlError> for crate::error::ErrorPayload {
    fn from(e: &PublicUrlError) -> Self {
        Self {
            code: e.code().into(),
            message: e.to_string(),
        }
    }
}
