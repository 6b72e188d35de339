//! The hibernation check: one dialog run twice — one live session and one
//! hibernating after every message — and what the difference says the
//! scenario loses.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

use crate::engine::Engine;
use crate::error::ScriptError;
use crate::nlu::Nlu;
use crate::options::{Hibernation, LabOptions};
use crate::record::{Message, Reply, TurnRecord};
use crate::scenario::Scenario;
use crate::session::Session;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Diverged,
    GlobalLost,
    TimerLost,
    NotSerializable,
    HooksMissing,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// 0-based index of the turn it was seen on.
    pub turn: Option<usize>,
    pub name: Option<String>,
    pub detail: String,
}

/// A turn as the check prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckTurn {
    pub utterance: String,
    pub replies: Vec<Reply>,
    pub state: Option<String>,
    pub error: Option<String>,
}

impl From<&TurnRecord> for CheckTurn {
    fn from(r: &TurnRecord) -> Self {
        Self {
            utterance: r.utterance.clone(),
            replies: r.replies.clone(),
            state: r.state_after.clone(),
            error: r.errors.first().map(ToString::to_string),
        }
    }
}

/// Both runs in full (for the app's side-by-side view) and the findings.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub live: Vec<TurnRecord>,
    pub hibernated: Vec<TurnRecord>,
    pub findings: Vec<Finding>,
}

/// The `--json` shape: `{live: [turn], hibernated: [turn], findings}`.
#[derive(Debug, Clone, Serialize)]
pub struct CheckSummary {
    pub live: Vec<CheckTurn>,
    pub hibernated: Vec<CheckTurn>,
    pub findings: Vec<Finding>,
}

impl CheckReport {
    pub fn summary(&self) -> CheckSummary {
        CheckSummary {
            live: self.live.iter().map(CheckTurn::from).collect(),
            hibernated: self.hibernated.iter().map(CheckTurn::from).collect(),
            findings: self.findings.clone(),
        }
    }
}

/// Evaluates the scenario once: the error that makes it unusable, if any.
pub fn evaluate(scenario: &Scenario, opts: &LabOptions) -> Result<(), ScriptError> {
    Engine::start(scenario, opts).map(drop)
}

/// Runs `messages` live and hibernating; `opts.hibernation` is ignored.
pub fn check(scenario: Arc<Scenario>, nlu: Arc<Nlu>, messages: &[Message], opts: &LabOptions) -> CheckReport {
    let run = |mode: Hibernation| {
        let mut session = Session::new(
            scenario.clone(),
            nlu.clone(),
            LabOptions {
                hibernation: mode,
                ..opts.clone()
            },
        );
        messages.iter().map(|m| session.handle(m)).collect::<Vec<_>>()
    };
    let live = run(Hibernation::Never);
    let hibernated = run(Hibernation::EveryMessage);
    let findings = findings(&live, &hibernated);
    CheckReport {
        live,
        hibernated,
        findings,
    }
}

fn describe(turn: &CheckTurn) -> String {
    let replies: Vec<String> = turn
        .replies
        .iter()
        .map(|r| {
            let mut s = format!("{:?}", r.response);
            if r.is_final {
                s.push_str(" (final)");
            }
            if !r.custom_data.is_null() {
                let _ = write!(s, " customData {}", r.custom_data);
            }
            s
        })
        .collect();
    format!(
        "[{}] in state {}",
        replies.join(", "),
        turn.state.as_deref().unwrap_or("-")
    )
}

fn divergence(live: &[TurnRecord], hibernated: &[TurnRecord]) -> Option<Finding> {
    live.iter().zip(hibernated).find_map(|(l, h)| {
        let (lt, ht) = (CheckTurn::from(l), CheckTurn::from(h));
        let field = if lt.replies.len() != ht.replies.len() {
            "replies"
        } else if lt
            .replies
            .iter()
            .zip(&ht.replies)
            .any(|(a, b)| a.response != b.response)
        {
            "response"
        } else if lt
            .replies
            .iter()
            .zip(&ht.replies)
            .any(|(a, b)| a.custom_data != b.custom_data)
        {
            "customData"
        } else if lt
            .replies
            .iter()
            .zip(&ht.replies)
            .any(|(a, b)| a.is_final != b.is_final)
        {
            "isFinal"
        } else if lt.state != ht.state {
            "state"
        } else {
            return None;
        };
        Some(Finding {
            kind: FindingKind::Diverged,
            turn: Some(l.index),
            name: Some(field.to_string()),
            detail: format!("live: {}; hibernated: {}", describe(&lt), describe(&ht)),
        })
    })
}

fn findings(live: &[TurnRecord], hibernated: &[TurnRecord]) -> Vec<Finding> {
    let mut out = Vec::new();
    let diverged = divergence(live, hibernated);
    let mut lost = BTreeSet::new();
    let mut unserializable = BTreeSet::new();
    let mut timers = BTreeSet::new();
    for h in hibernated {
        for change in &h.globals_diff {
            if lost.insert(change.name.clone()) {
                out.push(Finding {
                    kind: FindingKind::GlobalLost,
                    turn: Some(h.index),
                    name: Some(change.name.clone()),
                    detail: format!(
                        "{}: {} -> {} across the hibernation before this turn",
                        change.name,
                        change.before,
                        change.after.as_deref().unwrap_or("(gone)")
                    ),
                });
            }
        }
        for (name, value) in &h.globals {
            let flagged = matches!(value.kind.as_str(), "map" | "set" | "date" | "other" | "promise")
                || (value.kind == "function" && lost.contains(name));
            if flagged && unserializable.insert(name.clone()) {
                out.push(Finding {
                    kind: FindingKind::NotSerializable,
                    turn: Some(h.index),
                    name: Some(name.clone()),
                    detail: format!(
                        "{name} holds a {} ({}); JSON.stringify does not keep it: save and rebuild it by hand",
                        value.kind,
                        value.problem.as_deref().unwrap_or(&value.repr)
                    ),
                });
            }
        }
        if let Some(hib) = &h.hibernation {
            if let Some(problem) = &hib.problem
                && unserializable.insert(format!("onHibernate:{problem}"))
            {
                out.push(Finding {
                    kind: FindingKind::NotSerializable,
                    turn: Some(h.index),
                    name: Some("onHibernate".into()),
                    detail: format!("the hibernate value does not survive JSON: {problem}"),
                });
            }
            for t in &hib.timers_lost {
                if timers.insert(format!("{}:{}", t.kind, t.callback)) {
                    out.push(Finding {
                        kind: FindingKind::TimerLost,
                        turn: Some(h.index),
                        name: Some(t.callback.clone()),
                        detail: format!(
                            "{}({}, {} ms) was still scheduled when the session hibernated; it never runs",
                            t.kind, t.callback, t.delay_ms
                        ),
                    });
                }
            }
        }
    }
    let hooks = hibernated.iter().find_map(|h| h.hibernation.as_ref());
    if let Some(hib) = hooks {
        let detail = match (hib.has_hibernate, hib.has_wakeup) {
            (true, false) => Some(
                "SleepManager.onHibernate is set but onWakeup is not: the saved state is never read back",
            ),
            (false, true) => Some(
                "SleepManager.onWakeup is set but onHibernate is not: there is never anything to wake up with",
            ),
            (false, false) if diverged.is_some() || !lost.is_empty() => Some(
                "neither SleepManager.onHibernate nor onWakeup is set: every global resets between customer messages",
            ),
            _ => None,
        };
        if let Some(detail) = detail {
            out.push(Finding {
                kind: FindingKind::HooksMissing,
                turn: None,
                name: None,
                detail: detail.to_string(),
            });
        }
    }
    if let Some(d) = diverged {
        out.insert(0, d);
    }
    let mut seen = BTreeSet::new();
    for (run, records) in [("hibernated", hibernated), ("live", live)] {
        for r in records {
            for e in &r.errors {
                if seen.insert((r.index, e.to_string())) {
                    out.push(Finding {
                        kind: FindingKind::Error,
                        turn: Some(r.index),
                        name: Some(e.callback.clone()),
                        detail: format!("{e} ({run} run)"),
                    });
                }
            }
        }
    }
    out
}

/// The readable report of `avatar-lab check` without `--json`.
pub fn render(report: &CheckReport) -> String {
    let mut s = String::new();
    let summary = report.summary();
    let _ = writeln!(s, "turn  live | hibernated");
    for (i, (l, h)) in summary.live.iter().zip(&summary.hibernated).enumerate() {
        let mark = if describe(l) == describe(h) && l.error == h.error {
            ' '
        } else {
            '!'
        };
        let _ = writeln!(s, "{mark}{i:>3}  {:?}", l.utterance);
        let _ = writeln!(s, "      live:       {}", describe(l));
        let _ = writeln!(s, "      hibernated: {}", describe(h));
        if let Some(bytes) = report
            .hibernated
            .get(i)
            .and_then(|r| r.hibernation.as_ref())
            .map(|h| h.blob_bytes)
        {
            let _ = writeln!(s, "      blob: {bytes} bytes");
        }
    }
    if report.findings.is_empty() {
        let _ = writeln!(
            s,
            "\nNo findings: the scenario behaves the same live and hibernating after every message."
        );
    } else {
        let _ = writeln!(s, "\n{} finding(s):", report.findings.len());
        for f in &report.findings {
            let turn = f.turn.map(|t| format!(" turn {t}")).unwrap_or_default();
            let kind = serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(s, "  {kind}{turn}: {}", f.detail);
        }
    }
    s
}
