//! Profiles through the real app: the simulator profile's connection test,
//! and a new profile whose API key goes to the OS keychain, not the page.

mod support;

use std::time::Duration;

use anyhow::{Result, ensure};
use fantoccini::Locator;
use support::App;

const SECRET: &str = "e2e-very-secret-api-key-7f3a";

#[tokio::test]
async fn simulator_connection_test_and_a_keychain_backed_profile() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        let c = &app.client;
        app.click(Locator::Css("[data-testid=open-profiles]")).await?;
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css("[data-testid=profiles-dialog]"))
            .await?;
        // The first profile is the embedded simulator's.
        app.click(Locator::Css("[data-testid=test-connection]")).await?;
        let result = app
            .wait_for_texts("[data-testid=connection-result]", |t| !t.is_empty())
            .await?;
        ensure!(
            result[0].starts_with("Connected"),
            "simulator connection test: {result:?}"
        );

        // A new profile with an API key.
        app.click(Locator::XPath("//button[contains(., '+ New profile')]"))
            .await?;
        let secret_input = c
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css("[data-testid=profile-secret]"))
            .await?;
        let account = c
            .find(Locator::XPath("//label[contains(., 'Account id')]/input"))
            .await?;
        account.send_keys("4242").await?;
        secret_input.send_keys(SECRET).await?;
        app.click(Locator::XPath("//button[normalize-space(.)='Save']"))
            .await?;
        let saved = app
            .wait_for_texts(".profile-list .link-row", |t| {
                t.iter()
                    .any(|r| r.contains("New profile") && r.contains("key saved"))
            })
            .await?;
        ensure!(saved.iter().any(|r| r.contains("key saved")), "{saved:?}");
        let page = c.source().await?;
        ensure!(!page.contains(SECRET), "the API key must not stay in the page");
        app.screenshot("profiles.png").await?;
        anyhow::Ok(())
    }
    .await;
    app.finish("profiles", result).await
}
