//! Replays a test against whatever avatar the hub's profile points at, and
//! compares each reply with its expectation.
//!
//! Which reply is compared: the avatar may answer several times per
//! utterance (a "typing…" message, then the answer). After the first reply
//! arrives the runner waits `settle` for more, and checks the last one.

use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use super::expect::{Mismatch, check_custom_data, check_response};
use super::test_file::TestFile;
use crate::error::CoreError;
use crate::hub::Hub;
use crate::model::{TurnState, TurnView};

#[derive(Debug, Clone)]
pub struct ReplayOptions {
    /// How long to wait for the first reply to each utterance.
    pub reply_timeout: Duration,
    /// How long to wait for further replies after the first.
    pub settle: Duration,
}

impl Default for ReplayOptions {
    fn default() -> Self {
        Self {
            reply_timeout: Duration::from_secs(15),
            settle: Duration::from_millis(300),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StepReport {
    pub utterance: String,
    pub passed: bool,
    pub response: Option<String>,
    #[ts(type = "number | null")]
    pub latency_ms: Option<i64>,
    pub mismatches: Vec<Mismatch>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReplayReport {
    pub name: String,
    /// The conversation id the replay used (a fresh one).
    pub conversation_id: String,
    pub steps: Vec<StepReport>,
}

impl ReplayReport {
    pub fn passed(&self) -> bool {
        self.steps.iter().all(|s| s.passed)
    }
}

async fn wait_for_replies(
    hub: &Hub,
    pane: uuid::Uuid,
    seq: u32,
    options: &ReplayOptions,
) -> Result<TurnView, CoreError> {
    let poll = Duration::from_millis(20);
    let deadline = tokio::time::Instant::now() + options.reply_timeout;
    let mut first_reply_at = None;
    loop {
        let view = hub.conversation(pane)?;
        let turn = view.turns.into_iter().find(|t| t.seq == seq);
        if let Some(turn) = turn {
            let failed = matches!(turn.state, TurnState::Failed { .. });
            let now = tokio::time::Instant::now();
            if !turn.replies.is_empty() && first_reply_at.is_none() {
                first_reply_at = Some(now);
            }
            let settled = first_reply_at.is_some_and(|t| now.duration_since(t) >= options.settle);
            if failed || settled || now >= deadline {
                return Ok(turn);
            }
        }
        tokio::time::sleep(poll).await;
    }
}

/// Run `test` in a fresh conversation of the hub's default avatar.
pub async fn replay(hub: &Hub, test: &TestFile, options: &ReplayOptions) -> Result<ReplayReport, CoreError> {
    let pane = hub.create_conversation()?;
    let mut steps = Vec::new();
    for step in &test.steps {
        // The hub fills the step's template variables, as for a live pane.
        let sent = hub
            .send(pane.id, &step.utterance, step.custom_data.clone())
            .await?;
        let seq = sent.seq;
        let turn = wait_for_replies(hub, pane.id, seq, options).await?;
        let mut mismatches = Vec::new();
        if let TurnState::Failed { code, message } = &turn.state {
            mismatches.push(Mismatch {
                field: "delivery".into(),
                expected: "the avatar API accepts the utterance".into(),
                actual: format!("{code}: {message}"),
            });
        }
        let last = turn.replies.last();
        match last {
            None if mismatches.is_empty() => mismatches.push(Mismatch {
                field: "reply".into(),
                expected: format!("a reply within {} ms", options.reply_timeout.as_millis()),
                actual: "no reply".into(),
            }),
            None => {}
            Some(reply) => {
                mismatches.extend(check_response(&step.expect.response, reply.response.as_deref()));
                if let Some(expected) = step.expect.is_final
                    && expected != reply.is_final
                {
                    mismatches.push(Mismatch {
                        field: "isFinal".into(),
                        expected: expected.to_string(),
                        actual: reply.is_final.to_string(),
                    });
                }
                mismatches.extend(check_custom_data(&step.expect.custom_data, &reply.custom_data));
            }
        }
        steps.push(StepReport {
            utterance: step.utterance.clone(),
            passed: mismatches.is_empty(),
            response: last.and_then(|r| r.response.clone()),
            latency_ms: last.map(|r| r.latency_ms),
            mismatches,
        });
    }
    Ok(ReplayReport {
        name: test.name.clone(),
        conversation_id: pane.conversation_id,
        steps,
    })
}
