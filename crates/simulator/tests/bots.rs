//! The bots over real sockets: counting (with hibernation, the forgetting
//! bug and `bye`), echo and scripted, switched at runtime.

mod common;

use std::path::Path;

use avatar_simulator::{BotKind, DEFAULT_AVATAR_ID, SimConfig, SimEvent};
use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counting_bot_counts_per_conversation() {
    let sim = sim(SimConfig::default()).await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    let uri = receiver.uri("cb");
    for (n, conversation) in ["a", "a", "a", "b"].iter().enumerate() {
        send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, conversation, "hi", &uri).await;
        receiver.wait_for(n + 1).await;
    }
    assert_eq!(receiver.responses(), ["1", "2", "3", "1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetting_state_reproduces_the_always_one_bug() {
    let sim = sim(SimConfig::default()).await;
    sim.state
        .set_bot(DEFAULT_AVATAR_ID, BotKind::Counting { forgets_state: true })
        .expect("known avatar");
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    for n in 1..=3 {
        send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &receiver.uri("cb")).await;
        receiver.wait_for(n).await;
    }
    assert_eq!(receiver.responses(), ["1", "1", "1"]);
    // Switching the bug off again: the scenario still hibernated its state.
    sim.state
        .set_bot(DEFAULT_AVATAR_ID, BotKind::counting())
        .expect("known avatar");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &receiver.uri("cb")).await;
    receiver.wait_for(4).await;
    assert_eq!(receiver.responses()[3], "2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bye_ends_the_conversation_and_later_utterances_are_refused() {
    let sim = sim(SimConfig::default()).await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    let uri = receiver.uri("cb");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &uri).await;
    receiver.wait_for(1).await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "bye", &uri).await;
    let got = receiver.wait_for(2).await;
    let last = got[1].json.clone().expect("json");
    assert_eq!(last["isFinal"], true);
    assert_eq!(last["customData"]["totalUtterances"], 2);
    wait_until(|| sim.state.conversation_ended(DEFAULT_AVATAR_ID, "c")).await;
    let (status, err) = send(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hello?", &uri).await;
    assert_eq!(status, 409);
    assert_eq!(err["error"]["code"], "conversation_ended");
    assert!(sim.state.events().iter().any(|e| matches!(
        e,
        SimEvent::Utterance { status: 409, error_code: Some(code), .. } if code == "conversation_ended"
    )));
    // A new conversation id starts a fresh count.
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c2", "hi", &uri).await;
    receiver.wait_for(3).await;
    assert_eq!(receiver.responses()[2], "1");
    assert_eq!(receiver.all().len(), 3, "nothing answered the refused utterance");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utterances_queued_behind_bye_are_ignored_and_recorded() {
    let sim = sim(SimConfig::default()).await;
    // Hold the avatar's answer so the second utterance is accepted before
    // the bye has been processed.
    sim.state.set_faults(avatar_simulator::FaultConfig {
        latency_ms: 1000,
        ..Default::default()
    });
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    let uri = receiver.uri("cb");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "bye", &uri).await;
    let (status, _) = send(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "wait", &uri).await;
    if status == 200 {
        let ignored = wait_event(&sim, |e| matches!(e, SimEvent::UtteranceIgnored { .. })).await;
        assert!(matches!(ignored, SimEvent::UtteranceIgnored { utterance, .. } if utterance == "wait"));
    } else {
        // Only on a machine so slow that a second passed between two sends.
        assert_eq!(status, 409);
    }
    receiver.wait_for(1).await;
    assert_eq!(receiver.responses(), ["Goodbye!"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echo_bot_answers_with_the_utterance_and_changed_custom_data() {
    let (sim, echo) = sim_with_echo().await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    let body = json!({"utterance": "Hello there", "callbackUri": receiver.uri("cb"),
                      "customData": {"turn": 1, "_private": true, "lang": "en"}});
    let (status, _) = send_raw(&sim, Some(&jwt), echo, "c", body.to_string()).await;
    assert_eq!(status, 200);
    let got = receiver.wait_for(1).await;
    let reply = got[0].json.clone().expect("json");
    assert_eq!(reply["response"], "Hello there");
    assert_eq!(
        reply["customData"],
        json!({"turn": 2, "lang": "en", "echoed": true, "utteranceLength": 11})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripted_bot_from_the_example_file_answers_by_rule() {
    let sim = sim(SimConfig::default()).await;
    let path = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"))
        .join("examples/scripted-bot.yaml");
    let bot = avatar_simulator::bots::scripted::load(&path).expect("example loads");
    sim.state.set_bot(DEFAULT_AVATAR_ID, bot).expect("known avatar");
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    let uri = receiver.uri("cb");
    let script = [
        ("hello", "Hello! I am the scripted bot. What is your name?"),
        ("my name is Ada", "Nice to meet you, Ada."),
        (
            "what?",
            "Sorry, I did not understand. Try: hello, my name is …, order 42, bye.",
        ),
        ("bye", "Goodbye!"),
    ];
    for (n, (utterance, _)) in script.iter().enumerate() {
        send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", utterance, &uri).await;
        receiver.wait_for(n + 1).await;
    }
    let expected: Vec<&str> = script.iter().map(|(_, r)| *r).collect();
    assert_eq!(receiver.responses(), expected);
    let got = receiver.all();
    let named = got[1].json.clone().expect("json");
    assert_eq!(named["customData"]["customerName"], "Ada");
    assert_eq!(got[3].json.clone().expect("json")["isFinal"], true);
}
