//! Which build this is — the version and the commit it was built from — and
//! where it keeps its files. Shown in About and stamped on every export and
//! bug report, so a report can be traced to the build that made it.

use std::path::Path;
use std::sync::OnceLock;

use serde::Serialize;
use ts_rs::TS;

/// Written when a binary never said which commit it was built from.
pub const UNKNOWN_COMMIT: &str = "unknown";

static COMMIT: OnceLock<String> = OnceLock::new();

/// Record the commit this process was built from. Called once at start by
/// each binary from its build script's `AVATAR_CONSOLE_COMMIT`: core itself
/// has no build script, so a new commit rebuilds the binaries only, not core
/// and everything that depends on it.
pub fn set_commit(commit: &str) {
    let _ = COMMIT.set(commit.trim().to_owned());
}

/// The workspace version (every crate shares it).
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The commit given to [`set_commit`], or [`UNKNOWN_COMMIT`].
pub fn commit() -> &'static str {
    COMMIT
        .get()
        .map(String::as_str)
        .filter(|c| !c.is_empty())
        .unwrap_or(UNKNOWN_COMMIT)
}

/// `0.1.0 (commit 1a2b3c4d5e6f)`: how exports and bug reports name the build.
pub fn build_label() -> String {
    format!("{} (commit {})", version(), commit())
}

/// What the About dialog shows.
#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct About {
    pub version: String,
    pub commit: String,
    pub data_dir: String,
    /// The folder of the rotating log files.
    pub log_dir: String,
}

impl About {
    pub fn new(data_dir: &Path, log_dir: &Path) -> Self {
        Self {
            version: version().into(),
            commit: commit().into(),
            data_dir: data_dir.display().to_string(),
            log_dir: log_dir.display().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_names_version_and_commit() {
        set_commit(" 0123456789ab\n");
        assert_eq!(commit(), "0123456789ab");
        assert_eq!(build_label(), format!("{} (commit 0123456789ab)", version()));
        // Set once: a second call cannot relabel the running build.
        set_commit("ffffffffffff");
        assert_eq!(commit(), "0123456789ab");
        let about = About::new(Path::new("/data"), Path::new("/logs"));
        assert_eq!(
            (about.commit.as_str(), about.log_dir.as_str()),
            ("0123456789ab", "/logs")
        );
    }
}
