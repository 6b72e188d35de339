//! Expectations on one avatar reply and how they are checked.

use std::collections::BTreeMap;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json_path::JsonPath;
use ts_rs::TS;

/// What the reply text must be.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ResponseExpectation {
    /// Any text, or none.
    #[default]
    Any,
    Exact(String),
    /// A regular expression (Rust `regex` syntax) that must match somewhere.
    Regex(String),
}

/// What the returned customData must hold.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomDataExpectation {
    /// JSONPath selector → expected value, e.g. `{"$.order.status": "paid"}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(type = "Record<string, unknown>")]
    pub select: BTreeMap<String, Value>,
    /// The whole customData, compared after removing the `ignore` paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "unknown")]
    pub whole: Option<Value>,
    /// JSONPath selectors of volatile values (timestamps, ids) left out of `whole`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
}

/// One way a reply differs from its expectation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Mismatch {
    /// `response`, `isFinal`, `customData`, or a customData selector.
    pub field: String,
    pub expected: String,
    pub actual: String,
}

fn mismatch(field: &str, expected: impl ToString, actual: impl ToString) -> Mismatch {
    Mismatch {
        field: field.into(),
        expected: expected.to_string(),
        actual: actual.to_string(),
    }
}

pub(crate) fn check_response(expect: &ResponseExpectation, actual: Option<&str>) -> Option<Mismatch> {
    let shown = actual.map_or_else(|| "(no text)".to_owned(), |a| format!("{a:?}"));
    match expect {
        ResponseExpectation::Any => None,
        ResponseExpectation::Exact(text) => {
            (actual != Some(text.as_str())).then(|| mismatch("response", format!("{text:?}"), shown))
        }
        ResponseExpectation::Regex(pattern) => match Regex::new(pattern) {
            Err(e) => Some(mismatch("response", format!("valid regex /{pattern}/"), e)),
            Ok(re) => (!actual.is_some_and(|a| re.is_match(a)))
                .then(|| mismatch("response", format!("matching /{pattern}/"), shown)),
        },
    }
}

fn select(path: &str, value: &Value) -> Result<Vec<Value>, String> {
    let path = JsonPath::parse(path).map_err(|e| format!("bad selector {path}: {e}"))?;
    Ok(path.query(value).all().into_iter().cloned().collect())
}

/// `value` without the nodes `paths` select.
fn without(value: &Value, paths: &[String]) -> Result<Value, String> {
    let mut out = value.clone();
    for path in paths {
        let parsed = JsonPath::parse(path).map_err(|e| format!("bad selector {path}: {e}"))?;
        let pointers: Vec<String> = parsed
            .query_located(value)
            .locations()
            .map(|l| l.to_json_pointer())
            .collect();
        // Deepest first, so removing one never shifts another.
        for pointer in pointers.iter().rev() {
            remove_pointer(&mut out, pointer);
        }
    }
    Ok(out)
}

fn remove_pointer(value: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match value.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

pub(crate) fn check_custom_data(expect: &CustomDataExpectation, actual: &Value) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (path, expected) in &expect.select {
        match select(path, actual) {
            Err(e) => out.push(mismatch(path, expected, e)),
            Ok(found) => match found.as_slice() {
                [one] if one == expected => {}
                [one] => out.push(mismatch(path, expected, one)),
                [] => out.push(mismatch(path, expected, "(missing)")),
                many => out.push(mismatch(path, expected, Value::Array(many.to_vec()))),
            },
        }
    }
    if let Some(whole) = &expect.whole {
        match (without(whole, &expect.ignore), without(actual, &expect.ignore)) {
            (Ok(e), Ok(a)) if e == a => {}
            (Ok(e), Ok(a)) => out.push(mismatch("customData", e, a)),
            (Err(err), _) | (_, Err(err)) => out.push(mismatch("customData", "valid ignore selectors", err)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn response_expectations() {
        assert_eq!(check_response(&ResponseExpectation::Any, None), None);
        assert_eq!(
            check_response(&ResponseExpectation::Exact("1".into()), Some("1")),
            None
        );
        let m = check_response(&ResponseExpectation::Exact("2".into()), Some("1")).expect("mismatch");
        assert_eq!((m.expected.as_str(), m.actual.as_str()), ("\"2\"", "\"1\""));
        assert_eq!(
            check_response(&ResponseExpectation::Regex(r"^\d+$".into()), Some("42")),
            None
        );
        assert!(check_response(&ResponseExpectation::Regex(r"^\d+$".into()), Some("x")).is_some());
        assert!(check_response(&ResponseExpectation::Regex("(".into()), Some("x")).is_some());
    }

    #[test]
    fn custom_data_selectors_and_ignores() {
        let actual = json!({"n": 2, "at": "2026-11-25T10:00:00Z", "order": {"items": [{"sku": "A"}]}});
        let by_select = CustomDataExpectation {
            select: [
                ("$.n".to_owned(), json!(2)),
                ("$.order.items[0].sku".to_owned(), json!("B")),
            ]
            .into(),
            ..Default::default()
        };
        let found = check_custom_data(&by_select, &actual);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "$.order.items[0].sku");

        let whole = CustomDataExpectation {
            whole: Some(json!({"n": 2, "at": "yesterday", "order": {"items": [{"sku": "A"}]}})),
            ignore: vec!["$.at".into()],
            ..Default::default()
        };
        assert_eq!(check_custom_data(&whole, &actual), []);
        let strict = CustomDataExpectation {
            ignore: vec![],
            ..whole
        };
        assert_eq!(check_custom_data(&strict, &actual).len(), 1);
    }
}
