//! Limits and failures: every one gives an error with its place in the
//! scenario, and the conversation answers the next message.

mod common;

use std::time::{Duration, Instant};

use avatar_lab::{ErrorKind, Hibernation, LabOptions, Message, Scenario, evaluate};
use common::*;

const FRAGILE: &str = r#"let n = 0;
addState({
  name: 'start',
  onUtterance: async (e) => {
    n++;
    if (e.text === 'loop') { while (true) {} }
    if (e.text === 'bomb') { const a = []; while (true) a.push(new Array(100000).fill(n)); }
    if (e.text === 'throw') { null.field; }
    if (e.text === 'reject') { await Promise.reject(new Error('backend said no')); }
    if (e.text === 'deep') { const f = (k) => f(k + 1) + 1; f(0); }
    if (e.text === 'bad state') return Response({ nextState: 'nowhere' });
    return Response({ utterance: 'ok ' + e.text });
  },
});
"#;

fn both_modes() -> [Hibernation; 2] {
    [Hibernation::EveryMessage, Hibernation::Never]
}

#[test]
fn an_infinite_loop_is_stopped_at_the_callback_limit_and_the_next_message_answers() {
    for mode in both_modes() {
        let mut s = session(inline(FRAGILE), mode);
        let began = Instant::now();
        let turn = s.handle(&Message::text("loop"));
        let took = began.elapsed();
        let err = turn.errors.first().expect("an error");
        assert_eq!(err.kind, ErrorKind::Timeout, "{err}");
        assert_eq!(err.callback, "onUtterance('start')");
        let limit = LabOptions::default().callback_timeout;
        // Stopped no earlier than the limit and well before a second one would pass.
        assert!(took >= limit && took < limit * 2, "took {took:?}");
        assert_eq!(answers(&say(&mut s, &["after"])), ["ok after"], "{mode:?}");
    }
}

#[test]
fn a_memory_bomb_is_stopped() {
    for mode in both_modes() {
        let mut s = session(inline(FRAGILE), mode);
        let turn = s.handle(&Message::text("bomb"));
        let err = turn.errors.first().expect("an error");
        assert_eq!(err.kind, ErrorKind::OutOfMemory, "{err}");
        assert_eq!(answers(&say(&mut s, &["after"])), ["ok after"], "{mode:?}");
    }
}

#[test]
fn a_throw_names_file_line_and_column() {
    let sync = "addState({\n  name: 'start',\n  onUtterance: (e) => {\n    if (e.text === 'throw') null.field;\n    return Response({ utterance: 'ok ' + e.text });\n  },\n});\n";
    let mut s = session(inline(sync), Hibernation::EveryMessage);
    let turn = s.handle(&Message::text("throw"));
    let err = &turn.errors[0];
    assert_eq!(err.kind, ErrorKind::Exception);
    assert_eq!(
        err.location.as_ref().map(ToString::to_string).as_deref(),
        Some("test.js:4:29"),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("test.js:4:29: TypeError: cannot read property 'field' of null"),
        "{err}"
    );
    assert_eq!(answers(&say(&mut s, &["after"])), ["ok after"]);
    // In an async handler the same throw is a rejection, still with its place.
    let mut s = session(inline(FRAGILE), Hibernation::EveryMessage);
    let err = s.handle(&Message::text("throw")).errors.remove(0);
    assert_eq!(
        (err.kind, err.location.map(|l| l.line)),
        (ErrorKind::Rejected, Some(8))
    );
}

#[test]
fn a_rejected_promise_names_where_it_was_made() {
    let mut s = session(inline(FRAGILE), Hibernation::EveryMessage);
    let turn = s.handle(&Message::text("reject"));
    let err = &turn.errors[0];
    assert_eq!(err.kind, ErrorKind::Rejected);
    assert_eq!(err.location.as_ref().map(|l| l.line), Some(9), "{err}");
    assert!(err.message.contains("backend said no"), "{err}");
}

#[test]
fn runaway_recursion_hits_the_stack_limit() {
    let mut s = session(inline(FRAGILE), Hibernation::EveryMessage);
    let turn = s.handle(&Message::text("deep"));
    let err = &turn.errors[0];
    assert!(err.message.contains("stack"), "{err}");
    assert_eq!(err.location.as_ref().map(|l| l.line), Some(10), "{err}");
    assert_eq!(answers(&say(&mut s, &["after"])), ["ok after"]);
}

#[test]
fn an_unknown_next_state_is_an_error_not_a_crash() {
    let mut s = session(inline(FRAGILE), Hibernation::EveryMessage);
    let turn = s.handle(&Message::text("bad state"));
    assert_eq!(turn.errors[0].kind, ErrorKind::Api);
    assert!(turn.errors[0].message.contains("'nowhere'"), "{}", turn.errors[0]);
    assert_eq!(turn.state_after.as_deref(), Some("start"));
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let scenario = Scenario::new("broken.js", "let a = 1;\nlet b = ;\n");
    let err = evaluate(&scenario, &LabOptions::default()).expect_err("does not evaluate");
    assert_eq!(err.kind, ErrorKind::Syntax);
    assert_eq!(
        err.location.as_ref().map(ToString::to_string).as_deref(),
        Some("broken.js:2:9")
    );
    // In a conversation the error is shown on the turn and the next message tries again.
    let mut s = session(std::sync::Arc::new(scenario), Hibernation::EveryMessage);
    let turns = say(&mut s, &["a", "b"]);
    assert!(
        turns
            .iter()
            .all(|t| t.errors.first().is_some_and(|e| e.kind == ErrorKind::Syntax))
    );
}

#[test]
fn a_slow_top_level_is_stopped_too() {
    let opts = LabOptions {
        callback_timeout: Duration::from_millis(200),
        ..LabOptions::default()
    };
    let scenario = Scenario::new("slow.js", "let x = 0;\nwhile (true) { x++; }\n");
    let err = evaluate(&scenario, &opts).expect_err("stopped");
    assert_eq!(
        (err.kind, err.callback.as_str()),
        (ErrorKind::Timeout, "evaluate")
    );
}
