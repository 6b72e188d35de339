//! When the backend cannot start, the window says why instead of the app
//! vanishing: here the data folder's journal is held by another process (as
//! by a second instance), and the app is told to close that one or use
//! another data folder.

mod support;

use anyhow::{Result, ensure};
use avatar_console_core::store::Store;
use support::App;

#[tokio::test]
async fn a_data_folder_in_use_is_explained_in_the_window() -> Result<()> {
    let data_dir = tempfile::tempdir()?;
    // This test process holds console.db, as a first app instance would.
    let holder = Store::open(&data_dir.path().join("console.db"))?;
    let app = App::launch_with(data_dir, &[]).await?;
    let result = async {
        let banner = app
            .wait_for_texts("[role=alert]", |t| t.iter().any(|s| s.contains("in use")))
            .await?;
        let text = banner.join(" ");
        ensure!(
            text.contains("The backend did not start")
                && text.contains("is in use by another Avatar Console")
                && text.contains("another data folder"),
            "the banner says what to do: {text:?}"
        );
        app.screenshot("startup-failure.png").await?;
        anyhow::Ok(())
    }
    .await;
    drop(holder);
    app.finish("startup-failure", result).await
}
