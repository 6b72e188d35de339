//! Helpers shared by the lab's integration tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use avatar_lab::{Hibernation, LabOptions, Message, Nlu, Scenario, Session, TurnRecord};

pub fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/scenarios")
        .join(name)
}

pub fn load(name: &str) -> Arc<Scenario> {
    Arc::new(Scenario::load(&example(name)).expect("example scenario exists"))
}

pub fn inline(source: &str) -> Arc<Scenario> {
    Arc::new(Scenario::new("test.js", source))
}

pub fn session(scenario: Arc<Scenario>, mode: Hibernation) -> Session {
    Session::new(
        scenario,
        Arc::new(Nlu::default()),
        LabOptions {
            hibernation: mode,
            ..LabOptions::default()
        },
    )
}

pub fn say(session: &mut Session, texts: &[&str]) -> Vec<TurnRecord> {
    texts.iter().map(|t| session.handle(&Message::text(*t))).collect()
}

/// The reply texts of each turn, joined per turn with " | ".
pub fn answers(turns: &[TurnRecord]) -> Vec<String> {
    turns
        .iter()
        .map(|t| {
            t.replies
                .iter()
                .map(|r| r.response.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

pub fn messages(texts: &[&str]) -> Vec<Message> {
    texts.iter().map(|t| Message::text(*t)).collect()
}
