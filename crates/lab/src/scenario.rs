//! A scenario file as copied from the control panel, and the names it
//! declares at its top level (the globals that hibernation resets).

use std::path::Path;

use crate::error::LabError;

/// One version of a scenario file.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The name errors and stack traces use (the file's name, not its path).
    pub file: String,
    pub source: String,
    /// Top-level `var`/`let`/`const`/`function`/`class` names, in order.
    pub top_level: Vec<String>,
}

impl Scenario {
    pub fn new(file: impl Into<String>, source: impl Into<String>) -> Self {
        let source = source.into();
        let top_level = top_level_names(&source);
        Self {
            file: file.into(),
            source,
            top_level,
        }
    }

    pub fn load(path: &Path) -> Result<Self, LabError> {
        let source = std::fs::read_to_string(path).map_err(|source| LabError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Ok(Self::new(file, source))
    }
}

/// Names declared at brace depth 0. A light scanner, not a parser: it skips
/// comments, strings and template literals and reads the declarator list of
/// `var`/`let`/`const` up to the end of the statement. QuickJS offers no list
/// of the global lexical scope, and `let`/`const` are not `globalThis`
/// properties, so this is how the globals diff sees them.
pub fn top_level_names(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut names: Vec<String> = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    // Inside a var/let/const statement at depth 0: the next identifier at the
    // statement's depth after `,` (or the keyword) is a declared name.
    let mut declaring = false;
    let mut expect_name = false;
    let mut expect_decl_name = false;
    let push = |names: &mut Vec<String>, n: String| {
        if !names.contains(&n) {
            names.push(n);
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == '"' || c == '\'' || c == '`' {
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        match c {
            '{' | '(' | '[' => depth += 1,
            '}' | ')' | ']' => depth -= 1,
            ';' if depth == 0 => declaring = false,
            ',' if depth == 0 && declaring => expect_name = true,
            '\n' if depth == 0 && declaring && !expect_name => {
                // A new line ends the statement unless the next token continues it.
                let rest: String = chars[i + 1..].iter().take(64).collect();
                let t = rest.trim_start();
                let continues = t.starts_with(',')
                    || t.starts_with('.')
                    || t.starts_with('+')
                    || t.starts_with('-')
                    || t.starts_with('*')
                    || t.starts_with('?')
                    || t.starts_with(':')
                    || t.starts_with('=')
                    || t.starts_with("||")
                    || t.starts_with("&&");
                if !continues {
                    declaring = false;
                }
            }
            _ => {}
        }
        if c.is_alphabetic() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let after_dot = start > 0 && chars[start - 1] == '.';
            if depth == 0 && !after_dot {
                if expect_name {
                    push(&mut names, word);
                    expect_name = false;
                } else if expect_decl_name {
                    if word != "function" {
                        push(&mut names, word);
                        expect_decl_name = false;
                    }
                } else {
                    match word.as_str() {
                        "var" | "let" | "const" => {
                            declaring = true;
                            expect_name = true;
                        }
                        "function" | "class" => expect_decl_name = true,
                        _ => {}
                    }
                }
            }
            continue;
        }
        if expect_name && (c == '{' || c == '[') {
            // A destructuring pattern: its names are not read (documented).
            expect_name = false;
        }
        if expect_decl_name && c == '(' {
            // An anonymous function or class expression.
            expect_decl_name = false;
        }
        i += 1;
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_top_level_declarations_only() {
        let src = r#"
// let commented = 1;
let totalUtterances = 0, other = "a; let notThis = 2";
const LIMIT = 3
var legacy
function helper(x) { let inner = x; return inner; }
async function later() {}
class Thing {}
addState({ name: 'start', onUtterance: (e) => { const local = 1; } });
const t = `template ${1} let fake = 0`;
for (let i = 0; i < 3; i++) {}
const cfg = {
  a: 1,
}
let afterObject = 1
"#;
        assert_eq!(
            top_level_names(src),
            [
                "totalUtterances",
                "other",
                "LIMIT",
                "legacy",
                "helper",
                "later",
                "Thing",
                "t",
                "cfg",
                "afterObject"
            ]
        );
    }
}
