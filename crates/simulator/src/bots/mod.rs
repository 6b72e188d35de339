//! Bots that answer utterances. Each bot is woken up from serialized state,
//! handles one utterance and is hibernated back to serialized state, the way
//! a Voximplant avatar scenario is between messages in text channels.

pub mod counting;
pub mod echo;
mod kind;
pub mod scenario;
pub mod scripted;

pub use kind::BotKind;

use std::time::Duration;

use serde_json::Value;

/// What a bot says back for one utterance.
#[derive(Debug, Clone, PartialEq)]
pub struct BotReply {
    pub response: String,
    pub is_final: bool,
    pub custom_data: Value,
    /// Extra time the bot "thinks" before this reply (scripted rules).
    pub delay: Duration,
}

impl BotReply {
    pub fn new(response: impl Into<String>, custom_data: Value) -> Self {
        Self {
            response: response.into(),
            is_final: false,
            custom_data,
            delay: Duration::ZERO,
        }
    }
}

/// Result of one wake-up → handle → hibernate cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct BotTurn {
    pub reply: BotReply,
    /// The hibernated state to store until the next utterance.
    pub state: String,
}

/// Wake the bot of `kind` from `hibernated`, let it answer, hibernate it.
pub fn run(kind: &BotKind, hibernated: Option<&str>, utterance: &str, custom_data: &Value) -> BotTurn {
    match kind {
        BotKind::Counting { forgets_state } => {
            // The classic bug: the scenario never reads what it hibernated.
            let restored = if *forgets_state { None } else { hibernated };
            counting::handle(restored, utterance, custom_data)
        }
        BotKind::Echo => echo::handle(utterance, custom_data),
        BotKind::Scripted { rules, fallback } => {
            scripted::handle(rules, fallback.as_deref(), utterance, custom_data)
        }
        // Scenario avatars answer on their engine thread (delivery.rs); this
        // synchronous path only says so.
        BotKind::Scenario { .. } => BotTurn {
            reply: BotReply::new(
                "(a scenario avatar answers through its engine thread)",
                Value::Null,
            ),
            state: hibernated.unwrap_or_default().to_string(),
        },
    }
}
