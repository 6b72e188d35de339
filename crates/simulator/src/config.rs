//! What the simulator pretends to be: which accounts may log on, which avatars
//! exist and which bot answers for each.

use std::time::Duration;

use uuid::Uuid;

/// The avatar every fresh install talks to: the guide's counting bot.
pub const DEFAULT_AVATAR_ID: Uuid = Uuid::from_u128(0x5e1f_0000_0000_4000_8000_0000_0000_0001);
pub const DEFAULT_ACCOUNT_ID: &str = "1000001";
pub const DEFAULT_API_KEY: &str = "simulator-api-key";

#[derive(Debug, Clone)]
pub struct Account {
    pub account_id: String,
    pub api_key: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotKind {
    /// The guide's example: answers with the number of utterances so far.
    Counting,
}

#[derive(Debug, Clone)]
pub struct AvatarConfig {
    pub id: Uuid,
    pub name: String,
    pub bot: BotKind,
}

#[derive(Debug, Clone)]
pub struct SimConfig {
    pub accounts: Vec<Account>,
    pub avatars: Vec<AvatarConfig>,
    pub token_lifetime: Duration,
    /// How long the "avatar" thinks before it answers; replies are always
    /// delivered after the send request has been answered.
    pub reply_delay: Duration,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            accounts: vec![Account {
                account_id: DEFAULT_ACCOUNT_ID.into(),
                api_key: DEFAULT_API_KEY.into(),
            }],
            avatars: vec![AvatarConfig {
                id: DEFAULT_AVATAR_ID,
                name: "Counting bot".into(),
                bot: BotKind::Counting,
            }],
            token_lifetime: Duration::from_secs(3600),
            reply_delay: Duration::from_millis(20),
        }
    }
}

impl SimConfig {
    pub fn avatar(&self, id: Uuid) -> Option<&AvatarConfig> {
        self.avatars.iter().find(|a| a.id == id)
    }

    pub fn account_matches(&self, account_id: &str, api_key: &str) -> bool {
        self.accounts
            .iter()
            .any(|a| a.account_id == account_id && a.api_key == api_key)
    }
}
