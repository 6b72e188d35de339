//! A manual public URL through the real app: the self-test passes through
//! it, and the next message's reply arrives by that route (told by the Host
//! header the journal kept with the reply).

mod support;

use std::time::Duration;

use anyhow::{Result, ensure};
use avatar_console_core::store::Store;
use fantoccini::Locator;
use support::{App, enter};

#[tokio::test]
async fn manual_public_url_self_test_and_reply() -> Result<()> {
    let app = App::launch().await?;
    let mut port = 0;
    let result = async {
        let c = &app.client;
        let status = app
            .wait_for_texts("[data-testid=self-test]", |t| t.iter().any(|s| s.contains("ok")))
            .await?;
        ensure!(status[0].starts_with("self-test ok"), "{status:?}");
        // The app picked its port itself (port 0): no port is chosen here,
        // freed and taken again by someone else in between.
        port = app.callback_addr().await?.port();
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
    if result.is_err() {
        return app.finish("public-url", result).await;
    }
    // The route, from the journal: the console sent the public URL as the
    // callback URI, and the reply came in under its host name.
    let data = app.close_keeping_data().await?;
    let store = Store::open(&data.path().join("console.db"))?;
    let id = store.conversation_ids()?[0];
    let view = store
        .conversation(id)?
        .ok_or_else(|| anyhow::anyhow!("no conversation"))?;
    let turn = &view.turns[0];
    let expected = format!("http://localhost:{port}/cb/<secret>?turn=1");
    ensure!(
        turn.callback_uri == expected,
        "sent {}, expected {expected}",
        turn.callback_uri
    );
    let reply = &turn.replies[0];
    let host = reply
        .raw_headers
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .unwrap_or_default();
    ensure!(
        host == format!("localhost:{port}"),
        "the reply came in for host {host:?}, not the public URL's"
    );
    Ok(())
}
