//! Reads a JWT's `exp` claim without verifying it: the client only needs to
//! know when to refresh; the server is the one that checks signatures.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

pub fn expiry(jwt: &str) -> Option<SystemTime> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_u64()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_exp() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"1","exp":2000000000}"#);
        let jwt = format!("xx.{payload}.sig");
        assert_eq!(
            expiry(&jwt),
            UNIX_EPOCH.checked_add(Duration::from_secs(2_000_000_000))
        );
    }

    #[test]
    fn garbage_has_no_expiry() {
        assert_eq!(expiry("not-a-jwt"), None);
        assert_eq!(expiry("a.!!!.c"), None);
    }
}
