//! Client of the Voximplant Avatar REST API: Logon → chats/login (JWT) → send.

mod config;
mod error;
mod jwt;

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use tokio::sync::Mutex;

pub use config::{ClientConfig, CredentialSpelling, Credentials, CustomDataEncoding, Secret};
pub use error::ClientError;

/// Refresh the JWT this long before its `exp`, so a send never races expiry.
const REFRESH_MARGIN: Duration = Duration::from_secs(30);

#[derive(Clone)]
struct Session {
    nlu_base: String,
    jwt: String,
    expires_at: Option<SystemTime>,
}

impl Session {
    fn fresh(&self) -> bool {
        self.expires_at
            .is_none_or(|exp| SystemTime::now() + REFRESH_MARGIN < exp)
    }
}

/// What a successful send returned.
#[derive(Debug, Clone, PartialEq)]
pub struct SendReceipt {
    pub status: u16,
    pub body: String,
}

pub struct AvatarClient {
    http: reqwest::Client,
    config: ClientConfig,
    /// Held across logon + login so that concurrent sends share one refresh.
    session: Mutex<Option<Session>>,
}

impl AvatarClient {
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .build()
            .map_err(|e| ClientError::Network(e.to_string()))?;
        Ok(Self {
            http,
            config,
            session: Mutex::new(None),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Send one customer utterance; the avatar answers later at `callback_uri`.
    pub async fn send(
        &self,
        avatar_id: &str,
        conversation_id: &str,
        utterance: &str,
        custom_data: &Value,
        callback_uri: &str,
    ) -> Result<SendReceipt, ClientError> {
        let custom_data = match self.config.custom_data_encoding {
            CustomDataEncoding::Object => custom_data.clone(),
            CustomDataEncoding::String => Value::String(custom_data.to_string()),
        };
        let body = json!({ "callbackUri": callback_uri, "utterance": utterance, "customData": custom_data });
        let session = self.session().await?;
        match self
            .post_utterance(&session, avatar_id, conversation_id, &body)
            .await
        {
            // One refresh and retry when the token was refused.
            Err(ClientError::Unauthorized(_)) => {
                self.invalidate(&session.jwt).await;
                let session = self.session().await?;
                self.post_utterance(&session, avatar_id, conversation_id, &body)
                    .await
            }
            other => other,
        }
    }

    async fn post_utterance(
        &self,
        session: &Session,
        avatar_id: &str,
        conversation_id: &str,
        body: &Value,
    ) -> Result<SendReceipt, ClientError> {
        let url = format!(
            "{}/api/v1/chats/{}/{}",
            session.nlu_base.trim_end_matches('/'),
            urlencode(avatar_id),
            urlencode(conversation_id)
        );
        let response = self
            .http
            .post(url)
            .bearer_auth(&session.jwt)
            .json(body)
            .send()
            .await
            .map_err(ClientError::from_reqwest)?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(ClientError::from_reqwest)?;
        ClientError::check_status(status, &text)?;
        Ok(SendReceipt { status, body: text })
    }

    async fn invalidate(&self, jwt: &str) {
        let mut guard = self.session.lock().await;
        if guard.as_ref().is_some_and(|s| s.jwt == jwt) {
            *guard = None;
        }
    }

    /// The cached session, or a new one (single flight: the lock is held).
    async fn session(&self) -> Result<Session, ClientError> {
        let mut guard = self.session.lock().await;
        if let Some(session) = guard.as_ref().filter(|s| s.fresh()) {
            return Ok(session.clone());
        }
        let nlu_base = self.logon().await?;
        let jwt = self.login(&nlu_base).await?;
        let session = Session {
            expires_at: jwt::expiry(&jwt),
            nlu_base,
            jwt,
        };
        *guard = Some(session.clone());
        Ok(session)
    }

    /// Platform API Logon: returns the first NLU address.
    async fn logon(&self) -> Result<String, ClientError> {
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
        body.get("nlu_addresses")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().find_map(Value::as_str))
            .map(str::to_owned)
            .ok_or_else(|| ClientError::Protocol("Logon returned no nlu_addresses".into()))
    }

    async fn login(&self, nlu_base: &str) -> Result<String, ClientError> {
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

/// Percent-encode one path segment.
fn urlencode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::urlencode;

    #[test]
    fn encodes_path_segments() {
        assert_eq!(urlencode("user 1/2"), "user%201%2F2");
        assert_eq!(urlencode("abc-DEF_1.2~"), "abc-DEF_1.2~");
    }
}
