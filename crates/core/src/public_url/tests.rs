//! Providers and the self-test over real sockets on 127.0.0.1, and the
//! cloudflared provider against a fake `cloudflared` script.

use crate::error_payload::{CodedError, ErrorCode};
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;

use super::*;

const TIMEOUT: Duration = Duration::from_secs(5);

async fn serve(app: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

/// Our callback server's `/health`, as it must answer.
async fn our_server(nonce: &'static str) -> SocketAddr {
    serve(Router::new().route("/health", get(move || async move { health_response(nonce) }))).await
}

/// A minimal reverse proxy serving the backend under `/tunnel/`.
async fn reverse_proxy(backend: SocketAddr) -> SocketAddr {
    async fn forward(State(backend): State<SocketAddr>, Path(rest): Path<String>) -> Response {
        let Ok(answer) = reqwest::get(format!("http://{backend}/{rest}")).await else {
            return StatusCode::BAD_GATEWAY.into_response();
        };
        let mut response = Response::builder().status(answer.status().as_u16());
        for (name, value) in answer.headers() {
            response = response.header(name.as_str(), value.as_bytes());
        }
        let body = answer.bytes().await.unwrap_or_default();
        response
            .body(axum::body::Body::from(body))
            .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response())
    }
    serve(
        Router::new()
            .route("/tunnel/{*rest}", get(forward))
            .with_state(backend),
    )
    .await
}

async fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    listener.local_addr().expect("addr")
}

#[tokio::test]
async fn self_test_passes_through_a_manual_url_to_the_server_itself() {
    let addr = our_server("run-1").await;
    let provider = ManualUrlProvider::new(&format!("http://{addr}/")).expect("valid URL");
    let public = provider.open(addr).await.expect("opens");
    assert_eq!(public.kind(), PublicUrlKind::Manual);
    assert_eq!(public.base_url(), format!("http://{addr}"));
    let report = self_test(
        public.base_url(),
        &HealthExpectation::Instance("run-1".into()),
        TIMEOUT,
    )
    .await;
    assert!(report.ok, "{report:?}");
    assert_eq!(report.status, Some(200));
    assert_eq!(report.failure, None);
    assert!(report.latency_ms < TIMEOUT.as_millis() as u64);
    assert_eq!(report.url, format!("http://{addr}/health"));
}

#[tokio::test]
async fn self_test_passes_through_a_reverse_proxy_with_a_path_prefix() {
    let backend = our_server("run-2").await;
    let proxy = reverse_proxy(backend).await;
    let provider = ManualUrlProvider::new(&format!("http://{proxy}/tunnel")).expect("valid URL");
    let public = provider.open(backend).await.expect("opens");
    let report = self_test(
        public.base_url(),
        &HealthExpectation::Instance("run-2".into()),
        TIMEOUT,
    )
    .await;
    assert!(report.ok, "{report:?}");
    assert_eq!(report.url, format!("http://{proxy}/tunnel/health"));
    assert_eq!(
        public.callback_uri("s3cr3t").expect("joins"),
        format!("http://{proxy}/tunnel/cb/s3cr3t")
    );
}

#[tokio::test]
async fn self_test_reports_connect_refused_for_a_closed_port() {
    let addr = closed_port().await;
    let report = self_test(
        &format!("http://{addr}"),
        &HealthExpectation::Instance("x".into()),
        TIMEOUT,
    )
    .await;
    assert!(!report.ok);
    assert_eq!(
        report.failure,
        Some(SelfTestFailure::ConnectRefused),
        "{report:?}"
    );
    assert_eq!(report.status, None);
    assert!(
        report.message.contains("connection refused"),
        "{}",
        report.message
    );
}

#[tokio::test]
async fn self_test_reports_a_wrong_target() {
    // A server that answers /health with a plain "ok" but is not ours.
    let stranger = serve(Router::new().route("/health", get(|| async { "ok" }))).await;
    let report = self_test(
        &format!("http://{stranger}"),
        &HealthExpectation::Instance("run-3".into()),
        TIMEOUT,
    )
    .await;
    assert_eq!(report.failure, Some(SelfTestFailure::WrongTarget), "{report:?}");
    assert_eq!(report.status, Some(200));
    assert!(report.message.contains("not this app"), "{}", report.message);

    // Another console instance (an old tunnel still pointing at it).
    let other = our_server("someone-else").await;
    let report = self_test(
        &format!("http://{other}"),
        &HealthExpectation::Instance("run-3".into()),
        TIMEOUT,
    )
    .await;
    assert_eq!(report.failure, Some(SelfTestFailure::WrongTarget), "{report:?}");

    // A server without /health at all.
    let empty = serve(Router::new()).await;
    let report = self_test(
        &format!("http://{empty}"),
        &HealthExpectation::Instance("run-3".into()),
        TIMEOUT,
    )
    .await;
    assert_eq!(report.failure, Some(SelfTestFailure::WrongTarget), "{report:?}");
    assert_eq!(report.status, Some(404));
}

#[tokio::test]
async fn self_test_reports_a_tunnel_without_upstream_and_a_timeout() {
    let gateway = serve(Router::new().route(
        "/health",
        get(|| async { (StatusCode::BAD_GATEWAY, "origin down") }),
    ))
    .await;
    let report = self_test(&format!("http://{gateway}"), &HealthExpectation::AnyOk, TIMEOUT).await;
    assert_eq!(
        report.failure,
        Some(SelfTestFailure::TunnelNoUpstream),
        "{report:?}"
    );

    let slow = serve(Router::new().route(
        "/health",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(3)).await;
            "ok"
        }),
    ))
    .await;
    let report = self_test(
        &format!("http://{slow}"),
        &HealthExpectation::AnyOk,
        Duration::from_millis(200),
    )
    .await;
    assert_eq!(report.failure, Some(SelfTestFailure::Timeout), "{report:?}");
}

#[tokio::test]
async fn self_test_until_waits_for_a_server_that_comes_up_late() {
    let addr = closed_port().await;
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let listener = TcpListener::bind(addr).await.expect("rebind the port");
        let app = Router::new().route("/health", get(|| async { health_response("late") }));
        let _ = axum::serve(listener, app).await;
    });
    let expect = HealthExpectation::Instance("late".into());
    let report = self_test_until(
        &format!("http://{addr}"),
        &expect,
        TIMEOUT,
        Duration::from_secs(10),
    )
    .await;
    assert!(report.ok, "{report:?}");

    // A wrong target is final: no retries until the deadline.
    let stranger = serve(Router::new().route("/health", get(|| async { "ok" }))).await;
    let started = std::time::Instant::now();
    let report = self_test_until(
        &format!("http://{stranger}"),
        &expect,
        TIMEOUT,
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(report.failure, Some(SelfTestFailure::WrongTarget));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn self_test_reports_an_invalid_url() {
    let report = self_test("not a url", &HealthExpectation::AnyOk, TIMEOUT).await;
    assert_eq!(report.failure, Some(SelfTestFailure::InvalidUrl));
}

#[tokio::test]
async fn local_only_uses_the_loopback_address() {
    let addr: SocketAddr = "0.0.0.0:8123".parse().expect("addr");
    let public = LocalOnlyProvider.open(addr).await.expect("opens");
    assert_eq!(public.base_url(), "http://127.0.0.1:8123");
    assert_eq!(public.kind(), PublicUrlKind::LocalOnly);
    let addr: SocketAddr = "127.0.0.1:9".parse().expect("addr");
    let public = LocalOnlyProvider.open(addr).await.expect("opens");
    assert_eq!(
        public.callback_uri("abc").expect("joins"),
        "http://127.0.0.1:9/cb/abc"
    );
}

#[test]
fn choices_build_their_providers() {
    let manual = PublicUrlChoice::Manual {
        url: "ftp://x".into(),
    };
    assert_eq!(
        manual.provider().err().map(|e| e.code()),
        Some(ErrorCode::InvalidPublicUrl)
    );
    let manual = PublicUrlChoice::Manual {
        url: "https://x.example/".into(),
    };
    assert_eq!(manual.provider().expect("valid").kind(), PublicUrlKind::Manual);
    let json = serde_json::to_value(PublicUrlChoice::CloudflaredQuickTunnel { program: None }).expect("json");
    assert_eq!(json, serde_json::json!({"kind": "cloudflaredQuickTunnel"}));
    let back: PublicUrlChoice =
        serde_json::from_value(serde_json::json!({"kind": "manual", "url": "https://a.example"}))
            .expect("parses");
    assert_eq!(
        back,
        PublicUrlChoice::Manual {
            url: "https://a.example".into()
        }
    );
}

#[tokio::test]
async fn cloudflared_not_installed_says_how_to_install() {
    let provider = CloudflaredProvider::new().with_program("/nonexistent/avatar-console/cloudflared");
    let error = provider
        .open(closed_port().await)
        .await
        .expect_err("not installed");
    assert_eq!(error.code(), "cloudflared_not_installed");
    assert!(error.to_string().contains("Install it"), "{error}");
}

#[cfg(unix)]
mod fake_cloudflared {
    use std::os::unix::fs::PermissionsExt;
    use std::path::PathBuf;

    use super::*;

    /// A stand-in `cloudflared` that prints `stderr_text`, then runs `then`.
    fn script(dir: &std::path::Path, stderr_text: &str, then: &str) -> PathBuf {
        let path = dir.join("cloudflared");
        let args = dir.join("args");
        let body = format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" > '{}'\ncat >&2 <<'BANNER'\n{stderr_text}\nBANNER\n{then}\n",
            args.display()
        );
        std::fs::write(&path, body).expect("write script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    /// Opening retries "text file busy": another test thread may fork while
    /// the script's write handle is still open.
    async fn open(provider: &CloudflaredProvider, local: SocketAddr) -> Result<PublicUrl, PublicUrlError> {
        let mut attempt = 0;
        loop {
            match provider.open(local).await {
                Err(PublicUrlError::CloudflaredFailed(m)) if m.contains("busy") && attempt < 20 => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                other => return other,
            }
        }
    }

    fn running(pid: u32) -> bool {
        // Gone, or a zombie waiting to be reaped, counts as stopped.
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|stat| {
                !stat
                    .rsplit(')')
                    .next()
                    .unwrap_or("")
                    .trim_start()
                    .starts_with('Z')
            })
            .unwrap_or(false)
    }

    async fn wait_stopped(pid: u32) -> bool {
        for _ in 0..100 {
            if !running(pid) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    const BANNER: &str = "\
2025-11-25T14:03:11Z INF Requesting new quick Tunnel on trycloudflare.com...
2025-11-25T14:03:12Z INF +--------------------------------------------------------------------------------------------+
2025-11-25T14:03:12Z INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |
2025-11-25T14:03:12Z INF |  https://seasonal-deck-organisms-sf.trycloudflare.com                                      |
2025-11-25T14:03:12Z INF +--------------------------------------------------------------------------------------------+";

    #[tokio::test]
    async fn cloudflared_quick_tunnel_url_is_read_and_the_process_stopped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let program = script(dir.path(), BANNER, "exec sleep 60");
        let provider = CloudflaredProvider::new().with_program(&program);
        let local: SocketAddr = "127.0.0.1:41234".parse().expect("addr");
        let public = open(&provider, local).await.expect("tunnel starts");
        assert_eq!(public.kind(), PublicUrlKind::CloudflaredQuickTunnel);
        assert_eq!(
            public.base_url(),
            "https://seasonal-deck-organisms-sf.trycloudflare.com"
        );
        assert_eq!(
            public.callback_uri("k").expect("joins"),
            "https://seasonal-deck-organisms-sf.trycloudflare.com/cb/k"
        );
        let args = std::fs::read_to_string(dir.path().join("args")).expect("args");
        assert_eq!(args.trim(), "tunnel --no-autoupdate --url http://127.0.0.1:41234");
        let pid = public.process_id().expect("pid");
        assert!(running(pid));
        public.close().await;
        assert!(wait_stopped(pid).await, "cloudflared still running after close");

        // Dropping the URL stops the tunnel too.
        let public = open(&provider, local).await.expect("tunnel starts");
        let pid = public.process_id().expect("pid");
        drop(public);
        assert!(wait_stopped(pid).await, "cloudflared still running after drop");
    }

    #[tokio::test]
    async fn cloudflared_that_fails_reports_its_error_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let failing = "\
2025-11-25T14:05:40Z INF Requesting new quick Tunnel on trycloudflare.com...
2025-11-25T14:05:40Z ERR Error unmarshaling QuickTunnel response: error=\"failed to request quick Tunnel: Post \\\"https://api.trycloudflare.com/tunnel\\\": dial tcp: lookup api.trycloudflare.com: no such host\"";
        let program = script(dir.path(), failing, "exit 1");
        let provider = CloudflaredProvider::new().with_program(&program);
        let error = open(&provider, closed_port().await).await.expect_err("fails");
        assert_eq!(error.code(), "cloudflared_failed", "{error}");
        assert!(
            error.to_string().contains("failed to request quick Tunnel"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn cloudflared_that_prints_no_url_times_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let program = script(dir.path(), "2025-11-25T14:05:40Z INF starting", "exec sleep 60");
        let provider = CloudflaredProvider::new()
            .with_program(&program)
            .with_start_timeout(Duration::from_millis(300));
        let error = open(&provider, closed_port().await).await.expect_err("times out");
        assert_eq!(error.code(), "cloudflared_timeout", "{error}");
    }
}
