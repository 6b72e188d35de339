//! Parses an avatar's callback body in either dialect:
//! the guide's `{isFinal, response, customData, conversationId}` or the SDK's
//! `{is_final, response, custom_data, conversation_id}`, with customData as an
//! object or a JSON-encoded string.

use serde_json::{Map, Value};

use crate::model::CallbackDialect;

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCallback {
    pub conversation_id: String,
    pub response: Option<String>,
    pub is_final: bool,
    pub custom_data: Value,
    pub dialect: CallbackDialect,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    #[error("body is not JSON: {0}")]
    NotJson(String),
    #[error("body is not a JSON object")]
    NotObject,
    #[error("missing field `{0}`")]
    Missing(&'static str),
    #[error("field `{0}` has the wrong type: expected {1}")]
    WrongType(&'static str, &'static str),
}

pub fn parse_callback(body: &[u8]) -> Result<ParsedCallback, ParseError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ParseError::NotJson(e.to_string()))?;
    let Value::Object(map) = value else {
        return Err(ParseError::NotObject);
    };
    let dialect = if map.contains_key("conversation_id") || map.contains_key("is_final") {
        CallbackDialect::SnakeCase
    } else {
        CallbackDialect::CamelCase
    };
    let (conv_key, final_key, data_key) = match dialect {
        CallbackDialect::CamelCase => ("conversationId", "isFinal", "customData"),
        CallbackDialect::SnakeCase => ("conversation_id", "is_final", "custom_data"),
    };
    let conversation_id = match map.get(conv_key) {
        Some(Value::String(s)) => s.clone(),
        // Numeric ids appear when a channel's user id is a number.
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(ParseError::WrongType(conv_key_static(dialect), "string")),
        None => return Err(ParseError::Missing(conv_key_static(dialect))),
    };
    let is_final = match map.get(final_key) {
        Some(Value::Bool(b)) => *b,
        None | Some(Value::Null) => false,
        Some(_) => return Err(ParseError::WrongType(final_key_static(dialect), "boolean")),
    };
    let response = match map.get("response") {
        Some(Value::String(s)) => Some(s.clone()),
        None | Some(Value::Null) => None,
        Some(_) => return Err(ParseError::WrongType("response", "string")),
    };
    let custom_data = custom_data(&map, data_key);
    Ok(ParsedCallback {
        conversation_id,
        response,
        is_final,
        custom_data,
        dialect,
    })
}

fn conv_key_static(d: CallbackDialect) -> &'static str {
    match d {
        CallbackDialect::CamelCase => "conversationId",
        CallbackDialect::SnakeCase => "conversation_id",
    }
}

fn final_key_static(d: CallbackDialect) -> &'static str {
    match d {
        CallbackDialect::CamelCase => "isFinal",
        CallbackDialect::SnakeCase => "is_final",
    }
}

/// A JSON string holding JSON is decoded; any other value is kept as it came.
fn custom_data(map: &Map<String, Value>, key: &str) -> Value {
    match map.get(key) {
        Some(Value::String(s)) => serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone())),
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn guide_dialect() {
        let body = br#"{"isFinal":false,"response":"1","customData":{"a":1},"conversationId":"c1"}"#;
        let cb = parse_callback(body).expect("valid");
        assert_eq!(cb.dialect, CallbackDialect::CamelCase);
        assert_eq!(cb.conversation_id, "c1");
        assert_eq!(cb.response.as_deref(), Some("1"));
        assert_eq!(cb.custom_data, json!({"a": 1}));
    }

    #[test]
    fn sdk_dialect_with_string_custom_data() {
        let body = br#"{"is_final":true,"response":null,"custom_data":"{\"b\":2}","conversation_id":"c2"}"#;
        let cb = parse_callback(body).expect("valid");
        assert_eq!(cb.dialect, CallbackDialect::SnakeCase);
        assert!(cb.is_final);
        assert_eq!(cb.response, None);
        assert_eq!(cb.custom_data, json!({"b": 2}));
    }

    #[test]
    fn rejects_bad_bodies() {
        assert!(matches!(parse_callback(b"nope"), Err(ParseError::NotJson(_))));
        assert_eq!(parse_callback(b"[1]"), Err(ParseError::NotObject));
        assert_eq!(
            parse_callback(br#"{"response":"x"}"#),
            Err(ParseError::Missing("conversationId"))
        );
        assert_eq!(
            parse_callback(br#"{"conversationId":"c","isFinal":"yes"}"#),
            Err(ParseError::WrongType("isFinal", "boolean"))
        );
    }
}
