//! The REST surface of the Voximplant Avatar text-channel API.
//!
//! Status codes of `POST /api/v1/chats/{avatarId}/{conversationId}`, checked in
//! this order: 401 (`no_token`, `token_expired`, `token_invalid`), 404
//! (`avatar_not_found`), 400 (`invalid_json`, `missing_field`), 409
//! (`conversation_ended`: the avatar finished the conversation with
//! `isFinal` or it was stopped), an injected 5xx (`injected_fault`), else
//! 200 `{"result": "accepted"}` and the reply follows as a callback.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::admin;
use crate::auth::TokenError;
use crate::config::AvatarConfig;
use crate::delivery;
use crate::error::ApiError;
use crate::events::SimEvent;
use crate::state::{Job, SimState};

pub fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/platform_api/Logon", get(logon).post(logon))
        .route("/api/v1/chats/login", post(login))
        .route("/api/v1/chats/{avatar_id}/{conversation_id}", post(send))
        .route("/api/v1/chats/{avatar_id}/{conversation_id}/stop", post(stop))
        .route("/health", get(|| async { "ok" }))
        .merge(admin::router())
        .fallback(unrouted)
        .with_state(state)
}

async fn unrouted(State(state): State<Arc<SimState>>, method: Method, uri: Uri) -> ApiError {
    state.record(SimEvent::Unrouted {
        method: method.to_string(),
        path: uri.path().to_owned(),
    });
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route for {method} {}", uri.path()),
    )
}

/// Logon accepts both the guide's spelling and the platform API's.
async fn logon(State(state): State<Arc<SimState>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let param = |a: &str, b: &str| q.get(a).or_else(|| q.get(b)).cloned().unwrap_or_default();
    let account_id = param("accountId", "account_id");
    let api_key = param("apiKey", "api_key");
    let config = state.config();
    let ok = config.account_matches(&account_id, &api_key);
    if !ok {
        // The platform API reports failures as HTTP 200 with an error object;
        // the switch makes it a 401 for clients that expect one.
        let status = if config.logon_error_as_401 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::OK
        };
        state.record(SimEvent::Logon {
            account_id,
            ok,
            status: status.as_u16(),
        });
        let body = json!({ "error": { "code": 100, "msg": "Authorization failed" } });
        return (status, Json(body)).into_response();
    }
    state.record(SimEvent::Logon {
        account_id,
        ok,
        status: 200,
    });
    let result = Uuid::new_v4().simple().to_string();
    if let Ok(mut results) = state.logon_results.lock() {
        results.insert(result.clone());
    }
    Json(json!({ "result": result, "nlu_addresses": [state.base_url()] })).into_response()
}

/// Accepts the guide's `{accountId, apiKey}` (the key itself or Logon's
/// `result`) and the SDK's `{accountId, subuserLogin, subuserPassword}`.
async fn login(State(state): State<Arc<SimState>>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let field = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    let account_id = field("accountId").unwrap_or_default();
    let config = state.config();
    let subuser = field("subuserLogin");
    let ok = !account_id.is_empty()
        && match (&subuser, field("apiKey")) {
            (Some(login), _) => {
                config.subuser_matches(&account_id, login, &field("subuserPassword").unwrap_or_default())
            }
            (None, Some(key)) => {
                let known_result = state
                    .logon_results
                    .lock()
                    .map(|r| r.contains(&key))
                    .unwrap_or(false);
                config.account_matches(&account_id, &key) || known_result
            }
            (None, None) => false,
        };
    state.record(SimEvent::Login {
        account_id: account_id.clone(),
        subuser,
        ok,
    });
    if !ok {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "unknown account id, API key or sub-user",
        ));
    }
    let jwt = state
        .tokens
        .issue(&account_id, config.token_lifetime())
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "token", e.to_string()))?;
    Ok(Json(json!({ "jwt": jwt })))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

/// The checks every chats call shares: a valid Bearer JWT and a known avatar.
fn authorize(state: &SimState, headers: &HeaderMap, avatar_id: &str) -> Result<AvatarConfig, ApiError> {
    let token = bearer(headers).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "no_token",
            "Authorization: Bearer <jwt> is required",
        )
    })?;
    state.tokens.verify(token).map_err(|e| {
        let code = if matches!(e, TokenError::Expired) {
            "token_expired"
        } else {
            "token_invalid"
        };
        ApiError::new(StatusCode::UNAUTHORIZED, code, e.to_string())
    })?;
    Uuid::parse_str(avatar_id)
        .ok()
        .and_then(|id| state.config().avatar(id).cloned())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "avatar_not_found",
                format!("no avatar with id {avatar_id}"),
            )
        })
}

/// `customData` arrives as an object (the guide) or a JSON string (the SDK).
fn custom_data_of(body: &Value) -> Value {
    match body.get("customData") {
        Some(Value::String(s)) => serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone())),
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

async fn send(
    State(state): State<Arc<SimState>>,
    Path((avatar_id, conversation_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    // Parsed once: the log wants the utterance even when the request is refused.
    let parsed = serde_json::from_slice::<Value>(&body);
    let utterance = parsed
        .as_ref()
        .ok()
        .and_then(|v| v.get("utterance").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();
    let result = accept_utterance(&state, &avatar_id, &conversation_id, &headers, parsed);
    let (status, error_code) = match &result {
        Ok(_) => (StatusCode::OK.as_u16(), None),
        Err(e) => (e.status.as_u16(), Some(e.code.to_owned())),
    };
    state.record(SimEvent::Utterance {
        avatar_id: Uuid::parse_str(&avatar_id).unwrap_or_default(),
        conversation_id,
        utterance,
        status,
        error_code,
    });
    result
}

fn accept_utterance(
    state: &Arc<SimState>,
    avatar_id: &str,
    conversation_id: &str,
    headers: &HeaderMap,
    body: Result<Value, serde_json::Error>,
) -> Result<Json<Value>, ApiError> {
    let avatar = authorize(state, headers, avatar_id)?;
    let body = body.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", e.to_string()))?;
    let text_field = |name: &str| {
        body.get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "missing_field",
                    format!("`{name}` (string) is required"),
                )
            })
    };
    let utterance = text_field("utterance")?;
    let callback_uri = text_field("callbackUri")?;
    let key = (avatar.id, conversation_id.to_owned());
    if state.is_ended(&key) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conversation_ended",
            "the avatar ended this conversation; start a new conversation id",
        ));
    }
    let faults = state.config().faults_for(avatar.id, conversation_id);
    if let Some(status) = faults.send_error(state.next_send_index(&key)) {
        let status = StatusCode::from_u16(status)
            .ok()
            .filter(StatusCode::is_server_error)
            .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        return Err(ApiError::new(
            status,
            "injected_fault",
            "fault injected by the simulator",
        ));
    }
    let job = Job {
        utterance,
        custom_data: custom_data_of(&body),
        callback_uri,
    };
    delivery::enqueue(state, key, job);
    Ok(Json(json!({ "result": "accepted" })))
}

/// Ends the conversation: the avatar drops its state and refuses (409) any
/// further utterance with this conversation id.
async fn stop(
    State(state): State<Arc<SimState>>,
    Path((avatar_id, conversation_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let result = authorize(&state, &headers, &avatar_id).map(|avatar| {
        state.mark_ended(&(avatar.id, conversation_id.clone()));
        Json(json!({ "result": "stopped" }))
    });
    let status = match &result {
        Ok(_) => 200,
        Err(e) => e.status.as_u16(),
    };
    state.record(SimEvent::Stop {
        avatar_id: Uuid::parse_str(&avatar_id).unwrap_or_default(),
        conversation_id,
        status,
    });
    result
}
