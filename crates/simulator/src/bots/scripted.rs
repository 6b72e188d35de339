//! The scripted bot: a list of rules loaded from a YAML or JSON file. The
//! first rule whose regex matches the utterance answers; its response may use
//! the regex's captures (`$1`, `${name}`; `$$` for a literal `$`).
//!
//! ```yaml
//! rules:
//!   - match: "(?i)^hello"
//!     response: "Hi! What is your name?"
//!   - match: "(?i)my name is (\\w+)"
//!     response: "Nice to meet you, $1"
//!     customData: { name: "$1", greeted: true, draft: null }  # JSON merge patch
//!     delayMs: 200
//!   - match: "(?i)^bye"
//!     response: "Goodbye"
//!     isFinal: true
//! fallback: "Sorry, I did not understand"
//! ```

use std::path::Path;
use std::time::Duration;

use regex::Regex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use ts_rs::TS;

use super::{BotReply, BotTurn};
use crate::bots::BotKind;

const DEFAULT_FALLBACK: &str = "Sorry, I did not understand";

/// A regex checked when the file is read, so a bad one is reported with the
/// line it is on.
#[derive(Debug, Clone)]
pub struct Pattern(pub Regex);

impl Serialize for Pattern {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Regex::new(&text)
            .map(Pattern)
            .map_err(|e| serde::de::Error::custom(format!("invalid regex {text:?}: {e}")))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export, rename = "SimScriptRule")]
pub struct ScriptRule {
    /// Regex searched for in the utterance.
    #[serde(rename = "match")]
    #[ts(rename = "match", type = "string")]
    pub pattern: Pattern,
    pub response: String,
    /// JSON merge patch applied to the utterance's customData (null removes
    /// a key); string values may use captures too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "unknown", optional)]
    pub custom_data: Option<Value>,
    #[serde(default)]
    pub is_final: bool,
    #[serde(default)]
    #[ts(type = "number")]
    pub delay_ms: u64,
}

/// The file's top level.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ScriptFile {
    rules: Vec<ScriptRule>,
    #[serde(default)]
    fallback: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{}line {line}, column {column}: {message}", origin.as_deref().map(|o| format!("{o}: ")).unwrap_or_default())]
    Parse {
        origin: Option<String>,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{}{message}", origin.as_deref().map(|o| format!("{o}: ")).unwrap_or_default())]
    Invalid { origin: Option<String>, message: String },
}

impl ScriptError {
    /// 1-based line of the problem, when known.
    pub fn line(&self) -> Option<u64> {
        match self {
            ScriptError::Parse { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// Which parser to use; YAML also reads most JSON, but JSON's own errors are
/// clearer for `.json` files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptFormat {
    Yaml,
    Json,
}

/// Read a script file; `.json` files are JSON, anything else YAML.
pub fn load(path: &Path) -> Result<BotKind, ScriptError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScriptError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => ScriptFormat::Json,
        _ => ScriptFormat::Yaml,
    };
    parse(&text, format).map_err(|e| with_origin(e, &path.display().to_string()))
}

fn with_origin(e: ScriptError, origin: &str) -> ScriptError {
    match e {
        ScriptError::Parse {
            line,
            column,
            message,
            ..
        } => ScriptError::Parse {
            origin: Some(origin.into()),
            line,
            column,
            message,
        },
        ScriptError::Invalid { message, .. } => ScriptError::Invalid {
            origin: Some(origin.into()),
            message,
        },
        other => other,
    }
}

pub fn parse(text: &str, format: ScriptFormat) -> Result<BotKind, ScriptError> {
    let file: ScriptFile = match format {
        ScriptFormat::Json => serde_json::from_str(text).map_err(|e| {
            let (line, column) = (e.line() as u64, e.column() as u64);
            let rendered = e.to_string();
            let suffix = format!(" at line {line} column {column}");
            ScriptError::Parse {
                origin: None,
                line,
                column,
                message: rendered.strip_suffix(&suffix).unwrap_or(&rendered).to_owned(),
            }
        })?,
        ScriptFormat::Yaml => serde_saphyr::from_str(text).map_err(|e| match e.location() {
            Some(loc) => ScriptError::Parse {
                origin: None,
                line: loc.line(),
                column: loc.column(),
                message: bare_message(&e.to_string(), loc.line(), loc.column()),
            },
            None => ScriptError::Invalid {
                origin: None,
                message: e.to_string(),
            },
        })?,
    };
    Ok(BotKind::Scripted {
        rules: file.rules,
        fallback: file.fallback,
    })
}

/// saphyr renders `error: line L column C: message` and a source snippet;
/// keep only the message, as we print the location ourselves.
fn bare_message(rendered: &str, line: u64, column: u64) -> String {
    let first = rendered.lines().next().unwrap_or_default().trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let location = format!("line {line} column {column}: ");
    first.strip_prefix(&location).unwrap_or(first).to_owned()
}

/// RFC 7386 JSON merge patch.
fn merge_patch(target: &Value, patch: &Value) -> Value {
    let Value::Object(patch_fields) = patch else {
        return patch.clone();
    };
    let mut out = match target {
        Value::Object(fields) => fields.clone(),
        _ => Map::new(),
    };
    for (key, value) in patch_fields {
        if value.is_null() {
            out.remove(key);
        } else {
            let merged = merge_patch(out.get(key).unwrap_or(&Value::Null), value);
            out.insert(key.clone(), merged);
        }
    }
    Value::Object(out)
}

/// Expand captures in every string of a JSON value.
fn expand_strings(value: &Value, caps: &regex::Captures<'_>) -> Value {
    match value {
        Value::String(s) => {
            let mut out = String::new();
            caps.expand(s, &mut out);
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| expand_strings(v, caps)).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), expand_strings(v, caps)))
                .collect(),
        ),
        other => other.clone(),
    }
}

pub fn handle(rules: &[ScriptRule], fallback: Option<&str>, utterance: &str, custom_data: &Value) -> BotTurn {
    let matched = rules
        .iter()
        .find_map(|rule| rule.pattern.0.captures(utterance).map(|caps| (rule, caps)));
    let reply = match matched {
        Some((rule, caps)) => {
            let mut response = String::new();
            caps.expand(&rule.response, &mut response);
            let custom_data = match &rule.custom_data {
                Some(patch) => merge_patch(custom_data, &expand_strings(patch, &caps)),
                None => custom_data.clone(),
            };
            BotReply {
                response,
                is_final: rule.is_final,
                custom_data,
                delay: Duration::from_millis(rule.delay_ms),
            }
        }
        None => BotReply::new(fallback.unwrap_or(DEFAULT_FALLBACK), custom_data.clone()),
    };
    BotTurn {
        reply,
        state: "{}".into(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn rules_of(kind: BotKind) -> (Vec<ScriptRule>, Option<String>) {
        match kind {
            BotKind::Scripted { rules, fallback } => (rules, fallback),
            other => panic!("not scripted: {other:?}"),
        }
    }

    const YAML: &str = r#"
rules:
  - match: "(?i)my name is (\\w+)"
    response: "Nice to meet you, $1"
    customData: { name: "$1", draft: null, nested: { a: 1 } }
    delayMs: 5
  - match: "^bye$"
    response: "Goodbye"
    isFinal: true
fallback: "Come again?"
"#;

    #[test]
    fn first_matching_rule_answers_with_captures_and_patch() {
        let (rules, fallback) = rules_of(parse(YAML, ScriptFormat::Yaml).expect("parses"));
        let turn = handle(
            &rules,
            fallback.as_deref(),
            "Hi, my name is Ada",
            &json!({"draft": "x", "keep": true, "nested": {"b": 2}}),
        );
        assert_eq!(turn.reply.response, "Nice to meet you, Ada");
        assert_eq!(
            turn.reply.custom_data,
            json!({"name": "Ada", "keep": true, "nested": {"a": 1, "b": 2}})
        );
        assert_eq!(turn.reply.delay, Duration::from_millis(5));
        assert!(!turn.reply.is_final);
        assert!(handle(&rules, None, "bye", &Value::Null).reply.is_final);
        assert_eq!(
            handle(&rules, fallback.as_deref(), "what?", &Value::Null)
                .reply
                .response,
            "Come again?"
        );
        assert_eq!(
            handle(&rules, None, "what?", &Value::Null).reply.response,
            DEFAULT_FALLBACK
        );
    }

    #[test]
    fn json_files_parse_too() {
        let json = r#"{"rules": [{"match": "x", "response": "y"}]}"#;
        let (rules, _) = rules_of(parse(json, ScriptFormat::Json).expect("parses"));
        assert_eq!(rules.len(), 1);
    }

    #[test]
    fn bad_regex_names_its_line() {
        let yaml =
            "rules:\n  - match: \"ok\"\n    response: \"a\"\n  - match: \"(unclosed\"\n    response: \"b\"\n";
        let err = parse(yaml, ScriptFormat::Yaml).expect_err("bad regex");
        assert_eq!(err.line(), Some(4), "{err}");
        assert!(err.to_string().starts_with("line 4, column "), "{err}");
        assert!(err.to_string().contains("invalid regex"), "{err}");
        assert!(!err.to_string().contains("error: line"), "location once: {err}");
    }

    #[test]
    fn unknown_field_and_bad_syntax_name_their_line() {
        let typo = "rules:\n  - match: \"a\"\n    respnose: \"b\"\n";
        let err = parse(typo, ScriptFormat::Yaml).expect_err("typo");
        assert_eq!(err.line(), Some(3), "{err}");
        let broken = "rules:\n  - match: \"a\"\n    response: [unclosed\n";
        let err = parse(broken, ScriptFormat::Yaml).expect_err("syntax");
        assert!(err.line().is_some(), "{err}");
        let json = "{\"rules\": [\n {\"match\": \"(\", \"response\": \"b\"}\n]}";
        let err = parse(json, ScriptFormat::Json).expect_err("json regex");
        assert_eq!(err.line(), Some(2), "{err}");
    }

    #[test]
    fn example_file_loads() {
        let path = Path::new(&crate::crate_dir()).join("examples/scripted-bot.yaml");
        let (rules, fallback) = rules_of(load(&path).expect("example loads"));
        assert!(rules.len() >= 3);
        assert!(fallback.is_some());
        assert!(rules.iter().any(|r| r.is_final));
    }

    #[test]
    fn load_reports_missing_file_and_names_it() {
        let err = load(Path::new("/nonexistent/script.yaml")).expect_err("missing");
        assert!(err.to_string().contains("/nonexistent/script.yaml"), "{err}");
    }
}
