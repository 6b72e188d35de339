//! Which bot answers for an avatar: the part of an avatar's configuration
//! that belongs to the bots (config refers to it, not the reverse).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::scripted::ScriptRule;

/// Which bot answers for an avatar.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export, rename = "SimBotKind")]
pub enum BotKind {
    /// The guide's example: answers with the number of utterances so far;
    /// `bye` ends the conversation.
    #[serde(rename_all = "camelCase")]
    Counting {
        /// Reproduces the classic bug: the scenario does not restore its
        /// state on wake-up, so it always answers `1`.
        #[serde(default)]
        forgets_state: bool,
    },
    /// Answers with the utterance and a modified copy of `customData`.
    Echo,
    /// Answers by the first matching rule (see `bots::scripted`).
    #[serde(rename_all = "camelCase")]
    Scripted {
        rules: Vec<ScriptRule>,
        /// Answer when no rule matches; `None` answers "Sorry, I did not understand".
        #[serde(default)]
        fallback: Option<String>,
    },
    /// Runs an AvatarEngine dialog scenario file with the scenario lab,
    /// hibernating after every message (docs/scenario-lab.md). The file is
    /// read again when it changes on disk.
    #[serde(rename_all = "camelCase")]
    Scenario {
        #[ts(type = "string")]
        path: PathBuf,
        /// Intents file (YAML: intent → phrases, responses).
        #[serde(default)]
        #[ts(type = "string | null")]
        intents: Option<PathBuf>,
    },
}

impl BotKind {
    pub fn counting() -> Self {
        Self::Counting { forgets_state: false }
    }
}
