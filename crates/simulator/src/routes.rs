//! The REST surface of the Voximplant Avatar text-channel API.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::auth::TokenError;
use crate::delivery::Job;
use crate::state::{SimEvent, SimState};

pub fn router(state: Arc<SimState>) -> Router {
    Router::new()
        .route("/platform_api/Logon", get(logon).post(logon))
        .route("/api/v1/chats/login", post(login))
        .route("/api/v1/chats/{avatar_id}/{conversation_id}", post(send))
        .route("/health", get(|| async { "ok" }))
        .with_state(state)
}

/// An API error as JSON: `{"error": {"code", "message"}}`.
struct ApiError(StatusCode, &'static str, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ApiError(status, code, message) = self;
        (
            status,
            Json(json!({ "error": { "code": code, "message": message } })),
        )
            .into_response()
    }
}

/// Logon accepts both the guide's spelling and the platform API's.
async fn logon(State(state): State<Arc<SimState>>, Query(q): Query<HashMap<String, String>>) -> Json<Value> {
    let account_id = q
        .get("accountId")
        .or_else(|| q.get("account_id"))
        .cloned()
        .unwrap_or_default();
    let api_key = q
        .get("apiKey")
        .or_else(|| q.get("api_key"))
        .cloned()
        .unwrap_or_default();
    let ok = state.config.account_matches(&account_id, &api_key);
    state.record(SimEvent::Logon { account_id, ok });
    if !ok {
        // The platform API reports failures as HTTP 200 with an error object.
        return Json(json!({ "error": { "code": 100, "msg": "Authorization failed" } }));
    }
    let result = Uuid::new_v4().simple().to_string();
    if let Ok(mut results) = state.logon_results.lock() {
        results.insert(result.clone());
    }
    Json(json!({ "result": result, "nlu_addresses": [state.base_url()] }))
}

async fn login(
    State(state): State<Arc<SimState>>,
    body: Option<Json<Value>>,
) -> Result<Json<Value>, ApiError> {
    let body = body.map(|Json(v)| v).unwrap_or(Value::Null);
    let field = |name: &str| {
        body.get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let account_id = field("accountId");
    let api_key = field("apiKey");
    // The guide leaves open whether `apiKey` is the key itself or Logon's
    // `result`; the simulator accepts both.
    let known_result = state
        .logon_results
        .lock()
        .map(|r| r.contains(&api_key))
        .unwrap_or(false);
    let ok = !account_id.is_empty() && (state.config.account_matches(&account_id, &api_key) || known_result);
    state.record(SimEvent::Login {
        account_id: account_id.clone(),
        ok,
    });
    if !ok {
        return Err(ApiError(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "unknown account id or API key".into(),
        ));
    }
    let jwt = state
        .tokens
        .issue(&account_id, state.config.token_lifetime)
        .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, "token", e.to_string()))?;
    Ok(Json(json!({ "jwt": jwt })))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
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
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let result = accept_utterance(&state, &avatar_id, &conversation_id, &headers, &body);
    let status = match &result {
        Ok(_) => StatusCode::OK.as_u16(),
        Err(ApiError(status, ..)) => status.as_u16(),
    };
    let utterance = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("utterance").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();
    state.record(SimEvent::Utterance {
        avatar_id: Uuid::parse_str(&avatar_id).unwrap_or_default(),
        conversation_id,
        utterance,
        status,
    });
    result
}

fn accept_utterance(
    state: &Arc<SimState>,
    avatar_id: &str,
    conversation_id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Json<Value>, ApiError> {
    let token = bearer(headers).ok_or_else(|| {
        ApiError(
            StatusCode::UNAUTHORIZED,
            "no_token",
            "Authorization: Bearer <jwt> is required".into(),
        )
    })?;
    state.tokens.verify(token).map_err(|e| {
        let code = if matches!(e, TokenError::Expired) {
            "token_expired"
        } else {
            "token_invalid"
        };
        ApiError(StatusCode::UNAUTHORIZED, code, e.to_string())
    })?;
    let avatar = Uuid::parse_str(avatar_id)
        .ok()
        .and_then(|id| state.config.avatar(id))
        .ok_or_else(|| {
            ApiError(
                StatusCode::NOT_FOUND,
                "avatar_not_found",
                format!("no avatar with id {avatar_id}"),
            )
        })?;
    let body: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError(StatusCode::BAD_REQUEST, "invalid_json", e.to_string()))?;
    let text_field = |name: &str| {
        body.get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                ApiError(
                    StatusCode::BAD_REQUEST,
                    "missing_field",
                    format!("`{name}` (string) is required"),
                )
            })
    };
    let utterance = text_field("utterance")?;
    let callback_uri = text_field("callbackUri")?;
    let job = Job {
        utterance,
        custom_data: custom_data_of(&body),
        callback_uri,
    };
    state.enqueue(avatar.id, conversation_id, job);
    Ok(Json(json!({ "result": "accepted" })))
}
