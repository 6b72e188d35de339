//! Fresh ids for new conversations and customers, and the callback URI of a turn.

use uuid::Uuid;

/// A fresh avatar-side conversation id.
pub fn new_conversation_id() -> String {
    short_id("conv")
}

/// A fresh simulated customer id.
pub fn new_user_id() -> String {
    short_id("user")
}

fn short_id(prefix: &str) -> String {
    let id = Uuid::new_v4().simple().to_string();
    format!("{prefix}-{}", &id[..12])
}

/// The callback URI for one turn: the conversation's plus `turn=<seq>`, so a
/// callback says which utterance's URI the avatar used.
pub fn turn_callback_uri(base: &str, seq: u32) -> String {
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}turn={seq}")
}
