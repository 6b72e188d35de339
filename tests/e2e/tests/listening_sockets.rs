//! The running app listens on loopback only: every TCP socket its process
//! listens on, read from the kernel (`/proc/net/tcp` and `tcp6`, matched by
//! the socket inodes of `/proc/<pid>/fd`), is bound to 127.0.0.1 or ::1.
//! Whatever the source says, this is what a stranger on the network sees.

mod support;

use anyhow::{Result, ensure};
use support::App;
use support::sockets::{listening, parse_address, socket_inodes};

#[test]
fn kernel_addresses_are_read_as_written() -> Result<()> {
    assert_eq!(parse_address("0100007F:1F90")?, "127.0.0.1:8080".parse()?);
    assert_eq!(parse_address("00000000:0016")?, "0.0.0.0:22".parse()?);
    assert_eq!(
        parse_address("00000000000000000000000001000000:0050")?,
        "[::1]:80".parse()?
    );
    assert_eq!(
        parse_address("00000000000000000000000000000000:0050")?,
        "[::]:80".parse()?
    );
    Ok(())
}

#[tokio::test]
async fn the_running_app_listens_on_loopback_only() -> Result<()> {
    let app = App::launch().await?;
    let result = async {
        // The window is up once a pane shows: the callback server and the
        // embedded simulator are listening by then.
        app.wait_for_texts("[data-testid=pane]", |t| !t.is_empty())
            .await?;
        let pid = app.pid()?;
        let addresses = listening(&socket_inodes(pid)?)?;
        println!("app pid {pid} listens on {addresses:?}");
        let exposed: Vec<_> = addresses.iter().filter(|a| !a.ip().is_loopback()).collect();
        ensure!(
            exposed.is_empty(),
            "the app listens beyond loopback on {exposed:?}"
        );
        // These are the app's own servers: one of them is the callback server.
        let callback = app.callback_addr().await?;
        ensure!(
            addresses.contains(&callback),
            "{callback} is not among {addresses:?}"
        );
        anyhow::Ok(())
    }
    .await;
    app.finish("listening-sockets", result).await
}
