//! A manual public URL through the real app: the self-test passes through
//! it, and the next message's reply arrives by that route.

mod support;

use std::time::Duration;

use anyhow::{Result, ensure};
use fantoccini::Locator;
use support::{App, enter, free_port};

#[tokio::test]
async fn manual_public_url_self_test_and_reply() -> Result<()> {
    let port = free_port()?;
    let app = App::launch_with_env(&[("AVATAR_CONSOLE_CALLBACK_PORT", port.to_string())]).await?;
    let result = async {
        let c = &app.client;
        let status = app
            .wait_for_texts("[data-testid=self-test]", |t| t.iter().any(|s| s.contains("ok")))
            .await?;
        ensure!(status[0].starts_with("self-test ok"), "{status:?}");
        app.click(Locator::Css("[data-testid=open-public-url]")).await?;
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css("[data-testid=public-url-dialog]"))
            .await?;
        app.click(Locator::XPath(
            "//label[contains(., 'A URL I run myself')]//input[@type='radio']",
        ))
        .await?;
        // "localhost" reaches the same server under another name, like a tunnel would.
        let url = format!("http://localhost:{port}/");
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css("[data-testid=manual-url]"))
            .await?
            .send_keys(&url)
            .await?;
        app.click(Locator::Css("[data-testid=apply-public-url]")).await?;
        let report = app
            .wait_for_texts("[data-testid=self-test-result]", |t| !t.is_empty())
            .await?;
        ensure!(report[0].starts_with("Self-test passed"), "{report:?}");
        app.screenshot("public-url.png").await?;
        app.click(Locator::XPath("//button[normalize-space(.)='Close']"))
            .await?;

        let input = c.find(Locator::Css("[data-testid=composer-input]")).await?;
        input.send_keys(&enter("hi")).await?;
        assert_eq!(
            app.wait_for_texts("[data-testid=reply-text]", |t| !t.is_empty())
                .await?,
            ["1"]
        );
        let callbacks = app
            .wait_for_texts("[data-testid=open-public-url]", |t| !t.is_empty())
            .await?;
        ensure!(
            callbacks[0].contains("localhost"),
            "the status bar shows the public URL: {callbacks:?}"
        );
        ensure!(
            callbacks[0].contains("/cb/••••••"),
            "the secret path stays masked: {callbacks:?}"
        );
        anyhow::Ok(())
    }
    .await;
    app.finish("public-url", result).await
}
