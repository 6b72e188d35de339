//! customData template variables, filled at send time: `{{uuid}}` a fresh
//! UUID, `{{now}}` the ISO time, `{{turn}}` the turn number,
//! `{{conversationId}}` and `{{userId}}` the pane's ids. A string that is
//! exactly `{{turn}}` becomes a number. Unknown variables stay as written.
//! `Hub::send` fills them for live panes and replays alike; the UI only
//! parses the template's JSON.

use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde_json::Value;

pub struct TemplateContext<'a> {
    pub turn: u32,
    pub conversation_id: &'a str,
    pub user_id: &'a str,
    /// ISO 8601 time to use for `{{now}}`.
    pub now: &'a str,
}

/// Compiled once: building the regex took longer than a whole send on
/// loopback, and `Hub::send` fills a template for every turn.
static VARIABLE: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern: it always compiles.
    Regex::new(r"\{\{\s*(\w+)\s*\}\}").unwrap_or_else(|_| unreachable!())
});

fn fill_str(re: &Regex, text: &str, ctx: &TemplateContext<'_>) -> Value {
    if let Some(c) = re.captures(text)
        && c.get(0).is_some_and(|m| m.as_str() == text)
        && &c[1] == "turn"
    {
        return Value::from(ctx.turn);
    }
    let filled = re.replace_all(text, |c: &Captures<'_>| match &c[1] {
        "uuid" => uuid::Uuid::new_v4().to_string(),
        "now" => ctx.now.to_owned(),
        "turn" => ctx.turn.to_string(),
        "conversationId" => ctx.conversation_id.to_owned(),
        "userId" => ctx.user_id.to_owned(),
        _ => c[0].to_owned(),
    });
    Value::String(filled.into_owned())
}

fn fill_with(re: &Regex, value: &Value, ctx: &TemplateContext<'_>) -> Value {
    match value {
        Value::String(s) => fill_str(re, s, ctx),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill_with(re, v, ctx)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), fill_with(re, v, ctx)))
                .collect(),
        ),
        other => other.clone(),
    }
}

pub fn fill(value: &Value, ctx: &TemplateContext<'_>) -> Value {
    fill_with(&VARIABLE, value, ctx)
}

/// The current time as ISO 8601 UTC with milliseconds, like JavaScript's `toISOString`.
pub fn iso_now() -> String {
    let ms = crate::time::now_ms();
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms.rem_euclid(1000)
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fills_variables_deep_inside_objects_and_arrays() {
        let ctx = TemplateContext {
            turn: 3,
            conversation_id: "conv-1",
            user_id: "user-1",
            now: "T",
        };
        let filled = fill(
            &json!({"t": "{{turn}}", "s": "turn {{ turn }} of {{conversationId}} by {{userId}} at {{now}}", "x": ["{{nope}}", 1]}),
            &ctx,
        );
        assert_eq!(
            filled,
            json!({"t": 3, "s": "turn 3 of conv-1 by user-1 at T", "x": ["{{nope}}", 1]})
        );
        let ids = fill(&json!(["{{uuid}}", "{{uuid}}"]), &ctx);
        assert_ne!(ids[0], ids[1]);
        assert_eq!(ids[0].as_str().map(str::len), Some(36));
    }

    #[test]
    fn iso_now_has_the_right_shape() {
        let now = iso_now();
        assert_eq!(now.len(), 24, "{now}");
        assert!(now.starts_with("20") && now.ends_with('Z'), "{now}");
    }
}
