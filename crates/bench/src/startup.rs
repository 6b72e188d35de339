//! Benchmark 4: start-up of the release app under an X server (Xvfb): time
//! from spawn to the window's creation and to its first paint, and the idle
//! memory of the app's process tree (WebKit's processes included).
//!
//! The same is measured for a baseline: Debian's Chromium showing the same UI
//! bundle as an app window (`--app`). Electron is Chromium's content layer
//! plus Node.js in the main process, so an Electron build of this console
//! would start with at least Chromium's processes; Debian packages no
//! Electron, and prebuilt downloads are not allowed here, so Chromium is the
//! closest like-for-like figure that can be measured (a lower bound).
//!
//! First paint: the root window is captured (`import -window root`, raw RGB)
//! in a loop; the screen of a fresh Xvfb is one colour, an empty mapped
//! window adds one more, and the rendered UI (text, borders, antialiasing)
//! adds many. The first capture with at least `PAINT_COLOURS` distinct
//! colours marks the first paint; the figure is an upper bound by at most
//! one capture interval, which is reported alongside.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::rss::tree_memory;

pub const PAINT_COLOURS: usize = 16;

pub struct StartupRun {
    pub window: Option<Duration>,
    pub first_paint: Duration,
    pub capture_interval: Duration,
    pub colours: usize,
    pub idle_rss: u64,
    pub idle_pss: u64,
    pub processes: Vec<(u32, String, u64)>,
}

/// Distinct colours in a raw RGB capture of the root window.
fn capture_colours() -> anyhow::Result<usize> {
    let out = Command::new("import")
        .args(["-window", "root", "-depth", "8", "rgb:-"])
        .stderr(Stdio::null())
        .output()?;
    anyhow::ensure!(out.status.success(), "import failed: {}", out.status);
    let mut colours = HashSet::new();
    for px in out.stdout.chunks_exact(3) {
        colours.insert([px[0], px[1], px[2]]);
        if colours.len() >= 4096 {
            break;
        }
    }
    Ok(colours.len())
}

fn window_exists(title: &str) -> bool {
    Command::new("xwininfo")
        .args(["-root", "-tree"])
        .stderr(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(&format!("\"{title}\"")))
        .unwrap_or(false)
}

struct AppProcess(Child);

impl Drop for AppProcess {
    fn drop(&mut self) {
        // The app's own children (WebKit's, Chromium's) end when their
        // parent's sockets close.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What to start: a command for a fresh data folder, and the title of the
/// window it opens.
pub struct Launch {
    pub title: &'static str,
    pub command: Box<dyn Fn(&Path) -> Command>,
}

impl Launch {
    /// The app, with its data in the fresh folder.
    pub fn app(app: &Path) -> Self {
        let app = app.to_owned();
        Self {
            title: "Avatar Console",
            command: Box::new(move |data| {
                let mut command = Command::new(&app);
                command.env("AVATAR_CONSOLE_DATA_DIR", data);
                command
            }),
        }
    }

    /// Chromium showing `url` as an app window, with a fresh profile and the
    /// app's window size. No sandbox: the benchmark runs as root.
    pub fn chromium(chromium: &Path, url: String) -> Self {
        let chromium = chromium.to_owned();
        Self {
            title: "Avatar Console",
            command: Box::new(move |data| {
                let mut command = Command::new(&chromium);
                command.args([
                    "--no-sandbox",
                    // Hides the "unsupported command-line flag" bar --no-sandbox brings.
                    "--test-type",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--disable-extensions",
                    "--disable-component-update",
                    "--disable-background-networking",
                    "--disable-sync",
                    "--disable-breakpad",
                    "--password-store=basic",
                    "--window-size=1200,760",
                ]);
                command.arg(format!("--user-data-dir={}", data.display()));
                command.arg(format!("--app={url}"));
                command
            }),
        }
    }
}

/// One cold start with a fresh data folder; `idle` is how long it is left
/// alone after the first paint before its memory is read.
pub fn run_once(launch: &Launch, idle: Duration, limit: Duration) -> anyhow::Result<StartupRun> {
    anyhow::ensure!(
        std::env::var_os("DISPLAY").is_some(),
        "DISPLAY is not set: run under Xvfb"
    );
    // A previous run's window may take a moment to go away.
    let mut background = capture_colours()?;
    let settle = Instant::now();
    while background >= PAINT_COLOURS && settle.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(100));
        background = capture_colours()?;
    }
    anyhow::ensure!(
        background < PAINT_COLOURS,
        "the screen already shows {background} colours: use a fresh Xvfb"
    );
    let data = tempfile::tempdir()?;
    let start = Instant::now();
    let child = (launch.command)(data.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let app_process = AppProcess(child);
    let pid = app_process.0.id();
    let mut window = None;
    let mut captures = 0u32;
    // Until the window exists, poll the cheap window list only, so that the
    // screen captures (each costs tens of ms of CPU) do not slow the start.
    while window.is_none() {
        anyhow::ensure!(start.elapsed() < limit, "no window within {limit:?}");
        if window_exists(launch.title) {
            window = Some(start.elapsed());
        } else {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let (first_paint, colours) = loop {
        anyhow::ensure!(start.elapsed() < limit, "no paint within {limit:?}");
        let colours = capture_colours()?;
        captures += 1;
        if colours >= PAINT_COLOURS {
            break (start.elapsed(), colours);
        }
    };
    let painting = first_paint.saturating_sub(window.unwrap_or_default());
    let capture_interval = painting / captures.max(1);
    std::thread::sleep(idle);
    let (idle_rss, idle_pss, processes) = tree_memory(pid);
    drop(app_process);
    Ok(StartupRun {
        window,
        first_paint,
        capture_interval,
        colours,
        idle_rss,
        idle_pss,
        processes,
    })
}
