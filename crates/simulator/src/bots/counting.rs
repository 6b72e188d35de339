//! The counting bot from Voximplant's HTTP API guide: it answers with the
//! number of utterances the customer has sent in this conversation. Its
//! counter lives in a "global" that only survives because `hibernate`
//! serializes it and `wakeup` restores it. `bye` ends the conversation.

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

/// `bye` on its own (any case, trailing punctuation allowed) ends the
/// conversation; "bye for now" is just another utterance.
fn is_bye(utterance: &str) -> bool {
    utterance
        .trim()
        .trim_end_matches(['!', '.', '?'])
        .eq_ignore_ascii_case("bye")
}

pub fn handle(hibernated: Option<&str>, utterance: &str, custom_data: &Value) -> BotTurn {
    let mut scenario = Scenario::wakeup(hibernated);
    scenario.total_utterances += 1;
    let data = json!({ "received": custom_data, "totalUtterances": scenario.total_utterances });
    let reply = if is_bye(utterance) {
        BotReply {
            is_final: true,
            ..BotReply::new("Goodbye!", data)
        }
    } else {
        BotReply::new(scenario.total_utterances.to_string(), data)
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
        assert_eq!(third.state, r#"{"totalUtterances":3}"#);
    }

    #[test]
    fn unreadable_state_starts_over() {
        assert_eq!(handle(Some("not json"), "hi", &Value::Null).reply.response, "1");
    }

    #[test]
    fn bye_is_final_but_bye_for_now_is_not() {
        let turn = handle(None, "  Bye! ", &Value::Null);
        assert!(turn.reply.is_final);
        assert_eq!(turn.reply.custom_data["totalUtterances"], 1);
        assert!(!handle(None, "bye for now", &Value::Null).reply.is_final);
    }

    #[test]
    fn forgetting_state_always_answers_one() {
        let kind = crate::bots::BotKind::Counting { forgets_state: true };
        let first = super::super::run(&kind, None, "a", &Value::Null);
        let second = super::super::run(&kind, Some(&first.state), "b", &Value::Null);
        assert_eq!(second.reply.response, "1");
    }
}
