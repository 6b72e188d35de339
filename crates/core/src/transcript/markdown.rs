//! A transcript as Markdown, for bug trackers and chat.

use std::fmt::Write;

use crate::model::{ConversationView, TurnState};

use super::TranscriptFile;

fn json_block(out: &mut String, value: &serde_json::Value) {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
    let _ = writeln!(out, "```json\n{pretty}\n```");
}

pub fn conversation_markdown(out: &mut String, c: &ConversationView) {
    let _ = writeln!(out, "## Conversation `{}`\n", c.conversation_id);
    let _ = writeln!(
        out,
        "- Profile: {}\n- Avatar: `{}`\n- Customer: `{}`",
        c.profile_name, c.avatar_id, c.user_id
    );
    if c.ended {
        let _ = writeln!(out, "- Ended by the avatar (final reply received)");
    }
    for turn in &c.turns {
        let _ = writeln!(
            out,
            "\n### Turn {}\n\n**Customer:** {}\n",
            turn.seq, turn.utterance
        );
        if let TurnState::Failed { code, message } = &turn.state {
            let _ = writeln!(out, "> Not delivered ({code}): {message}\n");
        }
        let _ = writeln!(out, "customData sent:");
        json_block(out, &turn.custom_data);
        if turn.replies.is_empty() {
            let _ = writeln!(out, "\n_No reply._");
        }
        for (i, reply) in turn.replies.iter().enumerate() {
            let text = reply.response.as_deref().unwrap_or("(no text)");
            let final_mark = if reply.is_final { " — final" } else { "" };
            let _ = writeln!(
                out,
                "\n**Avatar** (reply {}, {} ms{final_mark}): {text}\n",
                i + 1,
                reply.latency_ms
            );
            let _ = writeln!(out, "customData received:");
            json_block(out, &reply.custom_data);
        }
    }
}

pub fn to_markdown(file: &TranscriptFile) -> String {
    let mut out = String::from("# Avatar Console transcript\n\n");
    let _ = writeln!(
        out,
        "Exported by Avatar Console {} (commit {}, format version {}).\n",
        file.app_version,
        if file.app_commit.is_empty() {
            crate::about::UNKNOWN_COMMIT
        } else {
            &file.app_commit
        },
        file.version
    );
    for c in &file.conversations {
        conversation_markdown(&mut out, c);
        out.push('\n');
    }
    out
}
