//! Per-conversation workers: wake the bot from its hibernated state, let it
//! answer, hibernate it again, and POST the reply to the callback URI —
//! shaped by whatever faults apply to the conversation.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::mpsc;

use crate::bots::scenario::ScenarioWorker;
use crate::bots::{self, BotKind, BotReply};
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
        // A scenario avatar's engine thread, started by its first utterance.
        let mut engine: Option<ScenarioWorker> = None;
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
                if let BotKind::Scenario { path, intents } = &avatar.bot {
                    let replies =
                        scenario_turn(&state, &key, &mut engine, path, intents.as_deref(), &job).await;
                    if replies.iter().any(|r| r.is_final) {
                        state.mark_ended(&key);
                    }
                    for reply in replies {
                        push_reply(&mut outgoing, &faults, reply, &job.callback_uri);
                    }
                    continue;
                }
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
                push_reply(&mut outgoing, &faults, turn.reply, &job.callback_uri);
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

fn push_reply(outgoing: &mut Vec<Outgoing>, faults: &FaultConfig, reply: BotReply, uri: &str) {
    if faults.typing {
        outgoing.push(Outgoing {
            reply: BotReply::new(TYPING_TEXT, Value::Null),
            fallback_uri: uri.to_string(),
        });
    }
    outgoing.push(Outgoing {
        reply,
        fallback_uri: uri.to_string(),
    });
}

/// One message to a scenario avatar: the file's current version, the
/// conversation's engine thread, one reply per response of the scenario.
async fn scenario_turn(
    state: &SimState,
    key: &ConversationKey,
    engine: &mut Option<ScenarioWorker>,
    path: &std::path::Path,
    intents: Option<&std::path::Path>,
    job: &Job,
) -> Vec<BotReply> {
    let file = path.display().to_string();
    let loaded = match state.scenarios.load(path, intents) {
        Ok(loaded) => loaded,
        Err(error) => {
            tracing::warn!(%error, "scenario avatar cannot run");
            state.record(SimEvent::ScenarioFile {
                path: file,
                version: None,
                error: Some(error),
            });
            return Vec::new();
        }
    };
    if loaded.reloaded {
        state.record(SimEvent::ScenarioFile {
            path: file,
            version: Some(loaded.version),
            error: None,
        });
    }
    if engine.is_none() {
        match ScenarioWorker::spawn(avatar_lab::LabOptions::default()) {
            Ok(worker) => *engine = Some(worker),
            Err(e) => {
                tracing::error!(error = %e, "cannot start a scenario engine thread");
                return Vec::new();
            }
        }
    }
    let message = avatar_lab::Message {
        text: job.utterance.clone(),
        custom_data: job.custom_data.clone(),
        intent: None,
    };
    let Some(worker) = engine.as_ref() else {
        return Vec::new();
    };
    let Some(record) = worker.turn(loaded, message).await else {
        *engine = None;
        return Vec::new();
    };
    state.record(SimEvent::ScenarioTurn {
        conversation_id: key.1.clone(),
        scenario_version: record.scenario_version,
        replies: record.replies.len(),
        errors: record.errors.iter().map(ToString::to_string).collect(),
    });
    record
        .replies
        .into_iter()
        .map(|r| BotReply {
            is_final: r.is_final,
            ..BotReply::new(r.response, r.custom_data)
        })
        .collect()
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
