//! "Copy bug report": one self-contained Markdown text with the transcript up
//! to a turn, the request as sent (secrets redacted), every callback, the
//! customData round trip, timings and a curl command to send it again.

use std::fmt::Write;

use serde_json::{Value, json};

use super::file::{redact_callback_uri, redact_conversation};
use super::markdown::conversation_markdown;
use crate::model::ConversationView;

fn block(out: &mut String, lang: &str, text: &str) {
    let _ = writeln!(out, "```{lang}\n{text}\n```");
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Shell single-quoting.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r#"'"'"'"#))
}

/// The report for turn `seq` of `conversation`, or `None` if there is no such turn.
pub fn bug_report(conversation: &ConversationView, seq: u32) -> Option<String> {
    let turn = conversation.turns.iter().find(|t| t.seq == seq)?;
    let mut head = conversation.clone();
    head.turns.retain(|t| t.seq <= seq);
    redact_conversation(&mut head);
    let mut out = format!(
        "# Bug report: turn {seq} of conversation `{}`\n\n",
        conversation.conversation_id
    );
    let _ = writeln!(out, "Made with Avatar Console {}.\n", crate::about::build_label());

    let request = json!({
        "callbackUri": redact_callback_uri(&turn.callback_uri),
        "utterance": turn.utterance,
        "customData": turn.custom_data,
    });
    let _ = writeln!(
        out,
        "## Request\n\n`POST <nlu address>/api/v1/chats/{}/{}` with `Authorization: Bearer <redacted>`, sent at {} ms since the epoch, state: {:?}.\n",
        conversation.avatar_id, conversation.conversation_id, turn.sent_at, turn.state
    );
    block(&mut out, "json", &pretty(&request));

    let _ = writeln!(out, "\n## Callbacks ({})\n", turn.replies.len());
    for (i, reply) in turn.replies.iter().enumerate() {
        let _ = writeln!(
            out,
            "### Callback {} — {} ms after sending, dialect {:?}\n",
            i + 1,
            reply.latency_ms,
            reply.dialect
        );
        let body =
            json!({ "isFinal": reply.is_final, "response": reply.response, "customData": reply.custom_data });
        block(&mut out, "json", &pretty(&body));
    }

    let _ = writeln!(out, "\n## Send it again\n");
    let body =
        json!({ "callbackUri": "CALLBACK_URI", "utterance": turn.utterance, "customData": turn.custom_data });
    let curl = format!(
        "curl -X POST \"$NLU_ADDRESS/api/v1/chats/{}/{}\" \\\n  -H \"Authorization: Bearer $AVATAR_JWT\" \\\n  -H 'Content-Type: application/json' \\\n  --data {}",
        conversation.avatar_id,
        conversation.conversation_id,
        quote(&body.to_string()).replace("CALLBACK_URI", "'\"$CALLBACK_URI\"'"),
    );
    block(&mut out, "sh", &curl);

    let _ = writeln!(out, "\n## Transcript up to this turn\n");
    conversation_markdown(&mut out, &head);
    let _ = writeln!(out, "\n## Attachment: conversation JSON\n");
    block(
        &mut out,
        "json",
        &serde_json::to_string_pretty(&head).unwrap_or_default(),
    );
    Some(out)
}
