// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

//! Starts tauri-driver for one test and opens a WebDriver session on the
//! built app binary. Needs DISPLAY (scripts/test.sh starts Xvfb).

pub mod seed;
pub mod sockets;

use std::net::{SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

/// How long a wait for the window's state may take. The first wait of a
/// test includes the app's start (first paint 0.5 s median here, a few
/// seconds on a loaded 2-core machine); a passing test never waits this
/// long, a failing one says what it waited for.
pub const WAIT: Duration = Duration::from_secs(30);

pub struct App {
    pub client: Client,
    driver: Child,
    _data_dir: tempfile::TempDir,
    /// What tauri-driver, WebKitWebDriver and the app (which inherits their
    /// standard output and error) printed: the app's log.
    output: tempfile::NamedTempFile,
}

pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// The app binary cargo built next to this test's `deps/` folder, unless
/// AVATAR_CONSOLE_APP names another.
pub fn app_binary() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("AVATAR_CONSOLE_APP") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe()?;
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .context("test binary is not in a cargo target dir")?;
    let app = profile_dir.join("avatar-console");
    if !app.exists() {
        bail!(
            "{} not found: build it first with `cargo build -p avatar-console`",
            app.display()
        );
    }
    Ok(app)
}

/// Keeps the page painting for 2 s (a 1 px, almost transparent dot that
/// changes every frame). Without GL, WebKit takes a snapshot from the next
/// frame it paints, and a page that is not changing paints none: the
/// screenshot of a static window never came back.
const KEEP_PAINTING: &str = r#"
  const dot = document.createElement("div");
  dot.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647";
  document.body.appendChild(dot);
  const until = performance.now() + 2000;
  const step = (now) => {
    dot.style.background = `rgba(0,0,0,${(Math.floor(now) % 2) ? 0.01 : 0.02})`;
    if (now < until) requestAnimationFrame(step); else dot.remove();
  };
  requestAnimationFrame(step);
  return true;
"#;

/// `text` followed by the Enter key, as typed into the composer.
pub fn enter(text: &str) -> String {
    format!("{text}{}", char::from(fantoccini::key::Key::Enter))
}

impl App {
    pub async fn launch() -> Result<Self> {
        Self::launch_with_env(&[]).await
    }

    /// Launch with extra environment variables for the app (through tauri-driver).
    pub async fn launch_with_env(env: &[(&str, String)]) -> Result<Self> {
        Self::launch_with(tempfile::tempdir()?, env).await
    }

    /// Launch on a data folder the test prepared (e.g. a store with many conversations).
    pub async fn launch_with(data_dir: tempfile::TempDir, env: &[(&str, String)]) -> Result<Self> {
        if std::env::var_os("DISPLAY").is_none() {
            bail!("DISPLAY is not set: run the end-to-end tests through scripts/test.sh (it starts Xvfb)");
        }
        let app = app_binary()?;
        let output = tempfile::NamedTempFile::new()?;
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "wry".into());
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app.display().to_string() }),
        );
        // tauri-driver takes its ports by number, so they are picked here,
        // freed, and bound again by tauri-driver: another program may take
        // one in between. Then tauri-driver exits, and new ports are tried.
        let mut last_error = String::new();
        for _ in 0..3 {
            let port = free_port()?;
            let native_port = free_port()?;
            let mut driver = Command::new("tauri-driver")
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native_port.to_string(),
                ])
                // Inherited by WebKitWebDriver and then by the app.
                .env("AVATAR_CONSOLE_DATA_DIR", data_dir.path())
                .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
                // Its own process group, so `stop_driver` also ends WebKitWebDriver,
                // which would otherwise outlive it and keep the test's output open.
                .process_group(0)
                .stdout(Stdio::from(output.reopen()?))
                .stderr(Stdio::from(output.reopen()?))
                .spawn()
                .context(
                    "could not start tauri-driver: install it with `cargo install tauri-driver --locked`",
                )?;
            let url = format!("http://127.0.0.1:{port}");
            // tauri-driver needs a moment before it accepts connections.
            let deadline = tokio::time::Instant::now() + WAIT;
            loop {
                match ClientBuilder::new(HttpConnector::new())
                    .capabilities(capabilities.clone())
                    .connect(&url)
                    .await
                {
                    Ok(client) => {
                        return Ok(Self {
                            client,
                            driver,
                            _data_dir: data_dir,
                            output,
                        });
                    }
                    Err(e) => last_error = format!("{e:?}"),
                }
                if let Some(status) = driver.try_wait()? {
                    last_error = format!("tauri-driver on port {port} exited ({status}): {last_error}");
                    break;
                }
                if tokio::time::Instant::now() > deadline {
                    stop_driver(&mut driver);
                    bail!("no WebDriver session within {WAIT:?}: {last_error}");
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        bail!("no WebDriver session: {last_error}")
    }

    /// The data folder this app runs on.
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    /// Everything the app has logged so far (its standard output and error).
    pub fn log(&self) -> Result<String> {
        Ok(String::from_utf8_lossy(&std::fs::read(self.output.path())?).into_owned())
    }

    /// The callback server's address, found as the app's listening socket
    /// whose `/health` names the app's instance (the embedded simulator
    /// listens too, and answers a plain "ok").
    pub async fn callback_addr(&self) -> Result<SocketAddr> {
        let pid = self.pid()?;
        let addresses = sockets::listening(&sockets::socket_inodes(pid)?)?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()?;
        for address in &addresses {
            if let Ok(r) = http.get(format!("http://{address}/health")).send().await
                && r.status().is_success()
                && r.headers()
                    .contains_key(avatar_console_core::public_url::INSTANCE_HEADER)
            {
                return Ok(*address);
            }
        }
        bail!("none of the sockets pid {pid} listens on answered as the callback server: {addresses:?}")
    }

    /// The app's process: the one running the app binary on this data folder
    /// (WebKitWebDriver starts it, so it is not our child).
    pub fn pid(&self) -> Result<u32> {
        let binary = std::fs::canonicalize(app_binary()?)?;
        let marker = format!("AVATAR_CONSOLE_DATA_DIR={}", self.data_dir().display());
        let mut found = Vec::new();
        for entry in std::fs::read_dir("/proc")?.filter_map(Result::ok) {
            let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            // Processes of others, or gone meanwhile, cannot be read: skipped.
            let Ok(exe) = std::fs::read_link(entry.path().join("exe")) else {
                continue;
            };
            let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
                continue;
            };
            let on_this_folder = environ.split(|b| *b == 0).any(|v| v == marker.as_bytes());
            if exe == binary && on_this_folder {
                found.push(pid);
            }
        }
        match found[..] {
            [pid] => Ok(pid),
            _ => bail!(
                "expected one app process on {}, found {found:?}",
                self.data_dir().display()
            ),
        }
    }

    /// Rendered texts of all elements matching `css`, once `done` accepts them ([`WAIT`] at most).
    pub async fn wait_for_texts(&self, css: &str, done: impl Fn(&[String]) -> bool) -> Result<Vec<String>> {
        self.wait_for(css, false, done).await
    }

    /// Like `wait_for_texts` but reads `textContent`: WebKitWebDriver reports
    /// no rendered text for some elements that clip their overflow.
    pub async fn wait_for_contents(
        &self,
        css: &str,
        done: impl Fn(&[String]) -> bool,
    ) -> Result<Vec<String>> {
        self.wait_for(css, true, done).await
    }

    async fn wait_for(
        &self,
        css: &str,
        content: bool,
        done: impl Fn(&[String]) -> bool,
    ) -> Result<Vec<String>> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            // React may replace an element between finding and reading it
            // (a stale element): read everything again.
            match self.read_all(css, content).await {
                Ok(texts) if done(&texts) => return Ok(texts),
                Ok(texts) if tokio::time::Instant::now() > deadline => {
                    bail!("timed out waiting for `{css}`; last seen: {texts:?}")
                }
                Err(e) if tokio::time::Instant::now() > deadline => return Err(e),
                _ => {}
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn read_all(&self, css: &str, content: bool) -> Result<Vec<String>> {
        let mut texts = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await? {
            texts.push(if content {
                element.prop("textContent").await?.unwrap_or_default()
            } else {
                element.text().await?
            });
        }
        Ok(texts)
    }

    /// Open the customData editor of the pane matching `pane_css` and replace
    /// its default `{}` with `json`. CodeMirror closes brackets and quotes
    /// itself; typing over them keeps one of each.
    pub async fn type_custom_data(&self, pane_css: &str, json: &str) -> Result<()> {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(&format!(
                "{pane_css} [data-testid=toggle-custom-data]"
            )))
            .await?
            .click()
            .await?;
        let editor = self
            .client
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css(&format!("{pane_css} .cm-content")))
            .await?;
        editor.click().await?;
        let clear: String = [Key::End, Key::Backspace, Key::Backspace]
            .into_iter()
            .map(char::from)
            .collect();
        editor.send_keys(&format!("{clear}{json}")).await?;
        Ok(())
    }

    /// Save a PNG of the window when E2E_SCREENSHOT_DIR is set (for docs and failures).
    pub async fn screenshot(&self, name: &str) -> Result<()> {
        if let Some(dir) = std::env::var_os("E2E_SCREENSHOT_DIR") {
            // WebDriver screenshots can lag the DOM by a moment.
            tokio::time::sleep(Duration::from_millis(500)).await;
            self.client.execute(KEEP_PAINTING, vec![]).await?;
            std::fs::write(
                std::path::Path::new(&dir).join(name),
                self.client.screenshot().await?,
            )?;
        }
        Ok(())
    }

    /// End a test: with E2E_SCREENSHOT_DIR set, a failed one leaves
    /// `failure-<name>.png`; the app is closed either way.
    pub async fn finish(self, name: &str, result: Result<()>) -> Result<()> {
        if result.is_err() {
            let _ = self.screenshot(&format!("failure-{name}.png")).await;
        }
        self.close().await?;
        result
    }

    /// Wait (20 s at most: the first element waits for the app to start) for the element, then click it.
    ///
    /// React may replace the element between the find and the click (a list
    /// that reloads, a dialog that re-renders): WebKitWebDriver then answers
    /// "stale element" or "not interactable" with an empty message, so the
    /// element is looked up again until the deadline.
    pub async fn click(&self, locator: Locator<'_>) -> Result<()> {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let element = self.client.wait().at_most(left).for_element(locator).await?;
            match element.click().await {
                Ok(()) => return Ok(()),
                Err(e) if is_transient_click_error(&e) && std::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => bail!("clicking {locator:?} failed: {e:?}"),
            }
        }
    }

    /// Close the app and hand its data folder to the test, to read what it
    /// journaled (a killed app's append log is replayed when the store opens).
    pub async fn close_keeping_data(mut self) -> Result<tempfile::TempDir> {
        let data = std::mem::replace(&mut self._data_dir, tempfile::tempdir()?);
        self.close().await?;
        Ok(data)
    }

    pub async fn close(mut self) -> Result<()> {
        let closed = self.client.clone().close().await;
        stop_driver(&mut self.driver);
        closed?;
        Ok(())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        stop_driver(&mut self.driver);
    }
}

/// End tauri-driver's whole process group and reap it.
fn stop_driver(driver: &mut Child) {
    if let Ok(pid) = i32::try_from(driver.id()) {
        let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGKILL);
    }
    let _ = driver.wait();
}

/// Errors that mean "the element changed under the click", not "the app is wrong".
fn is_transient_click_error(e: &fantoccini::error::CmdError) -> bool {
    e.is_stale_element_reference()
        || e.is_element_not_interactable()
        || matches!(e, fantoccini::error::CmdError::Standard(w) if w.error == fantoccini::error::ErrorStatus::ElementClickIntercepted)
}
