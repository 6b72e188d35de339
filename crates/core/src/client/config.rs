use std::fmt;
use std::time::Duration;

/// A secret that never prints: `Debug` and `Display` show a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// The guide's way: account id + API key.
    ApiKey(Secret),
    /// Voximplant's SDK's way: a sub-user's login and password.
    Subuser { login: String, password: Secret },
}

/// How Logon's query parameters are spelled; the guide and the platform API differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CredentialSpelling {
    /// `account_id` / `api_key`, the platform API's convention.
    #[default]
    Platform,
    /// `accountId` / `apiKey`, as the guide writes them.
    Guide,
}

impl CredentialSpelling {
    pub fn query_names(self) -> (&'static str, &'static str) {
        match self {
            CredentialSpelling::Platform => ("account_id", "api_key"),
            CredentialSpelling::Guide => ("accountId", "apiKey"),
        }
    }
}

/// How `customData` goes on the wire: the guide sends an object, the SDK a JSON string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomDataEncoding {
    #[default]
    Object,
    String,
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Full URL of the platform API's Logon endpoint.
    pub logon_url: String,
    pub account_id: String,
    pub credentials: Credentials,
    pub credential_spelling: CredentialSpelling,
    pub custom_data_encoding: CustomDataEncoding,
    /// Per HTTP request, connection included.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
}

/// Retries of transient failures (5xx, timeouts, connection errors). Other
/// 4xx are never retried; a 401 gets one token refresh outside this budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// Wait before the second attempt; doubles each time, up to `max_backoff`.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// How long to wait after failed attempt number `attempt` (1-based).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

impl ClientConfig {
    pub fn new(
        logon_url: impl Into<String>,
        account_id: impl Into<String>,
        credentials: Credentials,
    ) -> Self {
        Self {
            logon_url: logon_url.into(),
            account_id: account_id.into(),
            credentials,
            credential_spelling: CredentialSpelling::default(),
            custom_data_encoding: CustomDataEncoding::default(),
            request_timeout: Duration::from_secs(15),
            retry: RetryPolicy::default(),
        }
    }
}
