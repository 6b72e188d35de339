//! Per-conversation workers: wake the bot from its hibernated state, let it
//! answer, hibernate it again, and POST the reply to the callback URI.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::bots::{self, BotTurn};
use crate::config::BotKind;
use crate::state::{SimEvent, SimState};

pub(crate) struct Job {
    pub utterance: String,
    pub custom_data: Value,
    pub callback_uri: String,
}

pub(crate) fn spawn_worker(
    state: Arc<SimState>,
    avatar_id: Uuid,
    conversation_id: String,
) -> mpsc::UnboundedSender<Job> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
    tokio::spawn(async move {
        // Only the serialized form survives between utterances.
        let mut hibernated: Option<String> = None;
        while let Some(job) = rx.recv().await {
            tokio::time::sleep(state.config.reply_delay).await;
            let bot = state.config.avatar(avatar_id).map(|a| a.bot);
            let turn = match bot {
                Some(BotKind::Counting) => {
                    bots::counting::handle(hibernated.as_deref(), &job.utterance, &job.custom_data)
                }
                None => continue,
            };
            let BotTurn { reply, state: next } = turn;
            hibernated = Some(next);
            let body = json!({
                "isFinal": reply.is_final,
                "response": reply.response,
                "customData": reply.custom_data,
                "conversationId": conversation_id,
            });
            post_callback(
                &state,
                &conversation_id,
                &job.callback_uri,
                &reply.response,
                &body,
            )
            .await;
        }
    });
    tx
}

async fn post_callback(state: &SimState, conversation_id: &str, uri: &str, response: &str, body: &Value) {
    let result = state.http.post(uri).json(body).send().await;
    let (status, error) = match result {
        Ok(r) => (Some(r.status().as_u16()), None),
        Err(e) => (None, Some(e.to_string())),
    };
    if let Some(error) = &error {
        tracing::warn!(conversation_id, uri, %error, "callback delivery failed");
    }
    state.record(SimEvent::Callback {
        conversation_id: conversation_id.to_owned(),
        uri: uri.to_owned(),
        response: response.to_owned(),
        status,
        error,
    });
}
