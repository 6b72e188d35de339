//! `avatar-sim`'s command line: where to listen, and a starting configuration
//! (a config file, then flags on top). Kept in the library so the mapping
//! from flags to `SimConfig` is unit-tested.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

use clap::{Parser, ValueEnum};

use crate::bots::scripted::{self, ScriptError};
use crate::config::{BotKind, CallbackDialect, SimConfig};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BotArg {
    Counting,
    Echo,
    Scripted,
}

#[derive(Debug, Parser)]
#[command(
    name = "avatar-sim",
    version,
    about = "Local Voximplant Avatar API simulator",
    long_about = "Local Voximplant Avatar API simulator. Prints its base URL as the first \
                  line of stdout. Bot and fault flags apply to the default avatar and to all \
                  conversations; change them while it runs with PUT /_admin/config."
)]
pub struct Args {
    /// Address to bind; keep the default unless other machines must reach it.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8750)]
    pub port: u16,
    /// Start from this configuration (JSON or YAML, the shape of GET /_admin/config).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Bot of the default avatar.
    #[arg(long, value_enum)]
    pub bot: Option<BotArg>,
    /// Rules file for the scripted bot (implies --bot scripted).
    #[arg(long)]
    pub script: Option<PathBuf>,
    /// An AvatarEngine dialog scenario file for the default avatar (implies
    /// --bot scenario): the lab runs it, hibernating after every message, and
    /// reads it again when it changes.
    #[arg(long, conflicts_with_all = ["bot", "script"])]
    pub scenario: Option<PathBuf>,
    /// Intents for --scenario (YAML: intent → phrases, responses).
    #[arg(long, requires = "scenario")]
    pub intents: Option<PathBuf>,
    /// Counting bot: forget the state on every wake-up (always answers 1).
    #[arg(long)]
    pub forgets_state: bool,
    /// Send callbacks in the SDK's snake_case dialect.
    #[arg(long)]
    pub snake_case: bool,
    /// Lifetime of issued JWTs, in seconds.
    #[arg(long)]
    pub token_lifetime: Option<u64>,
    /// Base delay before every reply, in milliseconds.
    #[arg(long)]
    pub reply_delay_ms: Option<u64>,
    /// Answer bad Logon credentials with HTTP 401 instead of 200 + error object.
    #[arg(long)]
    pub logon_401: bool,
    /// Fault: extra delay before each reply, in milliseconds.
    #[arg(long)]
    pub latency_ms: Option<u64>,
    /// Fault: random extra delay up to this many milliseconds.
    #[arg(long)]
    pub jitter_ms: Option<u64>,
    /// Fault: percentage of sends answered with a 5xx.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub error_percent: Option<u8>,
    /// Fault: the first N sends of each conversation are answered with a 5xx.
    #[arg(long)]
    pub error_first_n: Option<u32>,
    /// Fault: the 5xx status to answer with (default 503).
    #[arg(long, value_parser = clap::value_parser!(u16).range(500..=599))]
    pub error_status: Option<u16>,
    /// Fault: POST every callback twice.
    #[arg(long)]
    pub duplicate: bool,
    /// Fault: deliver the callbacks of a burst in reverse order.
    #[arg(long)]
    pub out_of_order: bool,
    /// Fault: cut callback bodies off mid-JSON.
    #[arg(long)]
    pub malformed: bool,
    /// Fault: a non-final "typing…" callback before every answer.
    #[arg(long)]
    pub typing: bool,
    /// Fault: send no callbacks at all.
    #[arg(long)]
    pub drop_callbacks: bool,
    /// Fault: callbacks carry another conversation's id.
    #[arg(long)]
    pub wrong_conversation_id: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot read config {path}: {source}")]
    ReadConfig { path: String, source: std::io::Error },
    #[error("config {path}: {message}")]
    ParseConfig { path: String, message: String },
    #[error(transparent)]
    Script(#[from] ScriptError),
    #[error("{0}")]
    Scenario(String),
    #[error("--bot scripted needs --script FILE")]
    ScriptMissing,
    #[error("the configuration has no avatar for the bot flags to apply to")]
    NoAvatar,
}

fn read_config(path: &Path) -> Result<SimConfig, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::ReadConfig {
        path: path.display().to_string(),
        source,
    })?;
    let is_json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let parsed = if is_json {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        serde_saphyr::from_str(&text).map_err(|e| e.to_string())
    };
    parsed.map_err(|message| CliError::ParseConfig {
        path: path.display().to_string(),
        message,
    })
}

impl Args {
    /// The scenario bot, refused at start when the file cannot be used (the
    /// message names the line and column of a syntax error).
    fn scenario_bot(&self) -> Result<BotKind, CliError> {
        let Some(path) = &self.scenario else {
            return Err(CliError::Scenario("no scenario".into()));
        };
        // Absolute, so the running simulator finds it whatever its directory.
        let path = std::path::absolute(path).map_err(|e| CliError::Scenario(e.to_string()))?;
        let scenario = avatar_lab::Scenario::load(&path).map_err(|e| CliError::Scenario(e.to_string()))?;
        avatar_lab::evaluate(&scenario, &avatar_lab::LabOptions::default())
            .map_err(|e| CliError::Scenario(format!("the scenario does not evaluate: {e}")))?;
        let intents = match &self.intents {
            Some(p) => {
                let p = std::path::absolute(p).map_err(|e| CliError::Scenario(e.to_string()))?;
                avatar_lab::Nlu::load(&p).map_err(|e| CliError::Scenario(e.to_string()))?;
                Some(p)
            }
            None => None,
        };
        Ok(BotKind::Scenario { path, intents })
    }

    /// The configuration to start with: the file (or the default), then the flags.
    pub fn sim_config(&self) -> Result<SimConfig, CliError> {
        let mut config = match &self.config {
            Some(path) => read_config(path)?,
            None => SimConfig::default(),
        };
        let bot = match (self.bot, &self.script) {
            (Some(BotArg::Scripted) | None, Some(script)) => Some(scripted::load(script)?),
            (Some(BotArg::Scripted), None) => return Err(CliError::ScriptMissing),
            (Some(BotArg::Echo), _) => Some(BotKind::Echo),
            (Some(BotArg::Counting), _) => Some(BotKind::counting()),
            (None, None) if self.scenario.is_some() => Some(self.scenario_bot()?),
            (None, None) if self.forgets_state => Some(BotKind::counting()),
            (None, None) => None,
        };
        let bot = bot.map(|b| match b {
            BotKind::Counting { .. } => BotKind::Counting {
                forgets_state: self.forgets_state,
            },
            other => other,
        });
        if bot.is_some() || self.snake_case {
            let avatar = config.avatars.first_mut().ok_or(CliError::NoAvatar)?;
            if let Some(bot) = bot {
                avatar.bot = bot;
            }
            if self.snake_case {
                avatar.dialect = CallbackDialect::SnakeCase;
            }
        }
        if let Some(secs) = self.token_lifetime {
            config.token_lifetime_secs = secs.max(1);
        }
        if let Some(ms) = self.reply_delay_ms {
            config.reply_delay_ms = ms;
        }
        config.logon_error_as_401 |= self.logon_401;
        let f = &mut config.faults;
        if let Some(v) = self.latency_ms {
            f.latency_ms = v;
        }
        if let Some(v) = self.jitter_ms {
            f.jitter_ms = v;
        }
        if let Some(v) = self.error_percent {
            f.error_percent = v;
        }
        if let Some(v) = self.error_first_n {
            f.error_first_n = v;
        }
        if let Some(v) = self.error_status {
            f.error_status = Some(v);
        }
        f.duplicate |= self.duplicate;
        f.out_of_order |= self.out_of_order;
        f.malformed |= self.malformed;
        f.typing |= self.typing;
        f.drop_callbacks |= self.drop_callbacks;
        f.wrong_conversation_id |= self.wrong_conversation_id;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Args {
        Args::try_parse_from(std::iter::once("avatar-sim").chain(args.iter().copied())).expect("valid args")
    }

    #[test]
    fn scenario_flags_make_a_scenario_bot_and_a_broken_scenario_is_refused() {
        let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/scenarios/pizza.js");
        let intents = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/scenarios/pizza.intents.yaml"
        );
        let config = parse(&["--scenario", example, "--intents", intents])
            .sim_config()
            .expect("config");
        match &config.avatars[0].bot {
            BotKind::Scenario { path, intents } => {
                assert!(path.is_absolute() && path.ends_with("pizza.js"));
                assert!(
                    intents
                        .as_ref()
                        .is_some_and(|p| p.ends_with("pizza.intents.yaml"))
                );
            }
            other => panic!("not a scenario bot: {other:?}"),
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let broken = dir.path().join("broken.js");
        std::fs::write(&broken, "let ok = 1;\nlet = ;\n").expect("write");
        let err = parse(&["--scenario", broken.to_str().expect("utf-8")])
            .sim_config()
            .expect_err("refused");
        assert!(err.to_string().contains("broken.js:2:"), "{err}");
    }

    #[test]
    fn no_flags_is_the_default_config() {
        let config = parse(&[]).sim_config().expect("config");
        assert!(matches!(
            config.avatars[0].bot,
            BotKind::Counting { forgets_state: false }
        ));
        assert_eq!(config.faults, Default::default());
    }

    #[test]
    fn flags_set_bot_dialect_and_faults() {
        let config = parse(&[
            "--bot",
            "echo",
            "--snake-case",
            "--token-lifetime",
            "5",
            "--latency-ms",
            "100",
            "--error-first-n",
            "2",
            "--error-status",
            "500",
            "--duplicate",
            "--typing",
            "--logon-401",
        ])
        .sim_config()
        .expect("config");
        assert!(matches!(config.avatars[0].bot, BotKind::Echo));
        assert_eq!(config.avatars[0].dialect, CallbackDialect::SnakeCase);
        assert_eq!(config.token_lifetime_secs, 5);
        assert!(config.logon_error_as_401);
        assert_eq!(config.faults.latency_ms, 100);
        assert_eq!(config.faults.error_first_n, 2);
        assert_eq!(config.faults.error_status, Some(500));
        assert!(config.faults.duplicate && config.faults.typing && !config.faults.malformed);
    }

    #[test]
    fn forgets_state_alone_selects_the_forgetful_counting_bot() {
        let config = parse(&["--forgets-state"]).sim_config().expect("config");
        assert!(matches!(
            config.avatars[0].bot,
            BotKind::Counting { forgets_state: true }
        ));
    }

    #[test]
    fn script_flag_loads_the_rules_and_scripted_needs_one() {
        let example = format!("{}/examples/scripted-bot.yaml", crate::crate_dir());
        let config = parse(&["--script", &example]).sim_config().expect("config");
        assert!(matches!(config.avatars[0].bot, BotKind::Scripted { .. }));
        assert!(matches!(
            parse(&["--bot", "scripted"]).sim_config(),
            Err(CliError::ScriptMissing)
        ));
        assert!(Args::try_parse_from(["avatar-sim", "--error-percent", "101"]).is_err());
        assert!(Args::try_parse_from(["avatar-sim", "--error-status", "404"]).is_err());
    }

    #[test]
    fn config_files_in_yaml_and_json_are_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let yaml = dir.path().join("sim.yaml");
        std::fs::write(&yaml, "tokenLifetimeSecs: 42\nfaults:\n  typing: true\n").expect("write");
        let config = parse(&["--config", yaml.to_str().expect("utf-8")])
            .sim_config()
            .expect("yaml");
        assert_eq!(config.token_lifetime_secs, 42);
        assert!(config.faults.typing);
        let json = dir.path().join("sim.json");
        std::fs::write(&json, r#"{"replyDelayMs": 7}"#).expect("write");
        let config = parse(&["--config", json.to_str().expect("utf-8")])
            .sim_config()
            .expect("json");
        assert_eq!(config.reply_delay_ms, 7);
        std::fs::write(&json, "{oops").expect("write");
        let err = parse(&["--config", json.to_str().expect("utf-8")])
            .sim_config()
            .expect_err("bad json");
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}
