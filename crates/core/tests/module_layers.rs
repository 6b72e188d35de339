//! No import cycles between the top-level modules of any crate in the
//! workspace: `store`/`client` below `hub`, `hub` below `transcript` and the
//! console, nothing running back up. A cycle makes every module in it a
//! dependency of every other, so none can be read, tested or moved alone.
//!
//! The same rule as `../shared/tools/module_cycles.py` (which the before-stop
//! hook runs), kept here so `cargo test` fails the moment a cycle appears: a
//! module `a` depends on `b` when a non-test line of `a` names `crate::b`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use regex::Regex;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// `#[cfg(test)] mod x { … }` blocks removed (brace-matched): test-only
/// imports do not make a layer depend on another.
fn strip_test_modules(text: &str) -> String {
    let start = Regex::new(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{").expect("valid regex");
    let mut out = String::new();
    let mut rest = 0;
    for m in start.find_iter(text) {
        if m.start() < rest {
            continue;
        }
        out.push_str(&text[rest..m.start()]);
        let mut depth = 1;
        let mut end = m.end();
        for (offset, c) in text[m.end()..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = m.end() + offset + 1;
                break;
            }
        }
        rest = end;
    }
    out.push_str(&text[rest.min(text.len())..]);
    out
}

/// The modules a file's text refers to through `crate::…`.
fn referenced_modules(text: &str) -> BTreeSet<String> {
    let path = Regex::new(r"\bcrate::([a-z_][a-z0-9_]*)").expect("valid regex");
    let group = Regex::new(r"use\s+crate::\{([^;]*)\};").expect("valid regex");
    let mut found: BTreeSet<String> = path.captures_iter(text).map(|c| c[1].to_string()).collect();
    for c in group.captures_iter(text) {
        for item in c[1].split(',') {
            let head = item.trim().split("::").next().unwrap_or("").trim();
            if !head.is_empty() {
                found.insert(head.to_string());
            }
        }
    }
    found.retain(|m| m != "self" && m != "super");
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "tests") {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(path);
        }
    }
}

/// Module → modules it refers to, for one crate's `src` folder.
fn module_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let rel = file.strip_prefix(src).expect("file under src");
        let first = rel.components().next().expect("non-empty path");
        let first = first.as_os_str().to_string_lossy();
        if rel.components().count() == 1 && (first == "lib.rs" || first == "main.rs") {
            continue;
        }
        let me = first.trim_end_matches(".rs").to_string();
        let text = strip_test_modules(&fs::read_to_string(&file).expect("readable source"));
        let entry = graph.entry(me.clone()).or_default();
        entry.extend(referenced_modules(&text).into_iter().filter(|m| *m != me));
    }
    graph
}

/// Groups of two or more modules that reach each other, each sorted.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = graph.keys().chain(graph.values().flatten()).collect();
    let reaches = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for next in graph.get(&n).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> = nodes.iter().map(|n| (*n, reaches(n))).collect();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for n in &nodes {
        let group: Vec<String> = nodes
            .iter()
            .filter(|m| reach[*n].contains(**m) && reach[**m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        if group.len() > 1 {
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}

fn workspace_crate_sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut sources: Vec<PathBuf> = fs::read_dir(root.join("crates"))
        .expect("crates folder")
        .flatten()
        .map(|e| e.path().join("src"))
        .filter(|p| p.is_dir())
        .collect();
    sources.push(root.join("src-tauri/src"));
    sources.sort();
    sources
}

#[test]
fn no_crate_in_the_workspace_has_a_module_cycle() {
    let sources = workspace_crate_sources();
    assert!(
        sources.len() >= 5,
        "expected the workspace crates, found {sources:?}"
    );
    let mut problems = Vec::new();
    for src in &sources {
        let graph = module_graph(src);
        if src.ends_with("crates/core/src") {
            // Guards the reader itself: a path mix-up would read nothing and pass.
            assert!(graph.len() >= 10, "read only {} modules of the core", graph.len());
        }
        for group in cycles(&graph) {
            problems.push(format!("{}: {}", src.display(), group.join(" <-> ")));
        }
    }
    assert!(problems.is_empty(), "module cycles:\n{}", problems.join("\n"));
}

#[test]
fn a_cycle_through_a_use_group_is_found() {
    let mut graph = Graph::new();
    graph.entry("hub".into()).or_default().extend(referenced_modules(
        "use crate::{store::Store, transcript::TranscriptFile};",
    ));
    graph
        .entry("transcript".into())
        .or_default()
        .extend(referenced_modules("fn f(h: &crate::hub::Hub) {}"));
    graph.entry("store".into()).or_default();
    assert_eq!(
        cycles(&graph),
        vec![vec!["hub".to_string(), "transcript".to_string()]]
    );
}

#[test]
fn test_modules_do_not_count() {
    let text = "use crate::model::X;\n#[cfg(test)]\nmod tests {\n    use crate::hub::Hub;\n    fn f() { if true { } }\n}\nuse crate::store::S;\n";
    let refs = referenced_modules(&strip_test_modules(text));
    assert_eq!(refs, BTreeSet::from(["model".to_string(), "store".to_string()]));
}
