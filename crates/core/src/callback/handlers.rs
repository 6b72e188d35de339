//! Request handlers: read the body within limits, validate, journal, answer.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Disposition, RawRequest, ServerState, parse_callback};
use crate::store::StoreError;

fn raw_request(method: &Method, uri: &Uri, headers: &HeaderMap, body: Bytes) -> RawRequest {
    let headers = headers
        .iter()
        .map(|(k, v)| format!("{}: {}", k, String::from_utf8_lossy(v.as_bytes())))
        .collect::<Vec<_>>()
        .join("\n");
    let mut path = redact_secret(uri.path());
    if let Some(query) = uri.query() {
        path.push('?');
        path.push_str(query);
    }
    RawRequest {
        received_at: crate::time::now_ms(),
        method: method.to_string(),
        path,
        headers,
        body,
        turn_hint: turn_hint(uri.query()),
    }
}

fn turn_hint(query: Option<&str>) -> Option<u32> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("turn="))
        .and_then(|v| v.parse().ok())
}

/// The path holds the secret: keep it out of the journal.
fn redact_secret(path: &str) -> String {
    match path.strip_prefix("/cb/") {
        Some(_) => format!("/cb/{}", super::secret::PLACEHOLDER),
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

/// The answer when a store write fails.
///
/// Store writes run on the request's own thread: one is a WAL append of
/// ~20 µs (WAL checkpoints run on their own thread, see `store::checkpoint`),
/// less than a hand-off to another thread costs: `spawn_blocking` and
/// `block_in_place` each added 20–30 µs to every callback's round trip in
/// `console-bench overhead`.
fn store_failed(e: &StoreError) -> Response {
    tracing::error!(error = %e, "could not journal a request");
    json_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "store",
        "could not store the request",
    )
}

/// Keep a request in the inbox, then answer `status` with a JSON error.
fn reject(
    state: &ServerState,
    raw: RawRequest,
    status: StatusCode,
    reason: &'static str,
    detail: String,
) -> Response {
    match state.sink.reject(reason, &detail, raw) {
        Ok(()) => json_error(status, reason, &detail),
        Err(e) => store_failed(&e),
    }
}

enum BodyError {
    TooLarge(String),
    Timeout,
}

/// The whole body, or why not. A broken connection counts as too large: the
/// sender is gone and will not read the answer either way.
async fn read_body(state: &ServerState, body: Body) -> Result<Bytes, BodyError> {
    let read = axum::body::to_bytes(body, state.options.body_limit);
    match tokio::time::timeout(state.options.request_timeout, read).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(BodyError::TooLarge(e.to_string())),
        Err(_) => Err(BodyError::Timeout),
    }
}

/// Read the body, or answer 413/408 and keep the headers in the inbox.
async fn body_or_reject(
    state: &ServerState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Body,
) -> Result<RawRequest, Response> {
    match read_body(state, body).await {
        Ok(bytes) => Ok(raw_request(method, uri, headers, bytes)),
        Err(BodyError::TooLarge(e)) => {
            let raw = raw_request(method, uri, headers, Bytes::new());
            let detail = format!("body over {} bytes ({e})", state.options.body_limit);
            Err(reject(
                state,
                raw,
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                detail,
            ))
        }
        Err(BodyError::Timeout) => {
            let raw = raw_request(method, uri, headers, Bytes::new());
            let detail = format!("body not received within {:?}", state.options.request_timeout);
            Err(reject(state, raw, StatusCode::REQUEST_TIMEOUT, "timeout", detail))
        }
    }
}

pub(super) async fn callback(
    State(state): State<ServerState>,
    Path(secret): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let raw = match body_or_reject(&state, &method, &uri, &headers, body).await {
        Ok(raw) => raw,
        Err(response) => return response,
    };
    if secret.as_bytes() != state.secret.as_bytes() {
        tracing::warn!("callback with a wrong secret path");
        let detail = "the secret path segment did not match".to_owned();
        return reject(&state, raw, StatusCode::NOT_FOUND, "wrong_secret", detail);
    }
    if method != Method::POST {
        let detail = format!("{method} on the callback path; avatars POST");
        return reject(
            &state,
            raw,
            StatusCode::METHOD_NOT_ALLOWED,
            "wrong_method",
            detail,
        );
    }
    match parse_callback(&raw.body) {
        Ok(parsed) => match state.sink.accept(parsed, raw) {
            Ok(Disposition::Paired) => (StatusCode::OK, axum::Json(json!({ "ok": true }))).into_response(),
            Ok(Disposition::Orphan) => (
                StatusCode::ACCEPTED,
                axum::Json(json!({ "ok": true, "inbox": "orphan" })),
            )
                .into_response(),
            Err(e) => store_failed(&e),
        },
        Err(e) => reject(&state, raw, StatusCode::BAD_REQUEST, "malformed", e.to_string()),
    }
}

pub(super) async fn unknown(
    State(state): State<ServerState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let raw = match body_or_reject(&state, &method, &uri, &headers, body).await {
        Ok(raw) => raw,
        Err(response) => return response,
    };
    reject(
        &state,
        raw,
        StatusCode::NOT_FOUND,
        "unknown_path",
        "not a callback endpoint".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_turn_hint() {
        assert_eq!(turn_hint(Some("turn=3")), Some(3));
        assert_eq!(turn_hint(Some("a=1&turn=12")), Some(12));
        assert_eq!(turn_hint(Some("turn=x")), None);
        assert_eq!(turn_hint(None), None);
    }

    #[test]
    fn secret_never_reaches_the_journal() {
        assert_eq!(redact_secret("/cb/abcdef"), "/cb/<secret>");
        assert_eq!(redact_secret("/other"), "/other");
    }
}
