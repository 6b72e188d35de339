//! The admin endpoint, for `avatar-sim` users and scripts: read and replace
//! the configuration (bots, faults, token lifetime) and read the event log.
//!
//! - `GET /_admin/config` → `SimConfig`
//! - `PUT /_admin/config` with a `SimConfig` (missing fields take defaults) → the new config
//! - `GET /_admin/events?since=N` → `[LoggedEvent]` with `seq > N`
//! - `DELETE /_admin/events` → 204, clears the log
//! - `POST /_admin/reset` → 204, forgets every conversation

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::config::SimConfig;
use crate::error::ApiError;
use crate::events::LoggedEvent;
use crate::state::SimState;

pub fn router() -> Router<Arc<SimState>> {
    Router::new()
        .route("/_admin/config", get(get_config).put(put_config))
        .route("/_admin/events", get(get_events).delete(clear_events))
        .route("/_admin/reset", post(reset))
}

async fn get_config(State(state): State<Arc<SimState>>) -> Json<SimConfig> {
    Json(SimConfig::clone(&state.config()))
}

async fn put_config(State(state): State<Arc<SimState>>, body: Bytes) -> Result<Json<SimConfig>, ApiError> {
    // serde_json's message names line and column, which is what someone
    // editing a config file by hand needs.
    let config: SimConfig = serde_json::from_slice(&body)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_config", e.to_string()))?;
    tracing::info!("configuration replaced through the admin endpoint");
    state.set_config(config);
    Ok(Json(SimConfig::clone(&state.config())))
}

#[derive(Deserialize)]
struct Since {
    #[serde(default)]
    since: u64,
}

async fn get_events(State(state): State<Arc<SimState>>, Query(q): Query<Since>) -> Json<Vec<LoggedEvent>> {
    Json(state.events_since(q.since))
}

async fn clear_events(State(state): State<Arc<SimState>>) -> StatusCode {
    state.clear_events();
    StatusCode::NO_CONTENT
}

async fn reset(State(state): State<Arc<SimState>>) -> StatusCode {
    state.reset_conversations();
    StatusCode::NO_CONTENT
}
