//! A callback with an unknown conversation id lands in the inbox and can be
//! assigned to the pane it belongs to.

use avatar_console_core::{CodedError, ErrorCode};
mod common;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_orphan_callback_is_assigned_to_a_pane() {
    let dir = tempfile::tempdir().expect("tempdir");
    let console = common::offline_console(dir.path()).await;
    let hub = console.hub();
    let pane = hub.conversations().expect("list")[0].id;

    let body = r#"{"isFinal":false,"response":"lost reply","customData":{"x":1},"conversationId":"typo-id"}"#;
    let status = reqwest::Client::new()
        .post(hub.callback_url())
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("post")
        .status();
    assert_eq!(status.as_u16(), 202, "an orphan is accepted into the inbox");
    let inbox = hub.inbox().expect("inbox");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].reason, "orphan");

    let view = hub.assign_inbox_item(inbox[0].id, pane).expect("assign");
    let replies: Vec<_> = view
        .unpaired_replies
        .iter()
        .chain(view.turns.iter().flat_map(|t| t.replies.iter()))
        .collect();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].response.as_deref(), Some("lost reply"));
    assert_eq!(
        replies[0].raw_body, body,
        "the raw bytes are kept as they arrived"
    );
    assert!(hub.inbox().expect("inbox").is_empty());

    // A malformed body cannot be assigned.
    reqwest::Client::new()
        .post(hub.callback_url())
        .body("{not json")
        .send()
        .await
        .expect("post");
    let malformed = hub.inbox().expect("inbox")[0].id;
    assert_eq!(
        hub.assign_inbox_item(malformed, pane)
            .map(|_| ())
            .map_err(|e| e.code()),
        Err(ErrorCode::InvalidInput)
    );
}
