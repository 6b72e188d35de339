//! The hub's poisoned-lock policy (`live.rs`): a panic under the lock must
//! neither stop the hub nor leave it showing memory the store disagrees with.

use uuid::Uuid;

use super::{Hub, HubEvent, ProfileRuntime};
use crate::client::{AvatarClient, ClientConfig, Credentials, Secret};
use crate::model::AvatarOption;
use crate::store::{NewConversation, Store};

fn hub(dir: &std::path::Path) -> Hub {
    let store = Store::open(&dir.join("console.db")).expect("store");
    // Nothing here sends: the logon URL is never dialled.
    let config = ClientConfig::new(
        String::from("http://127.0.0.1:9/platform_api/Logon"),
        "1",
        Credentials::ApiKey(Secret::new("key")),
    );
    let client = AvatarClient::new(config).expect("client");
    let default = ProfileRuntime {
        id: Uuid::nil(),
        name: "Test".into(),
        client,
        avatars: vec![AvatarOption {
            id: Uuid::nil(),
            label: "Test".into(),
        }],
    };
    Hub::with_profile(store, default, "http://127.0.0.1:9/cb/secret".into()).expect("hub")
}

#[test]
fn a_poisoned_lock_is_repaired_from_the_store_and_the_hub_goes_on() {
    let dir = tempfile::tempdir().expect("dir");
    let hub = hub(dir.path());
    let first = hub.create_conversation().expect("first pane").id;
    // A conversation the store holds and memory does not, as a panic between
    // a store write and the memory update would leave it.
    let behind = Uuid::new_v4();
    hub.store()
        .insert_conversation(
            &NewConversation {
                id: behind,
                profile_name: "Test",
                profile_id: Uuid::nil(),
                avatar_id: Uuid::nil(),
                conversation_id: "conv-behind",
                user_id: "user-1",
                custom_data_template: "{}",
            },
            0,
        )
        .expect("store write");
    assert!(hub.conversation(behind).is_err(), "memory is behind the store");

    hub.conversations.poison_for_test();

    let ids: Vec<Uuid> = hub
        .conversations()
        .expect("after the panic")
        .iter()
        .map(|v| v.id)
        .collect();
    assert_eq!(ids, [first, behind], "memory reloaded from the store");
    let mut events = hub.subscribe();
    let third = hub.create_conversation().expect("a pane after the panic").id;
    assert!(matches!(
        events.try_recv(),
        Ok(HubEvent::LayoutChanged { order }) if order == [first, behind, third]
    ));
}

#[test]
fn a_poisoned_profile_list_is_used_as_it_is() {
    let dir = tempfile::tempdir().expect("dir");
    let hub = hub(dir.path());
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _guard = hub.profiles.profiles_for_test().write();
        panic!("poisoning the profile list on purpose");
    }));
    assert_eq!(hub.profiles().options().len(), 1);
    hub.set_callback_url("http://127.0.0.1:9/cb/other".into());
    assert_eq!(hub.callback_url(), "http://127.0.0.1:9/cb/other");
}
