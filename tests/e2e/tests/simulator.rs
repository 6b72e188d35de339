//! The simulator panel switches a fault on while the app runs, and the pane
//! shows the anomaly the core detects.

mod support;

use anyhow::{Result, ensure};
use fantoccini::Locator;
use support::{App, enter};

#[tokio::test]
async fn duplicate_fault_shows_a_duplicate_badge() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        let c = &app.client;
        app.click(Locator::Css("[data-testid=open-simulator]")).await?;
        app.click(Locator::Css("[data-testid=fault-duplicate]")).await?;
        app.click(Locator::Css("[data-testid=apply-simulator]")).await?;
        app.wait_for_texts("[data-testid=simulator-dialog] .banner.ok", |t| !t.is_empty())
            .await?;
        app.screenshot("simulator.png").await?;
        app.click(Locator::XPath(
            "//div[@data-testid='simulator-dialog']//button[normalize-space(.)='Close']",
        ))
        .await?;

        let input = c.find(Locator::Css("[data-testid=composer-input]")).await?;
        input.send_keys(&enter("hi")).await?;
        let replies = app
            .wait_for_texts("[data-testid=reply-text]", |t| t.len() >= 2)
            .await?;
        assert_eq!(replies, ["1", "1"], "the same callback arrived twice");
        let flags = app
            .wait_for_texts("[data-testid=flag]", |t| !t.is_empty())
            .await?;
        ensure!(flags == ["duplicate"], "the second copy is flagged: {flags:?}");
        anyhow::Ok(())
    }
    .await;
    app.finish("simulator", result).await
}
