//! The REST surface over real sockets: Logon, login, send, stop, and where
//! callbacks go.

mod common;

use std::time::{Duration, Instant};

use avatar_simulator::{
    CallbackDialect, DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, DEFAULT_AVATAR_ID, FaultConfig, SimConfig,
    SimEvent, SubUser,
};
use common::*;
use serde_json::{Value, json};
use uuid::Uuid;

async fn get_json(url: String) -> (u16, Value) {
    let r = http().get(url).send().await.expect("get");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logon_accepts_both_spellings_and_points_back_at_the_simulator() {
    let sim = sim(SimConfig::default()).await;
    for (a, k) in [("accountId", "apiKey"), ("account_id", "api_key")] {
        let url = format!(
            "{}?{a}={DEFAULT_ACCOUNT_ID}&{k}={DEFAULT_API_KEY}",
            sim.logon_url()
        );
        let (status, body) = get_json(url).await;
        assert_eq!(status, 200);
        assert!(body["result"].as_str().is_some_and(|r| !r.is_empty()), "{body}");
        assert_eq!(body["nlu_addresses"], json!([sim.base_url()]));
    }
    // Logon's `result` works as the API key of chats/login.
    let (_, body) = get_json(format!(
        "{}?accountId={DEFAULT_ACCOUNT_ID}&apiKey={DEFAULT_API_KEY}",
        sim.logon_url()
    ))
    .await;
    let r = http()
        .post(format!("{}/api/v1/chats/login", sim.base_url()))
        .json(&json!({"accountId": DEFAULT_ACCOUNT_ID, "apiKey": body["result"]}))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logon_with_wrong_credentials_is_a_platform_error_or_a_401_when_switched() {
    let sim = sim(SimConfig::default()).await;
    let url = format!(
        "{}?account_id={DEFAULT_ACCOUNT_ID}&api_key=wrong",
        sim.logon_url()
    );
    let (status, body) = get_json(url.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(body["error"]["code"], 100);
    assert!(body["error"]["msg"].is_string());
    assert!(body.get("result").is_none());
    sim.state.update_config(|c| c.logon_error_as_401 = true);
    let (status, body) = get_json(url).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], 100);
    let statuses: Vec<(bool, u16)> = sim
        .state
        .events()
        .into_iter()
        .filter_map(|e| match e {
            SimEvent::Logon { ok, status, .. } => Some((ok, status)),
            _ => None,
        })
        .collect();
    assert_eq!(statuses, [(false, 200), (false, 401)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_issues_a_signed_jwt_with_the_configured_lifetime() {
    let config = SimConfig {
        token_lifetime_secs: 7200,
        ..SimConfig::default()
    };
    let sim = sim(config).await;
    let jwt = login(&sim).await;
    let claims = sim.state.tokens.verify(&jwt).expect("valid jwt");
    assert_eq!(claims.exp - claims.iat, 7200);
    assert_eq!(claims.sub, DEFAULT_ACCOUNT_ID);
    // A token with a tampered signature is not one of ours.
    let tampered = format!("{}x", jwt);
    assert!(sim.state.tokens.verify(&tampered).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_accepts_sub_users_and_refuses_wrong_credentials() {
    let mut config = SimConfig::default();
    config.subusers.push(SubUser {
        account_id: DEFAULT_ACCOUNT_ID.into(),
        login: "tester".into(),
        password: "s3cret".into(),
    });
    let sim = sim(config).await;
    let url = format!("{}/api/v1/chats/login", sim.base_url());
    let good =
        json!({"accountId": DEFAULT_ACCOUNT_ID, "subuserLogin": "tester", "subuserPassword": "s3cret"});
    let r = http().post(&url).json(&good).send().await.expect("login");
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.expect("json");
    assert!(
        sim.state
            .tokens
            .verify(body["jwt"].as_str().expect("jwt"))
            .is_ok()
    );
    for bad in [
        json!({"accountId": DEFAULT_ACCOUNT_ID, "subuserLogin": "tester", "subuserPassword": "nope"}),
        json!({"accountId": DEFAULT_ACCOUNT_ID, "apiKey": "nope"}),
        json!({"accountId": DEFAULT_ACCOUNT_ID}),
        json!({"apiKey": DEFAULT_API_KEY}),
    ] {
        let r = http().post(&url).json(&bad).send().await.expect("login");
        assert_eq!(r.status(), 401, "{bad}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["error"]["code"], "bad_credentials");
    }
    let (ok, subuser) = sim
        .state
        .events()
        .into_iter()
        .find_map(|e| match e {
            SimEvent::Login { ok, subuser, .. } => Some((ok, subuser)),
            _ => None,
        })
        .expect("login event");
    assert!(ok);
    assert_eq!(subuser.as_deref(), Some("tester"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_refuses_missing_and_invalid_tokens() {
    let sim = sim(SimConfig::default()).await;
    let body = json!({"utterance": "hi", "callbackUri": "http://127.0.0.1:9/cb"}).to_string();
    let (status, err) = send_raw(&sim, None, DEFAULT_AVATAR_ID, "c", body.clone()).await;
    assert_eq!((status, err["error"]["code"].as_str()), (401, Some("no_token")));
    let (status, err) = send_raw(&sim, Some("not.a.jwt"), DEFAULT_AVATAR_ID, "c", body).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (401, Some("token_invalid"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_gets_401_token_expired() {
    let sim = sim(SimConfig::default()).await;
    sim.state.set_token_lifetime(Duration::from_secs(1));
    let jwt = login(&sim).await;
    let claims = sim.state.tokens.verify(&jwt).expect("fresh");
    assert_eq!(claims.exp - claims.iat, 1);
    let receiver = Receiver::start().await;
    let uri = receiver.uri("cb");
    // Keep sending until the token has expired (a second or two).
    let deadline = Instant::now() + PATIENCE;
    let err = loop {
        let (status, body) = send(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &uri).await;
        if status == 401 {
            break body;
        }
        assert_eq!(status, 200);
        assert!(Instant::now() < deadline, "token never expired");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(err["error"]["code"], "token_expired");
    // A new login (with the lifetime back to an hour) works again.
    sim.state.set_token_lifetime(Duration::from_secs(3600));
    let jwt = login(&sim).await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "again", &uri).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_validates_avatar_and_body_with_json_errors() {
    let sim = sim(SimConfig::default()).await;
    let jwt = login(&sim).await;
    let ok_body = json!({"utterance": "hi", "callbackUri": "http://127.0.0.1:9/cb"}).to_string();
    let (status, err) = send_raw(&sim, Some(&jwt), Uuid::new_v4(), "c", ok_body.clone()).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (404, Some("avatar_not_found"))
    );
    let (status, err) = send_raw(&sim, Some(&jwt), DEFAULT_AVATAR_ID, "c", "{not json".into()).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (400, Some("invalid_json"))
    );
    for body in [
        json!({"callbackUri": "http://127.0.0.1:9/cb"}),
        json!({"utterance": "hi"}),
        json!({"utterance": 5, "callbackUri": "http://127.0.0.1:9/cb"}),
    ] {
        let (status, err) = send_raw(&sim, Some(&jwt), DEFAULT_AVATAR_ID, "c", body.to_string()).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (400, Some("missing_field")),
            "{body}"
        );
        assert!(err["error"]["message"].is_string());
    }
    // Every refused request is in the log with its status and code.
    let codes: Vec<(u16, Option<String>)> = sim
        .state
        .events()
        .into_iter()
        .filter_map(|e| match e {
            SimEvent::Utterance {
                status, error_code, ..
            } => Some((status, error_code)),
            _ => None,
        })
        .collect();
    assert_eq!(codes.len(), 5);
    assert_eq!(codes[0], (404, Some("avatar_not_found".into())));
    assert_eq!(codes[1], (400, Some("invalid_json".into())));
    assert!(callbacks(&sim).is_empty(), "nothing refused is answered");
}

/// How long one accepted send takes on this machine now (a conversation of
/// its own, answered to a path of its own), for holds derived from it.
async fn send_time(sim: &avatar_simulator::SimulatorHandle, jwt: &str, receiver: &Receiver) -> Duration {
    let started = Instant::now();
    send_ok(
        sim,
        jwt,
        DEFAULT_AVATAR_ID,
        "warm-up",
        "hi",
        &receiver.uri("warm-up"),
    )
    .await;
    let took = started.elapsed();
    // Its reply is out of the way before the test's own sends.
    receiver.wait_for(1).await;
    receiver.clear();
    took
}

/// Ten sends' time, at least `floor`; at most 10 s, so the wait for the
/// reply (`common::PATIENCE`) still covers it.
fn hold(send: Duration, floor: Duration) -> Duration {
    (send * 10).clamp(floor, Duration::from_secs(10))
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepted_send_answers_fast_and_the_reply_follows_as_a_callback() {
    let sim = sim(SimConfig::default()).await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    // The reply is held back for long enough that a synchronous reply
    // would make the send itself slow: 10 times what a send takes here now
    // (a loaded machine gets a longer hold, not a race), 1.5 to 10 s.
    let latency = hold(
        send_time(&sim, &jwt, &receiver).await,
        Duration::from_millis(1500),
    );
    sim.state.set_faults(FaultConfig {
        latency_ms: millis(latency),
        ..FaultConfig::default()
    });
    let started = Instant::now();
    let (status, body) = send(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &receiver.uri("cb")).await;
    assert_eq!((status, body), (200, json!({"result": "accepted"})));
    assert!(
        receiver.all().is_empty(),
        "the reply must not arrive before the send is answered"
    );
    let got = receiver.wait_for(1).await;
    assert!(got[0].at.duration_since(started) >= latency);
    assert_eq!(
        got[0].json,
        Some(json!({"isFinal": false, "response": "1", "conversationId": "c",
                    "customData": {"received": {}, "totalUtterances": 1}}))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_go_to_the_callback_uri_of_the_latest_utterance() {
    let sim = sim(SimConfig::default()).await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    // Both sends must reach the simulator before the first reply is due:
    // the hold is 10 times what a send takes here now, 2 to 10 s.
    let latency = hold(
        send_time(&sim, &jwt, &receiver).await,
        Duration::from_millis(2000),
    );
    sim.state.set_conversation_faults(
        "c",
        Some(FaultConfig {
            latency_ms: millis(latency),
            ..FaultConfig::default()
        }),
    );
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "one", &receiver.uri("a")).await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "two", &receiver.uri("b")).await;
    let got = receiver.wait_for(2).await;
    assert_eq!(
        got.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
        ["b", "b"]
    );
    assert_eq!(receiver.responses(), ["1", "2"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_data_is_accepted_as_an_object_or_a_json_string() {
    let (sim, echo) = sim_with_echo().await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    let uri = receiver.uri("cb");
    let as_object = json!({"utterance": "a", "callbackUri": uri, "customData": {"n": 1}});
    let as_string = json!({"utterance": "b", "callbackUri": uri, "customData": "{\"n\":1}"});
    for body in [as_object, as_string] {
        let (status, _) = send_raw(&sim, Some(&jwt), echo, "c", body.to_string()).await;
        assert_eq!(status, 200);
    }
    let got = receiver.wait_for(2).await;
    for r in got {
        let data = &r.json.expect("json")["customData"];
        assert_eq!(data["n"], 2, "{data}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_ends_the_conversation_and_later_utterances_get_409() {
    let sim = sim(SimConfig::default()).await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    let uri = receiver.uri("cb");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "hi", &uri).await;
    receiver.wait_for(1).await;
    let stop_url = format!("{}/api/v1/chats/{DEFAULT_AVATAR_ID}/c/stop", sim.base_url());
    let r = http()
        .post(&stop_url)
        .json(&json!({}))
        .send()
        .await
        .expect("stop");
    assert_eq!(r.status(), 401, "stop needs the Bearer JWT");
    let r = http()
        .post(&stop_url)
        .bearer_auth(&jwt)
        .json(&json!({}))
        .send()
        .await
        .expect("stop");
    assert_eq!(r.status(), 200);
    assert!(sim.state.conversation_ended(DEFAULT_AVATAR_ID, "c"));
    let (status, err) = send(&sim, &jwt, DEFAULT_AVATAR_ID, "c", "still there?", &uri).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (409, Some("conversation_ended"))
    );
    // Another conversation id starts afresh.
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "d", "hi", &uri).await;
    receiver.wait_for(2).await;
    assert_eq!(receiver.responses(), ["1", "1"]);
    let stops: Vec<u16> = sim
        .state
        .events()
        .into_iter()
        .filter_map(|e| match e {
            SimEvent::Stop { status, .. } => Some(status),
            _ => None,
        })
        .collect();
    assert_eq!(stops, [401, 200]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callbacks_use_the_avatars_dialect() {
    let sim = sim(SimConfig::default()).await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    let uri = receiver.uri("cb");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "camel", "hi", &uri).await;
    receiver.wait_for(1).await;
    sim.state
        .set_dialect(DEFAULT_AVATAR_ID, CallbackDialect::SnakeCase)
        .expect("known avatar");
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "snake", "hi", &uri).await;
    let got = receiver.wait_for(2).await;
    let camel = got[0].json.clone().expect("json");
    assert_eq!(camel["conversationId"], "camel");
    assert!(camel["customData"].is_object());
    let snake = got[1].json.clone().expect("json");
    assert_eq!(snake["conversation_id"], "snake");
    assert_eq!(snake["is_final"], false);
    let data: Value =
        serde_json::from_str(snake["custom_data"].as_str().expect("a JSON string")).expect("json");
    assert_eq!(data["totalUtterances"], 1);
    assert!(snake.get("customData").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_callback_attempt_is_recorded_with_the_receivers_status() {
    let sim = sim(SimConfig::default()).await;
    let jwt = login(&sim).await;
    let receiver = Receiver::start().await;
    send_ok(&sim, &jwt, DEFAULT_AVATAR_ID, "ok", "hi", &receiver.uri("cb")).await;
    send_ok(
        &sim,
        &jwt,
        DEFAULT_AVATAR_ID,
        "bad",
        "hi",
        &receiver.uri("fail/cb"),
    )
    .await;
    // Nothing listens on this port once the listener is dropped.
    let dead = std::net::TcpListener::bind(LOOPBACK)
        .expect("bind")
        .local_addr()
        .expect("addr");
    send_ok(
        &sim,
        &jwt,
        DEFAULT_AVATAR_ID,
        "dead",
        "hi",
        &format!("http://{dead}/cb"),
    )
    .await;
    wait_until(|| callbacks(&sim).len() >= 3).await;
    let status_of = |id: &str| {
        callbacks(&sim).into_iter().find_map(|e| match e {
            SimEvent::Callback {
                conversation_id,
                status,
                error,
                body,
                ..
            } if conversation_id == id => Some((status, error.is_some(), body)),
            _ => None,
        })
    };
    let (status, errored, body) = status_of("ok").expect("ok");
    assert_eq!((status, errored), (Some(200), false));
    assert!(body.contains("\"response\":\"1\""), "{body}");
    assert_eq!(status_of("bad").map(|s| (s.0, s.1)), Some((Some(500), false)));
    assert_eq!(status_of("dead").map(|s| (s.0, s.1)), Some((None, true)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_are_recorded_and_answered_404() {
    let sim = sim(SimConfig::default()).await;
    let r = http()
        .post(format!("{}/api/v2/nope", sim.base_url()))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 404);
    assert!(sim.state.events().contains(&SimEvent::Unrouted {
        method: "POST".into(),
        path: "/api/v2/nope".into()
    }));
}
