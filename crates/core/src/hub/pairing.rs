//! Which turn a callback answers, and what is odd about it.
//!
//! A callback names its conversation but not the utterance it answers, so the
//! console infers it. The rule, per conversation, in arrival order:
//!
//! 1. **Duplicate.** A callback whose payload (`isFinal`, `response`,
//!    `customData`, compared after normalising both dialects) equals an
//!    earlier callback's is attached to the same turn as that one and flagged
//!    `duplicate`. It does not count as an answer: the turn is not "answered
//!    twice" and no other turn's slot is taken.
//! 2. **Turn hint.** The hub gives every turn its own callback URI, the
//!    conversation's URI plus `?turn=<seq>`. The avatar POSTs to the URI it
//!    got with the utterance it is answering (the guide: "the last customer
//!    utterance" it knows of), so a hint naming a turn of this conversation
//!    pairs the callback with exactly that turn — even one whose send was
//!    reported failed, since the avatar evidently got it. This is a fact
//!    about what the avatar did, not a guess.
//! 3. **Timing fallback** (no usable hint, e.g. a proxy dropped the query):
//!    the oldest turn sent (journaled) before the callback arrived that has
//!    no reply yet and did not fail — avatars answer a conversation's
//!    utterances in order. If all such turns are answered, the newest one.
//! 4. No turn was sent before the callback arrived: it is kept on the
//!    conversation unpaired (flag `unpaired`).
//!
//! Flags besides `duplicate` and `unpaired`:
//! - `late`: a newer utterance of this conversation had been sent before the
//!   callback arrived (its answer may be shown to the customer out of context);
//! - `outOfOrder`: a newer turn had already been answered when this one's
//!   answer arrived (only detectable with hints; the timing fallback pairs in
//!   order by construction);
//! - `afterFinal`: the conversation had already received `isFinal`;
//! - `extraReply`: the turn already had a distinct reply (several replies).
//!
//! Orphans (unknown conversation id) and malformed bodies never get here:
//! they go to the inbox.
//!
//! Work per callback is O(1) amortised plus the turn's own replies: the
//! state below keeps what the rule needs instead of rescanning history.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};

use crate::callback::ParsedCallback;
use crate::model::{ConversationView, ReplyFlag, TurnState, TurnView};

/// The outcome of pairing one callback, not yet applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Index into the conversation's turns.
    pub turn: Option<usize>,
    pub flags: Vec<ReplyFlag>,
    key: String,
    counts_as_answer: bool,
}

/// What pairing remembers about one conversation.
#[derive(Debug, Default)]
pub struct PairingState {
    /// Normalised payload → the turn its first occurrence was paired with.
    seen: HashMap<String, Option<usize>>,
    /// Turns (indices) with no reply yet that did not fail.
    unanswered: BTreeSet<usize>,
    /// Newest turn (index) that has been answered.
    newest_answered: Option<usize>,
    final_received: bool,
}

/// Dialect-independent identity of a callback's payload. serde_json's maps
/// are sorted, so key order on the wire does not matter.
pub fn payload_key(is_final: bool, response: Option<&str>, custom_data: &Value) -> String {
    json!([is_final, response, custom_data]).to_string()
}

fn sent_before(turn: &TurnView, received_at: i64) -> bool {
    turn.sent_at <= received_at
}

fn failed(turn: &TurnView) -> bool {
    matches!(turn.state, TurnState::Failed { .. })
}

impl PairingState {
    /// Rebuild from a stored conversation (on start-up).
    pub fn from_view(view: &ConversationView) -> Self {
        let mut state = Self::default();
        for (i, turn) in view.turns.iter().enumerate() {
            state.add_turn(i);
            for reply in &turn.replies {
                let key = payload_key(reply.is_final, reply.response.as_deref(), &reply.custom_data);
                let answer = !reply.flags.contains(&ReplyFlag::Duplicate);
                state.record(Some(i), key, answer, reply.is_final);
            }
            if failed(turn) {
                state.unanswered.remove(&i);
            }
        }
        for reply in &view.unpaired_replies {
            let key = payload_key(reply.is_final, reply.response.as_deref(), &reply.custom_data);
            state.record(None, key, false, reply.is_final);
        }
        state
    }

    pub fn add_turn(&mut self, index: usize) {
        self.unanswered.insert(index);
    }

    /// A failed send is not waiting for an answer (unless a hint says otherwise).
    pub fn turn_failed(&mut self, index: usize) {
        self.unanswered.remove(&index);
    }

    /// Decide where a callback goes; changes nothing.
    pub fn plan(
        &self,
        view: &ConversationView,
        callback: &ParsedCallback,
        received_at: i64,
        hint: Option<u32>,
    ) -> Plan {
        let key = payload_key(
            callback.is_final,
            callback.response.as_deref(),
            &callback.custom_data,
        );
        let mut flags = Vec::new();
        // The newest turn sent before the callback arrived.
        let newest_sent = view
            .turns
            .iter()
            .rposition(|t| sent_before(t, received_at) && !failed(t));
        let (turn, counts_as_answer) = if let Some(first) = self.seen.get(&key) {
            flags.push(ReplyFlag::Duplicate);
            (*first, false)
        } else {
            let hinted = hint.and_then(|seq| view.turns.iter().rposition(|t| t.seq == seq));
            let turn = hinted.or_else(|| {
                self.unanswered
                    .first()
                    .copied()
                    .filter(|&i| view.turns.get(i).is_some_and(|t| sent_before(t, received_at)))
                    .or(newest_sent)
            });
            (turn, turn.is_some())
        };
        match turn {
            None => flags.push(ReplyFlag::Unpaired),
            Some(i) => {
                if newest_sent.is_some_and(|n| n > i) {
                    flags.push(ReplyFlag::Late);
                }
                if counts_as_answer {
                    if self.newest_answered.is_some_and(|n| n > i) {
                        flags.push(ReplyFlag::OutOfOrder);
                    }
                    let answered = view
                        .turns
                        .get(i)
                        .is_some_and(|t| t.replies.iter().any(|r| !r.flags.contains(&ReplyFlag::Duplicate)));
                    if answered {
                        flags.push(ReplyFlag::ExtraReply);
                    }
                }
            }
        }
        if self.final_received {
            flags.push(ReplyFlag::AfterFinal);
        }
        Plan {
            turn,
            flags,
            key,
            counts_as_answer,
        }
    }

    /// Apply a plan once the callback is stored.
    pub fn commit(&mut self, plan: &Plan, is_final: bool) {
        self.record(plan.turn, plan.key.clone(), plan.counts_as_answer, is_final);
    }

    fn record(&mut self, turn: Option<usize>, key: String, answer: bool, is_final: bool) {
        self.seen.entry(key).or_insert(turn);
        if answer && let Some(i) = turn {
            self.unanswered.remove(&i);
            self.newest_answered = self.newest_answered.max(Some(i));
        }
        self.final_received |= is_final;
    }
}
