//! Failures of a scenario, each with where in the scenario file it happened.

use std::fmt;

use serde::Serialize;

/// A place in the scenario file, 1-based like an editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// What kind of failure a turn hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The scenario does not parse.
    Syntax,
    /// A callback threw.
    Exception,
    /// A callback's promise rejected.
    Rejected,
    /// A callback ran past its time limit.
    Timeout,
    /// The scenario went over its memory limit.
    OutOfMemory,
    /// A callback's promise never settled (nothing left to run).
    NeverSettled,
    /// The scenario used the API in a way the platform refuses (unknown state, …).
    Api,
}

/// One failure of the scenario, shown on the turn where it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
pub struct ScriptError {
    pub kind: ErrorKind,
    /// Which callback was running: `evaluate`, `onUtterance('start')`, `onHibernate`, …
    pub callback: String,
    pub message: String,
    pub location: Option<Location>,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = &self.location {
            write!(f, "{at}: ")?;
        }
        write!(f, "{} (in {})", self.message, self.callback)
    }
}

impl ScriptError {
    pub(crate) fn api(callback: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Api,
            callback: callback.into(),
            message: message.into(),
            location: None,
        }
    }
}

/// Why a scenario or its sidecar files could not be used at all.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{0}")]
    Script(ScriptError),
    #[error("{path}: {message}")]
    Intents { path: String, message: String },
    #[error("the JS engine could not start: {0}")]
    Engine(String),
}

/// The first `file:line:col` of `file` in a QuickJS stack trace
/// (`    at f (counting.js:12:5)` or `    at counting.js:2:9`).
pub(crate) fn location_in_stack(stack: &str, file: &str) -> Option<Location> {
    let needle = format!("{file}:");
    stack.lines().find_map(|line| {
        let start = line.find(&needle)? + needle.len();
        let rest = &line[start..];
        let end = rest
            .find(|c: char| c != ':' && !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let mut parts = rest[..end].split(':');
        let line_no = parts.next()?.parse().ok()?;
        let column = parts.next()?.parse().ok()?;
        Some(Location {
            file: file.to_string(),
            line: line_no,
            column,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_frame_in_the_scenario() {
        let stack =
            "    at <anonymous> (shim.js:4:1)\n    at onUtterance (pizza.js:12:15)\n    at pizza.js:30:1\n";
        let at = location_in_stack(stack, "pizza.js").expect("a frame");
        assert_eq!(at.to_string(), "pizza.js:12:15");
        assert_eq!(
            location_in_stack("    at counting.js:2:9\n", "counting.js").map(|l| (l.line, l.column)),
            Some((2, 9))
        );
        assert_eq!(location_in_stack("no frames", "pizza.js"), None);
    }
}
