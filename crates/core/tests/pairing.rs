//! Pairing callbacks with turns, and each anomaly flag.

mod common;

use std::sync::Arc;

use avatar_console_core::CoreError;
use avatar_console_core::callback::router;
use avatar_console_core::hub::Hub;
use avatar_console_core::model::{ConversationView, ReplyFlag};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{FakeApi, SECRET, accept_all, fake_api, hub};
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;

use ReplyFlag::{AfterFinal, Duplicate, ExtraReply, Late, OutOfOrder, Unpaired};

struct Setup {
    dir: tempfile::TempDir,
    api: FakeApi,
    hub: Arc<Hub>,
    id: Uuid,
    conversation_id: String,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let api = fake_api(accept_all()).await;
    let hub = hub(dir.path(), &api);
    let view = hub.create_conversation().expect("create");
    Setup {
        dir,
        api,
        hub,
        id: view.id,
        conversation_id: view.conversation_id,
    }
}

impl Setup {
    async fn send(&self, text: &str) {
        self.hub
            .send(self.id, text, json!({"said": text}))
            .await
            .expect("send");
    }

    /// POST a camelCase callback; `turn` is the `?turn=` hint, if any.
    async fn reply(&self, turn: Option<u32>, response: &str, is_final: bool) -> StatusCode {
        let body = json!({"isFinal": is_final, "response": response, "customData": {}, "conversationId": self.conversation_id});
        self.post(turn, body).await
    }

    async fn post(&self, turn: Option<u32>, body: Value) -> StatusCode {
        let uri = match turn {
            Some(seq) => format!("/cb/{SECRET}?turn={seq}"),
            None => format!("/cb/{SECRET}"),
        };
        let request = Request::post(uri)
            .body(Body::from(body.to_string()))
            .expect("request");
        router(self.hub.clone(), SECRET)
            .oneshot(request)
            .await
            .expect("infallible")
            .status()
    }

    fn view(&self) -> ConversationView {
        self.hub.conversation(self.id).expect("view")
    }
}

/// Each turn's replies as (response, flags).
fn transcript(view: &ConversationView) -> Vec<Vec<(String, Vec<ReplyFlag>)>> {
    view.turns
        .iter()
        .map(|t| {
            t.replies
                .iter()
                .map(|r| (r.response.clone().unwrap_or_default(), r.flags.clone()))
                .collect()
        })
        .collect()
}

fn r(text: &str, flags: &[ReplyFlag]) -> (String, Vec<ReplyFlag>) {
    (text.to_owned(), flags.to_vec())
}

#[tokio::test]
async fn a_reply_on_its_turns_uri_is_clean_with_a_latency() {
    let s = setup().await;
    s.send("hi").await;
    let turn = &s.view().turns[0];
    assert!(turn.callback_uri.ends_with("?turn=1"), "{}", turn.callback_uri);
    assert_eq!(s.reply(Some(1), "1", false).await, StatusCode::OK);
    let view = s.view();
    assert_eq!(transcript(&view), [vec![r("1", &[])]]);
    let reply = &view.turns[0].replies[0];
    assert_eq!(reply.latency_ms, reply.received_at - view.turns[0].sent_at);
    assert!(reply.latency_ms >= 0);
    assert!(!view.turns[0].several_replies);
}

#[tokio::test]
async fn late_when_a_newer_utterance_was_sent_first() {
    let s = setup().await;
    s.send("one").await;
    s.send("two").await;
    s.reply(Some(1), "1", false).await;
    s.reply(Some(2), "2", false).await;
    assert_eq!(transcript(&s.view()), [vec![r("1", &[Late])], vec![r("2", &[])]]);
}

#[tokio::test]
async fn duplicate_payloads_stay_with_the_first_and_take_no_slot() {
    let s = setup().await;
    s.send("one").await;
    s.reply(Some(1), "1", false).await;
    // The same payload in the other dialect is still the same payload.
    let snake = json!({"is_final": false, "response": "1", "custom_data": "{}", "conversation_id": s.conversation_id});
    s.post(Some(1), snake).await;
    let view = s.view();
    assert_eq!(transcript(&view), [vec![r("1", &[]), r("1", &[Duplicate])]]);
    assert!(
        !view.turns[0].several_replies,
        "a duplicate is not a second reply"
    );
}

#[tokio::test]
async fn out_of_order_when_an_older_turn_is_answered_after_a_newer_one() {
    let s = setup().await;
    s.send("one").await;
    s.send("two").await;
    s.reply(Some(2), "2", false).await;
    s.reply(Some(1), "1", false).await;
    assert_eq!(
        transcript(&s.view()),
        [vec![r("1", &[Late, OutOfOrder])], vec![r("2", &[])]]
    );
}

#[tokio::test]
async fn several_replies_to_one_turn() {
    let s = setup().await;
    s.send("one").await;
    s.reply(Some(1), "a", false).await;
    s.reply(Some(1), "b", false).await;
    let view = s.view();
    assert_eq!(transcript(&view), [vec![r("a", &[]), r("b", &[ExtraReply])]]);
    assert!(view.turns[0].several_replies);
}

#[tokio::test]
async fn after_final_and_the_conversation_ends() {
    let s = setup().await;
    s.send("one").await;
    s.reply(Some(1), "bye", true).await;
    assert!(s.view().ended);
    s.reply(Some(1), "more", false).await;
    assert_eq!(
        transcript(&s.view()),
        [vec![r("bye", &[]), r("more", &[ExtraReply, AfterFinal])]]
    );
    let refused = s.hub.send(s.id, "again", json!({})).await;
    assert!(
        matches!(refused, Err(CoreError::ConversationEnded)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_reply_before_any_utterance_is_unpaired() {
    let s = setup().await;
    assert_eq!(s.reply(None, "hello?", false).await, StatusCode::OK);
    let view = s.view();
    assert!(view.turns.is_empty());
    assert_eq!(view.unpaired_replies.len(), 1);
    assert_eq!(view.unpaired_replies[0].flags, [Unpaired]);
}

#[tokio::test]
async fn orphan_and_malformed_go_to_the_inbox_not_the_conversation() {
    let s = setup().await;
    s.send("one").await;
    let orphan = json!({"conversationId": "someone-else", "response": "x"});
    assert_eq!(s.post(Some(1), orphan).await, StatusCode::ACCEPTED);
    let malformed = json!({"conversationId": s.conversation_id, "isFinal": "no"});
    assert_eq!(s.post(Some(1), malformed).await, StatusCode::BAD_REQUEST);
    assert!(s.view().turns[0].replies.is_empty());
    let reasons: Vec<_> = s
        .hub
        .inbox()
        .expect("inbox")
        .into_iter()
        .map(|i| i.reason)
        .collect();
    assert_eq!(reasons, ["malformed", "orphan"], "newest first");
}

#[tokio::test]
async fn without_hints_replies_pair_in_order_by_timing() {
    let s = setup().await;
    s.send("one").await;
    s.send("two").await;
    s.reply(None, "x", false).await;
    s.reply(None, "y", false).await;
    s.reply(None, "z", false).await;
    assert_eq!(
        transcript(&s.view()),
        [vec![r("x", &[Late])], vec![r("y", &[]), r("z", &[ExtraReply])]]
    );
}

#[tokio::test]
async fn a_hint_naming_no_turn_falls_back_to_timing() {
    let s = setup().await;
    s.send("one").await;
    s.reply(Some(42), "1", false).await;
    assert_eq!(transcript(&s.view()), [vec![r("1", &[])]]);
}

#[tokio::test]
async fn flags_exchanges_and_pairing_state_survive_a_restart() {
    let s = setup().await;
    s.send("one").await;
    s.send("two").await;
    s.reply(Some(2), "2", false).await;
    s.reply(Some(1), "1", false).await;
    let before = s.view();
    assert_eq!(before.turns[0].exchanges.len(), 1);
    assert_eq!(before.turns[0].exchanges[0].status, Some(200));
    let Setup {
        dir,
        api,
        hub,
        id,
        conversation_id,
    } = s;
    drop(hub);
    let reopened = common::hub(dir.path(), &api);
    let after = reopened.conversation(id).expect("restored");
    assert_eq!(after, before);
    // Duplicate detection remembers what came before the restart.
    let s = Setup {
        dir,
        api,
        hub: reopened,
        id,
        conversation_id,
    };
    s.reply(Some(2), "2", false).await;
    assert_eq!(transcript(&s.view())[1], [r("2", &[]), r("2", &[Duplicate])]);
}

#[tokio::test]
async fn end_conversation_stops_the_avatar_session_and_ends_the_pane() {
    let s = setup().await;
    let posts = s.api.posts();
    let view = s.hub.end_conversation(s.id).await.expect("stopped");
    assert!(view.ended);
    assert_eq!(s.api.posts(), posts + 1, "one POST …/stop");
    assert!(matches!(
        s.hub.send(s.id, "hi", json!({})).await,
        Err(CoreError::ConversationEnded)
    ));
}
