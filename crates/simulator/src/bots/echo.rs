//! The echo bot: answers with the utterance and returns `customData` with
//! fields changed, added and removed, so the console's customData diff has
//! something to show for every kind of change.
//!
//! Rules: top-level numbers are incremented (changed); top-level keys that
//! start with `_` are dropped (removed); `echoed: true` and
//! `utteranceLength` are added. Anything that is not an object is wrapped as
//! `{"original": …}` first.

use serde_json::{Map, Value, json};

use super::{BotReply, BotTurn};

fn transform(custom_data: &Value, utterance: &str) -> Value {
    let mut out = Map::new();
    match custom_data {
        Value::Object(fields) => {
            for (key, value) in fields {
                if key.starts_with('_') {
                    continue;
                }
                let changed = match value {
                    Value::Number(n) => n
                        .as_i64()
                        .map(|i| json!(i.saturating_add(1)))
                        .or_else(|| n.as_f64().map(|f| json!(f + 1.0)))
                        .unwrap_or_else(|| value.clone()),
                    other => other.clone(),
                };
                out.insert(key.clone(), changed);
            }
        }
        Value::Null => {}
        other => {
            out.insert("original".into(), other.clone());
        }
    }
    out.insert("echoed".into(), Value::Bool(true));
    out.insert("utteranceLength".into(), json!(utterance.chars().count()));
    Value::Object(out)
}

pub fn handle(utterance: &str, custom_data: &Value) -> BotTurn {
    BotTurn {
        reply: BotReply::new(utterance, transform(custom_data, utterance)),
        // Stateless: nothing to carry over hibernation.
        state: "{}".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_adds_and_removes_fields() {
        let turn = handle("héllo", &json!({"n": 1, "x": 1.5, "_secret": "s", "name": "a"}));
        assert_eq!(turn.reply.response, "héllo");
        assert_eq!(
            turn.reply.custom_data,
            json!({"n": 2, "x": 2.5, "name": "a", "echoed": true, "utteranceLength": 5})
        );
    }

    #[test]
    fn non_objects_are_wrapped() {
        let turn = handle("", &json!([1]));
        assert_eq!(turn.reply.custom_data["original"], json!([1]));
        assert_eq!(handle("", &Value::Null).reply.custom_data["echoed"], true);
    }
}
