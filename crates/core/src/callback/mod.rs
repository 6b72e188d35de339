//! The embedded HTTP server avatars POST their replies to.
//!
//! `POST /cb/{secret}` takes a callback; the secret path segment keeps
//! strangers who learn the host from injecting replies. Everything that is not
//! a valid callback is still kept, raw, in the inbox. A callback is answered
//! 2xx only after the sink has written it durably.
//!
//! | request | answer |
//! | --- | --- |
//! | valid callback, known conversation | 200 `{"ok":true}` |
//! | valid callback, unknown conversation | 202, kept in the inbox (`orphan`) |
//! | wrong secret / unknown path | 404, inbox |
//! | other method on the callback path | 405, inbox |
//! | body over the limit | 413, inbox (headers only) |
//! | not JSON, wrong types, missing fields | 400 with a JSON error, inbox |
//! | body slower than the request timeout | 408, inbox (headers only) |
//! | `GET /health` | 200 `ok` |

mod handlers;
mod parse;
/// Kept reachable here, where it used to live; the module itself is a leaf
/// of its own so the store can use its placeholder without depending on this one.
pub use crate::callback_secret as secret;
mod server;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::{any, get};
use tower_http::timeout::TimeoutLayer;

pub use parse::{ParseError, ParsedCallback, parse_callback};
pub use server::CallbackServer;

use crate::store::StoreError;

pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// A random id for this process, returned by `/health` (not a secret).
pub fn instance_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| uuid::Uuid::new_v4().simple().to_string())
}
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy)]
pub struct ServerOptions {
    /// Larger bodies are answered 413.
    pub body_limit: usize,
    /// A body that has not fully arrived by then is answered 408.
    pub request_timeout: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            body_limit: DEFAULT_BODY_LIMIT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        }
    }
}

/// A request as it arrived, for the journal and the inbox.
#[derive(Debug, Clone)]
pub struct RawRequest {
    pub received_at: i64,
    pub method: String,
    /// Path and query, with the secret segment replaced by `<secret>`.
    pub path: String,
    pub headers: String,
    pub body: Bytes,
    /// `turn=<seq>` from the query: the hub adds it to each turn's callback URI.
    pub turn_hint: Option<u32>,
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
    options: ServerOptions,
}

/// The callback server's routes with default limits.
pub fn router(sink: Arc<dyn CallbackSink>, secret: &str) -> Router {
    router_with(sink, secret, ServerOptions::default())
}

pub fn router_with(sink: Arc<dyn CallbackSink>, secret: &str, options: ServerOptions) -> Router {
    let state = ServerState {
        sink,
        secret: secret.into(),
        options,
    };
    Router::new()
        // Carries this run's instance id so the tunnel self-test can tell our
        // server from any other that answers "ok".
        .route(
            "/health",
            get(|| async { crate::public_url::health_response(instance_id()) }),
        )
        // Every method is routed to the handler so that a GET is answered 405
        // *and* kept in the inbox, not dropped by the router.
        .route("/cb/{secret}", any(handlers::callback))
        .fallback(handlers::unknown)
        // Backstop for whatever the handler's own body timeout does not
        // cover (a stuck store); the handler answers 408 itself first.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            options.request_timeout.saturating_mul(3),
        ))
        .with_state(state)
}
