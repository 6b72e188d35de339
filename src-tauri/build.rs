use std::path::Path;
use std::process::Command;

fn main() {
    emit_commit();
    // src-tauri/tauri.conf.json links to the root config; its paths are
    // relative to src-tauri, as for the Tauri CLI (docs/developer/build.md).
    tauri_build::build();
}

/// `AVATAR_CONSOLE_COMMIT` for the app: the commit it is built from, shown in
/// About and stamped on exports. Set by hand it wins (a build from a source
/// archive can name its commit); without git or outside a repository it is
/// "unknown" rather than a failed build.
fn emit_commit() {
    println!("cargo:rerun-if-env-changed=AVATAR_CONSOLE_COMMIT");
    let commit = std::env::var("AVATAR_CONSOLE_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(git_commit)
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=AVATAR_CONSOLE_COMMIT={}", commit.trim());
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn git_commit() -> Option<String> {
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    // Build again when HEAD moves: HEAD itself changes on a checkout, the
    // branch it names on a commit (a loose ref, or packed-refs once packed).
    // Only files that exist: cargo re-runs a script on every build for a
    // path that is missing.
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--git-path", &name]) {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    Some(commit)
}
