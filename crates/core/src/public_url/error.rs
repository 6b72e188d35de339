use crate::error_payload::{CodedError, ErrorCode};

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

impl CodedError for PublicUrlError {
    fn code(&self) -> ErrorCode {
        match self {
            PublicUrlError::InvalidUrl(_) => ErrorCode::InvalidPublicUrl,
            PublicUrlError::CloudflaredNotInstalled => ErrorCode::CloudflaredNotInstalled,
            PublicUrlError::CloudflaredFailed(_) => ErrorCode::CloudflaredFailed,
            PublicUrlError::CloudflaredTimeout(_) => ErrorCode::CloudflaredTimeout,
        }
    }
}
