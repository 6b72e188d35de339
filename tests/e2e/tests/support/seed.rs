//! Writes a store with many long conversations before the app starts: the
//! fastest way to load 16 panes × 1,000 turns (each with its reply), far
//! quicker than sending them through the app (many_panes.rs, busy_panes.rs).

use anyhow::Result;
use avatar_console_core::model::{CallbackDialect, TurnState};
use avatar_console_core::store::{NewCallback, NewConversation, NewTurn, Store};
use serde_json::json;
use uuid::Uuid;

/// The embedded simulator's default avatar (`avatar_simulator::config::DEFAULT_AVATAR_ID`),
/// so that a new message in a loaded pane gets a reply.
pub const SIMULATOR_AVATAR: Uuid = Uuid::from_u128(0x5e1f_0000_0000_4000_8000_0000_0000_0001);

/// One conversation written by [`write_panes`].
pub struct SeededPane {
    /// The pane's id (`ConversationView.id`).
    pub id: Uuid,
    /// Its avatar-side conversation id, `load-<index>`: callbacks name it,
    /// and the pane's `aria-label` is `Conversation load-<index>`.
    pub conversation_id: String,
}

/// `panes` conversations of `turns` turns into `console.db` in `dir`, in
/// pane order; turn `n` is "utterance n of pane p", its reply is `n`.
pub fn write_panes(dir: &std::path::Path, panes: usize, turns: u32) -> Result<Vec<SeededPane>> {
    let store = Store::open(&dir.join("console.db"))?;
    // A turn a second up to now, so latency badges and times read as real ones.
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis();
    let start = i64::try_from(now_ms)? - i64::from(turns) * 1000;
    let mut seeded = Vec::new();
    for p in 0..panes {
        let pane = Uuid::new_v4();
        let conversation_id = format!("load-{p}");
        store.insert_conversation(
            &NewConversation {
                id: pane,
                profile_name: "Local simulator",
                avatar_id: SIMULATOR_AVATAR,
                conversation_id: &conversation_id,
                user_id: "user-load",
                custom_data_template: "{}",
                profile_id: Uuid::nil(),
            },
            0,
        )?;
        for seq in 1..=turns {
            let turn = Uuid::new_v4();
            let data = json!({"orderId": seq, "channel": "load"});
            let utterance = format!("utterance {seq} of pane {p}");
            store.insert_turn(&NewTurn {
                id: turn,
                conversation: pane,
                seq,
                utterance: &utterance,
                custom_data: &data,
                callback_uri: "http://127.0.0.1:1/cb/x",
                sent_at: start + i64::from(seq) * 1000,
            })?;
            store.finish_turn(pane, seq, &TurnState::Sent, &[])?;
            let body = format!(
                r#"{{"isFinal":false,"response":"{seq}","customData":{data},"conversationId":"{conversation_id}"}}"#
            );
            store.insert_callback(&NewCallback {
                conversation: pane,
                turn_seq: Some(seq),
                turn_hint: Some(seq),
                flags: &[],
                received_at: start + i64::from(seq) * 1000 + 40,
                dialect: CallbackDialect::CamelCase,
                is_final: false,
                response: Some(&seq.to_string()),
                custom_data: &data,
                raw_headers: "content-type: application/json",
                raw_body: body.as_bytes(),
            })?;
        }
        seeded.push(SeededPane {
            id: pane,
            conversation_id,
        });
    }
    Ok(seeded)
}
