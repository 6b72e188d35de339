//! A customData preset saved in one pane is offered to another pane of the
//! same profile.

mod support;

use std::time::Duration;

use anyhow::{Result, ensure};
use fantoccini::Locator;
use support::{App, enter};

#[tokio::test]
async fn a_saved_preset_fills_another_panes_editor() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        let c = &app.client;
        let first = "[data-testid=pane]:nth-of-type(1)";
        app.type_custom_data(first, r#"{"tier": "vip-tier"}"#).await?;
        c.find(Locator::Css(&format!("{first} [data-testid=preset-name]")))
            .await?
            .send_keys("VIP")
            .await?;
        app.click(Locator::Css(&format!("{first} [data-testid=preset-save]")))
            .await?;

        app.click(Locator::Css("[data-testid=new-pane]")).await?;
        let second = "[data-testid=pane]:nth-of-type(2)";
        app.click(Locator::Css(&format!(
            "{second} [data-testid=toggle-custom-data]"
        )))
        .await?;
        let select = c
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css(&format!("{second} [data-testid=preset-select]")))
            .await?;
        // The list loads when the editor opens.
        app.wait_for_contents(&format!("{second} [data-testid=preset-select] option"), |t| {
            t.iter().any(|o| o == "VIP")
        })
        .await?;
        select.select_by_label("VIP").await?;
        let text = app
            .wait_for_contents(&format!("{second} .cm-content"), |t| {
                t.iter().any(|s| s.contains("vip-tier"))
            })
            .await?;
        ensure!(text[0].contains("\"tier\""), "{text:?}");
        anyhow::Ok(())
    }
    .await;
    app.finish("presets", result).await
}

/// Template variables typed in the editor are filled by the backend for the
/// turn that is sent; a name that is not a variable is flagged and sent as written.
#[tokio::test]
async fn template_variables_are_filled_when_sent() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        let c = &app.client;
        let first = "[data-testid=pane]:nth-of-type(1)";
        app.type_custom_data(first, r#"{"turn": "{{turn}}", "x": "{{nope}}"}"#)
            .await?;
        let warning = app
            .wait_for_texts(&format!("{first} [data-testid=unknown-variables]"), |t| {
                !t.is_empty()
            })
            .await?;
        ensure!(warning[0].contains("{{nope}}"), "{warning:?}");
        let input = c
            .find(Locator::Css(&format!("{first} [data-testid=composer-input]")))
            .await?;
        input.send_keys(&enter("hi")).await?;
        app.wait_for_texts(&format!("{first} [data-testid=reply-text]"), |t| !t.is_empty())
            .await?;
        app.click(Locator::Css(&format!("{first} .inspect"))).await?;
        let exchanges = app
            .wait_for_contents("[data-testid=inspector-exchanges]", |t| !t.is_empty())
            .await?;
        ensure!(
            exchanges[0].contains(r#""customData":{"turn":1,"x":"{{nope}}"}"#),
            "the request as sent has turn 1 filled and the unknown name as written: {}",
            exchanges[0]
        );
        anyhow::Ok(())
    }
    .await;
    app.finish("template", result).await
}
