//! The counting bot from Voximplant's HTTP API guide: it answers with the
//! number of utterances the customer has sent in this conversation. Its
//! counter lives in a "global" that only survives because `hibernate`
//! serializes it and `wakeup` restores it.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{BotReply, BotTurn};

#[derive(Debug, Default, Serialize, Deserialize)]
struct Scenario {
    #[serde(rename = "totalUtterances")]
    total_utterances: u64,
}

impl Scenario {
    fn wakeup(hibernated: Option<&str>) -> Self {
        // A state we cannot read is treated as a fresh scenario, as the real
        // platform would start one.
        hibernated
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }

    fn hibernate(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

pub fn handle(hibernated: Option<&str>, _utterance: &str, custom_data: &Value) -> BotTurn {
    let mut scenario = Scenario::wakeup(hibernated);
    scenario.total_utterances += 1;
    let reply = BotReply {
        response: scenario.total_utterances.to_string(),
        is_final: false,
        custom_data: json!({ "received": custom_data, "totalUtterances": scenario.total_utterances }),
    };
    BotTurn {
        state: scenario.hibernate(),
        reply,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_across_hibernation() {
        let first = handle(None, "hi", &Value::Null);
        assert_eq!(first.reply.response, "1");
        let second = handle(Some(&first.state), "again", &Value::Null);
        assert_eq!(second.reply.response, "2");
        let third = handle(Some(&second.state), "and again", &Value::Null);
        assert_eq!(third.reply.response, "3");
    }

    #[test]
    fn unreadable_state_starts_over() {
        assert_eq!(handle(Some("not json"), "hi", &Value::Null).reply.response, "1");
    }
}
