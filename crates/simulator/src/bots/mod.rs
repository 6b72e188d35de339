//! Bots that answer utterances. Each bot is woken up from serialized state,
//! handles one utterance and is hibernated back to serialized state, the way
//! a Voximplant avatar scenario is between messages in text channels.

pub mod counting;

use serde_json::Value;

/// What a bot says back for one utterance.
#[derive(Debug, Clone, PartialEq)]
pub struct BotReply {
    pub response: String,
    pub is_final: bool,
    pub custom_data: Value,
}

/// Result of one wake-up → handle → hibernate cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct BotTurn {
    pub reply: BotReply,
    /// The hibernated state to store until the next utterance.
    pub state: String,
}
