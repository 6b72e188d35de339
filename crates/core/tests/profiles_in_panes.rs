//! Panes send with the profile they were opened with: two "accounts" (two
//! simulators) side by side, each with its own client and token.

use avatar_console_core::{CodedError, ErrorCode};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use avatar_console_core::client::{AvatarClient, ClientConfig, Credentials, Secret};
use avatar_console_core::hub::{ProfileRuntime, Restart};
use avatar_console_core::model::AvatarOption;
use avatar_console_core::{Console, ConsoleOptions};
use avatar_simulator::{
    AvatarConfig, BotKind, DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, DEFAULT_AVATAR_ID, SimConfig, SimEvent,
};
use serde_json::json;
use uuid::Uuid;

fn config(logon_url: String) -> ClientConfig {
    ClientConfig::new(
        logon_url,
        DEFAULT_ACCOUNT_ID,
        Credentials::ApiKey(Secret::new(DEFAULT_API_KEY)),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pane_switched_to_another_profile_sends_with_it() {
    let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let staging = avatar_simulator::spawn(SimConfig::default(), loopback)
        .await
        .expect("staging");
    let echo_id = Uuid::new_v4();
    let production_config = SimConfig {
        avatars: vec![AvatarConfig::new(echo_id, "Echo", BotKind::Echo)],
        ..SimConfig::default()
    };
    let production = avatar_simulator::spawn(production_config, loopback)
        .await
        .expect("production");

    let dir = tempfile::tempdir().expect("tempdir");
    let console = Console::start(ConsoleOptions {
        data_dir: dir.path().to_path_buf(),
        callback_addr: loopback,
        profile_id: Uuid::new_v4(),
        profile_name: "Staging".into(),
        client: config(staging.logon_url()),
        avatars: vec![AvatarOption {
            id: DEFAULT_AVATAR_ID,
            label: "Counting".into(),
        }],
    })
    .await
    .expect("console");
    let hub = console.hub();
    let pane = hub.conversations().expect("list")[0].id;

    let production_id = Uuid::new_v4();
    assert_eq!(
        hub.restart_conversation(
            pane,
            Restart::SwitchProfile {
                profile_id: production_id
            }
        )
        .map_err(|e| e.code()),
        Err(ErrorCode::ProfileNotReady),
        "a profile that is not registered cannot be used"
    );
    let mut events = hub.subscribe();
    hub.profiles()
        .register(ProfileRuntime {
            id: production_id,
            name: "Production".into(),
            client: AvatarClient::new(config(production.logon_url())).expect("client"),
            avatars: vec![AvatarOption {
                id: echo_id,
                label: "Echo".into(),
            }],
        })
        .expect("register");
    // The UI learns that the pane's profile selector has a new entry.
    assert_eq!(
        events.try_recv().expect("an event"),
        avatar_console_core::hub::HubEvent::ProfilesChanged
    );
    assert_eq!(
        hub.profiles()
            .options()
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["Staging", "Production"]
    );

    let switched = hub
        .restart_conversation(
            pane,
            Restart::SwitchProfile {
                profile_id: production_id,
            },
        )
        .expect("switch");
    assert_eq!(
        (
            switched.profile_id,
            switched.profile_name.as_str(),
            switched.avatar_id
        ),
        (production_id, "Production", echo_id)
    );
    hub.send(switched.id, "hello production", json!({}))
        .await
        .expect("send");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let view = hub.conversation(switched.id).expect("view");
        if let Some(reply) = view.turns[0].replies.first() {
            assert_eq!(
                reply.response.as_deref(),
                Some("hello production"),
                "the production avatar (echo) answered"
            );
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no reply from production");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let reached = |events: Vec<SimEvent>| {
        events
            .iter()
            .filter(|e| matches!(e, SimEvent::Utterance { .. }))
            .count()
    };
    assert_eq!(reached(production.state.events()), 1);
    assert_eq!(
        reached(staging.state.events()),
        0,
        "staging never saw the production utterance"
    );
}
