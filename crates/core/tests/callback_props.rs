//! Property tests: whatever bytes arrive, the parser does not panic and the
//! server answers 4xx or stores the callback — never 5xx, never silence.

use std::sync::Arc;

use avatar_console_core::callback::{parse_callback, router};
use avatar_console_core::client::{AvatarClient, ClientConfig, Credentials, Secret};
use avatar_console_core::hub::Hub;
use avatar_console_core::model::CallbackDialect;
use avatar_console_core::store::Store;
use axum::body::Body;
use axum::http::Request;
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use tower::ServiceExt;
use uuid::Uuid;

const SECRET: &str = "s3cret";

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String("known".into())),
        Just(Value::String("{\"a\":1}".into())),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Objects built from the callback's field names (both dialects) with
/// values of any type: reaches every validation branch.
fn callback_like() -> impl Strategy<Value = Vec<u8>> {
    let keys = prop::sample::select(vec![
        "conversationId",
        "conversation_id",
        "isFinal",
        "is_final",
        "response",
        "customData",
        "custom_data",
        "extra",
    ]);
    prop::collection::vec((keys, json_value()), 0..6).prop_map(|fields| {
        let map: Map<String, Value> = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        Value::Object(map).to_string().into_bytes()
    })
}

/// Well-typed callbacks in either dialect, for a known or unknown
/// conversation, sometimes with one field's value replaced by anything.
fn near_valid() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::sample::select(vec!["known", "stranger"]),
        proptest::option::of(any::<bool>()),
        proptest::option::of(".{0,12}"),
        json_value(),
        proptest::option::of((prop::sample::select(vec!["isFinal", "is_final", "response", "extra"]), json_value())),
    )
        .prop_map(|(snake, conversation, is_final, response, data, noise)| {
            let mut body = if snake {
                json!({"conversation_id": conversation, "is_final": is_final, "response": response, "custom_data": data})
            } else {
                json!({"conversationId": conversation, "isFinal": is_final, "response": response, "customData": data})
            };
            if let (Some((key, value)), Some(map)) = (noise, body.as_object_mut()) {
                map.insert(key.to_owned(), value);
            }
            body.to_string().into_bytes()
        })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..256),
        1 => json_value().prop_map(|v| v.to_string().into_bytes()),
        1 => callback_like(),
        2 => near_valid(),
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(format!("/cb/{SECRET}")),
        1 => Just(format!("/cb/{SECRET}?turn=1")),
        1 => Just("/cb/wrong".to_owned()),
        1 => Just("/elsewhere".to_owned()),
    ]
}

proptest! {
    #[test]
    fn the_parser_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_callback(&bytes);
    }

    #[test]
    fn the_parser_reads_back_what_either_dialect_wrote(
        snake in any::<bool>(),
        conversation in "[a-z0-9-]{1,20}",
        is_final in any::<bool>(),
        response in proptest::option::of(".{0,20}"),
        data in prop::collection::btree_map("[a-z]{1,5}", any::<i32>(), 0..4),
        as_string in any::<bool>(),
    ) {
        let data = json!(data);
        let encoded = if as_string { Value::String(data.to_string()) } else { data.clone() };
        let body = if snake {
            json!({"conversation_id": conversation, "is_final": is_final, "response": response, "custom_data": encoded})
        } else {
            json!({"conversationId": conversation, "isFinal": is_final, "response": response, "customData": encoded})
        };
        let parsed = parse_callback(body.to_string().as_bytes()).expect("valid callback");
        prop_assert_eq!(parsed.dialect, if snake { CallbackDialect::SnakeCase } else { CallbackDialect::CamelCase });
        prop_assert_eq!(parsed.conversation_id, conversation);
        prop_assert_eq!(parsed.is_final, is_final);
        prop_assert_eq!(parsed.response, response);
        prop_assert_eq!(parsed.custom_data, data);
    }
}

struct Harness {
    _dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
    hub: Arc<Hub>,
}

fn harness() -> Harness {
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let store = Store::open(&dir.path().join("console.db")).expect("store");
    // Never called: these tests only receive.
    let client = AvatarClient::new(ClientConfig::new(
        "http://127.0.0.1:9/",
        "1",
        Credentials::ApiKey(Secret::new("k")),
    ))
    .expect("client");
    let hub = Arc::new(
        Hub::new(
            store,
            client,
            "p".into(),
            vec![avatar_console_core::model::AvatarOption {
                id: Uuid::nil(),
                label: "p".into(),
            }],
            "http://x/cb".into(),
        )
        .expect("hub"),
    );
    hub.create_conversation().expect("conversation");
    Harness {
        _dir: dir,
        runtime,
        hub,
    }
}

#[test]
fn any_request_gets_a_4xx_or_is_stored() {
    let h = harness();
    // Make "known" a real conversation id so that valid callbacks get paired.
    let known = h.hub.conversations().expect("list")[0].conversation_id.clone();
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        // Integration tests have no source file to persist failures next to.
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    });
    runner
        .run(&(path(), body()), |(path, body)| {
            let body = String::from_utf8(body.clone())
                .map(|text| text.replace("\"known\"", &format!("\"{known}\"")).into_bytes())
                .unwrap_or(body);
            let store = h.hub.store();
            let (callbacks, inbox) = (
                store.callback_count().expect("count"),
                store.inbox_count().expect("count"),
            );
            let request = Request::post(path.as_str())
                .body(Body::from(body))
                .expect("request");
            let status = h
                .runtime
                .block_on(router(h.hub.clone(), SECRET).oneshot(request))
                .expect("infallible")
                .status();
            let (callbacks_after, inbox_after) = (
                store.callback_count().expect("count"),
                store.inbox_count().expect("count"),
            );
            match status.as_u16() {
                200 => prop_assert_eq!((callbacks_after, inbox_after), (callbacks + 1, inbox)),
                // An orphan: valid, but for no conversation: kept in the inbox.
                202 => prop_assert_eq!((callbacks_after, inbox_after), (callbacks, inbox + 1)),
                400..=499 => prop_assert_eq!((callbacks_after, inbox_after), (callbacks, inbox + 1)),
                other => prop_assert!(false, "status {other} for {path}"),
            }
            Ok(())
        })
        .expect("property holds");
    // The generators reached both outcomes, not only rejections.
    let store = h.hub.store();
    assert!(
        store.callback_count().expect("count") > 0,
        "no case produced a stored callback"
    );
    assert!(store.inbox_count().expect("count") > 0, "no case was rejected");
}
