//! The console's public URL: the next utterance carries it, and the self-test
//! tells our own server from anything else.

mod common;

use std::time::Duration;

use avatar_console_core::public_url::PublicUrlChoice;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manual_url_is_used_for_the_next_turn_and_self_tested() {
    let loopback = common::LOOPBACK;
    let dir = tempfile::tempdir().expect("tempdir");
    let (sim, console) = common::simulator_console(dir.path()).await;

    let local = console.self_test().await;
    assert!(local.ok, "the local server answers its own self-test: {local:?}");

    // A "public" URL that reaches this same server under another name.
    let public = format!("http://localhost:{}/", console.callback_addr().port());
    let view = console
        .set_public_url(&PublicUrlChoice::Manual { url: public.clone() })
        .await
        .expect("set");
    assert!(view.base_url.starts_with("http://localhost:"), "{view:?}");
    let report = console.self_test().await;
    assert!(report.ok, "through the manual URL: {report:?}");

    let pane = console.hub().conversations().expect("list")[0].id;
    console.hub().send(pane, "hi", json!({})).await.expect("send");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let turn = console.hub().conversation(pane).expect("view").turns[0].clone();
        assert!(
            turn.callback_uri.starts_with("http://localhost:"),
            "the turn used the public URL: {}",
            turn.callback_uri
        );
        if !turn.replies.is_empty() {
            assert_eq!(turn.replies[0].response.as_deref(), Some("1"));
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no reply through the public URL"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // Something that answers, but is not us: the simulator.
    console
        .set_public_url(&PublicUrlChoice::Manual { url: sim.base_url() })
        .await
        .expect("set");
    let wrong = console.self_test().await;
    assert!(!wrong.ok, "{wrong:?}");
    assert_eq!(wrong.failure.map(|f| f.code()), Some("wrong_target"), "{wrong:?}");

    // Nothing at all.
    let closed = std::net::TcpListener::bind(loopback)
        .expect("bind")
        .local_addr()
        .expect("addr");
    console
        .set_public_url(&PublicUrlChoice::Manual {
            url: format!("http://{closed}"),
        })
        .await
        .expect("set");
    let refused = console.self_test().await;
    assert!(!refused.ok);
    assert_eq!(
        refused.failure.map(|f| f.code()),
        Some("connect_refused"),
        "{refused:?}"
    );
}
