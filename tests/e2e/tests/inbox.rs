//! The inbox through the real app: a malformed callback and one for an
//! unknown conversation are answered 400 and 202, counted in the status bar
//! and shown with their raw bytes; the orphan can then be assigned to a pane,
//! where its reply appears.

mod support;

use anyhow::{Result, ensure};
use avatar_console_core::callback::secret::SECRET_FILE;
use fantoccini::Locator;
use support::App;

#[tokio::test]
async fn rejected_and_orphan_callbacks_show_in_the_inbox_and_an_orphan_can_be_assigned() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        let c = &app.client;
        let ids = app
            .wait_for_contents("[data-testid=pane] [data-testid=conversation-id]", |t| {
                t.iter().any(|s| !s.is_empty())
            })
            .await?;
        let pane_id = ids[0].clone();
        ensure!(!pane_id.is_empty(), "the first pane shows its conversation id");

        // The app made its callback secret on its first start and picked its
        // own port: read both from what it made, as an avatar is told them.
        let secret = std::fs::read_to_string(app.data_dir().join(SECRET_FILE))?;
        let url = format!("http://{}/cb/{}", app.callback_addr().await?, secret.trim());
        let http = reqwest::Client::new();
        let malformed = http.post(&url).body("{not json").send().await?;
        ensure!(malformed.status() == 400, "malformed: {}", malformed.status());
        let orphan = serde_json::json!({
            "isFinal": false,
            "response": "hello from nowhere",
            "customData": {"via": "inbox"},
            "conversationId": "typo-in-the-scenario",
        });
        let answered = http.post(&url).json(&orphan).send().await?;
        ensure!(answered.status() == 202, "orphan: {}", answered.status());

        app.wait_for_texts("[data-testid=open-inbox]", |t| t.iter().any(|s| s.contains('2')))
            .await?;
        app.click(Locator::Css("[data-testid=open-inbox]")).await?;
        let items = app
            .wait_for_contents("[data-testid=inbox-item]", |t| t.len() == 2)
            .await?;
        ensure!(
            items
                .iter()
                .any(|t| t.contains("malformed") && t.contains("{not json")),
            "the malformed body is shown byte for byte: {items:?}"
        );
        ensure!(
            items
                .iter()
                .any(|t| t.contains("orphan") && t.contains("typo-in-the-scenario")),
            "the orphan is shown: {items:?}"
        );

        // Only the orphan is a valid callback, so only it offers a pane.
        let selects = c.find_all(Locator::Css("[data-testid=assign-inbox]")).await?;
        ensure!(selects.len() == 1, "{} assign selectors", selects.len());
        let details = c
            .find_all(Locator::Css("[data-testid=inbox-item] summary"))
            .await?;
        for summary in details {
            summary.click().await?;
        }
        selects[0].clone().select_by_label(&pane_id).await?;
        app.wait_for_contents("[data-testid=inbox-item]", |t| t.len() == 1)
            .await?;
        app.screenshot("inbox.png").await?;
        app.click(Locator::XPath(
            "//div[@data-testid='inbox-dialog']//button[normalize-space()='Close']",
        ))
        .await?;
        let unpaired = app
            .wait_for_texts("[data-testid=unpaired]", |t| !t.is_empty())
            .await?;
        ensure!(
            unpaired[0].contains("hello from nowhere"),
            "the assigned reply shows in the pane: {unpaired:?}"
        );
        app.wait_for_texts("[data-testid=open-inbox]", |t| t.iter().any(|s| s.contains('1')))
            .await?;
        Ok(())
    }
    .await;
    app.finish("inbox", result).await
}
