//! One app per data folder: a second launch on the same folder asks the
//! first to bring its window forward, then quits, instead of opening a
//! second window that can only say the folder is in use.
//!
//! The first app listens on `console.sock` in the data folder (a Unix
//! socket, so it is per folder like the journal's lock, and only the user
//! who can write the folder can reach it). A launch connects, writes
//! `show`, and gets `ok` back. A socket file nobody listens on is left from
//! an app that was killed: it is replaced. If two launches race and both
//! end up first, the journal's exclusive lock still refuses the second
//! (`StoreError::InUse`), as before.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The socket's file name in the data folder.
pub const SOCKET_NAME: &str = "console.sock";

/// How long a launch waits for the first app to answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(3);

const SHOW: &str = "show";
const OK: &str = "ok";

/// What a launch found.
pub enum Claim {
    /// No app runs on this folder: this one is the first and listens.
    First(Listener),
    /// An app runs on this folder and was asked to show its window.
    Forwarded,
}

/// The first app's end of the socket. The file is removed when it drops.
pub struct Listener {
    #[cfg(unix)]
    listener: std::os::unix::net::UnixListener,
    path: PathBuf,
}

/// Claim the data folder, or hand over to the app that has it.
pub fn claim(data_dir: &Path) -> std::io::Result<Claim> {
    let path = data_dir.join(SOCKET_NAME);
    claim_at(path)
}

#[cfg(unix)]
fn claim_at(path: PathBuf) -> std::io::Result<Claim> {
    use std::os::unix::net::{UnixListener, UnixStream};
    match UnixStream::connect(&path) {
        Ok(stream) => match ask_to_show(stream) {
            Ok(()) => return Ok(Claim::Forwarded),
            // Something listens but does not answer: not an app we can hand
            // over to. Start anyway; the journal's lock decides.
            Err(e) => tracing::warn!(error = %e, "the app on this data folder did not answer"),
        },
        Err(e) if path.exists() => {
            tracing::info!(error = %e, path = %path.display(), "replacing a socket left by an app that stopped");
            std::fs::remove_file(&path)?;
        }
        Err(_) => {}
    }
    let listener = UnixListener::bind(&path)?;
    Ok(Claim::First(Listener { listener, path }))
}

#[cfg(not(unix))]
fn claim_at(path: PathBuf) -> std::io::Result<Claim> {
    // Not built on this platform yet: every launch is first, and the
    // journal's lock refuses a second one with a message.
    Ok(Claim::First(Listener { path }))
}

#[cfg(unix)]
fn ask_to_show(mut stream: std::os::unix::net::UnixStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(ANSWER_TIMEOUT))?;
    stream.set_write_timeout(Some(ANSWER_TIMEOUT))?;
    writeln!(stream, "{SHOW}")?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer)?;
    if answer.trim() == OK {
        Ok(())
    } else {
        Err(std::io::Error::other(format!("unexpected answer {answer:?}")))
    }
}

impl Listener {
    /// Answer launches on a thread of its own, calling `show` for each.
    /// The thread ends with the process.
    pub fn serve(self, show: impl Fn() + Send + 'static) {
        let spawned = std::thread::Builder::new()
            .name("instance-socket".into())
            .spawn(move || self.run(show));
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "a second launch will not find this app");
        }
    }

    #[cfg(unix)]
    fn run(&self, show: impl Fn()) {
        for stream in self.listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(ANSWER_TIMEOUT));
            let mut line = String::new();
            let asked = BufReader::new(&stream).read_line(&mut line).is_ok() && line.trim() == SHOW;
            if asked {
                tracing::info!("another launch on this data folder: showing the window");
                show();
                let _ = writeln!(stream, "{OK}");
            }
        }
    }

    #[cfg(not(unix))]
    fn run(&self, _show: impl Fn()) {}
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn first(dir: &Path) -> Listener {
        match claim(dir).expect("claim") {
            Claim::First(listener) => listener,
            Claim::Forwarded => panic!("no app runs here yet"),
        }
    }

    /// Be the first app on `dir`, counting how often it is asked to show.
    fn serve_counting(dir: &Path) -> Arc<AtomicUsize> {
        let shown = Arc::new(AtomicUsize::new(0));
        let counter = shown.clone();
        first(dir).serve(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        shown
    }

    #[test]
    fn a_second_launch_asks_the_first_to_show_and_is_forwarded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let shown = serve_counting(dir.path());
        for launch in 1..=2 {
            assert!(matches!(claim(dir.path()).expect("claim"), Claim::Forwarded));
            assert_eq!(shown.load(Ordering::SeqCst), launch);
        }
    }

    /// The socket does one thing: anything but `show` gets no answer and
    /// does nothing.
    #[test]
    fn anything_but_show_is_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let shown = serve_counting(dir.path());
        for line in ["list\n", "show me everything\n", "\n", "SHOW\n"] {
            let mut stream =
                std::os::unix::net::UnixStream::connect(dir.path().join(SOCKET_NAME)).expect("connect");
            stream.write_all(line.as_bytes()).expect("write");
            stream
                .set_read_timeout(Some(Duration::from_secs(2)))
                .expect("timeout");
            let mut answer = String::new();
            let _ = BufReader::new(&stream).read_line(&mut answer);
            assert_eq!(answer, "", "answered {line:?}");
        }
        assert_eq!(shown.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_socket_left_by_a_stopped_app_is_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A killed app leaves the file without anyone listening on it.
        drop(std::os::unix::net::UnixListener::bind(dir.path().join(SOCKET_NAME)).expect("bind"));
        assert!(dir.path().join(SOCKET_NAME).exists());
        let listener = first(dir.path());
        drop(listener);
        assert!(
            !dir.path().join(SOCKET_NAME).exists(),
            "removed when the app closes"
        );
        let _again = first(dir.path());
    }

    #[test]
    fn something_that_does_not_answer_is_not_handed_over_to() {
        let dir = tempfile::tempdir().expect("tempdir");
        // Listens (so connect succeeds) but never answers.
        let _silent = std::os::unix::net::UnixListener::bind(dir.path().join(SOCKET_NAME)).expect("bind");
        let started = std::time::Instant::now();
        let outcome = claim(dir.path());
        assert!(started.elapsed() < ANSWER_TIMEOUT * 2);
        // Not forwarded: the launch goes on (and the journal's lock decides).
        assert!(!matches!(outcome, Ok(Claim::Forwarded)));
    }
}
