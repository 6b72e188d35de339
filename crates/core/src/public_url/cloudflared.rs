//! The cloudflared quick-tunnel provider: runs the user's own `cloudflared`
//! (we never download it), waits for the URL it prints, and keeps the process
//! for as long as the [`PublicUrl`] lives.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use super::cloudflared_output::{last_error_line, parse_quick_tunnel_url};
use super::{PublicUrl, PublicUrlError, PublicUrlFuture, PublicUrlKind, PublicUrlProvider, loopback_url};

/// Quick tunnels usually print their URL within a few seconds.
const DEFAULT_START_TIMEOUT: Duration = Duration::from_secs(30);
/// Lines kept to explain a failure.
const KEPT_LINES: usize = 20;

#[derive(Debug, Clone)]
pub struct CloudflaredProvider {
    program: PathBuf,
    start_timeout: Duration,
}

impl Default for CloudflaredProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl CloudflaredProvider {
    /// Runs `cloudflared` from `PATH`.
    pub fn new() -> Self {
        Self {
            program: PathBuf::from("cloudflared"),
            start_timeout: DEFAULT_START_TIMEOUT,
        }
    }

    /// Runs the given executable instead (a user-chosen path; tests use a fake).
    pub fn with_program(mut self, program: impl Into<PathBuf>) -> Self {
        self.program = program.into();
        self
    }

    pub fn with_start_timeout(mut self, timeout: Duration) -> Self {
        self.start_timeout = timeout;
        self
    }

    async fn start(&self, local: SocketAddr) -> Result<PublicUrl, PublicUrlError> {
        let target = loopback_url(local);
        let mut child = Command::new(&self.program)
            .args(["tunnel", "--no-autoupdate", "--url", &target])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Dropping the handle (app exit, provider switched) ends the tunnel.
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => PublicUrlError::CloudflaredNotInstalled,
                _ => PublicUrlError::CloudflaredFailed(format!(
                    "could not start {}: {e}",
                    self.program.display()
                )),
            })?;
        let (tx, mut rx) = mpsc::unbounded_channel();
        // Both pipes are drained for the tunnel's whole life: a full pipe
        // would block cloudflared.
        if let Some(out) = child.stdout.take() {
            drain(out, tx.clone());
        }
        if let Some(err) = child.stderr.take() {
            drain(err, tx);
        }
        let mut lines = Vec::new();
        let found = tokio::time::timeout(self.start_timeout, async {
            while let Some(line) = rx.recv().await {
                if let Some(url) = parse_quick_tunnel_url(&line) {
                    return Some(url);
                }
                if lines.len() == KEPT_LINES {
                    lines.remove(0);
                }
                lines.push(line);
            }
            None
        })
        .await;
        match found {
            Ok(Some(url)) => {
                tracing::info!(%url, %target, "cloudflared quick tunnel is up");
                Ok(PublicUrl::new(
                    url,
                    PublicUrlKind::CloudflaredQuickTunnel,
                    Some(TunnelProcess { child }),
                ))
            }
            Ok(None) => {
                // Both pipes closed: it is exiting. Don't wait forever if it is not.
                let status = match tokio::time::timeout(Duration::from_secs(2), child.wait()).await {
                    Ok(Ok(status)) => status.to_string(),
                    _ => {
                        let _ = child.start_kill();
                        "output closed".to_owned()
                    }
                };
                let reason = last_error_line(&lines).unwrap_or("no output").to_owned();
                Err(PublicUrlError::CloudflaredFailed(format!(
                    "cloudflared exited ({status}): {reason}"
                )))
            }
            Err(_) => {
                let _ = child.start_kill();
                Err(PublicUrlError::CloudflaredTimeout(self.start_timeout.as_secs()))
            }
        }
    }
}

impl PublicUrlProvider for CloudflaredProvider {
    fn kind(&self) -> PublicUrlKind {
        PublicUrlKind::CloudflaredQuickTunnel
    }

    fn open(&self, local: SocketAddr) -> PublicUrlFuture<'_> {
        Box::pin(self.start(local))
    }
}

/// The running cloudflared; killed when dropped.
#[derive(Debug)]
pub struct TunnelProcess {
    child: Child,
}

impl TunnelProcess {
    /// Stop cloudflared and wait until it is gone.
    pub async fn stop(mut self) {
        if let Err(e) = self.child.kill().await {
            tracing::warn!(error = %e, "could not stop cloudflared");
        }
    }

    /// The process id, for the status bar and for tests.
    pub fn id(&self) -> Option<u32> {
        self.child.id()
    }
}

fn drain(stream: impl AsyncRead + Unpin + Send + 'static, tx: mpsc::UnboundedSender<String>) {
    tokio::spawn(async move {
        let mut lines = BufReader::new(stream).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            tracing::debug!(target: "cloudflared", "{line}");
            // Nobody listens once the URL was found; keep draining anyway.
            let _ = tx.send(line);
        }
    });
}
