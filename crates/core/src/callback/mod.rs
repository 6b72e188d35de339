//! The embedded HTTP server avatars POST their replies to.
//!
//! `POST /cb/{secret}` takes a callback; the secret path segment keeps
//! strangers who learn the host from injecting replies. Everything that is not
//! a valid callback is still kept, raw, in the inbox.

mod parse;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower_http::timeout::TimeoutLayer;

pub use parse::{ParseError, ParsedCallback, parse_callback};

use crate::store::StoreError;

pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// A request as it arrived, for the journal and the inbox.
#[derive(Debug, Clone)]
pub struct RawRequest {
    pub received_at: i64,
    pub method: String,
    pub path: String,
    pub headers: String,
    pub body: Bytes,
}

/// What became of a valid callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Attached to a conversation.
    Paired,
    /// No conversation uses that id: kept in the inbox.
    Orphan,
}

/// Where callbacks go. Both methods must have written durably when they return.
pub trait CallbackSink: Send + Sync + 'static {
    fn accept(&self, callback: ParsedCallback, raw: RawRequest) -> Result<Disposition, StoreError>;
    fn reject(&self, reason: &str, detail: &str, raw: RawRequest) -> Result<(), StoreError>;
}

#[derive(Clone)]
struct ServerState {
    sink: Arc<dyn CallbackSink>,
    secret: Arc<str>,
}

pub fn router(sink: Arc<dyn CallbackSink>, secret: &str) -> Router {
    let state = ServerState {
        sink,
        secret: secret.into(),
    };
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/cb/{secret}", post(callback))
        .fallback(any(unknown))
        .layer(DefaultBodyLimit::max(DEFAULT_BODY_LIMIT))
        // Slow senders are cut off rather than holding a connection forever.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10),
        ))
        .with_state(state)
}

fn raw_request(method: &Method, uri: &Uri, headers: &HeaderMap, body: Bytes) -> RawRequest {
    let headers = headers
        .iter()
        .map(|(k, v)| format!("{}: {}", k, String::from_utf8_lossy(v.as_bytes())))
        .collect::<Vec<_>>()
        .join("\n");
    RawRequest {
        received_at: crate::time::now_ms(),
        method: method.to_string(),
        // The path holds the secret: keep it out of the journal.
        path: redact_secret(uri.path()),
        headers,
        body,
    }
}

fn redact_secret(path: &str) -> String {
    match path.strip_prefix("/cb/") {
        Some(_) => "/cb/<secret>".into(),
        None => path.to_owned(),
    }
}

fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

async fn store<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Response> {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "could not journal a callback");
            Err(json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "store",
                "could not store the callback",
            ))
        }
        Err(e) => {
            tracing::error!(error = %e, "journal task failed");
            Err(json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "store",
                "could not store the callback",
            ))
        }
    }
}

async fn callback(
    State(state): State<ServerState>,
    Path(secret): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let raw = raw_request(&method, &uri, &headers, body);
    if secret.as_bytes() != state.secret.as_bytes() {
        tracing::warn!("callback with a wrong secret path");
        let sink = state.sink.clone();
        return match store(move || sink.reject("wrong_secret", "the secret path segment did not match", raw))
            .await
        {
            Ok(()) => json_error(StatusCode::NOT_FOUND, "not_found", "no such callback path"),
            Err(r) => r,
        };
    }
    match parse_callback(&raw.body) {
        Ok(parsed) => {
            let sink = state.sink.clone();
            match store(move || sink.accept(parsed, raw)).await {
                Ok(Disposition::Paired) => {
                    (StatusCode::OK, axum::Json(json!({ "ok": true }))).into_response()
                }
                Ok(Disposition::Orphan) => (
                    StatusCode::ACCEPTED,
                    axum::Json(json!({ "ok": true, "inbox": "orphan" })),
                )
                    .into_response(),
                Err(r) => r,
            }
        }
        Err(e) => {
            let message = e.to_string();
            let sink = state.sink.clone();
            let detail = message.clone();
            match store(move || sink.reject("malformed", &detail, raw)).await {
                Ok(()) => json_error(StatusCode::BAD_REQUEST, "malformed", &message),
                Err(r) => r,
            }
        }
    }
}

async fn unknown(
    State(state): State<ServerState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let status = if uri.path().starts_with("/cb/") {
        StatusCode::METHOD_NOT_ALLOWED
    } else {
        StatusCode::NOT_FOUND
    };
    let raw = raw_request(&method, &uri, &headers, body);
    let sink = state.sink.clone();
    let reason = if status == StatusCode::METHOD_NOT_ALLOWED {
        "wrong_method"
    } else {
        "unknown_path"
    };
    match store(move || sink.reject(reason, "not a callback endpoint", raw)).await {
        Ok(()) => json_error(status, reason, "not a callback endpoint"),
        Err(r) => r,
    }
}

/// A running callback server.
pub struct CallbackServer {
    pub addr: SocketAddr,
    secret: String,
    shutdown: Option<oneshot::Sender<()>>,
}

impl CallbackServer {
    /// Bind `addr` (port 0 picks a free one) and serve.
    pub async fn spawn(
        addr: SocketAddr,
        sink: Arc<dyn CallbackSink>,
        secret: String,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        Ok(Self::serve(listener, sink, secret))
    }

    /// Serve on a listener that is already bound.
    pub fn serve(listener: TcpListener, sink: Arc<dyn CallbackSink>, secret: String) -> Self {
        let addr = listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)));
        let app = router(sink, &secret);
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "callback server stopped");
            }
        });
        tracing::info!(%addr, "callback server listening");
        Self {
            addr,
            secret,
            shutdown: Some(tx),
        }
    }

    /// The local callback URL (public URLs come from a tunnel provider).
    pub fn local_url(&self) -> String {
        format!("http://{}/cb/{}", self.addr, self.secret)
    }

    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Drop for CallbackServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}
