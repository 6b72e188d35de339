//! `avatar-replay`: replay a saved conversation or test file against an avatar,
//! with no window. Exit code 0 when every step passes, 1 when one fails,
//! 2 when the run could not happen.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use avatar_console_core::client::{ClientConfig, Credentials, Secret};
use avatar_console_core::model::AvatarOption;
use avatar_console_core::transcript::{
    ReplayOptions, TestFile, TranscriptFile, junit_xml, parse_test, parse_transcript,
};
use avatar_console_core::{ConsoleOptions, ConsoleRuntime};
use clap::{Parser, Subcommand};
use uuid::Uuid;

#[derive(Parser)]
#[command(
    version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("AVATAR_CONSOLE_COMMIT"), ")"),
    about = "Replay Avatar Console conversations as tests"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replay a test file (or a transcript's first conversation) and compare the replies.
    Run(RunArgs),
    /// Turn a test file back into a transcript (one conversation, the expected replies).
    ToTranscript {
        test: PathBuf,
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Turn a transcript into an editable test file.
    ToTest {
        transcript: PathBuf,
        /// Which conversation of the transcript (0-based).
        #[arg(long, default_value_t = 0)]
        conversation: usize,
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    file: PathBuf,
    /// Platform API Logon URL; without it the run uses the bundled simulator.
    #[arg(long)]
    logon_url: Option<String>,
    #[arg(long, default_value = avatar_simulator::DEFAULT_ACCOUNT_ID)]
    account_id: String,
    /// Name of the environment variable holding the API key (never pass a key as an argument).
    #[arg(long, default_value = "AVATAR_API_KEY")]
    api_key_env: String,
    #[arg(long, default_value_t = avatar_simulator::DEFAULT_AVATAR_ID)]
    avatar_id: Uuid,
    /// Write JUnit XML here.
    #[arg(long)]
    junit: Option<PathBuf>,
    /// Milliseconds to wait for each reply.
    #[arg(long, default_value_t = 15_000)]
    timeout_ms: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    avatar_console_core::about::set_commit(env!("AVATAR_CONSOLE_COMMIT"));
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match Cli::parse().command {
        Command::Run(args) => run(args).await,
        Command::ToTest {
            transcript,
            conversation,
            output,
        } => to_test(&transcript, conversation, &output),
        Command::ToTranscript { test, output } => to_transcript(&test, &output),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn to_transcript(test: &PathBuf, output: &PathBuf) -> Result<ExitCode> {
    let text = std::fs::read_to_string(test).with_context(|| format!("reading {}", test.display()))?;
    let file = parse_test(&text).with_context(|| format!("{}", test.display()))?;
    std::fs::write(output, TranscriptFile::new(vec![file.to_recording()]).to_json())
        .with_context(|| format!("writing {}", output.display()))?;
    Ok(ExitCode::SUCCESS)
}

fn to_test(transcript: &PathBuf, index: usize, output: &PathBuf) -> Result<ExitCode> {
    let text =
        std::fs::read_to_string(transcript).with_context(|| format!("reading {}", transcript.display()))?;
    let file = parse_transcript(&text).with_context(|| format!("{}", transcript.display()))?;
    let conversation = file
        .conversations
        .get(index)
        .with_context(|| format!("the transcript has {} conversation(s)", file.conversations.len()))?;
    std::fs::write(output, TestFile::from_recording(conversation).to_json())
        .with_context(|| format!("writing {}", output.display()))?;
    Ok(ExitCode::SUCCESS)
}

async fn run(args: RunArgs) -> Result<ExitCode> {
    let text =
        std::fs::read_to_string(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let test = TestFile::from_any(&text).with_context(|| format!("{}", args.file.display()))?;
    let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    // Without a Logon URL, replay against the bundled simulator, offline.
    let (_simulator, logon_url, api_key, profile) = match &args.logon_url {
        Some(url) => {
            let key = std::env::var(&args.api_key_env).with_context(|| {
                format!("set the API key in the environment variable {}", args.api_key_env)
            })?;
            (None, url.clone(), key, "Command line")
        }
        None => {
            let sim =
                avatar_simulator::spawn(avatar_simulator::SimConfig::with_demo_avatars(), loopback).await?;
            let url = sim.logon_url();
            (
                Some(sim),
                url,
                avatar_simulator::DEFAULT_API_KEY.to_owned(),
                "Local simulator",
            )
        }
    };
    let data_dir = tempfile::tempdir()?;
    let console = ConsoleRuntime::start(ConsoleOptions {
        data_dir: data_dir.path().to_path_buf(),
        callback_addr: loopback,
        profile_id: Default::default(),
        profile_name: profile.into(),
        client: ClientConfig::new(
            logon_url,
            args.account_id,
            Credentials::ApiKey(Secret::new(api_key)),
        ),
        avatars: vec![AvatarOption {
            id: args.avatar_id,
            label: "Avatar".into(),
        }],
    })
    .await?;
    let options = ReplayOptions {
        reply_timeout: Duration::from_millis(args.timeout_ms),
        ..Default::default()
    };
    let report = console.replay(&test, &options).await?;

    println!("{} — conversation {}", report.name, report.conversation_id);
    for (i, step) in report.steps.iter().enumerate() {
        let mark = if step.passed { "ok  " } else { "FAIL" };
        let reply = step.response.as_deref().unwrap_or("(no reply)");
        println!("  {mark} {}. {:?} → {:?}", i + 1, step.utterance, reply);
        for m in &step.mismatches {
            println!("         {}: expected {}, got {}", m.field, m.expected, m.actual);
        }
    }
    let failed = report.steps.iter().filter(|s| !s.passed).count();
    println!("{} passed, {} failed", report.steps.len() - failed, failed);
    if let Some(path) = &args.junit {
        std::fs::write(path, junit_xml(std::slice::from_ref(&report)))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
