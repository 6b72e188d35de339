//! The commit a binary is built from. The build scripts of the binaries (the
//! app, `avatar-replay`) call [`emit_commit`], which sets
//! `AVATAR_CONSOLE_COMMIT` for the crate being built; the binary hands it to
//! `avatar_console_core::about::set_commit`. Tests compare what a binary
//! reports with [`commit`]. Only the binaries have build scripts: a new commit
//! rebuilds them, not core and everything above it.

use std::path::Path;
use std::process::Command;

/// The variable the binaries read with `env!`, and that may be set by hand.
pub const COMMIT_ENV: &str = "AVATAR_CONSOLE_COMMIT";
/// What a build without git, outside a repository, records.
pub const UNKNOWN: &str = "unknown";

/// `AVATAR_CONSOLE_COMMIT` when set (a build from a source archive can name
/// its commit); else the commit HEAD of the repository around `dir` is at
/// (`git rev-parse --short=12 HEAD`); else [`UNKNOWN`], never a failure.
pub fn commit(dir: &Path) -> String {
    std::env::var(COMMIT_ENV)
        .ok()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .or_else(|| git(dir, &["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| UNKNOWN.into())
}

/// For a build script: set `AVATAR_CONSOLE_COMMIT` to [`commit`], and have
/// cargo run the script again when the variable changes or HEAD moves.
/// `manifest_dir` is the building crate's `CARGO_MANIFEST_DIR`.
pub fn emit_commit(manifest_dir: &str) {
    let dir = Path::new(manifest_dir);
    println!("cargo:rerun-if-env-changed={COMMIT_ENV}");
    // HEAD itself changes on a checkout, the branch it names on a commit (a
    // loose ref, or packed-refs once packed). Only files that exist: cargo
    // re-runs a script on every build for a path that is missing.
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(dir, &["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        if let Some(path) = git(dir, &["rev-parse", "--git-path", &name]) {
            let path = dir.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    println!("cargo:rustc-env={COMMIT_ENV}={}", commit(dir));
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(dir).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a commit must read as when `AVATAR_CONSOLE_COMMIT` is set for
    /// the test run (it then wins everywhere).
    fn overridden() -> Option<String> {
        std::env::var(COMMIT_ENV)
            .ok()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
    }

    #[test]
    fn outside_a_repository_the_commit_is_unknown() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(commit(dir.path()), overridden().unwrap_or_else(|| UNKNOWN.into()));
    }

    #[test]
    fn in_the_repository_the_commit_is_heads() {
        let here = commit(Path::new(env!("CARGO_MANIFEST_DIR")));
        match overridden() {
            Some(given) => assert_eq!(here, given),
            None => assert!(
                here.len() >= 12 && here.chars().all(|c| c.is_ascii_hexdigit()),
                "not an abbreviated commit id: {here:?}"
            ),
        }
    }
}
