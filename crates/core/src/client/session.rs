//! The JWT cache: Logon → chats/login, refreshed ahead of expiry, one refresh
//! at a time however many sends need it.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::{AvatarClient, ClientError, Credentials, jwt};

/// Refresh at most this long before the JWT's `exp`, so a send never races
/// expiry. Short-lived tokens use a quarter of their lifetime instead.
const REFRESH_MARGIN: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub(super) struct Session {
    pub nlu_base: String,
    pub jwt: String,
    /// None: no usable `exp`; the token is used until the API answers 401.
    refresh_at: Option<SystemTime>,
    /// The JWT's `exp`, for the status bar.
    expires_at: Option<SystemTime>,
}

impl Session {
    fn new(nlu_base: String, jwt: String) -> Self {
        let now = SystemTime::now();
        let expires_at = jwt::expiry(&jwt);
        let refresh_at = match expires_at {
            Some(exp) => match exp.duration_since(now) {
                Ok(lifetime) => Some(exp - REFRESH_MARGIN.min(lifetime / 4)),
                // Already expired by our clock: the clocks disagree. Trusting
                // our clock would log in before every send; the 401 path
                // refreshes when the server really refuses it.
                Err(_) => {
                    tracing::warn!("the new JWT is already expired by the local clock; is the clock skewed?");
                    None
                }
            },
            None => None,
        };
        Self {
            nlu_base,
            jwt,
            refresh_at,
            expires_at,
        }
    }

    fn fresh(&self) -> bool {
        self.refresh_at.is_none_or(|at| SystemTime::now() < at)
    }
}

impl AvatarClient {
    /// The cached token's expiry in ms since the epoch: `None` when no token
    /// is cached yet, `Some(None)` when the token has no `exp`.
    pub async fn token_expiry(&self) -> Option<Option<i64>> {
        let guard = self.session.lock().await;
        let session = guard.as_ref()?;
        Some(session.expires_at.map(|exp| {
            exp.duration_since(std::time::UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
                .unwrap_or_default()
        }))
    }

    /// The cached session, or a new one. The lock is held across Logon and
    /// login, so concurrent callers wait for one refresh and share its token.
    pub(super) async fn session(&self) -> Result<Session, ClientError> {
        let mut guard = self.session.lock().await;
        if let Some(session) = guard.as_ref().filter(|s| s.fresh()) {
            return Ok(session.clone());
        }
        let nlu_base = self.with_retries(|| self.logon()).await?;
        let jwt = self.with_retries(|| self.login(&nlu_base)).await?;
        let session = Session::new(nlu_base, jwt);
        *guard = Some(session.clone());
        Ok(session)
    }

    /// Drop the cached token if it is still the one the API refused (another
    /// caller may already have refreshed it).
    pub(super) async fn invalidate(&self, jwt: &str) {
        let mut guard = self.session.lock().await;
        if guard.as_ref().is_some_and(|s| s.jwt == jwt) {
            *guard = None;
        }
    }

    /// Platform API Logon: the first NLU address.
    async fn logon(&self) -> Result<String, ClientError> {
        self.logon_addresses()
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| ClientError::Protocol("Logon returned no nlu_addresses".into()))
    }

    /// Platform API Logon: every NLU address it returned (the connection
    /// test shows them all).
    pub(crate) async fn logon_addresses(&self) -> Result<Vec<String>, ClientError> {
        let (account_key, secret_key) = self.config.credential_spelling.query_names();
        let secret = match &self.config.credentials {
            Credentials::ApiKey(key) => key.expose(),
            Credentials::Subuser { .. } => "",
        };
        let mut request = self.http.get(&self.config.logon_url);
        request = request.query(&[(account_key, self.config.account_id.as_str())]);
        if !secret.is_empty() {
            request = request.query(&[(secret_key, secret)]);
        }
        let response = request.send().await.map_err(ClientError::from_reqwest)?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(ClientError::from_reqwest)?;
        ClientError::check_status(status, &text)?;
        let body: Value = serde_json::from_str(&text)
            .map_err(|e| ClientError::Protocol(format!("Logon answered non-JSON: {e}")))?;
        if let Some(error) = body.get("error") {
            return Err(ClientError::BadCredentials(error_message(error)));
        }
        Ok(body
            .get("nlu_addresses")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default())
    }

    pub(crate) async fn login(&self, nlu_base: &str) -> Result<String, ClientError> {
        let body = match &self.config.credentials {
            Credentials::ApiKey(key) => {
                json!({ "accountId": self.config.account_id, "apiKey": key.expose() })
            }
            Credentials::Subuser { login, password } => json!({
                "accountId": self.config.account_id,
                "subuserLogin": login,
                "subuserPassword": password.expose(),
            }),
        };
        let url = format!("{}/api/v1/chats/login", nlu_base.trim_end_matches('/'));
        let response = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .map_err(ClientError::from_reqwest)?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(ClientError::from_reqwest)?;
        if status == 401 || status == 403 {
            return Err(ClientError::BadCredentials(format!(
                "chats/login answered {status}"
            )));
        }
        ClientError::check_status(status, &text)?;
        let body: Value = serde_json::from_str(&text)
            .map_err(|e| ClientError::Protocol(format!("chats/login answered non-JSON: {e}")))?;
        // Voximplant's SDK reads `jwt`; the guide does not name the field.
        ["jwt", "token", "accessToken", "access_token"]
            .iter()
            .find_map(|k| body.get(*k).and_then(Value::as_str))
            .map(str::to_owned)
            .ok_or_else(|| {
                ClientError::Protocol(
                    "chats/login returned no JWT (looked for jwt, token, accessToken)".into(),
                )
            })
    }
}

fn error_message(error: &Value) -> String {
    error
        .get("msg")
        .or_else(|| error.get("message"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| error.to_string())
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;

    fn jwt_expiring_in(secs: i64) -> String {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .expect("clock")
            .as_secs();
        let exp = now.saturating_add_signed(secs);
        let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{exp}}}"#));
        format!("h.{payload}.s")
    }

    #[test]
    fn long_lived_token_is_fresh() {
        assert!(Session::new("b".into(), jwt_expiring_in(3600)).fresh());
    }

    #[test]
    fn short_lived_token_is_fresh_for_most_of_its_life() {
        // A fixed 30 s margin would make a 10 s token stale from birth.
        assert!(Session::new("b".into(), jwt_expiring_in(10)).fresh());
    }

    #[test]
    fn refreshes_thirty_seconds_ahead_of_a_long_lived_token() {
        let jwt = jwt_expiring_in(3600);
        let exp = jwt::expiry(&jwt).expect("exp");
        let session = Session::new("b".into(), jwt);
        assert_eq!(session.refresh_at, Some(exp - REFRESH_MARGIN));
    }

    #[test]
    fn token_expired_by_our_clock_waits_for_a_401() {
        assert_eq!(Session::new("b".into(), jwt_expiring_in(-60)).refresh_at, None);
    }
}
