//! Several panes at once, broadcast, the inspector and presentation mode,
//! through the real app.

mod support;

use std::time::Duration;

use anyhow::{Result, ensure};
use fantoccini::Locator;
use support::{App, enter};

/// Reply texts of pane `index` (0-based), once there are at least `n`.
async fn pane_replies(app: &App, index: usize, n: usize) -> Result<Vec<String>> {
    let css = format!(
        "[data-testid=pane]:nth-of-type({}) [data-testid=reply-text]",
        index + 1
    );
    app.wait_for_texts(&css, |t| t.len() >= n).await
}

#[tokio::test]
async fn four_panes_broadcast_inspector_and_presentation() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        let c = &app.client;
        c.wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("[data-testid=composer-input]"))
            .await?;
        for _ in 0..3 {
            app.click(Locator::Css("[data-testid=new-pane]")).await?;
        }
        let deadline = tokio::time::Instant::now() + support::WAIT;
        let inputs = loop {
            let inputs = c.find_all(Locator::Css("[data-testid=composer-input]")).await?;
            if inputs.len() == 4 {
                break inputs;
            }
            ensure!(
                tokio::time::Instant::now() < deadline,
                "4 panes after three clicks on New pane: {} composers within {:?}",
                inputs.len(),
                support::WAIT
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        // Interleave the panes so their conversations run side by side.
        for word in ["one", "two", "three"] {
            for input in &inputs {
                input.send_keys(&enter(word)).await?;
            }
        }
        for pane in 0..4 {
            assert_eq!(
                pane_replies(&app, pane, 3).await?,
                ["1", "2", "3"],
                "pane {pane} counts on its own"
            );
        }
        let ids = app
            .wait_for_contents("[data-testid=conversation-id]", |t| t.len() == 4)
            .await?;
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        ensure!(
            unique.len() == 4,
            "each pane has its own conversation id: {ids:?}"
        );

        // Broadcast to every pane.
        app.click(Locator::Css("[data-testid=toggle-broadcast]")).await?;
        app.click(Locator::Css("[data-testid=broadcast-bar] button.secondary"))
            .await?; // "All"
        c.find(Locator::Css("[data-testid=broadcast-input]"))
            .await?
            .send_keys(&enter("hello everyone"))
            .await?;
        for pane in 0..4 {
            assert_eq!(
                pane_replies(&app, pane, 4).await?,
                ["1", "2", "3", "4"],
                "broadcast reached pane {pane}"
            );
        }

        // Pane 1 switches to the echo bot, sends customData, and the inspector
        // shows the key the bot changed.
        let first = "[data-testid=pane]:nth-of-type(1)";
        let old_id = app
            .wait_for_contents(&format!("{first} [data-testid=conversation-id]"), |t| {
                t.len() == 1
            })
            .await?
            .remove(0);
        c.find(Locator::Css(&format!("{first} [data-testid=avatar-select]")))
            .await?
            .select_by_label("Echo bot")
            .await?;
        // Switching avatars starts a fresh conversation in the same place.
        let id_css = format!("{first} [data-testid=conversation-id]");
        app.wait_for_contents(&id_css, |t| t.len() == 1 && t[0] != old_id)
            .await?;
        app.type_custom_data(first, r#"{"plan": "gold", "n": 1}"#).await?;
        let input = c
            .find(Locator::Css(&format!("{first} [data-testid=composer-input]")))
            .await?;
        input.send_keys(&enter("echo me")).await?;
        let echoed = app
            .wait_for_texts(&format!("{first} [data-testid=reply-text]"), |t| !t.is_empty())
            .await?;
        assert_eq!(echoed, ["echo me"]);
        app.click(Locator::Css(&format!("{first} .inspect"))).await?;
        let inspector = c
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css("[data-testid=inspector]"))
            .await?;
        let text = inspector.text().await?;
        ensure!(
            text.contains("\"plan\": \"gold\""),
            "inspector shows the request as sent: {text}"
        );
        let diff_rows = app
            .wait_for_texts("[data-testid=diff-row]", |t| !t.is_empty())
            .await?;
        ensure!(
            diff_rows
                .iter()
                .any(|r| r.starts_with("changed") && r.contains('n') && r.contains('2')),
            "the echo bot's changed key is shown: {diff_rows:?}"
        );
        app.screenshot("four-panes-inspector.png").await?;
        app.click(Locator::Css("[data-testid=inspector] header button"))
            .await?;

        // Presentation mode hides ids and technical details.
        app.click(Locator::Css("[data-testid=toggle-presentation]"))
            .await?;
        let ids = app
            .wait_for_contents("[data-testid=conversation-id]", |t| t.is_empty())
            .await?;
        ensure!(ids.is_empty());
        ensure!(
            c.find_all(Locator::Css("[data-testid=status-bar]"))
                .await?
                .is_empty(),
            "status bar hidden"
        );
        ensure!(
            c.find_all(Locator::Css(".badge")).await?.is_empty(),
            "badges hidden"
        );
        let page = c.source().await?;
        ensure!(!page.contains("/cb/"), "no callback URL in the page");
        app.screenshot("presentation-mode.png").await?;
        anyhow::Ok(())
    }
    .await;
    app.finish("panes", result).await
}

/// The pane's More menu: Duplicate opens a second pane after it, Move left
/// swaps them back, and the menu closes after each choice.
#[tokio::test]
async fn more_menu_duplicates_and_moves_a_pane() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        let c = &app.client;
        let ids_css = "[data-testid=pane] [data-testid=conversation-id]";
        let first = app.wait_for_contents(ids_css, |t| t.len() == 1).await?.remove(0);
        let choose = |pane: usize, item: &'static str| {
            let more = format!("[data-testid=pane]:nth-of-type({pane}) [data-testid=pane-more]");
            let entry = format!(
                "//section[@data-testid='pane'][{pane}]//div[@role='menu']/button[normalize-space()='{item}']"
            );
            (more, entry)
        };
        let (more, duplicate) = choose(1, "Duplicate");
        app.click(Locator::Css(&more)).await?;
        app.click(Locator::XPath(&duplicate)).await?;
        let ids = app.wait_for_contents(ids_css, |t| t.len() == 2).await?;
        ensure!(
            ids[0] == first && ids[1] != first,
            "the copy opens after the original: {ids:?}"
        );
        let open_menus = c.find_all(Locator::Css("details.more-actions[open]")).await?;
        ensure!(open_menus.is_empty(), "the menu closes after a choice");

        let (more, left) = choose(2, "Move left");
        app.click(Locator::Css(&more)).await?;
        app.screenshot("more-menu.png").await?;
        app.click(Locator::XPath(&left)).await?;
        let moved = app
            .wait_for_contents(ids_css, |t| t.len() == 2 && t[1] == first)
            .await?;
        ensure!(moved[0] == ids[1], "{moved:?}");
        anyhow::Ok(())
    }
    .await;
    app.finish("more-menu", result).await
}
