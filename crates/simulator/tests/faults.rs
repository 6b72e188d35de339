//! Each fault over real sockets, switched on at runtime through the Rust API.

mod common;

use std::time::{Duration, Instant};

use avatar_simulator::{DEFAULT_AVATAR_ID, FaultConfig, SimConfig, SimEvent, SimulatorHandle};
use common::*;

/// A simulator with `faults` for every conversation, a receiver, and a JWT.
async fn setup(faults: FaultConfig) -> (SimulatorHandle, Receiver, String) {
    let sim = sim(SimConfig::default()).await;
    sim.state.set_faults(faults);
    let jwt = login(&sim).await;
    (sim, Receiver::start().await, jwt)
}

/// With latency and jitter, every callback comes at least the latency after
/// its send. How the jitter spreads is checked where timing noise cannot blur
/// it, on the delays themselves (`faults::tests::jitter_spreads_over_its_whole_range`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_and_jitter_delay_the_callback() {
    let (sim, receiver, jwt) = setup(FaultConfig {
        latency_ms: 800,
        jitter_ms: 200,
        ..FaultConfig::default()
    })
    .await;
    // Four conversations, so four delays are drawn (one per burst).
    let started = Instant::now();
    for conversation in ["c1", "c2", "c3", "c4"] {
        send_ok(
            &sim,
            &jwt,
            DEFAULT_AVATAR_ID,
            conversation,
            "hi",
            &receiver.uri(conversation),
        )
        .await;
    }
    let got = receiver.wait_for(4).await;
    for r in &got {
        let after = r.at.duration_since(started);
        assert!(after >= Duration::from_millis(800), "{} after {after:?}", r.path);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_n_sends_fail_with_the_chosen_5xx() {
    let (sim, receiver, jwt) = setup(FaultConfig {
        error_first_n: 2,
        error_status: Some(502),
        ..FaultConfig::default()
    })
    .await;
    let uri = receiver.uri("cb");
    for _ in 0..2 {
        let (status, err) = send(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &uri).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (502, Some("injected_fault"))
        );
    }
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &uri).await;
    // Counted per conversation: another one fails its first two too.
    let (status, _) = send(&sim, &jwt, DEFAULT_AVATAR_ID, "other", "hi", &uri).await;
    assert_eq!(status, 502);
    receiver.wait_for(1).await;
    // The refused sends never reached the bot: the accepted one is its first.
    assert_eq!(receiver.responses(), ["1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_percentage_of_sends_fail() {
    let (sim, receiver, jwt) = setup(FaultConfig {
        error_percent: 100,
        ..FaultConfig::default()
    })
    .await;
    let uri = receiver.uri("cb");
    for _ in 0..3 {
        let (status, _) = send(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &uri).await;
        assert_eq!(status, 503);
    }
    sim.state.set_faults(FaultConfig::default());
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &uri).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_posts_every_callback_twice() {
    let (sim, receiver, jwt) = setup(FaultConfig {
        duplicate: true,
        ..FaultConfig::default()
    })
    .await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &receiver.uri("cb")).await;
    let got = receiver.wait_for(2).await;
    assert_eq!(got[0].raw, got[1].raw);
    wait_until(|| callbacks(&sim).len() == 2).await;
    assert!(
        matches!(&callbacks(&sim)[1], SimEvent::Callback { faults, .. } if faults.contains(&"duplicate".to_owned()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_sends_a_non_final_message_before_the_answer() {
    let (sim, receiver, jwt) = setup(FaultConfig {
        typing: true,
        ..FaultConfig::default()
    })
    .await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &receiver.uri("cb")).await;
    receiver.wait_for(2).await;
    assert_eq!(receiver.responses(), ["typing…", "1"]);
    assert_eq!(receiver.all()[0].json.clone().expect("json")["isFinal"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_order_reverses_the_callbacks_of_a_burst() {
    let (sim, receiver, jwt) = setup(FaultConfig {
        typing: true,
        out_of_order: true,
        ..FaultConfig::default()
    })
    .await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &receiver.uri("cb")).await;
    receiver.wait_for(2).await;
    assert_eq!(receiver.responses(), ["1", "typing…"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_order_reverses_replies_to_several_waiting_utterances() {
    // The avatar "thinks" long enough for three sends to queue up.
    let (sim, receiver, jwt) = setup(FaultConfig {
        latency_ms: 2000,
        out_of_order: true,
        ..FaultConfig::default()
    })
    .await;
    let uri = receiver.uri("cb");
    for text in ["a", "b", "c"] {
        send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", text, &uri).await;
    }
    receiver.wait_for(3).await;
    let responses = receiver.responses();
    // The bot still counted in order; only delivery is reversed. (If the
    // machine was too slow for all three to queue, the first burst is
    // shorter, but the newest reply of the first burst still comes first.)
    assert_eq!(responses.len(), 3);
    assert_ne!(responses, ["1", "2", "3"], "delivered in order: {responses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_are_not_json() {
    let (sim, receiver, jwt) = setup(FaultConfig {
        malformed: true,
        ..FaultConfig::default()
    })
    .await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &receiver.uri("cb")).await;
    let got = receiver.wait_for(1).await;
    assert!(got[0].json.is_none(), "parsed: {}", got[0].raw);
    assert!(got[0].raw.starts_with('{'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_callbacks_never_arrive_but_the_bot_still_counts() {
    let (sim, receiver, jwt) = setup(FaultConfig {
        drop_callbacks: true,
        ..FaultConfig::default()
    })
    .await;
    let uri = receiver.uri("cb");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &uri).await;
    wait_event(&sim, |e| matches!(e, SimEvent::CallbackDropped { .. })).await;
    sim.state.set_faults(FaultConfig::default());
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &uri).await;
    // Callbacks of one conversation go out in order, so a dropped one that
    // leaked would have arrived before this.
    receiver.wait_for(1).await;
    assert_eq!(receiver.responses(), ["2"]);
    assert_eq!(receiver.all().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_conversation_id_carries_another_conversations_id() {
    let (sim, receiver, jwt) = setup(FaultConfig::default()).await;
    let uri = receiver.uri("cb");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "alice", "hi", &uri).await;
    receiver.wait_for(1).await;
    sim.state.set_conversation_faults(
        "bob",
        Some(FaultConfig {
            wrong_conversation_id: true,
            ..FaultConfig::default()
        }),
    );
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "bob", "hi", &uri).await;
    let got = receiver.wait_for(2).await;
    assert_eq!(got[1].json.clone().expect("json")["conversationId"], "alice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_apply_per_conversation_and_per_avatar() {
    let (sim, receiver, jwt) = setup(FaultConfig::default()).await;
    sim.state.set_conversation_faults(
        "dup",
        Some(FaultConfig {
            duplicate: true,
            ..FaultConfig::default()
        }),
    );
    let uri = receiver.uri("cb");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "plain", "hi", &uri).await;
    receiver.wait_for(1).await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "dup", "hi", &uri).await;
    receiver.wait_for(3).await;
    sim.state
        .set_avatar_faults(
            DEFAULT_AVATAR_ID,
            Some(FaultConfig {
                error_percent: 100,
                ..FaultConfig::default()
            }),
        )
        .expect("known avatar");
    let (status, _) = send(&sim, &jwt, DEFAULT_AVATAR_ID, "plain", "hi", &uri).await;
    assert_eq!(status, 503, "the avatar's faults apply");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "dup", "hi", &uri).await;
    let by_conversation = |id: &str| {
        callbacks(&sim)
            .iter()
            .filter(|e| matches!(e, SimEvent::Callback { conversation_id, .. } if conversation_id == id))
            .count()
    };
    wait_until(|| by_conversation("dup") == 4).await;
    assert_eq!(by_conversation("plain"), 1);
}
