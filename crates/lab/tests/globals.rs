//! The AvatarEngine globals the lab provides besides states and responses.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use avatar_lab::{Hibernation, HttpFixture, LabOptions, Message, Nlu, Session};
use common::*;

fn reply_of(src: &str, opts: LabOptions, text: &str) -> String {
    let mut s = Session::new(inline(src), Arc::new(Nlu::default()), opts);
    let turn = s.handle(&Message::text(text));
    assert!(turn.errors.is_empty(), "{:?}", turn.errors);
    turn.replies
        .iter()
        .map(|r| r.response.clone())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn utilities_enums_and_namespaces_load_on_first_use() {
    let src = r#"
addState({ name: 's', onUtterance: (e) => Response({ utterance: [
  base64_encode('héllo'), base64_decode(base64_encode('héllo')), bytes2hex(str2bytes('A€')),
  bytes2str(hex2bytes('41e282ac')), levenshtein_distance('kitten', 'sitting'),
  /^[0-9a-f]{8}-[0-9a-f]{4}-4/.test(uuidgen()), String(VoiceList.Google.en_US_Neural2_C),
  AvatarEntityTimeGrain.DAY, typeof getLocalTime().getTime(),
].join(',') }) });
"#;
    assert_eq!(
        reply_of(src, LabOptions::default(), "x"),
        "aMOpbGxv,héllo,41e282ac,A€,3,true,VoiceList.Google.en_US_Neural2_C,DAY,number"
    );
}

#[test]
fn http_requests_are_answered_from_fixtures_or_refused() {
    let src = r#"
addState({ name: 's', onUtterance: async (e) => {
  const r = await httpRequest('https://api.example/menu');
  let refused = '';
  try { await Net.httpRequestAsync('https://elsewhere.example/'); } catch (err) { refused = err.message; }
  return Response({ utterance: r.code + ' ' + r.text + ' / ' + refused });
} });
"#;
    let mut fixtures = BTreeMap::new();
    fixtures.insert(
        "https://api.example/menu".to_string(),
        HttpFixture {
            code: 200,
            text: "margherita".into(),
            headers: BTreeMap::new(),
        },
    );
    let opts = LabOptions {
        http_fixtures: fixtures,
        ..LabOptions::default()
    };
    assert_eq!(
        reply_of(src, opts, "x"),
        "200 margherita / httpRequest(https://elsewhere.example/): the lab makes no network requests and has no fixture for this URL"
    );
}

#[test]
fn form_states_prompt_for_missing_parameters() {
    let src = r#"
addFormState({
  name: 'booking',
  parameters: [{ name: 'guests', type: 'number', prompt: 'How many guests?' }, { name: 'name', prompt: 'Your name?' }],
  onUtterance: () => {
    const f = getFormState('booking');
    return Response({ utterance: 'Booked ' + f.getParameter('guests') + ' for ' + f.getParameter('name') + ' ' + f.isFormComplete() });
  },
});
SleepManager.onHibernate(() => '');
"#;
    let mut s = session(inline(src), Hibernation::Never);
    let turns = say(&mut s, &["4 of us", "Ada"]);
    assert_eq!(answers(&turns), ["Your name?", "Booked 4 for Ada true"]);
}

#[test]
fn logger_lines_include_top_level_ones() {
    let src = "Logger.write('loaded', {v: 1});\naddState({ name: 's', onUtterance: () => { console.log('turn', 2); return Response({ utterance: 'ok' }); } });\n";
    let mut s = session(inline(src), Hibernation::EveryMessage);
    let turn = s.handle(&Message::text("x"));
    assert_eq!(turn.logs, [r#"loaded {"v":1}"#, "turn 2"]);
}
