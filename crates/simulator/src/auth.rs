//! Expiring JWTs for the chats API, signed with a key made at start-up.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Account id the token was issued to.
    pub sub: String,
    pub iat: u64,
    pub exp: u64,
}

pub struct TokenIssuer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Tokens whose signature was already checked, with their claims. A
    /// client sends the same token with every utterance until it expires,
    /// and decoding and checking it again cost 10–20 µs per utterance
    /// (`console-bench overhead`, docs/benchmarks.md). Expiry is still
    /// checked on every call.
    verified: Mutex<HashMap<String, Claims>>,
}

/// Verified tokens remembered at most; the map is emptied when it is full.
const VERIFIED_CAP: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("token expired")]
    Expired,
    #[error("token invalid: {0}")]
    Invalid(String),
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

impl TokenIssuer {
    pub fn new() -> Self {
        // Two random UUIDs make a 256-bit key; tokens do not outlive the process.
        let key = format!("{}{}", uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        Self {
            encoding: EncodingKey::from_secret(key.as_bytes()),
            decoding: DecodingKey::from_secret(key.as_bytes()),
            verified: Mutex::new(HashMap::new()),
        }
    }

    pub fn issue(&self, account_id: &str, lifetime: Duration) -> Result<String, TokenError> {
        let iat = unix_now();
        let claims = Claims {
            sub: account_id.to_owned(),
            iat,
            exp: iat + lifetime.as_secs().max(1),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| TokenError::Invalid(e.to_string()))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        if let Some(claims) = self.remembered(token) {
            // Within a second of expiry the full check decides, so the
            // boundary is exactly jsonwebtoken's.
            if claims.exp > unix_now() + 1 {
                return Ok(claims);
            }
        }
        let claims = self.decode(token)?;
        if let Ok(mut verified) = self.verified.lock() {
            if verified.len() >= VERIFIED_CAP {
                verified.clear();
            }
            verified.insert(token.to_owned(), claims.clone());
        }
        Ok(claims)
    }

    fn remembered(&self, token: &str) -> Option<Claims> {
        self.verified.lock().ok()?.get(token).cloned()
    }

    fn decode(&self, token: &str) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid(e.to_string()),
            })
    }
}

impl Default for TokenIssuer {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_token_still_verifies_and_a_tampered_one_does_not() {
        let issuer = TokenIssuer::new();
        let token = issuer.issue("acct", Duration::from_secs(600)).expect("issue");
        assert_eq!(issuer.verify(&token).expect("first").sub, "acct");
        assert_eq!(issuer.verify(&token).expect("remembered").sub, "acct");
        // One character changed inside the signature (not the last one,
        // whose low bits are padding): not the remembered string.
        let at = token.len() - 10;
        let swap = if &token[at..=at] == "A" { "B" } else { "A" };
        let tampered = format!("{}{swap}{}", &token[..at], &token[at + 1..]);
        assert!(matches!(issuer.verify(&tampered), Err(TokenError::Invalid(_))));
        // Another issuer's key never verifies, remembered or not.
        assert!(TokenIssuer::new().verify(&token).is_err());
    }

    #[test]
    fn a_remembered_token_expires_on_time() {
        let issuer = TokenIssuer::new();
        let token = issuer.issue("acct", Duration::from_secs(1)).expect("issue");
        issuer.verify(&token).expect("fresh");
        std::thread::sleep(Duration::from_millis(2100));
        assert!(matches!(issuer.verify(&token), Err(TokenError::Expired)));
    }

    #[test]
    fn the_memory_of_tokens_is_bounded() {
        let issuer = TokenIssuer::new();
        for i in 0..(VERIFIED_CAP + 10) {
            let token = issuer
                .issue(&format!("a{i}"), Duration::from_secs(600))
                .expect("issue");
            issuer.verify(&token).expect("verify");
        }
        assert!(issuer.verified.lock().expect("lock").len() <= VERIFIED_CAP);
    }
}
