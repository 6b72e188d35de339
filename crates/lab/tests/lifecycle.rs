//! The text-channel lifecycle against the guide's counting scenario and the
//! pizza example, in each hibernation mode.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use avatar_lab::{Hibernation, LabOptions, Message, Nlu, Session};
use common::*;
use serde_json::json;

#[test]
fn counting_with_hooks_counts_in_both_modes() {
    for mode in [Hibernation::EveryMessage, Hibernation::Never] {
        let mut s = session(load("counting.js"), mode);
        let turns = say(&mut s, &["hello", "how are you", "third"]);
        assert_eq!(answers(&turns), ["1", "2", "3"], "{mode:?}");
        assert!(
            turns.iter().all(|t| t.errors.is_empty()),
            "{:?}",
            turns.iter().map(|t| &t.errors).collect::<Vec<_>>()
        );
        let hibernated = mode == Hibernation::EveryMessage;
        assert_eq!(turns[2].hibernation.is_some(), hibernated, "{mode:?}");
        assert_eq!(turns[1].woke, hibernated, "{mode:?}");
    }
}

#[test]
fn counting_keeps_what_the_hook_saved_as_a_string() {
    let mut s = session(load("counting.js"), Hibernation::EveryMessage);
    let turns = say(&mut s, &["a", "b"]);
    let hib = turns[1].hibernation.as_ref().expect("hibernated");
    assert_eq!(hib.blob.as_deref(), Some(r#"{"totalUtterances":2}"#));
    assert!(!hib.blob_is_object);
    assert_eq!(hib.blob_bytes, 21);
    assert!(turns[1].globals_diff.is_empty(), "{:?}", turns[1].globals_diff);
    assert_eq!(turns[1].logs, ["utterance 2 in state start"]);
}

#[test]
fn forgetful_counting_answers_one_each_time_when_hibernating() {
    let mut s = session(load("counting-forgetful.js"), Hibernation::EveryMessage);
    let turns = say(&mut s, &["a", "b", "c"]);
    assert_eq!(answers(&turns), ["1", "1", "1"]);
    let lost = &turns[1].globals_diff;
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert_eq!(
        (
            lost[0].name.as_str(),
            lost[0].before.as_str(),
            lost[0].after.as_deref()
        ),
        ("totalUtterances", "1", Some("0"))
    );
    // Live, the same scenario counts.
    let mut live = session(load("counting-forgetful.js"), Hibernation::Never);
    assert_eq!(answers(&say(&mut live, &["a", "b", "c"])), ["1", "2", "3"]);
}

#[test]
fn idle_mode_hibernates_only_after_the_idle_time() {
    let idle = Duration::from_secs(30);
    let opts = LabOptions {
        hibernation: Hibernation::AfterIdle { idle },
        ..LabOptions::default()
    };
    let mut s = Session::new(load("counting-forgetful.js"), Arc::new(Nlu::default()), opts);
    let t0 = Instant::now();
    let m = Message::text("x");
    let a = s.handle_at(&m, t0);
    let b = s.handle_at(&m, t0 + Duration::from_secs(10));
    let c = s.handle_at(&m, t0 + Duration::from_secs(10) + idle);
    assert_eq!(answers(&[a, b.clone(), c.clone()]), ["1", "2", "1"]);
    assert!(b.hibernation.is_none() && !b.woke);
    assert!(c.hibernation.is_some() && c.woke);
    assert_eq!(c.globals_diff[0].name, "totalUtterances");
}

#[test]
fn custom_data_goes_in_and_comes_out() {
    let mut s = session(load("counting.js"), Hibernation::EveryMessage);
    let turn = s.handle(&Message {
        text: "hi".into(),
        custom_data: json!({"orderId": 7}),
        intent: None,
    });
    assert_eq!(
        turn.replies[0].custom_data,
        json!({"received": {"orderId": 7}, "totalUtterances": 1})
    );
}

fn pizza(mode: Hibernation) -> Session {
    let nlu = Nlu::load(&example("pizza.intents.yaml")).expect("intents parse");
    Session::new(
        load("pizza.js"),
        Arc::new(nlu),
        LabOptions {
            hibernation: mode,
            ..LabOptions::default()
        },
    )
}

#[test]
fn pizza_walks_its_states_to_a_final_reply_in_both_modes() {
    for mode in [Hibernation::EveryMessage, Hibernation::Never] {
        let mut s = pizza(mode);
        let first = s.handle(&Message {
            text: "I want a pizza".into(),
            custom_data: json!({"name": "Ana"}),
            intent: None,
        });
        // onEnter of the start state replies first, then onUtterance, then onEnter of `kind`.
        assert_eq!(
            answers(std::slice::from_ref(&first)),
            [
                "Hi! I take pizza orders. What would you like? | Great, let's get you a pizza. | Margherita or pepperoni?"
            ]
        );
        assert_eq!(
            (first.state_before.as_deref(), first.state_after.as_deref()),
            (None, Some("kind"))
        );
        let turns = say(&mut s, &["pepperoni please", "hmm big", "30", "#yes"]);
        assert_eq!(
            answers(&turns),
            [
                "A pepperoni. What size, in cm (25, 30 or 35)?",
                "Please say 25, 30 or 35.",
                "Ana, a 30 cm pepperoni. Shall I place the order?",
                ""
            ],
            "{mode:?}"
        );
        assert_eq!(
            turns[2].replies[0].custom_data,
            json!({"draft": {"kind": "pepperoni", "size": 30}})
        );
        let last = &turns[3].replies[0];
        assert!(last.is_final);
        assert_eq!(
            last.custom_data,
            json!({"order": {"kind": "pepperoni", "size": 30}, "customer": "Ana", "placed": true})
        );
        assert!(
            turns.iter().all(|t| t.errors.is_empty()),
            "{:?}",
            turns.iter().map(|t| &t.errors).collect::<Vec<_>>()
        );
        assert!(
            turns[3].logs.is_empty(),
            "isFinal leaves without beforeExit: {:?}",
            turns[3].logs
        );
        let after = s.handle(&Message::text("another"));
        assert!(
            after.replies.is_empty() && !after.errors.is_empty(),
            "a final conversation takes no more input"
        );
        if mode == Hibernation::EveryMessage {
            assert!(turns[0].hibernation.as_ref().is_some_and(|h| h.blob_is_object));
        }
    }
}

#[test]
fn next_state_runs_before_exit_then_on_enter() {
    let mut s = pizza(Hibernation::EveryMessage);
    say(&mut s, &["#margherita", "25"]);
    let no = s.handle(&Message::text("#no"));
    // The handler reset the order before returning `nextState`; beforeExit runs after it.
    assert_eq!(no.logs, [r#"leaving confirm with {"kind":null,"size":null}"#]);
    assert_eq!(answers(std::slice::from_ref(&no)), ["Margherita or pepperoni?"]);
    assert_eq!(no.state_after.as_deref(), Some("kind"));
}

#[test]
fn per_state_counters_are_kept_by_the_engine() {
    let mut s = pizza(Hibernation::EveryMessage);
    say(&mut s, &["#order", "#margherita"]);
    let turns = say(&mut s, &["big", "bigger", "huge"]);
    // The third phrase in `size` (utteranceCounter 3) starts over.
    assert_eq!(
        answers(&turns)[2],
        "Let us start over. | Margherita or pepperoni?"
    );
}

#[test]
fn assignment_style_hooks_with_an_object_and_async_handlers() {
    let src = r#"
let st = { n: 0, seen: [] };
addState({
  name: 'a',
  onUtterance: async (e) => {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    st.n++;
    st.seen.push(e.text);
    return generateResponse({ utterance: st.n + ':' + st.seen.join(',') });
  },
});
SleepManager.onHibernate = async () => st;
SleepManager.onWakeup = async (saved) => {
  if (typeof saved !== 'object') throw new Error('expected the object back, got ' + typeof saved);
  st = saved;
};
"#;
    let scenario = inline(src);
    let mut s = session(scenario.clone(), Hibernation::EveryMessage);
    let turns = say(&mut s, &["x", "y", "z"]);
    assert_eq!(
        answers(&turns),
        ["1:x", "2:x,y", "3:x,y,z"],
        "{:?}",
        turns.iter().map(|t| &t.errors).collect::<Vec<_>>()
    );
    let hib = turns[2].hibernation.as_ref().expect("hibernated");
    assert!(hib.blob_is_object);
    assert_eq!(hib.blob.as_deref(), Some(r#"{"n":3,"seen":["x","y","z"]}"#));
    let report = avatar_lab::check(
        scenario,
        Arc::new(Nlu::default()),
        &messages(&["x", "y", "z"]),
        &LabOptions::default(),
    );
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn start_on_enter_can_be_turned_off() {
    let opts = LabOptions {
        enter_start_on_first_message: false,
        ..LabOptions::default()
    };
    let nlu = Nlu::load(&example("pizza.intents.yaml")).expect("intents parse");
    let mut s = Session::new(load("pizza.js"), Arc::new(nlu), opts);
    let first = s.handle(&Message::text("#order"));
    assert_eq!(
        answers(&[first]),
        ["Great, let's get you a pizza. | Margherita or pepperoni?"]
    );
}

#[test]
fn a_reloaded_file_runs_from_the_next_message() {
    let mut s = session(load("counting.js"), Hibernation::Never);
    say(&mut s, &["a"]);
    let edited = load("counting.js").source.replace(
        "utterance: `${totalUtterances}`",
        "utterance: `#${totalUtterances}`",
    );
    s.reload(Arc::new(avatar_lab::Scenario::new("counting.js", edited)));
    let turns = say(&mut s, &["b"]);
    assert_eq!(
        answers(&turns),
        ["#2"],
        "the live session is re-evaluated and woken with its state"
    );
    assert_eq!(turns[0].scenario_version, 1);
}

#[test]
fn a_prepared_runtime_answers_like_a_fresh_one() {
    let mut s = session(load("counting.js"), Hibernation::EveryMessage);
    let mut turns = Vec::new();
    for text in ["a", "b", "c"] {
        s.prepare();
        turns.push(s.handle(&Message::text(text)));
    }
    assert_eq!(answers(&turns), ["1", "2", "3"]);
    assert!(turns.iter().all(|t| t.woke && t.errors.is_empty()));
}
