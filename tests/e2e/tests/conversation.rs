//! The real app, under Xvfb, through tauri-driver + WebKitWebDriver: two
//! messages to the embedded simulator's counting bot come back as 1 and 2.

mod support;

use std::time::Duration;

use anyhow::Result;
use fantoccini::Locator;
use support::{App, enter};

#[tokio::test]
async fn two_messages_get_one_and_two() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        let input = app
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("[data-testid=composer-input]"))
            .await?;
        input.send_keys(&enter("hi")).await?;
        let first = app
            .wait_for_texts("[data-testid=reply-text]", |t| !t.is_empty())
            .await?;
        assert_eq!(first, ["1"]);

        input.send_keys(&enter("how are you?")).await?;
        let both = app
            .wait_for_texts("[data-testid=reply-text]", |t| t.len() >= 2)
            .await?;
        assert_eq!(both, ["1", "2"]);

        let utterances = app.wait_for_texts(".bubble.user", |t| t.len() >= 2).await?;
        assert_eq!(utterances, ["hi", "how are you?"]);

        let token = app
            .wait_for_texts("[data-testid=token-status]", |t| {
                t.iter().any(|s| s.contains("token valid"))
            })
            .await?;
        assert!(
            token[0].contains("token valid 59 min") || token[0].contains("token valid 60 min"),
            "{token:?}"
        );
        app.screenshot("two-turns.png").await?;

        // End conversation: the avatar's stop endpoint, then the pane shows it ended.
        app.client
            .find(Locator::Css("[data-testid=end-conversation]"))
            .await?
            .click()
            .await?;
        let ended = app
            .wait_for_texts("[data-testid=ended-banner]", |t| !t.is_empty())
            .await?;
        assert!(ended[0].contains("ended"), "{ended:?}");
        let disabled = app
            .client
            .find(Locator::Css("[data-testid=composer-input]"))
            .await?
            .attr("disabled")
            .await?;
        assert!(disabled.is_some(), "no more messages in an ended conversation");
        anyhow::Ok(())
    }
    .await;
    app.finish("conversation", result).await
}
