//! Export → import gives the identical transcript; no secret in any export.

mod common;

use std::time::Duration;

use avatar_console_core::transcript::{TestFile, TranscriptFile, bug_report, parse_transcript, to_markdown};
use avatar_simulator::DEFAULT_API_KEY;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_import_round_trip_without_secrets() {
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

    let markdown = to_markdown(&imported);
    assert!(markdown.contains("**Customer:** hello"), "{markdown}");
    assert!(markdown.contains("**Avatar** (reply 1"), "{markdown}");

    let test = TestFile::from_recording(&imported.conversations[0]);
    assert_eq!(test.steps[0].utterance, "hello");

    let report = bug_report(&imported.conversations[0], 1).expect("turn 1 exists");
    assert!(
        report.contains("## Request") && report.contains("\"order\""),
        "{report}"
    );
    assert!(report.contains("curl -X POST"), "{report}");
    assert!(bug_report(&imported.conversations[0], 9).is_none());

    // The callback path's secret segment, as the live turn has it.
    let live_uri = hub.conversation(pane).expect("view").turns[0]
        .callback_uri
        .clone();
    let after = live_uri.split("/cb/").nth(1).expect("a /cb/ path");
    let secret = after.split('?').next().expect("secret segment").to_owned();
    assert!(secret.len() >= 16, "{live_uri}");
    for text in [&json, &markdown, &test.to_json(), &report] {
        assert!(!text.contains(DEFAULT_API_KEY), "an export contains the API key");
        assert!(!text.contains(&secret), "an export contains the callback secret");
    }
}
