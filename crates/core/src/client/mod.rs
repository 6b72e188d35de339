//! Client of the Voximplant Avatar REST API: Logon → chats/login (JWT) →
//! send / stop. Transient failures are retried with backoff, a refused token
//! is refreshed once, and every attempt is captured for the inspector.

mod capture;
mod config;
mod error;
pub(crate) mod jwt;
mod session;

use std::future::Future;
use std::time::Instant;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde_json::{Value, json};
use tokio::sync::Mutex;

pub use config::{ClientConfig, CredentialSpelling, Credentials, CustomDataEncoding, RetryPolicy, Secret};
pub use error::ClientError;

use crate::error_payload::CodedError;
use crate::model::HttpExchange;
use session::Session;

/// What a successful send or stop returned.
#[derive(Debug, Clone, PartialEq)]
pub struct SendReceipt {
    pub status: u16,
    pub body: String,
}

/// The result of a call plus every HTTP attempt it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Captured<T> {
    pub result: Result<T, ClientError>,
    pub exchanges: Vec<HttpExchange>,
}

pub struct AvatarClient {
    http: reqwest::Client,
    config: ClientConfig,
    /// Held across Logon + login so that concurrent sends share one refresh.
    session: Mutex<Option<Session>>,
}

impl AvatarClient {
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .connect_timeout(config.request_timeout)
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
        self.send_captured(avatar_id, conversation_id, utterance, custom_data, callback_uri)
            .await
            .result
    }

    /// [`send`](Self::send), also returning every attempt as sent.
    pub async fn send_captured(
        &self,
        avatar_id: &str,
        conversation_id: &str,
        utterance: &str,
        custom_data: &Value,
        callback_uri: &str,
    ) -> Captured<SendReceipt> {
        let custom_data = match self.config.custom_data_encoding {
            CustomDataEncoding::Object => custom_data.clone(),
            CustomDataEncoding::String => Value::String(custom_data.to_string()),
        };
        let body = json!({ "callbackUri": callback_uri, "utterance": utterance, "customData": custom_data });
        let path = format!(
            "/api/v1/chats/{}/{}",
            urlencode(avatar_id),
            urlencode(conversation_id)
        );
        self.post_authorized(&path, &body).await
    }

    /// End the avatar's session for a conversation (Voximplant SDK's `stop`).
    pub async fn stop(&self, avatar_id: &str, conversation_id: &str) -> Captured<SendReceipt> {
        let path = format!(
            "/api/v1/chats/{}/{}/stop",
            urlencode(avatar_id),
            urlencode(conversation_id)
        );
        self.post_authorized(&path, &json!({})).await
    }

    /// POST `body` to `<nlu><path>` with the Bearer JWT: one token refresh on
    /// 401, bounded retries with backoff on transient failures.
    async fn post_authorized(&self, path: &str, body: &Value) -> Captured<SendReceipt> {
        let mut exchanges = Vec::new();
        let body = body.to_string();
        let mut refreshed = false;
        let mut attempt = 1;
        let result = loop {
            let session = match self.session().await {
                Ok(session) => session,
                Err(e) => break Err(e),
            };
            let url = format!("{}{path}", session.nlu_base.trim_end_matches('/'));
            match self.post_once(&session, &url, &body, &mut exchanges).await {
                Err(ClientError::Unauthorized(message)) if !refreshed => {
                    tracing::info!(%message, "token refused; refreshing once");
                    refreshed = true;
                    self.invalidate(&session.jwt).await;
                }
                // A timed-out send may have reached the avatar; retrying can
                // deliver it twice. The guide promises no idempotency key, so
                // we retry anyway and the captured exchanges show it.
                Err(e) if e.is_transient() && attempt < self.config.retry.max_attempts => {
                    let wait = self.config.retry.backoff(attempt);
                    tracing::info!(code = %e.code(), attempt, ?wait, "transient failure; retrying");
                    attempt += 1;
                    tokio::time::sleep(wait).await;
                }
                other => break other,
            }
        };
        Captured { result, exchanges }
    }

    async fn post_once(
        &self,
        session: &Session,
        url: &str,
        body: &str,
        exchanges: &mut Vec<HttpExchange>,
    ) -> Result<SendReceipt, ClientError> {
        let bearer = format!("Bearer {}", session.jwt);
        let headers = [
            (AUTHORIZATION.as_str(), bearer.as_str()),
            (CONTENT_TYPE.as_str(), "application/json"),
        ];
        let mut exchange = capture::exchange("POST", url, &headers, body, crate::time::now_ms());
        let started = Instant::now();
        let result = self.post_raw(url, &bearer, body).await;
        exchange.duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let outcome = match result {
            Ok((status, text)) => {
                exchange.status = Some(status);
                let checked = ClientError::check_status(status, &text);
                exchange.response_body = Some(text.clone());
                checked.map(|()| SendReceipt { status, body: text })
            }
            Err(e) => {
                exchange.error = Some(e.to_string());
                Err(e)
            }
        };
        exchanges.push(exchange);
        outcome
    }

    async fn post_raw(&self, url: &str, bearer: &str, body: &str) -> Result<(u16, String), ClientError> {
        let response = self
            .http
            .post(url)
            .header(AUTHORIZATION, bearer)
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_owned())
            .send()
            .await
            .map_err(ClientError::from_reqwest)?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(ClientError::from_reqwest)?;
        Ok((status, text))
    }

    /// Run `call` until it succeeds, fails for good, or the budget is spent.
    async fn with_retries<T, F, Fut>(&self, call: F) -> Result<T, ClientError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, ClientError>>,
    {
        let mut attempt = 1;
        loop {
            match call().await {
                Err(e) if e.is_transient() && attempt < self.config.retry.max_attempts => {
                    tokio::time::sleep(self.config.retry.backoff(attempt)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
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
