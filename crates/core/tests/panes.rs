//! Pane layout operations persist in the store and keep transcripts.

mod common;

use avatar_console_core::Console;

use avatar_console_core::hub::{HubEvent, Restart};
use uuid::Uuid;

async fn console(dir: &std::path::Path) -> Console {
    common::offline_console(dir).await
}

fn order(console: &Console) -> Vec<Uuid> {
    console
        .hub()
        .conversations()
        .expect("list")
        .iter()
        .map(|c| c.id)
        .collect()
}

#[tokio::test]
async fn move_close_restart_and_duplicate_persist() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b, c, d);
    {
        let console = console(dir.path()).await;
        let hub = console.hub();
        let mut events = hub.subscribe();
        a = order(&console)[0];
        b = hub.create_conversation().expect("b").id;
        c = hub.create_conversation().expect("c").id;
        assert_eq!(order(&console), [a, b, c]);

        assert_eq!(hub.move_conversation(c, 0).expect("move"), [c, a, b]);
        hub.set_custom_data_template(a, r#"{"user":"{{userId}}"}"#)
            .expect("template");

        let before = hub.conversation(a).expect("a");
        let renewed = hub
            .restart_conversation(a, Restart::NewConversation)
            .expect("restart");
        assert_ne!(renewed.conversation_id, before.conversation_id);
        assert_eq!(
            renewed.user_id, before.user_id,
            "a new conversation keeps the customer"
        );
        assert_eq!(renewed.custom_data_template, before.custom_data_template);
        assert_eq!(
            order(&console),
            [c, renewed.id, b],
            "the new conversation takes the old one's place"
        );

        let new_user = hub
            .restart_conversation(renewed.id, Restart::NewUser)
            .expect("new user");
        assert_ne!(new_user.user_id, before.user_id);
        d = hub.duplicate_conversation(new_user.id).expect("duplicate").id;
        assert_eq!(order(&console), [c, new_user.id, d, b]);
        assert!(
            hub.restart_conversation(
                b,
                Restart::WithId {
                    conversation_id: "  ".into()
                }
            )
            .is_err()
        );
        let typed = hub
            .restart_conversation(
                b,
                Restart::WithId {
                    conversation_id: "customer-42".into(),
                },
            )
            .expect("typed");
        assert_eq!(typed.conversation_id, "customer-42");

        hub.close_conversation(c).expect("close");
        assert_eq!(order(&console), [new_user.id, d, typed.id]);
        // The old transcript is still there, just not open.
        assert!(hub.conversation(a).is_ok());

        let mut saw_layout = false;
        while let Ok(event) = events.try_recv() {
            saw_layout |= matches!(event, HubEvent::LayoutChanged { .. });
        }
        assert!(saw_layout, "layout changes are published");
    }
    let console = console(dir.path()).await;
    let restored = console.hub().conversations().expect("list");
    assert_eq!(restored.len(), 3);
    assert_eq!(restored[1].id, d);
    assert_eq!(restored[0].custom_data_template, r#"{"user":"{{userId}}"}"#);
}
