//! Per-conversation workers: wake the bot from its hibernated state, let it
//! answer, hibernate it again, and POST the reply to the callback URI —
//! shaped by whatever faults apply to the conversation.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::mpsc;

use crate::bots::{self, BotReply};
use crate::callback;
use crate::config::CallbackDialect;
use crate::events::SimEvent;
use crate::faults::{FaultConfig, TYPING_TEXT};
use crate::state::{ConversationKey, Job, SimState};

/// A reply waiting to be POSTed.
struct Outgoing {
    reply: BotReply,
    /// Used only when the conversation has no slot any more (it just ended).
    fallback_uri: String,
}

/// Queue an utterance for its conversation's worker (started on first use),
/// which answers the utterances of one conversation strictly in order.
pub(crate) fn enqueue(state: &Arc<SimState>, key: ConversationKey, job: Job) {
    state.enqueue_with(key.clone(), job, || spawn_worker(state.clone(), key));
}

fn spawn_worker(state: Arc<SimState>, key: ConversationKey) -> mpsc::UnboundedSender<Job> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
    tokio::spawn(async move {
        // Only the serialized form survives between utterances: the bot
        // object itself is rebuilt from it for every utterance.
        let mut hibernated: Option<String> = None;
        while let Some(first) = rx.recv().await {
            let config = state.config();
            let faults = config.faults_for(key.0, &key.1);
            let delay = config.reply_delay() + faults.delay();
            // tokio rounds even a zero sleep up to a timer tick (~1 ms): skip it.
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let mut jobs = vec![first];
            if faults.out_of_order {
                // A burst: everything that arrived while the avatar "thought".
                while let Ok(job) = rx.try_recv() {
                    jobs.push(job);
                }
            }
            let mut outgoing = Vec::new();
            for job in jobs {
                if state.is_ended(&key) {
                    state.record(SimEvent::UtteranceIgnored {
                        conversation_id: key.1.clone(),
                        utterance: job.utterance,
                        reason: "conversation_ended".into(),
                    });
                    continue;
                }
                // Read per job: the UI may switch bots between utterances.
                let Some(avatar) = state.config().avatar(key.0).cloned() else {
                    state.record(SimEvent::UtteranceIgnored {
                        conversation_id: key.1.clone(),
                        utterance: job.utterance,
                        reason: "avatar_removed".into(),
                    });
                    continue;
                };
                let turn = bots::run(
                    &avatar.bot,
                    hibernated.as_deref(),
                    &job.utterance,
                    &job.custom_data,
                );
                hibernated = Some(turn.state);
                if turn.reply.is_final {
                    state.mark_ended(&key);
                }
                if faults.typing {
                    outgoing.push(Outgoing {
                        reply: BotReply::new(TYPING_TEXT, Value::Null),
                        fallback_uri: job.callback_uri.clone(),
                    });
                }
                outgoing.push(Outgoing {
                    reply: turn.reply,
                    fallback_uri: job.callback_uri,
                });
            }
            if faults.out_of_order {
                outgoing.reverse();
            }
            let dialect = config.avatar(key.0).map(|a| a.dialect).unwrap_or_default();
            for item in outgoing {
                if item.reply.delay > Duration::ZERO {
                    tokio::time::sleep(item.reply.delay).await;
                }
                deliver(&state, &key, dialect, &faults, item).await;
            }
        }
    });
    tx
}

async fn deliver(
    state: &SimState,
    key: &ConversationKey,
    dialect: CallbackDialect,
    faults: &FaultConfig,
    item: Outgoing,
) {
    let conversation_id = key.1.clone();
    if faults.drop_callbacks {
        state.record(SimEvent::CallbackDropped {
            conversation_id,
            response: item.reply.response,
        });
        return;
    }
    let mut labels = Vec::new();
    if faults.out_of_order {
        labels.push("outOfOrder".to_owned());
    }
    let body_id = if faults.wrong_conversation_id {
        labels.push("wrongConversationId".to_owned());
        state.other_conversation_id(key)
    } else {
        conversation_id.clone()
    };
    let mut body = callback::body(dialect, &item.reply, &body_id);
    if faults.malformed {
        labels.push("malformed".to_owned());
        body = callback::truncate(&body);
    }
    let uri = state.latest_callback_uri(key).unwrap_or(item.fallback_uri);
    let attempts = if faults.duplicate { 2 } else { 1 };
    for attempt in 0..attempts {
        let mut faults_here = labels.clone();
        if attempt > 0 {
            faults_here.push("duplicate".to_owned());
        }
        let (status, error) = callback::post(&state.http, &uri, &body).await;
        state.record(SimEvent::Callback {
            conversation_id: conversation_id.clone(),
            uri: uri.clone(),
            response: item.reply.response.clone(),
            is_final: item.reply.is_final,
            status,
            error,
            body: body.clone(),
            faults: faults_here,
        });
    }
}
