//! Scenario avatars over real sockets: the lab runs the scenario file on an
//! engine thread per conversation.

mod common;

use std::path::{Path, PathBuf};

use avatar_simulator::{BotKind, DEFAULT_AVATAR_ID, SimConfig, SimEvent, SimulatorHandle};
use common::*;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/scenarios")
        .join(name)
}

async fn scenario_sim(path: &Path) -> SimulatorHandle {
    let sim = sim(SimConfig::default()).await;
    sim.state
        .set_bot(
            DEFAULT_AVATAR_ID,
            BotKind::Scenario {
                path: path.to_path_buf(),
                intents: None,
            },
        )
        .expect("known avatar");
    sim
}

fn event_index(sim: &SimulatorHandle, pred: impl Fn(&SimEvent) -> bool) -> Option<usize> {
    sim.state.events().iter().position(pred)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guides_scenario_counts_and_the_forgetful_one_does_not() {
    for (file, expected) in [
        ("counting.js", ["1", "2", "3"]),
        ("counting-forgetful.js", ["1", "1", "1"]),
    ] {
        let sim = scenario_sim(&example(file)).await;
        let jwt = login(&sim).await;
        let receiver = Receiver::start().await;
        for n in 1..=3 {
            send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &receiver.uri("cb")).await;
            receiver.wait_for(n).await;
        }
        assert_eq!(receiver.responses(), expected, "{file}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_infinite_loop_in_one_conversation_does_not_stall_another() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("loop.js");
    std::fs::write(
        &path,
        "addState({ name: 's', onUtterance: (e) => { if (e.text === 'loop') { while (true) {} } return Response({ utterance: 'ok ' + e.text }); } });\n",
    )
    .expect("write");
    let sim = scenario_sim(&path).await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "stuck", "loop", &receiver.uri("a")).await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "free", "hi", &receiver.uri("b")).await;
    receiver.wait_for(1).await;
    assert_eq!(receiver.responses(), ["ok hi"]);
    // The stuck conversation's turn ends with a timeout error, after the other one answered.
    let stuck = wait_event(
        &sim,
        |e| matches!(e, SimEvent::ScenarioTurn { conversation_id, .. } if conversation_id == "stuck"),
    )
    .await;
    let SimEvent::ScenarioTurn { errors, replies, .. } = stuck else {
        panic!("not a turn: {stuck:?}")
    };
    assert_eq!(replies, 0);
    assert!(errors[0].contains("stopped after 1000 ms"), "{errors:?}");
    let answered = event_index(
        &sim,
        |e| matches!(e, SimEvent::Callback { conversation_id, .. } if conversation_id == "free"),
    );
    let stopped = event_index(
        &sim,
        |e| matches!(e, SimEvent::ScenarioTurn { conversation_id, .. } if conversation_id == "stuck"),
    );
    assert!(
        answered < stopped,
        "the free conversation answered first: {answered:?} < {stopped:?}"
    );
    // And the stuck conversation answers its next message.
    send_ok(
        &sim,
        &jwt,
        DEFAULT_AVATAR_ID,
        "stuck",
        "again",
        &receiver.uri("a"),
    )
    .await;
    receiver.wait_for(2).await;
    assert_eq!(receiver.responses()[1], "ok again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_file_is_picked_up_by_the_next_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("counting.js");
    let original = std::fs::read_to_string(example("counting.js")).expect("example");
    std::fs::write(&path, &original).expect("write");
    let sim = scenario_sim(&path).await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "a", &receiver.uri("cb")).await;
    receiver.wait_for(1).await;
    // A different length, so the change shows even within the file system's mtime granularity.
    std::fs::write(
        &path,
        original.replace(
            "utterance: `${totalUtterances}`",
            "utterance: `n=${totalUtterances}`",
        ),
    )
    .expect("edit");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "b", &receiver.uri("cb")).await;
    receiver.wait_for(2).await;
    // The new code, woken with the state the old code hibernated.
    assert_eq!(receiver.responses(), ["1", "n=2"]);
    let reloaded = event_index(&sim, |e| {
        matches!(e, SimEvent::ScenarioFile { version: Some(1), .. })
    });
    assert!(reloaded.is_some(), "a ScenarioFile event for version 1");
}
