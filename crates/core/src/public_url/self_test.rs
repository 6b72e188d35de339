//! The self-test: GET `<public url>/health` from this machine, through the
//! tunnel, and check that the answer comes from *this* app's callback server.
//!
//! Failures are classified (DNS, TLS, refused, timeout, tunnel without
//! upstream, wrong target) because each has a different fix.

use std::error::Error as StdError;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::health::INSTANCE_HEADER;
use super::join::health_url;

/// How to recognise our own `/health` answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealthExpectation {
    /// [`INSTANCE_HEADER`] must carry this per-run nonce (what
    /// [`super::health_response`] sends). The reliable choice.
    Instance(String),
    /// The body, trimmed, must equal this.
    Body(String),
    /// Any `200` passes. Cannot tell a foreign server answering 200 from ours.
    AnyOk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SelfTestFailure {
    InvalidUrl,
    /// The host name does not resolve.
    Dns,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    /// Nothing listens there.
    ConnectRefused,
    /// Any other connection failure.
    Connect,
    Timeout,
    /// The tunnel or proxy answered, but could not reach our server (502, 530…).
    TunnelNoUpstream,
    /// Something answered, but it is not this app's callback server.
    WrongTarget,
}

impl SelfTestFailure {
    /// Stable, machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            SelfTestFailure::InvalidUrl => "invalid_public_url",
            SelfTestFailure::Dns => "dns",
            SelfTestFailure::Tls => "tls",
            SelfTestFailure::ConnectRefused => "connect_refused",
            SelfTestFailure::Connect => "connect",
            SelfTestFailure::Timeout => "timeout",
            SelfTestFailure::TunnelNoUpstream => "tunnel_no_upstream",
            SelfTestFailure::WrongTarget => "wrong_target",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SelfTestReport {
    /// The health URL that was called.
    pub url: String,
    pub ok: bool,
    /// Time from sending the request to reading the whole answer (or failing).
    #[ts(type = "number")]
    pub latency_ms: u64,
    /// HTTP status, when anything answered.
    pub status: Option<u16>,
    pub failure: Option<SelfTestFailure>,
    /// One line for the user: what happened and what to do.
    pub message: String,
}

/// Call `<public_base>/health` and check the answer. Never fails: every
/// outcome is a report.
pub async fn self_test(public_base: &str, expect: &HealthExpectation, timeout: Duration) -> SelfTestReport {
    let url = match health_url(public_base) {
        Ok(url) => url,
        Err(e) => {
            return report(
                public_base,
                Instant::now(),
                None,
                Some(SelfTestFailure::InvalidUrl),
                e.to_string(),
            );
        }
    };
    let client = reqwest::Client::builder()
        .timeout(timeout)
        // A redirect means the URL points somewhere else; report it, don't follow.
        .redirect(reqwest::redirect::Policy::none())
        .build();
    let client = match client {
        Ok(c) => c,
        Err(e) => {
            return report(
                &url,
                Instant::now(),
                None,
                Some(SelfTestFailure::Connect),
                e.to_string(),
            );
        }
    };
    let started = Instant::now();
    let response = match client.get(&url).header("cache-control", "no-cache").send().await {
        Ok(r) => r,
        Err(e) => {
            let failure = classify_request_error(&e);
            let message = failure_message(failure, &url, None, &error_chain(&e), timeout);
            return report(&url, started, None, Some(failure), message);
        }
    };
    let status = response.status().as_u16();
    let instance = response
        .headers()
        .get(INSTANCE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = match response.text().await {
        Ok(b) => b,
        Err(e) => {
            let failure = classify_request_error(&e);
            let message = failure_message(failure, &url, Some(status), &error_chain(&e), timeout);
            return report(&url, started, Some(status), Some(failure), message);
        }
    };
    let verdict = judge(status, instance.as_deref(), &body, location.as_deref(), expect);
    let (failure, message) = match verdict {
        Ok(()) => (None, format!("{url} reaches this app")),
        Err((failure, detail)) => (
            Some(failure),
            failure_message(failure, &url, Some(status), &detail, timeout),
        ),
    };
    report(&url, started, Some(status), failure, message)
}

/// Repeat [`self_test`] until it passes, fails in a way that will not heal
/// by itself, or `within` has passed. A new quick tunnel's name can take a
/// few seconds to resolve and reach us ("it may take some time to be
/// reachable", cloudflared says), so right after opening one use this.
pub async fn self_test_until(
    public_base: &str,
    expect: &HealthExpectation,
    per_try: Duration,
    within: Duration,
) -> SelfTestReport {
    let deadline = Instant::now() + within;
    loop {
        let report = self_test(public_base, expect, per_try).await;
        let transient = matches!(
            report.failure,
            Some(
                SelfTestFailure::Dns
                    | SelfTestFailure::Connect
                    | SelfTestFailure::ConnectRefused
                    | SelfTestFailure::Timeout
                    | SelfTestFailure::TunnelNoUpstream
            )
        );
        if !transient || Instant::now() + RETRY_INTERVAL >= deadline {
            return report;
        }
        tokio::time::sleep(RETRY_INTERVAL).await;
    }
}

const RETRY_INTERVAL: Duration = Duration::from_millis(500);

fn report(
    url: &str,
    started: Instant,
    status: Option<u16>,
    failure: Option<SelfTestFailure>,
    message: String,
) -> SelfTestReport {
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if let Some(f) = failure {
        tracing::info!(%url, code = f.code(), latency_ms, "public URL self-test failed");
    }
    SelfTestReport {
        url: url.to_owned(),
        ok: failure.is_none(),
        latency_ms,
        status,
        failure,
        message,
    }
}

/// Is this answer ours?
fn judge(
    status: u16,
    instance: Option<&str>,
    body: &str,
    location: Option<&str>,
    expect: &HealthExpectation,
) -> Result<(), (SelfTestFailure, String)> {
    match status {
        200 => {}
        // Cloudflare's and proxies' "origin unreachable" family.
        502 | 503 | 504 | 520..=530 => {
            return Err((SelfTestFailure::TunnelNoUpstream, snippet(body)));
        }
        300..=399 => {
            return Err((
                SelfTestFailure::WrongTarget,
                format!("it redirects to {}", location.unwrap_or("another address")),
            ));
        }
        _ => {
            return Err((
                SelfTestFailure::WrongTarget,
                format!("HTTP {status}: {}", snippet(body)),
            ));
        }
    }
    match expect {
        HealthExpectation::AnyOk => Ok(()),
        HealthExpectation::Instance(nonce) => match instance {
            Some(got) if got == nonce => Ok(()),
            Some(_) => Err((
                SelfTestFailure::WrongTarget,
                "another Avatar Console instance answered (an old tunnel or a second app?)".into(),
            )),
            None => Err((
                SelfTestFailure::WrongTarget,
                format!("the answer has no {INSTANCE_HEADER} header"),
            )),
        },
        HealthExpectation::Body(expected) => {
            if body.trim() == expected.trim() {
                Ok(())
            } else {
                Err((
                    SelfTestFailure::WrongTarget,
                    format!("unexpected body: {}", snippet(body)),
                ))
            }
        }
    }
}

fn snippet(body: &str) -> String {
    let one_line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 120 {
        format!("{}…", one_line.chars().take(120).collect::<String>())
    } else {
        one_line
    }
}

fn failure_message(
    failure: SelfTestFailure,
    url: &str,
    status: Option<u16>,
    detail: &str,
    timeout: Duration,
) -> String {
    match failure {
        SelfTestFailure::InvalidUrl => detail.to_owned(),
        SelfTestFailure::Dns => format!(
            "The host name in {url} does not resolve ({detail}). A new quick tunnel can take a minute to become reachable: retry; otherwise check the URL for typos."
        ),
        SelfTestFailure::Tls => format!(
            "TLS failed for {url} ({detail}). Use the https address the tunnel printed, or give the proxy a certificate this machine trusts."
        ),
        SelfTestFailure::ConnectRefused => format!(
            "Nothing accepts connections at {url} (connection refused). Is the tunnel or reverse proxy running, on the port in the URL?"
        ),
        SelfTestFailure::Connect => {
            format!("Could not connect to {url} ({detail}). Check the URL and the network.")
        }
        SelfTestFailure::Timeout => format!(
            "No answer from {url} within {} s. The tunnel may be down, or a firewall drops the traffic.",
            timeout.as_secs_f32()
        ),
        SelfTestFailure::TunnelNoUpstream => format!(
            "The tunnel or proxy at {url} answered HTTP {} but could not reach this app: make it forward to the callback server's address shown in the status bar. {detail}",
            status.unwrap_or_default()
        ),
        SelfTestFailure::WrongTarget => format!(
            "Something answered at {url}, but it is not this app's callback server: {detail}. The URL points at another server, an old tunnel or a proxy route to another port."
        ),
    }
}

/// Sort a transport error into a class by its cause chain.
pub(crate) fn classify_request_error(error: &reqwest::Error) -> SelfTestFailure {
    if error.is_timeout() {
        return SelfTestFailure::Timeout;
    }
    classify_chain(error)
}

pub(crate) fn classify_chain(error: &(dyn StdError + 'static)) -> SelfTestFailure {
    let mut text = String::new();
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return SelfTestFailure::ConnectRefused,
                std::io::ErrorKind::TimedOut => return SelfTestFailure::Timeout,
                _ => {}
            }
        }
        text.push_str(&e.to_string().to_lowercase());
        text.push('\n');
        current = e.source();
    }
    const DNS: &[&str] = &[
        "dns error",
        "failed to lookup address",
        "name or service not known",
        "no such host",
        "nodename nor servname",
        "no address associated",
        "temporary failure in name resolution",
    ];
    const TLS: &[&str] = &["certificate", "tls", "handshake", "unknownissuer", "ssl"];
    if text.contains("connection refused") {
        SelfTestFailure::ConnectRefused
    } else if DNS.iter().any(|m| text.contains(m)) {
        SelfTestFailure::Dns
    } else if TLS.iter().any(|m| text.contains(m)) {
        SelfTestFailure::Tls
    } else if text.contains("timed out") {
        SelfTestFailure::Timeout
    } else {
        SelfTestFailure::Connect
    }
}

/// The error and its causes on one line (the health URL holds no secret).
fn error_chain(error: &reqwest::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut current = error.source();
    while let Some(e) = current {
        let text = e.to_string();
        if parts.last().is_none_or(|last| !last.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrapped(std::io::Error);
    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("client error (Connect)")
        }
    }
    impl StdError for Wrapped {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn classifies_causes() {
        let dns = Wrapped(std::io::Error::other(
            "dns error: failed to lookup address information: Name or service not known",
        ));
        assert_eq!(classify_chain(&dns), SelfTestFailure::Dns);
        let tls = Wrapped(std::io::Error::other("invalid peer certificate: UnknownIssuer"));
        assert_eq!(classify_chain(&tls), SelfTestFailure::Tls);
        let refused = Wrapped(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(classify_chain(&refused), SelfTestFailure::ConnectRefused);
        let other = Wrapped(std::io::Error::other("connection reset"));
        assert_eq!(classify_chain(&other), SelfTestFailure::Connect);
    }

    #[test]
    fn judges_answers() {
        let nonce = HealthExpectation::Instance("n1".into());
        assert!(judge(200, Some("n1"), "ok", None, &nonce).is_ok());
        assert_eq!(
            judge(200, Some("n2"), "ok", None, &nonce).map_err(|e| e.0),
            Err(SelfTestFailure::WrongTarget)
        );
        assert_eq!(
            judge(200, None, "ok", None, &nonce).map_err(|e| e.0),
            Err(SelfTestFailure::WrongTarget)
        );
        assert_eq!(
            judge(530, None, "error 1033", None, &nonce).map_err(|e| e.0),
            Err(SelfTestFailure::TunnelNoUpstream)
        );
        assert_eq!(
            judge(301, None, "", Some("https://x"), &nonce).map_err(|e| e.0),
            Err(SelfTestFailure::WrongTarget)
        );
        assert!(judge(200, None, " ok\n", None, &HealthExpectation::Body("ok".into())).is_ok());
        assert!(judge(200, None, "hello", None, &HealthExpectation::AnyOk).is_ok());
    }
}
