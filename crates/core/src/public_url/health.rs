//! What the callback server's `/health` must answer for the self-test to tell
//! "our server" from "some server": a per-run nonce in a header. The body
//! stays `ok`, so plain health checks keep working.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Carries the callback server's per-run nonce on `/health` answers.
pub const INSTANCE_HEADER: &str = "x-avatar-console-instance";

/// The `/health` answer: `200 ok` plus [`INSTANCE_HEADER`]: `nonce`.
/// Wire with `.route("/health", get(move || async move { health_response(&nonce) }))`.
pub fn health_response(nonce: &str) -> Response {
    let mut response = (StatusCode::OK, "ok").into_response();
    if let Ok(value) = HeaderValue::from_str(nonce) {
        response.headers_mut().insert(INSTANCE_HEADER, value);
    }
    // Tunnels and proxies must not answer from a cache.
    response
        .headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-store"));
    response
}
