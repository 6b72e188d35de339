//! Export → import gives the identical transcript; no secret in any export.

use avatar_console_core::{CodedError, ErrorCode};
mod common;

use std::time::Duration;

use avatar_console_core::transcript::{TestFile, TranscriptFile, bug_report, parse_transcript, to_markdown};
use avatar_simulator::DEFAULT_API_KEY;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_import_round_trip_without_secrets() {
    // As the app's binary does at start (from its build script).
    avatar_console_core::about::set_commit("0123456789ab");
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, console) = common::simulator_console(dir.path()).await;
    let hub = console.hub();
    let pane = hub.conversations().expect("list")[0].id;
    hub.send(pane, "hello", json!({"order": {"id": 7}}))
        .await
        .expect("send");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while hub.conversation(pane).expect("view").turns[0].replies.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "no reply");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let exported = TranscriptFile::new(hub.conversations().expect("list"));
    let json = exported.to_json();
    let imported = parse_transcript(&json).expect("valid");
    assert_eq!(imported, exported);

    // Import into new, read-only panes: the same transcript, badges and exchanges.
    let panes = imported.import_into(hub).expect("import");
    assert_eq!(panes.len(), exported.conversations.len());
    let original = &exported.conversations[0];
    let copy = &panes[0];
    assert!(copy.read_only && copy.id != original.id);
    assert_eq!(copy.conversation_id, original.conversation_id);
    let same_turns = |a: &avatar_console_core::model::TurnView, b: &avatar_console_core::model::TurnView| {
        (
            a.seq,
            &a.utterance,
            &a.custom_data,
            &a.callback_uri,
            a.sent_at,
            &a.state,
            &a.exchanges,
        ) == (
            b.seq,
            &b.utterance,
            &b.custom_data,
            &b.callback_uri,
            b.sent_at,
            &b.state,
            &b.exchanges,
        )
    };
    assert_eq!(copy.turns.len(), original.turns.len());
    for (a, b) in copy.turns.iter().zip(&original.turns) {
        assert!(same_turns(a, b), "turn {} differs after import", a.seq);
        let strip = |r: &avatar_console_core::model::ReplyView| {
            (
                r.response.clone(),
                r.is_final,
                r.custom_data.clone(),
                r.received_at,
                r.latency_ms,
                r.dialect,
                r.flags.clone(),
                r.raw_body.clone(),
                r.raw_headers.clone(),
            )
        };
        assert_eq!(
            a.replies.iter().map(strip).collect::<Vec<_>>(),
            b.replies.iter().map(strip).collect::<Vec<_>>()
        );
    }
    // Exported again, the imported pane reads the same as the original.
    let again = TranscriptFile::new(vec![hub.conversation(copy.id).expect("view")]);
    assert_eq!(again.conversations[0].turns.len(), original.turns.len());
    assert_eq!(
        hub.send(copy.id, "more", json!({}))
            .await
            .map(|_| ())
            .map_err(|e| e.code()),
        Err(ErrorCode::ReadOnly),
        "an imported conversation is never sent to"
    );

    // Every export names the build that made it.
    assert_eq!(
        (exported.app_version.as_str(), exported.app_commit.as_str()),
        (env!("CARGO_PKG_VERSION"), "0123456789ab")
    );
    assert!(json.contains(r#""appCommit": "0123456789ab""#), "{json}");
    let markdown = to_markdown(&imported);
    assert!(markdown.contains("(commit 0123456789ab,"), "{markdown}");
    assert!(markdown.contains("**Customer:** hello"), "{markdown}");
    assert!(markdown.contains("**Avatar** (reply 1"), "{markdown}");

    let test = TestFile::from_recording(&imported.conversations[0]);
    assert_eq!(test.steps[0].utterance, "hello");
    // …and back: the same utterances, replies and customData.
    let back = test.to_recording();
    let said = |c: &avatar_console_core::model::ConversationView| {
        c.turns
            .iter()
            .map(|t| {
                (
                    t.utterance.clone(),
                    t.custom_data.clone(),
                    t.replies
                        .last()
                        .map(|r| (r.response.clone(), r.custom_data.clone())),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(said(&back), said(&imported.conversations[0]));

    let report = bug_report(&imported.conversations[0], 1).expect("turn 1 exists");
    assert!(
        report.contains("## Request") && report.contains("\"order\""),
        "{report}"
    );
    assert!(report.contains("curl -X POST"), "{report}");
    assert!(
        report.contains(&format!(
            "Made with Avatar Console {} (commit 0123456789ab)",
            env!("CARGO_PKG_VERSION")
        )),
        "{report}"
    );
    assert!(bug_report(&imported.conversations[0], 9).is_none());

    // The callback path's secret segment, as the server checks it (turns
    // keep their URI with `<secret>` in its place).
    let live_uri = hub.callback_url();
    let after = live_uri.split("/cb/").nth(1).expect("a /cb/ path");
    let secret = after.split('?').next().expect("secret segment").to_owned();
    assert!(secret.len() >= 16, "{live_uri}");
    for text in [&json, &markdown, &test.to_json(), &report] {
        assert!(!text.contains(DEFAULT_API_KEY), "an export contains the API key");
        assert!(!text.contains(&secret), "an export contains the callback secret");
    }
}
