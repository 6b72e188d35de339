//! Unpaired replies reach the UI one at a time, as deltas whose size does not
//! grow with how many came before; views for the UI carry only the newest of
//! them and the rest are paged in; the inbox count is there at start-up.

mod common;

use std::sync::Arc;

use avatar_console_core::callback::router;
use avatar_console_core::hub::{Hub, HubEvent, UNPAIRED_PAGE_MAX, UNPAIRED_WINDOW};
use avatar_console_core::model::ReplyFlag;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{SECRET, accept_all, fake_api, hub};
use serde_json::json;
use tower::ServiceExt;

const MANY: usize = UNPAIRED_WINDOW + 50;

async fn post(hub: &Arc<Hub>, body: serde_json::Value) -> StatusCode {
    let request = Request::post(format!("/cb/{SECRET}"))
        .body(Body::from(body.to_string()))
        .expect("request");
    router(hub.clone(), SECRET)
        .oneshot(request)
        .await
        .expect("infallible")
        .status()
}

/// Same length for every `i` below 1,000, so event sizes compare.
fn response(i: usize) -> String {
    format!("unpaired {i:03}")
}

#[tokio::test]
async fn each_unpaired_reply_is_one_delta_of_constant_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let api = fake_api(accept_all()).await;
    let hub = hub(dir.path(), &api);
    let pane = hub.create_conversation().expect("create");
    let mut events = hub.subscribe();

    for i in 0..MANY {
        let body = json!({"isFinal": false, "response": response(i), "customData": {"i": i % 10}, "conversationId": pane.conversation_id});
        assert_eq!(post(&hub, body).await, StatusCode::OK);
    }

    let mut sizes = Vec::new();
    for i in 0..MANY {
        let event = events.try_recv().expect("one event per callback");
        sizes.push(serde_json::to_string(&event).expect("json").len());
        match event {
            HubEvent::UnpairedReplyAdded {
                pane_id,
                ended,
                unpaired_total,
                reply,
            } => {
                assert_eq!(pane_id, pane.id);
                assert!(!ended);
                assert_eq!(unpaired_total as usize, i + 1);
                assert_eq!(reply.response, Some(response(i)));
                assert_eq!(reply.flags, [ReplyFlag::Unpaired]);
            }
            other => panic!("callback {i}: expected UnpairedReplyAdded, got {other:?}"),
        }
    }
    assert!(
        events.try_recv().is_err(),
        "no other event (no whole conversation)"
    );
    // Ids and the received time differ by a few digits at most.
    let (first, last) = (sizes[0], sizes[MANY - 1]);
    assert!(
        last <= first + 16,
        "the 1st unpaired event is {first} bytes, the {MANY}th {last}: it grows with the count"
    );
}

#[tokio::test]
async fn views_for_the_ui_carry_the_newest_window_and_the_rest_pages_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let api = fake_api(accept_all()).await;
    let hub = hub(dir.path(), &api);
    let pane = hub.create_conversation().expect("create");
    for i in 0..MANY {
        let body = json!({"isFinal": false, "response": response(i), "customData": {}, "conversationId": pane.conversation_id});
        post(&hub, body).await;
    }

    // The hub itself keeps every reply (exports, pairing).
    assert_eq!(
        hub.conversation(pane.id).expect("view").unpaired_replies.len(),
        MANY
    );

    let ui = hub.conversations_for_ui().expect("ui views");
    let view = ui.iter().find(|v| v.id == pane.id).expect("pane");
    assert_eq!(view.older_unpaired as usize, MANY - UNPAIRED_WINDOW);
    let texts: Vec<_> = view
        .unpaired_replies
        .iter()
        .filter_map(|r| r.response.clone())
        .collect();
    let newest: Vec<_> = (MANY - UNPAIRED_WINDOW..MANY).map(response).collect();
    assert_eq!(texts, newest);

    // A resync sends the same bounded views.
    let resync = hub.resync_events().expect("resync");
    let resynced = resync.iter().find_map(|e| match e {
        HubEvent::ConversationUpdated { conversation } if conversation.id == pane.id => Some(conversation),
        _ => None,
    });
    assert_eq!(resynced, Some(view));

    // Older rows, by their arrival index.
    let page = hub.unpaired_replies(pane.id, 10, 5).expect("page");
    let texts: Vec<_> = page.iter().filter_map(|r| r.response.clone()).collect();
    assert_eq!(texts, (10..15).map(response).collect::<Vec<_>>());
    assert!(
        hub.unpaired_replies(pane.id, MANY, 5)
            .expect("past the end")
            .is_empty()
    );
    let tail = hub.unpaired_replies(pane.id, MANY - 3, 10).expect("the tail");
    assert_eq!(tail.len(), 3);
    let capped = hub.unpaired_replies(pane.id, 0, usize::MAX).expect("capped");
    assert_eq!(capped.len(), UNPAIRED_PAGE_MAX.min(MANY));
}

#[tokio::test]
async fn the_inbox_count_is_read_from_the_store_at_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let api = fake_api(accept_all()).await;
    {
        let hub = hub(dir.path(), &api);
        for i in 0..3 {
            let orphan = json!({"isFinal": false, "response": i.to_string(), "customData": {}, "conversationId": "nobody"});
            assert_eq!(post(&hub, orphan).await, StatusCode::ACCEPTED);
        }
        assert_eq!(hub.inbox_count().expect("count"), 3);
    }
    // A new hub on the same folder, as after a restart: no event has said anything yet.
    let hub = hub(dir.path(), &api);
    assert_eq!(hub.inbox_count().expect("count after restart"), 3);
}
