//! The `avatar-lab check` binary: exit codes, the `--json` shape, test files.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_avatar-lab");

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/scenarios")
        .join(name)
        .display()
        .to_string()
}

fn lab(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("runs")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn the_guide_scenario_passes_with_exit_zero() {
    let out = lab(&[
        "check",
        &example("counting.js"),
        "--say",
        "a",
        "--say",
        "b",
        "--say",
        "c",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("No findings"), "{text}");
}

#[test]
fn the_forgetful_scenario_is_reported_as_json_with_exit_one() {
    let out = lab(&[
        "check",
        &example("counting-forgetful.js"),
        "--say",
        "a",
        "--say",
        "b",
        "--say",
        "c",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    let keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["findings", "hibernated", "live"]);
    assert_eq!(
        v["live"][2],
        json!({
            "utterance": "c",
            "replies": [{"response": "3", "isFinal": false, "customData": {"received": null, "totalUtterances": 3}}],
            "state": "start",
            "error": null
        })
    );
    assert_eq!(v["hibernated"][2]["replies"][0]["response"], "1");
    let lost = v["findings"]
        .as_array()
        .expect("array")
        .iter()
        .find(|f| f["kind"] == "global_lost")
        .expect("global_lost");
    assert_eq!(
        (lost["turn"].as_u64(), lost["name"].as_str()),
        (Some(1), Some("totalUtterances"))
    );
    let kinds: Vec<&str> = v["findings"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["diverged", "global_lost", "hooks_missing"]);
}

#[test]
fn the_readable_report_names_the_lost_global() {
    let out = lab(&[
        "check",
        &example("counting-forgetful.js"),
        "--say",
        "a",
        "--say",
        "b",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("global_lost turn 1: totalUtterances: 1 -> 0"),
        "{text}"
    );
}

#[test]
fn intents_and_a_saved_test_file_drive_the_pizza_dialog() {
    let dir = tempfile::tempdir().expect("tempdir");
    let test = dir.path().join("pizza.test.json");
    let steps: Vec<Value> = ["I want a pizza", "margherita", "35", "#yes"]
        .iter()
        .map(|u| json!({"utterance": u, "customData": {"name": "Bo"}, "expect": {}}))
        .collect();
    std::fs::write(
        &test,
        json!({"format": "avatar-console-test", "version": 1, "name": "pizza", "steps": steps}).to_string(),
    )
    .expect("write");
    let out = lab(&[
        "check",
        &example("pizza.js"),
        "--intents",
        &example("pizza.intents.yaml"),
        "--test",
        &test.display().to_string(),
        "--json",
    ]);
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(0), "{v}");
    let last = &v["hibernated"][3]["replies"][0];
    assert_eq!(last["isFinal"], true);
    assert_eq!(
        last["customData"],
        json!({"order": {"kind": "margherita", "size": 35}, "customer": "Bo", "placed": true})
    );
}

#[test]
fn unusable_input_exits_two_with_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.js");
    std::fs::write(
        &broken,
        "addState({ name: 's', onUtterance: () => {} });\nlet x = = 1;\n",
    )
    .expect("write");
    let out = lab(&["check", &broken.display().to_string(), "--say", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.js:2:9"), "{err}");

    let missing = lab(&["check", "/nonexistent/scenario.js", "--say", "hi"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/scenario.js"));

    let silent = lab(&["check", &example("counting.js")]);
    assert_eq!(silent.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&silent.stderr).contains("--say"));
}
