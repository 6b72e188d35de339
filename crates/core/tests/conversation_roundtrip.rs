//! Client + callback server + simulator over real sockets on 127.0.0.1.

mod common;

use std::time::Duration;

use avatar_console_core::client::{ClientConfig, Credentials, Secret};
use avatar_console_core::model::AvatarOption;
use avatar_console_core::model::ConversationView;
use avatar_console_core::{Console, ConsoleOptions};
use avatar_simulator::{DEFAULT_AVATAR_ID, SimulatorHandle};
use common::LOOPBACK;
use serde_json::json;
use uuid::Uuid;

async fn start(dir: &std::path::Path) -> (SimulatorHandle, Console) {
    common::simulator_console(dir).await
}

/// Wait until the conversation has `n` replies in total.
async fn replies(console: &Console, id: Uuid, n: usize) -> ConversationView {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let view = console.hub().conversation(id).expect("conversation exists");
        let count: usize = view.turns.iter().map(|t| t.replies.len()).sum();
        if count >= n || tokio::time::Instant::now() > deadline {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn answers(view: &ConversationView) -> Vec<String> {
    view.turns
        .iter()
        .flat_map(|t| t.replies.iter().filter_map(|r| r.response.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counting_bot_counts_one_two_three() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (sim, console) = start(dir.path()).await;
    let before = console.hub().profiles().token_statuses().await;
    assert!(!before[0].has_token, "no token before the first send");
    let pane = console.hub().conversations().expect("list")[0].id;
    for (i, text) in ["hi", "how are you", "bye for now"].iter().enumerate() {
        console
            .hub()
            .send(pane, text, json!({"n": i}))
            .await
            .expect("send");
        replies(&console, pane, i + 1).await;
    }
    let view = replies(&console, pane, 3).await;
    assert_eq!(answers(&view), ["1", "2", "3"]);
    // Each reply is attached to the turn it answers, with a latency.
    for turn in &view.turns {
        assert_eq!(turn.replies.len(), 1, "turn {} has one reply", turn.seq);
        assert!(turn.replies[0].latency_ms >= 0);
        assert!(turn.replies[0].flags.is_empty(), "{:?}", turn.replies[0].flags);
        // The request as sent, token redacted.
        let exchange = &turn.exchanges[0];
        assert_eq!(exchange.status, Some(200));
        assert!(exchange.request_body.contains(&format!("?turn={}", turn.seq)));
        assert!(
            exchange
                .request_headers
                .iter()
                .any(|(k, v)| k == "authorization" && v == "Bearer <redacted>")
        );
    }
    // The simulator really delivered three callbacks and got 200 for each. It
    // records a delivery after our 200 arrives, so give it a moment.
    let delivered = || {
        sim.state
            .events()
            .into_iter()
            .filter(|e| {
                matches!(
                    e,
                    avatar_simulator::SimEvent::Callback {
                        status: Some(200),
                        ..
                    }
                )
            })
            .count()
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while delivered() < 3 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let after = console.hub().profiles().token_statuses().await;
    assert!(after[0].has_token);
    let expires_in_ms =
        after[0].expires_at.expect("the simulator's JWT has exp") - avatar_console_core::time::now_ms();
    assert!(
        (3_500_000..=3_600_000).contains(&expires_in_ms),
        "about an hour left: {expires_in_ms} ms"
    );
    assert_eq!(delivered(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_conversations_count_independently() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, console) = start(dir.path()).await;
    let a = console.hub().conversations().expect("list")[0].id;
    let b = console.hub().create_conversation().expect("create").id;
    console.hub().send(a, "a1", json!({})).await.expect("send");
    console.hub().send(a, "a2", json!({})).await.expect("send");
    replies(&console, a, 2).await;
    console.hub().send(b, "b1", json!({})).await.expect("send");
    console.hub().send(a, "a3", json!({})).await.expect("send");
    let view_a = replies(&console, a, 3).await;
    let view_b = replies(&console, b, 1).await;
    assert_eq!(answers(&view_a), ["1", "2", "3"]);
    assert_eq!(answers(&view_b), ["1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transcript_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pane;
    {
        let (_sim, console) = start(dir.path()).await;
        pane = console.hub().conversations().expect("list")[0].id;
        console.hub().send(pane, "hi", json!({})).await.expect("send");
        replies(&console, pane, 1).await;
    }
    let (_sim, console) = start(dir.path()).await;
    let restored = console.hub().conversations().expect("list");
    assert_eq!(restored.len(), 1);
    assert_eq!(restored[0].id, pane);
    assert_eq!(answers(&restored[0]), ["1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_api_keeps_the_turn_as_failed() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Nothing listens on this port once the listener is dropped.
    let dead = std::net::TcpListener::bind(LOOPBACK)
        .expect("bind")
        .local_addr()
        .expect("addr");
    let console = Console::start(ConsoleOptions {
        data_dir: dir.path().to_path_buf(),
        callback_addr: LOOPBACK,
        profile_id: Default::default(),
        profile_name: "Dead".into(),
        client: ClientConfig::new(
            format!("http://{dead}/platform_api/Logon"),
            "1",
            Credentials::ApiKey(Secret::new("k")),
        ),
        avatars: vec![AvatarOption {
            id: DEFAULT_AVATAR_ID,
            label: "Counting bot".into(),
        }],
    })
    .await
    .expect("console starts");
    let pane = console.hub().conversations().expect("list")[0].id;
    let turn = console
        .hub()
        .send(pane, "hello?", json!({}))
        .await
        .expect("journaled");
    assert_eq!(turn.utterance, "hello?");
    assert_eq!(
        console.hub().conversation(pane).expect("view").turns,
        std::slice::from_ref(&turn),
        "the failed turn is kept, as returned"
    );
    match &turn.state {
        avatar_console_core::model::TurnState::Failed { code, .. } => assert_eq!(code, "network"),
        other => panic!("expected a failed turn, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_fills_custom_data_template_variables_per_turn() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, console) = start(dir.path()).await;
    let pane = console
        .hub()
        .conversation(console.hub().conversations().expect("list")[0].id)
        .expect("pane");
    let template = json!({
        "turn": "{{turn}}",
        "who": "{{userId}} in {{conversationId}}",
        "id": "{{uuid}}",
        "keep": "{{unknown}}",
    });
    let first = console
        .hub()
        .send(pane.id, "hi", template.clone())
        .await
        .expect("send");
    let second = console
        .hub()
        .send(pane.id, "again", template)
        .await
        .expect("send");
    assert_eq!(first.custom_data["turn"], json!(1));
    assert_eq!(second.custom_data["turn"], json!(2));
    assert_eq!(
        first.custom_data["who"],
        json!(format!("{} in {}", pane.user_id, pane.conversation_id))
    );
    assert_eq!(first.custom_data["keep"], json!("{{unknown}}"));
    let (a, b) = (
        first.custom_data["id"].as_str(),
        second.custom_data["id"].as_str(),
    );
    assert!(a.is_some_and(|id| Uuid::parse_str(id).is_ok()), "{a:?}");
    assert_ne!(a, b, "a fresh uuid per turn");
    // What went over the wire is the filled customData (as a JSON string, per the API).
    let sent = &first.exchanges.last().expect("an exchange").request_body;
    assert!(sent.contains(a.unwrap_or_default()), "{sent}");
    assert!(!sent.contains("{{turn}}"), "{sent}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resync_events_carry_the_whole_state_for_a_listener_that_lagged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_sim, console) = start(dir.path()).await;
    let hub = console.hub();
    let pane = hub.conversations().expect("list")[0].id;
    let second = hub.create_conversation().expect("pane").id;
    for text in ["hi", "again"] {
        hub.send(pane, text, json!({})).await.expect("send");
    }
    replies(&console, pane, 2).await;
    let events = hub.resync_events().expect("state");
    use avatar_console_core::hub::HubEvent;
    let views: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            HubEvent::ConversationUpdated { conversation } => Some(conversation),
            _ => None,
        })
        .collect();
    assert_eq!(views.iter().map(|v| v.id).collect::<Vec<_>>(), [pane, second]);
    assert_eq!(
        answers(views[0]),
        ["1", "2"],
        "the replies a lagging listener missed"
    );
    assert!(events.contains(&HubEvent::LayoutChanged {
        order: vec![pane, second]
    }));
    assert!(events.contains(&HubEvent::InboxChanged { count: 0 }));
    assert!(events.contains(&HubEvent::ProfilesChanged));
}
