//! The scenario lab's costs, each against the native counting bot in the
//! same run, interleaved turn by turn:
//!
//! 1. one message with forced hibernation: `avatar_lab::Session` on the
//!    guide's `counting.js` (fresh runtime, evaluation, wake-up, turn,
//!    hibernation, globals snapshots) against `bots::run` of the simulator's
//!    counting bot (serde wake-up, count, serde hibernate);
//! 2. a console turn (`Hub::send` → simulator → callback → hub event) against
//!    a scenario avatar running `counting.js` against the same turn against
//!    the native counting avatar.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use avatar_lab::{LabOptions, Message, Nlu, Scenario, Session};
use avatar_simulator::bots::{self, BotKind};
use avatar_simulator::{DEFAULT_AVATAR_ID, SimConfig};
use serde_json::json;

use crate::overhead::ConsolePath;

pub struct LabReport {
    pub lab_message: Vec<Duration>,
    pub native_message: Vec<Duration>,
    pub scenario_turn: Vec<Duration>,
    pub native_turn: Vec<Duration>,
}

/// `examples/scenarios/counting.js` from the repository root or a crate directory.
pub fn counting_scenario() -> anyhow::Result<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios/counting.js");
    let path = std::path::absolute(here)?;
    anyhow::ensure!(path.exists(), "{} is missing", path.display());
    Ok(path)
}

pub async fn run(messages: usize, turns: usize, warmup: usize) -> anyhow::Result<LabReport> {
    let path = counting_scenario()?;
    let scenario = Arc::new(Scenario::load(&path)?);
    let mut report = LabReport {
        lab_message: Vec::with_capacity(messages),
        native_message: Vec::with_capacity(messages),
        scenario_turn: Vec::with_capacity(turns),
        native_turn: Vec::with_capacity(turns),
    };

    // 1. One message, no network. Runs on a thread of its own, as in the simulator.
    let sample = {
        let scenario = scenario.clone();
        std::thread::spawn(move || messages_pair(&scenario, messages, warmup))
            .join()
            .map_err(|_| anyhow::anyhow!("the message benchmark thread panicked"))??
    };
    (report.lab_message, report.native_message) = sample;

    // 2. Console turns: two simulators, one per bot kind.
    let mut native = ConsolePath::start_with(SimConfig {
        reply_delay_ms: 0,
        ..SimConfig::default()
    })
    .await?;
    let mut config = SimConfig {
        reply_delay_ms: 0,
        ..SimConfig::default()
    };
    for avatar in &mut config.avatars {
        if avatar.id == DEFAULT_AVATAR_ID {
            avatar.bot = BotKind::Scenario {
                path: path.clone(),
                intents: None,
            };
        }
    }
    let mut lab = ConsolePath::start_with(config).await?;
    for _ in 0..warmup {
        native.turn().await?;
        lab.turn().await?;
    }
    for i in 0..turns {
        if i % 2 == 0 {
            report.native_turn.push(native.turn().await?);
            report.scenario_turn.push(lab.turn().await?);
        } else {
            report.scenario_turn.push(lab.turn().await?);
            report.native_turn.push(native.turn().await?);
        }
    }
    Ok(report)
}

type Pair = (Vec<Duration>, Vec<Duration>);

fn messages_pair(scenario: &Arc<Scenario>, messages: usize, warmup: usize) -> anyhow::Result<Pair> {
    let nlu = Arc::new(Nlu::default());
    let mut session = Session::new(scenario.clone(), nlu, LabOptions::default());
    let kind = BotKind::counting();
    let mut hibernated: Option<String> = None;
    let data = json!({"step": 1});
    let message = Message {
        text: "hello".into(),
        custom_data: data.clone(),
        intent: None,
    };
    let mut lab = Vec::with_capacity(messages);
    let mut native = Vec::with_capacity(messages);
    for i in 0..warmup + messages {
        let start = Instant::now();
        let record = session.handle(&message);
        let lab_took = start.elapsed();
        anyhow::ensure!(
            record.errors.is_empty(),
            "the scenario failed: {:?}",
            record.errors
        );
        anyhow::ensure!(record.hibernation.is_some(), "the message did not hibernate");
        let start = Instant::now();
        let turn = bots::run(&kind, hibernated.as_deref(), "hello", &data);
        let native_took = start.elapsed();
        anyhow::ensure!(
            record.replies[0].response == turn.reply.response,
            "the two bots disagree"
        );
        hibernated = Some(turn.state);
        if i >= warmup {
            lab.push(lab_took);
            native.push(native_took);
        }
    }
    Ok((lab, native))
}
