//! The hibernation check: what the differential run and the globals diff catch.

mod common;

use std::sync::Arc;

use avatar_lab::{FindingKind, LabOptions, Nlu, check};
use common::*;

fn run(scenario: Arc<avatar_lab::Scenario>, texts: &[&str]) -> avatar_lab::CheckReport {
    check(
        scenario,
        Arc::new(Nlu::default()),
        &messages(texts),
        &LabOptions::default(),
    )
}

fn kinds(report: &avatar_lab::CheckReport) -> Vec<FindingKind> {
    report.findings.iter().map(|f| f.kind).collect()
}

#[test]
fn the_guide_scenario_with_hooks_has_no_findings() {
    let report = run(load("counting.js"), &["a", "b", "c"]);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(answers(&report.hibernated), ["1", "2", "3"]);
}

#[test]
fn the_forgetful_scenario_is_caught_naming_total_utterances() {
    let report = run(load("counting-forgetful.js"), &["a", "b", "c"]);
    assert_eq!(answers(&report.live), ["1", "2", "3"]);
    assert_eq!(answers(&report.hibernated), ["1", "1", "1"]);
    assert_eq!(
        kinds(&report),
        [
            FindingKind::Diverged,
            FindingKind::GlobalLost,
            FindingKind::HooksMissing
        ]
    );
    let diverged = &report.findings[0];
    assert_eq!(
        (diverged.turn, diverged.name.as_deref()),
        (Some(1), Some("response"))
    );
    let lost = &report.findings[1];
    assert_eq!(
        (lost.turn, lost.name.as_deref()),
        (Some(1), Some("totalUtterances"))
    );
    assert!(lost.detail.contains("1 -> 0"), "{}", lost.detail);
    // The --json shape.
    let json = serde_json::to_value(report.summary()).expect("serialises");
    assert_eq!(json["hibernated"][1]["replies"][0]["response"], "1");
    assert_eq!(json["live"][1]["replies"][0]["response"], "2");
    assert_eq!(json["findings"][1]["kind"], "global_lost");
    assert_eq!(json["live"][0]["state"], "start");
    assert!(json["live"][0]["error"].is_null());
}

#[test]
fn state_kept_in_a_closure_is_caught_by_the_differential_run() {
    let src = r#"
const next = (() => { let n = 0; return () => ++n; })();
addState({ name: 'start', onUtterance: () => Response({ utterance: 'n=' + next() }) });
SleepManager.onHibernate(() => '{}');
SleepManager.onWakeup(() => {});
"#;
    let report = run(inline(src), &["a", "b"]);
    // The globals diff cannot see inside the closure: `next` is the same function after wake-up.
    assert!(
        !report.findings.iter().any(|f| f.kind == FindingKind::GlobalLost),
        "{:?}",
        report.findings
    );
    assert_eq!(kinds(&report), [FindingKind::Diverged]);
    assert!(
        report.findings[0].detail.contains(r#"live: ["n=2"]"#),
        "{}",
        report.findings[0].detail
    );
}

#[test]
fn a_timer_alive_at_hibernation_is_flagged() {
    let src = r#"
let reminded = false;
addState({
  name: 'start',
  onUtterance: () => {
    setTimeout(function remindLater() { reminded = true; }, 60000);
    return Response({ utterance: 'ok' });
  },
});
SleepManager.onHibernate(() => JSON.stringify({ reminded }));
SleepManager.onWakeup((s) => { reminded = JSON.parse(s).reminded; });
"#;
    let report = run(inline(src), &["a", "b"]);
    assert_eq!(kinds(&report), [FindingKind::TimerLost]);
    assert_eq!(report.findings[0].name.as_deref(), Some("remindLater"));
    assert_eq!(report.findings[0].turn, Some(0));
}

#[test]
fn maps_and_values_json_cannot_keep_are_flagged() {
    let src = r#"
let carts = new Map();
addState({
  name: 'start',
  onUtterance: (e) => { carts.set(e.text, 1); return Response({ utterance: String(carts.size) }); },
});
SleepManager.onHibernate(() => ({ carts, when: new Date(0) }));
SleepManager.onWakeup((s) => { carts = new Map(Object.entries(s.carts)); });
"#;
    let report = run(inline(src), &["a", "b"]);
    let names: Vec<(FindingKind, Option<&str>)> = report
        .findings
        .iter()
        .map(|f| (f.kind, f.name.as_deref()))
        .collect();
    assert!(
        names.contains(&(FindingKind::NotSerializable, Some("carts"))),
        "{names:?}"
    );
    assert!(
        names.contains(&(FindingKind::NotSerializable, Some("onHibernate"))),
        "{names:?}"
    );
    assert!(
        names.contains(&(FindingKind::Diverged, Some("response"))),
        "{names:?}"
    );
}

#[test]
fn one_sided_hooks_are_flagged() {
    let src = "let n = 0;\naddState({ name: 's', onUtterance: () => Response({ utterance: String(++n) }) });\nSleepManager.onHibernate(() => String(n));\n";
    let report = run(inline(src), &["a", "b"]);
    let hooks = report
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::HooksMissing)
        .expect("flagged");
    assert!(hooks.detail.contains("onWakeup is not"), "{}", hooks.detail);
}

#[test]
fn errors_are_findings_with_their_place() {
    let src = "addState({ name: 's', onUtterance: (e) => { if (e.text === 'x') throw new Error('boom'); return Response({ utterance: 'ok' }); } });\n";
    let report = run(inline(src), &["a", "x", "b"]);
    assert_eq!(kinds(&report), [FindingKind::Error]);
    assert!(
        report.findings[0].detail.starts_with("test.js:1:"),
        "{}",
        report.findings[0].detail
    );
    assert_eq!(answers(&report.hibernated), ["ok", "", "ok"]);
}
