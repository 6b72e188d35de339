//! A pane switched to another profile sends with that profile's account:
//! a second simulator, started by the test as a "staging" avatar API, gets
//! the utterance and its reply shows in the pane.

mod support;

use std::time::Duration;

use anyhow::{Result, ensure};
use avatar_simulator::{DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, DEFAULT_AVATAR_ID, SimConfig, SimEvent};
use fantoccini::Locator;
use fantoccini::key::Key;
use support::{App, enter};

#[tokio::test]
async fn a_pane_switched_to_another_profile_talks_to_that_account() -> Result<()> {
    let staging = avatar_simulator::spawn(SimConfig::default(), "127.0.0.1:0".parse()?).await?;
    let app = App::launch().await?;
    let result = async {
        let c = &app.client;
        app.click(Locator::Css("[data-testid=open-profiles]")).await?;
        app.click(Locator::XPath("//button[contains(., '+ New profile')]")).await?;
        let secret = c
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css("[data-testid=profile-secret]"))
            .await?;
        let field = |label: &str, tag: &str| format!("//label[contains(., '{label}')]/{tag}");
        // Ctrl+A, then typing replaces the field's default text.
        let select_all = format!("{}a{}", char::from(Key::Control), char::from(Key::Control));
        let name = c.find(Locator::XPath(&field("Name", "input"))).await?;
        name.send_keys(&format!("{select_all}Staging")).await?;
        c.find(Locator::XPath(&field("Environment", "select")))
            .await?
            .select_by_label("Custom Logon URL")
            .await?;
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::XPath(&field("Logon URL", "input")))
            .await?
            .send_keys(&staging.logon_url())
            .await?;
        c.find(Locator::XPath(&field("Account id", "input")))
            .await?
            .send_keys(DEFAULT_ACCOUNT_ID)
            .await?;
        secret.send_keys(DEFAULT_API_KEY).await?;
        // Avatars are rows of id + label; an id that is not a UUID is
        // refused beside its row and Save waits until it is fixed.
        app.click(Locator::Css("[data-testid=add-avatar]")).await?;
        let avatar_id = c.find(Locator::Css("[data-testid=avatar-id]")).await?;
        avatar_id.send_keys("not-a-uuid").await?;
        let errors = app
            .wait_for_texts("[data-testid=avatar-error]", |t| !t.is_empty())
            .await?;
        ensure!(errors[0].starts_with("Not a UUID"), "{errors:?}");
        let save = c
            .find(Locator::XPath("//button[normalize-space(.)='Save']"))
            .await?;
        ensure!(!save.is_enabled().await?, "Save is enabled with an invalid avatar id");
        app.screenshot("profiles-avatar-rows.png").await?;
        avatar_id
            .send_keys(&format!("{select_all}{DEFAULT_AVATAR_ID}"))
            .await?;
        c.find(Locator::Css("[data-testid=avatar-label]"))
            .await?
            .send_keys("Staging bot")
            .await?;
        app.wait_for_texts("[data-testid=avatar-error]", |t| t.is_empty())
            .await?;
        app.click(Locator::XPath("//button[normalize-space(.)='Save']")).await?;
        app.wait_for_texts(".profile-list .link-row", |t| {
            t.iter().any(|r| r.contains("Staging") && r.contains("key saved"))
        })
        .await?;
        // Escape closes the dialog (the app's shortcut), from whatever has focus.
        c.active_element()
            .await?
            .send_keys(&char::from(Key::Escape).to_string())
            .await?;
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css("[data-testid=pane]"))
            .await?;

        let pane = "[data-testid=pane]:nth-of-type(1)";
        // The selector appears once there is a second profile; switching starts a new conversation.
        c.wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&format!("{pane} [data-testid=profile-select]")))
            .await?
            .select_by_label("Staging")
            .await?;
        app.wait_for_texts(&format!("{pane} [data-testid=connection-state]"), |t| {
            t.iter().any(|s| s == "live")
        })
        .await?;
        c.find(Locator::Css(&format!("{pane} [data-testid=composer-input]")))
            .await?
            .send_keys(&enter("hello staging"))
            .await?;
        let replies = app
            .wait_for_texts(&format!("{pane} [data-testid=reply-text]"), |t| !t.is_empty())
            .await?;
        ensure!(replies == ["1"], "the staging avatar counts: {replies:?}");
        let heard = staging.state.events().into_iter().any(|e| {
            matches!(e, SimEvent::Utterance { ref utterance, status: 200, .. } if utterance == "hello staging")
        });
        ensure!(heard, "the utterance went to the staging account's API");
        // The status bar shows each profile's token: only Staging has logged on.
        let tokens = app
            .wait_for_texts("[data-testid=token-status] .token", |t| {
                t.iter().any(|s| s.contains("Staging · token valid"))
            })
            .await?;
        ensure!(
            tokens.iter().any(|s| s.contains("Local simulator · no token yet")),
            "{tokens:?}"
        );
        app.screenshot("profile-switch.png").await?;
        anyhow::Ok(())
    }
    .await;
    app.finish("profile-switch", result).await
}
