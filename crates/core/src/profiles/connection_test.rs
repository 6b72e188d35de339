//! "Test connection": Logon + chats/login against a profile's endpoint, with
//! nothing cached and nothing sent to an avatar. Written against reqwest
//! here (not through `AvatarClient`, whose session handling is private) and
//! following the same wire rules as the client.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::client::{AvatarClient, ClientConfig, ClientError};
use crate::error_payload::{CodedError, ErrorPayload};

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
            tracing::info!(code = %error.code(), ?step, "connection test failed");
            report.failed_step = Some(step);
            report.error = Some(ErrorPayload::from(&error));
        }
    }
    report
}

async fn run(
    config: &ClientConfig,
    report: &mut ConnectionTestReport,
) -> Result<(), (ConnectionStep, ClientError)> {
    // The avatar client's own Logon and login, once each: a test should
    // answer fast and show the first failure as it is.
    let mut config = config.clone();
    config.retry.max_attempts = 1;
    let client = AvatarClient::new(config).map_err(|e| (ConnectionStep::Logon, e))?;
    report.nlu_addresses = client
        .logon_addresses()
        .await
        .map_err(|e| (ConnectionStep::Logon, e))?;
    let Some(nlu) = report.nlu_addresses.first() else {
        return Err((
            ConnectionStep::Logon,
            ClientError::Protocol("Logon returned no nlu_addresses".into()),
        ));
    };
    let jwt = client.login(nlu).await.map_err(|e| (ConnectionStep::Login, e))?;
    if let Some(exp) = crate::client::jwt::expiry(&jwt) {
        let ms = |t: SystemTime| {
            t.duration_since(UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
                .unwrap_or_default()
        };
        report.token_expires_at = Some(ms(exp));
        report.token_expires_in_s = Some((ms(exp) - ms(SystemTime::now())) / 1000);
    }
    Ok(())
}
