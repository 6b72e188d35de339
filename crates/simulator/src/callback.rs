//! Callback bodies in both dialects, and the POST that delivers them.

use serde_json::{Value, json};

use crate::bots::BotReply;
use crate::config::CallbackDialect;

/// The JSON text of a callback body.
pub fn body(dialect: CallbackDialect, reply: &BotReply, conversation_id: &str) -> String {
    let value = match dialect {
        CallbackDialect::CamelCase => json!({
            "isFinal": reply.is_final,
            "response": reply.response,
            "customData": reply.custom_data,
            "conversationId": conversation_id,
        }),
        CallbackDialect::SnakeCase => {
            // The SDK types custom_data as a JSON string or null.
            let custom_data = match &reply.custom_data {
                Value::Null => Value::Null,
                other => Value::String(other.to_string()),
            };
            json!({
                "is_final": reply.is_final,
                "response": reply.response,
                "custom_data": custom_data,
                "conversation_id": conversation_id,
            })
        }
    };
    value.to_string()
}

/// Cut a body in half (on a character boundary) so it is no longer JSON.
pub fn truncate(body: &str) -> String {
    let mut end = body.len() / 2;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body[..end].to_owned()
}

/// POST `body` as JSON; the receiver's status, or the network error.
pub async fn post(http: &reqwest::Client, uri: &str, body: &str) -> (Option<u16>, Option<String>) {
    let result = http
        .post(uri)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_owned())
        .send()
        .await;
    match result {
        Ok(r) => (Some(r.status().as_u16()), None),
        Err(e) => {
            // reqwest's errors name the URL, and its path is a secret.
            let e = e.without_url();
            tracing::warn!(uri = %log_safe_uri(uri), error = %e, "callback delivery failed");
            (None, Some(e.to_string()))
        }
    }
}

/// `uri` without its path and query, for logs: the simulator runs inside the
/// app and logs into the app's log, and a callback URI's path holds the
/// console's secret (`/cb/<secret>`). The event log keeps the whole URI.
pub fn log_safe_uri(uri: &str) -> String {
    let host_start = uri.find("://").map_or(0, |i| i + 3);
    match uri[host_start..].find(['/', '?', '#']) {
        Some(end) => format!("{}/…", &uri[..host_start + end]),
        None => uri.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn log_safe_uris_keep_the_host_only() {
        use super::log_safe_uri;
        assert_eq!(
            log_safe_uri("http://127.0.0.1:4000/cb/s3cr3t?turn=1"),
            "http://127.0.0.1:4000/…"
        );
        assert_eq!(log_safe_uri("https://h.example/a/cb/s"), "https://h.example/…");
        assert_eq!(log_safe_uri("http://h.example"), "http://h.example");
    }

    use super::*;

    fn reply() -> BotReply {
        BotReply::new("hi", json!({"a": 1}))
    }

    #[test]
    fn camel_case_carries_an_object() {
        let v: Value = serde_json::from_str(&body(CallbackDialect::CamelCase, &reply(), "c")).expect("json");
        assert_eq!(
            v,
            json!({"isFinal": false, "response": "hi", "customData": {"a": 1}, "conversationId": "c"})
        );
    }

    #[test]
    fn snake_case_carries_a_string_or_null() {
        let v: Value = serde_json::from_str(&body(CallbackDialect::SnakeCase, &reply(), "c")).expect("json");
        assert_eq!(v["custom_data"], json!("{\"a\":1}"));
        assert_eq!(v["conversation_id"], "c");
        assert_eq!(v["is_final"], false);
        let null = BotReply::new("x", Value::Null);
        let v: Value = serde_json::from_str(&body(CallbackDialect::SnakeCase, &null, "c")).expect("json");
        assert!(v["custom_data"].is_null());
    }

    #[test]
    fn truncated_body_is_not_json() {
        let b = body(
            CallbackDialect::CamelCase,
            &BotReply::new("ééééé", Value::Null),
            "c",
        );
        let cut = truncate(&b);
        assert!(cut.len() < b.len());
        assert!(serde_json::from_str::<Value>(&cut).is_err());
    }
}
