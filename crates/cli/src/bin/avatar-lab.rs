//! `avatar-lab check`: runs an AvatarEngine dialog scenario twice, live and
//! hibernating after every message, and reports what it loses — headless,
//! for a scenario repository's CI. Exit code 0 with no findings, 1 with
//! findings, 2 when the input is unusable (a missing file, a scenario that
//! does not evaluate: the message names line and column).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use avatar_console_core::transcript::TestFile;
use avatar_lab::{HttpFixture, LabOptions, Message, Nlu, Scenario, check, evaluate};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    version,
    about = "Run an Avatar dialog scenario locally and find the state it loses between messages"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the dialog live and hibernating after every message; report the differences.
    Check(CheckArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The scenario as copied from the control panel (Avatar → Dialog scenario).
    scenario: PathBuf,
    /// A customer message; repeat for a dialog. `#intent` at the start forces the intent.
    #[arg(long = "say", value_name = "TEXT")]
    say: Vec<String>,
    /// A saved test file (or transcript) whose steps are the dialog, instead of --say.
    #[arg(long, value_name = "FILE", conflicts_with = "say")]
    test: Option<PathBuf>,
    /// Intents: YAML `intent: {phrases: [...], responses: [...]}`.
    #[arg(long, value_name = "FILE")]
    intents: Option<PathBuf>,
    /// Answers for httpRequest: JSON `{"URL": {"code": 200, "text": "..."}}`.
    #[arg(long, value_name = "FILE")]
    fixtures: Option<PathBuf>,
    /// Time one callback may run.
    #[arg(long, default_value_t = 1000)]
    timeout_ms: u64,
    /// JS heap limit in MiB.
    #[arg(long, default_value_t = 16)]
    memory_mb: usize,
    /// Print `{live, hibernated, findings}` as JSON.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let Command::Check(args) = Cli::parse().command;
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn messages(args: &CheckArgs) -> Result<Vec<Message>> {
    if let Some(path) = &args.test {
        let test = TestFile::from_any(&read(path)?).with_context(|| path.display().to_string())?;
        return Ok(test
            .steps
            .into_iter()
            .map(|s| Message {
                text: s.utterance,
                custom_data: s.custom_data,
                intent: None,
            })
            .collect());
    }
    if args.say.is_empty() {
        bail!("nothing to say: give --say TEXT (repeatable) or --test FILE");
    }
    Ok(args.say.iter().map(Message::text).collect())
}

fn run(args: &CheckArgs) -> Result<ExitCode> {
    let scenario = Scenario::load(&args.scenario)?;
    let nlu = match &args.intents {
        Some(path) => Nlu::load(path)?,
        None => Nlu::default(),
    };
    let http_fixtures: BTreeMap<String, HttpFixture> = match &args.fixtures {
        Some(path) => serde_json::from_str(&read(path)?).with_context(|| path.display().to_string())?,
        None => BTreeMap::new(),
    };
    let opts = LabOptions {
        callback_timeout: Duration::from_millis(args.timeout_ms),
        memory_limit: args.memory_mb.saturating_mul(1024 * 1024),
        http_fixtures,
        ..LabOptions::default()
    };
    let messages = messages(args)?;
    // A scenario that does not evaluate is unusable input, not a finding.
    if let Err(e) = evaluate(&scenario, &opts) {
        bail!("the scenario does not evaluate: {e}");
    }
    let report = check(Arc::new(scenario), Arc::new(nlu), &messages, &opts);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report.summary())?);
    } else {
        print!("{}", avatar_lab::check::render(&report));
    }
    Ok(if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
