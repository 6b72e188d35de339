//! What the simulator pretends to be: which accounts and sub-users may log on,
//! which avatars exist, which bot answers for each, and which faults apply.
//! Everything here can be replaced at runtime (`SimState::set_config`), from
//! the console's UI or from `PUT /_admin/config`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

// Kept importable from here, where it used to live.
pub use crate::bots::BotKind;
use crate::faults::FaultConfig;

/// The avatar every fresh install talks to: the guide's counting bot.
pub const DEFAULT_AVATAR_ID: Uuid = Uuid::from_u128(0x5e1f_0000_0000_4000_8000_0000_0000_0001);
/// The echo bot of the app's embedded simulator (`SimConfig::with_demo_avatars`).
pub const ECHO_AVATAR_ID: Uuid = Uuid::from_u128(0x5e1f_0000_0000_4000_8000_0000_0000_0002);
/// A counting bot with the "forgets state" bug switched on.
pub const FORGETFUL_AVATAR_ID: Uuid = Uuid::from_u128(0x5e1f_0000_0000_4000_8000_0000_0000_0003);
pub const DEFAULT_ACCOUNT_ID: &str = "1000001";
pub const DEFAULT_API_KEY: &str = "simulator-api-key";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "SimAccount")]
pub struct Account {
    pub account_id: String,
    pub api_key: String,
}

/// A sub-user, the credential kind Voximplant's SDK logs in with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "SimSubUser")]
pub struct SubUser {
    pub account_id: String,
    pub login: String,
    pub password: String,
}

/// Shape of the callback body the avatar POSTs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "SimCallbackDialect")]
pub enum CallbackDialect {
    /// The guide's `{isFinal, response, customData, conversationId}`.
    #[default]
    CamelCase,
    /// Voximplant's SDK's `{is_final, response, custom_data, conversation_id}`,
    /// `custom_data` a JSON string or null.
    SnakeCase,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "SimAvatar")]
pub struct AvatarConfig {
    pub id: Uuid,
    pub name: String,
    pub bot: BotKind,
    #[serde(default)]
    pub dialect: CallbackDialect,
    /// Faults for this avatar's conversations; `None` uses the global ones.
    #[serde(default)]
    pub faults: Option<FaultConfig>,
}

impl AvatarConfig {
    pub fn new(id: Uuid, name: impl Into<String>, bot: BotKind) -> Self {
        Self {
            id,
            name: name.into(),
            bot,
            dialect: CallbackDialect::default(),
            faults: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export, rename = "SimConfig")]
pub struct SimConfig {
    pub accounts: Vec<Account>,
    pub subusers: Vec<SubUser>,
    pub avatars: Vec<AvatarConfig>,
    /// Lifetime of the JWTs `chats/login` issues, in seconds (at least 1).
    #[ts(type = "number")]
    pub token_lifetime_secs: u64,
    /// How long the "avatar" thinks before it answers; replies are always
    /// delivered after the send request has been answered.
    #[ts(type = "number")]
    pub reply_delay_ms: u64,
    /// Logon normally reports bad credentials the platform-API way (HTTP 200
    /// with an `error` object); this makes it answer 401 instead.
    pub logon_error_as_401: bool,
    /// Faults for avatars that have none of their own.
    pub faults: FaultConfig,
    /// Faults for single conversations (by conversation id); they win over
    /// the avatar's and the global ones.
    pub conversation_faults: BTreeMap<String, FaultConfig>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            accounts: vec![Account {
                account_id: DEFAULT_ACCOUNT_ID.into(),
                api_key: DEFAULT_API_KEY.into(),
            }],
            subusers: Vec::new(),
            avatars: vec![AvatarConfig::new(
                DEFAULT_AVATAR_ID,
                "Counting bot",
                BotKind::counting(),
            )],
            token_lifetime_secs: 3600,
            reply_delay_ms: 20,
            logon_error_as_401: false,
            faults: FaultConfig::default(),
            conversation_faults: BTreeMap::new(),
        }
    }
}

impl SimConfig {
    /// The default counting bot plus an echo bot and a counting bot that
    /// forgets its state: what the app's embedded simulator offers.
    pub fn with_demo_avatars() -> Self {
        let mut config = Self::default();
        config
            .avatars
            .push(AvatarConfig::new(ECHO_AVATAR_ID, "Echo bot", BotKind::Echo));
        config.avatars.push(AvatarConfig::new(
            FORGETFUL_AVATAR_ID,
            "Forgetful counting bot",
            BotKind::Counting { forgets_state: true },
        ));
        config
    }

    pub fn avatar(&self, id: Uuid) -> Option<&AvatarConfig> {
        self.avatars.iter().find(|a| a.id == id)
    }

    pub fn avatar_mut(&mut self, id: Uuid) -> Option<&mut AvatarConfig> {
        self.avatars.iter_mut().find(|a| a.id == id)
    }

    pub fn account_matches(&self, account_id: &str, api_key: &str) -> bool {
        self.accounts
            .iter()
            .any(|a| a.account_id == account_id && a.api_key == api_key)
    }

    pub fn subuser_matches(&self, account_id: &str, login: &str, password: &str) -> bool {
        self.subusers
            .iter()
            .any(|s| s.account_id == account_id && s.login == login && s.password == password)
    }

    pub fn token_lifetime(&self) -> Duration {
        Duration::from_secs(self.token_lifetime_secs.max(1))
    }

    pub fn reply_delay(&self) -> Duration {
        Duration::from_millis(self.reply_delay_ms)
    }

    /// The faults that apply to one conversation: its own, else its avatar's,
    /// else the global ones. Whole sets replace each other; they do not merge.
    pub fn faults_for(&self, avatar_id: Uuid, conversation_id: &str) -> FaultConfig {
        if let Some(f) = self.conversation_faults.get(conversation_id) {
            return f.clone();
        }
        self.avatar(avatar_id)
            .and_then(|a| a.faults.clone())
            .unwrap_or_else(|| self.faults.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_resolve_conversation_then_avatar_then_global() {
        let mut config = SimConfig::default();
        config.faults.latency_ms = 1;
        assert_eq!(config.faults_for(DEFAULT_AVATAR_ID, "c").latency_ms, 1);
        if let Some(a) = config.avatar_mut(DEFAULT_AVATAR_ID) {
            a.faults = Some(FaultConfig {
                latency_ms: 2,
                ..FaultConfig::default()
            });
        }
        assert_eq!(config.faults_for(DEFAULT_AVATAR_ID, "c").latency_ms, 2);
        config.conversation_faults.insert(
            "c".into(),
            FaultConfig {
                latency_ms: 3,
                ..FaultConfig::default()
            },
        );
        assert_eq!(config.faults_for(DEFAULT_AVATAR_ID, "c").latency_ms, 3);
        assert_eq!(config.faults_for(DEFAULT_AVATAR_ID, "other").latency_ms, 2);
    }

    #[test]
    fn config_round_trips_through_json_and_missing_fields_default() {
        let json = serde_json::to_value(SimConfig::default()).expect("serialize");
        assert_eq!(json["avatars"][0]["bot"]["kind"], "counting");
        let back: SimConfig = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back.avatars[0].id, DEFAULT_AVATAR_ID);
        let partial: SimConfig = serde_json::from_str(r#"{"tokenLifetimeSecs": 5}"#).expect("partial");
        assert_eq!(partial.token_lifetime_secs, 5);
        assert_eq!(partial.accounts[0].account_id, DEFAULT_ACCOUNT_ID);
    }

    #[test]
    fn scripted_rules_round_trip_as_plain_strings() {
        let json = r#"{"avatars": [{"id": "5e1f0000-0000-4000-8000-000000000001", "name": "s",
            "bot": {"kind": "scripted", "rules": [{"match": "^a(b)", "response": "$1"}]}}]}"#;
        let config: SimConfig = serde_json::from_str(json).expect("parses");
        let back = serde_json::to_value(&config).expect("serialize");
        assert_eq!(back["avatars"][0]["bot"]["rules"][0]["match"], "^a(b)");
        assert_eq!(back["avatars"][0]["dialect"], "camelCase");
        let bad = json.replace("^a(b)", "(");
        assert!(
            serde_json::from_str::<SimConfig>(&bad).is_err(),
            "an invalid regex is refused"
        );
    }
}
