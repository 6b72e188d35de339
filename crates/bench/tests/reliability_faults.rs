//! The simulator's faults, one per test, driven through the Hub over real
//! sockets: for each, what the UI shows (turn state, replies attached, inbox
//! count) is right and nothing is lost. Waits are condition loops with
//! generous deadlines, never fixed sleeps used as assertions.

use std::time::Duration;

use avatar_bench::fixture::{Rig, count_rows, reply_count, wait_for};
use avatar_console_core::model::{ConversationView, TurnState};
use avatar_simulator::{FaultConfig, SimConfig, SimEvent};
use serde_json::json;
use uuid::Uuid;

const DEADLINE: Duration = Duration::from_secs(20);

struct Case {
    rig: Rig,
    pane: Uuid,
}

impl Case {
    /// A console and simulator with `faults` on the first pane's conversation.
    async fn start(faults: FaultConfig) -> Self {
        Self::start_with(SimConfig::default(), faults).await
    }

    async fn start_with(config: SimConfig, faults: FaultConfig) -> Self {
        let rig = Rig::start(config).await.expect("rig starts");
        let pane = rig.first_pane().expect("pane");
        let conversation_id = rig.console.conversation(pane).expect("view").conversation_id;
        rig.sim
            .state
            .set_conversation_faults(&conversation_id, Some(faults));
        Self { rig, pane }
    }

    async fn send(&self, text: &str) -> ConversationView {
        self.rig
            .console
            .send_message(self.pane, text, json!({"text": text}))
            .await
            .expect("the turn is journaled");
        self.view()
    }

    fn view(&self) -> ConversationView {
        self.rig.console.conversation(self.pane).expect("view")
    }

    async fn replies(&self, n: usize) -> ConversationView {
        wait_for(DEADLINE, || self.view(), |v| reply_count(v) >= n).await
    }

    fn inbox(&self) -> u64 {
        self.rig.console.store().inbox_count().expect("inbox")
    }

    fn sim_events(&self, pick: impl Fn(&SimEvent) -> bool) -> usize {
        self.rig.sim.state.events().iter().filter(|e| pick(e)).count()
    }

    async fn wait_sim(&self, n: usize, pick: impl Fn(&SimEvent) -> bool) {
        let seen = wait_for(DEADLINE, || self.sim_events(&pick), |c| *c >= n).await;
        assert!(seen >= n, "the simulator logged {seen} of {n} expected events");
    }

    fn responses(view: &ConversationView) -> Vec<String> {
        view.turns
            .iter()
            .flat_map(|t| t.replies.iter().filter_map(|r| r.response.clone()))
            .collect()
    }
}

fn is_callback(e: &SimEvent) -> bool {
    matches!(e, SimEvent::Callback { .. })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_5xx_fails_the_turn_and_keeps_it_for_a_retry() {
    let case = Case::start(FaultConfig {
        error_percent: 100,
        error_status: Some(503),
        ..FaultConfig::default()
    })
    .await;
    let view = case.send("hello").await;
    assert_eq!(view.turns.len(), 1, "the failed turn is kept");
    match &view.turns[0].state {
        TurnState::Failed { code, .. } => assert_eq!(code, "server_error"),
        other => panic!("expected a failed turn, got {other:?}"),
    }
    // The avatar recovers: the next send goes through and is answered.
    let conversation_id = view.conversation_id.clone();
    case.rig.sim.state.set_conversation_faults(&conversation_id, None);
    case.send("hello again").await;
    let view = case.replies(1).await;
    assert_eq!(Case::responses(&view), ["1"]);
    assert_eq!(view.turns[1].state, TurnState::Sent);
    assert_eq!(
        view.turns[1].replies.len(),
        1,
        "the reply goes to the turn that was sent"
    );
    assert!(view.turns[0].replies.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_5xx_is_retried_and_the_turn_is_sent() {
    // The design: the client retries with backoff on 5xx and timeouts.
    let case = Case::start(FaultConfig {
        error_first_n: 1,
        error_status: Some(503),
        ..FaultConfig::default()
    })
    .await;
    let view = case.send("hello").await;
    assert_eq!(view.turns.len(), 1);
    assert_eq!(
        view.turns[0].state,
        TurnState::Sent,
        "one 503 is retried, not shown as a failure"
    );
    let view = case.replies(1).await;
    assert_eq!(Case::responses(&view), ["1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiring_tokens_are_renewed_and_no_turn_is_lost() {
    let config = SimConfig {
        token_lifetime_secs: 1,
        ..SimConfig::default()
    };
    let case = Case::start_with(config, FaultConfig::default()).await;
    for (i, text) in ["one", "two", "three"].iter().enumerate() {
        let view = case.send(text).await;
        assert_eq!(view.turns[i].state, TurnState::Sent, "{text}");
        case.replies(i + 1).await;
        // Let the 1 s token expire before the next turn.
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    assert_eq!(Case::responses(&case.view()), ["1", "2", "3"]);
    let logins = case.sim_events(|e| matches!(e, SimEvent::Login { ok: true, .. }));
    assert!(logins >= 3, "a fresh token for every turn, got {logins} logins");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_shows_in_the_reply() {
    let case = Case::start(FaultConfig {
        latency_ms: 300,
        ..FaultConfig::default()
    })
    .await;
    case.send("hello").await;
    let view = case.replies(1).await;
    let reply = &view.turns[0].replies[0];
    assert_eq!(reply.response.as_deref(), Some("1"));
    assert!(reply.latency_ms >= 300, "latency {} ms", reply.latency_ms);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_callbacks_are_both_kept() {
    let case = Case::start(FaultConfig {
        duplicate: true,
        ..FaultConfig::default()
    })
    .await;
    case.send("hello").await;
    let view = case.replies(2).await;
    assert_eq!(Case::responses(&view), ["1", "1"]);
    assert_eq!(view.turns[0].replies.len(), 2);
    case.wait_sim(2, |e| {
        matches!(
            e,
            SimEvent::Callback {
                status: Some(200),
                ..
            }
        )
    })
    .await;
    assert_eq!(
        count_rows(case.rig.console.store(), "callbacks").expect("count"),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reordered_callbacks_are_all_kept() {
    let case = Case::start(FaultConfig::default()).await;
    // The simulator holds a burst for its latency, then answers it in
    // reverse. Three sends must land inside that time: it is derived from
    // how long three sends (the first with its login) take here, on a pane
    // without faults.
    let hub = &case.rig.console;
    let warm_up = hub.new_conversation().expect("pane").id;
    let started = std::time::Instant::now();
    for text in ["a", "b", "c"] {
        hub.send_message(warm_up, text, json!({})).await.expect("send");
    }
    let three_sends = started.elapsed();
    let latency = (three_sends * 10).max(Duration::from_millis(500));
    let conversation_id = case.view().conversation_id;
    case.rig.sim.state.set_conversation_faults(
        &conversation_id,
        Some(FaultConfig {
            latency_ms: u64::try_from(latency.as_millis()).expect("small"),
            out_of_order: true,
            ..FaultConfig::default()
        }),
    );
    for text in ["a", "b", "c"] {
        case.send(text).await;
    }
    let view = case.replies(3).await;
    let mut responses = Case::responses(&view);
    assert_eq!(responses.len(), 3, "{responses:?}");
    responses.sort();
    assert_eq!(responses, ["1", "2", "3"]);
    assert!(view.turns.iter().all(|t| t.state == TurnState::Sent));
    assert_eq!(case.inbox(), 0);
    // The burst was reversed: in the order they arrived (reply ids are
    // handed out in arrival order) the answers read 3, 2, 1.
    let mut arrived: Vec<_> = view.turns.iter().flat_map(|t| t.replies.iter()).collect();
    arrived.sort_by_key(|r| r.id);
    let arrived: Vec<_> = arrived.iter().filter_map(|r| r.response.as_deref()).collect();
    assert_eq!(
        arrived,
        ["3", "2", "1"],
        "arrival order (latency {latency:?}; three sends took {three_sends:?})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_callback_goes_to_the_inbox() {
    let case = Case::start(FaultConfig {
        malformed: true,
        ..FaultConfig::default()
    })
    .await;
    case.send("hello").await;
    let inbox = wait_for(DEADLINE, || case.inbox(), |n| *n >= 1).await;
    assert_eq!(inbox, 1);
    case.wait_sim(1, |e| {
        matches!(
            e,
            SimEvent::Callback {
                status: Some(400),
                ..
            }
        )
    })
    .await;
    let view = case.view();
    assert_eq!(view.turns[0].state, TurnState::Sent);
    assert_eq!(reply_count(&view), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_replies_attach_to_the_turn_in_order() {
    let case = Case::start(FaultConfig {
        typing: true,
        ..FaultConfig::default()
    })
    .await;
    case.send("hello").await;
    let view = case.replies(2).await;
    assert_eq!(view.turns[0].replies.len(), 2);
    assert_eq!(
        Case::responses(&view),
        [avatar_simulator::faults::TYPING_TEXT, "1"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_reply_leaves_the_turn_sent_and_unanswered() {
    let case = Case::start(FaultConfig {
        drop_callbacks: true,
        ..FaultConfig::default()
    })
    .await;
    let view = case.send("hello").await;
    assert_eq!(view.turns[0].state, TurnState::Sent);
    case.wait_sim(1, |e| matches!(e, SimEvent::CallbackDropped { .. }))
        .await;
    assert_eq!(case.sim_events(is_callback), 0);
    let view = case.view();
    assert_eq!(reply_count(&view), 0);
    assert_eq!(view.turns[0].state, TurnState::Sent);
    assert_eq!(case.inbox(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_conversation_id_goes_to_the_inbox_as_an_orphan() {
    let case = Case::start(FaultConfig {
        wrong_conversation_id: true,
        ..FaultConfig::default()
    })
    .await;
    case.send("hello").await;
    case.wait_sim(1, |e| {
        matches!(
            e,
            SimEvent::Callback {
                status: Some(202),
                ..
            }
        )
    })
    .await;
    assert_eq!(case.inbox(), 1);
    assert_eq!(reply_count(&case.view()), 0);
}
