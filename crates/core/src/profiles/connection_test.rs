//! "Test connection": Logon + chats/login against a profile's endpoint, with
//! nothing cached and nothing sent to an avatar. Written against reqwest
//! here (not through `AvatarClient`, whose session handling is private) and
//! following the same wire rules as the client.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use ts_rs::TS;

use crate::client::{ClientConfig, ClientError, Credentials};
use crate::error::ErrorPayload;

/// Which step a connection test stopped at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ConnectionStep {
    /// Platform API Logon.
    Logon,
    /// `chats/login` on the first NLU address.
    Login,
}

/// Only serialized: it goes to the UI, never back.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectionTestReport {
    pub ok: bool,
    /// Avatar API base URLs Logon returned (empty if Logon failed).
    pub nlu_addresses: Vec<String>,
    /// The JWT's `exp`, in ms since the epoch, if it has one.
    #[ts(type = "number | null")]
    pub token_expires_at: Option<i64>,
    /// Seconds from now until the JWT expires.
    #[ts(type = "number | null")]
    pub token_expires_in_s: Option<i64>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// Where it failed, if it did.
    pub failed_step: Option<ConnectionStep>,
    /// `{code, message}` as elsewhere; the message says what to do.
    pub error: Option<ErrorPayload>,
}

/// Run Logon + chats/login with `config`. Never fails: failures are in the report.
pub async fn test_connection(config: &ClientConfig) -> ConnectionTestReport {
    let started = Instant::now();
    let mut report = ConnectionTestReport {
        ok: false,
        nlu_addresses: Vec::new(),
        token_expires_at: None,
        token_expires_in_s: None,
        elapsed_ms: 0,
        failed_step: None,
        error: None,
    };
    let outcome = run(config, &mut report).await;
    report.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match outcome {
        Ok(()) => report.ok = true,
        Err((step, error)) => {
            tracing::info!(code = error.code(), ?step, "connection test failed");
            report.failed_step = Some(step);
            report.error = Some(ErrorPayload {
                code: error.code().into(),
                message: error.to_string(),
            });
        }
    }
    report
}

async fn run(
    config: &ClientConfig,
    report: &mut ConnectionTestReport,
) -> Result<(), (ConnectionStep, ClientError)> {
    let http = reqwest::Client::builder()
        .timeout(config.request_timeout)
        .build()
        .map_err(|e| (ConnectionStep::Logon, ClientError::Network(e.to_string())))?;
    report.nlu_addresses = logon(&http, config)
        .await
        .map_err(|e| (ConnectionStep::Logon, e))?;
    let Some(nlu) = report.nlu_addresses.first() else {
        return Err((
            ConnectionStep::Logon,
            ClientError::Protocol("Logon returned no nlu_addresses".into()),
        ));
    };
    let jwt = login(&http, config, nlu)
        .await
        .map_err(|e| (ConnectionStep::Login, e))?;
    if let Some(exp) = jwt_exp(&jwt) {
        report.token_expires_at = exp.checked_mul(1000);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
            .as_secs();
        report.token_expires_in_s = Some(exp - i64::try_from(now).unwrap_or(i64::MAX));
    }
    Ok(())
}

async fn logon(http: &reqwest::Client, config: &ClientConfig) -> Result<Vec<String>, ClientError> {
    let (account_key, secret_key) = config.credential_spelling.query_names();
    let mut request = http
        .get(&config.logon_url)
        .query(&[(account_key, config.account_id.as_str())]);
    // Sub-user credentials go only to chats/login, as in the client.
    if let Credentials::ApiKey(key) = &config.credentials {
        request = request.query(&[(secret_key, key.expose())]);
    }
    let (status, text) = send(request).await?;
    check_status(status, &text)?;
    let body: Value = serde_json::from_str(&text)
        .map_err(|e| ClientError::Protocol(format!("Logon answered non-JSON: {e}")))?;
    if let Some(error) = body.get("error") {
        return Err(ClientError::BadCredentials(error_message(error)));
    }
    let addresses: Vec<String> = body
        .get("nlu_addresses")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    Ok(addresses)
}

async fn login(http: &reqwest::Client, config: &ClientConfig, nlu: &str) -> Result<String, ClientError> {
    let body = match &config.credentials {
        Credentials::ApiKey(key) => json!({ "accountId": config.account_id, "apiKey": key.expose() }),
        Credentials::Subuser { login, password } => json!({
            "accountId": config.account_id,
            "subuserLogin": login,
            "subuserPassword": password.expose(),
        }),
    };
    let url = format!("{}/api/v1/chats/login", nlu.trim_end_matches('/'));
    let (status, text) = send(http.post(url).json(&body)).await?;
    if status == 401 || status == 403 {
        return Err(ClientError::BadCredentials(format!(
            "chats/login answered {status}"
        )));
    }
    check_status(status, &text)?;
    let body: Value = serde_json::from_str(&text)
        .map_err(|e| ClientError::Protocol(format!("chats/login answered non-JSON: {e}")))?;
    ["jwt", "token", "accessToken", "access_token"]
        .iter()
        .find_map(|k| body.get(*k).and_then(Value::as_str))
        .map(str::to_owned)
        .ok_or_else(|| {
            ClientError::Protocol("chats/login returned no JWT (looked for jwt, token, accessToken)".into())
        })
}

async fn send(request: reqwest::RequestBuilder) -> Result<(u16, String), ClientError> {
    let response = request.send().await.map_err(transport_error)?;
    let status = response.status().as_u16();
    let text = response.text().await.map_err(transport_error)?;
    Ok((status, text))
}

/// `without_url`: the Logon URL's query carries the API key.
fn transport_error(e: reqwest::Error) -> ClientError {
    let timeout = e.is_timeout();
    let message = e.without_url().to_string();
    if timeout {
        ClientError::Timeout(message)
    } else {
        ClientError::Network(message)
    }
}

fn check_status(status: u16, body: &str) -> Result<(), ClientError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let message = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("error").map(error_message))
        .unwrap_or_else(|| body.chars().take(200).collect());
    Err(match status {
        401 | 403 => ClientError::BadCredentials(message),
        500..=599 => ClientError::Server { status, message },
        _ => ClientError::Rejected { status, message },
    })
}

fn error_message(error: &Value) -> String {
    error
        .get("msg")
        .or_else(|| error.get("message"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| error.to_string())
}

/// The JWT's `exp` claim (seconds), read without verification.
fn jwt_exp(jwt: &str) -> Option<i64> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("exp")?.as_i64()
}
