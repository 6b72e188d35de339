//! The data folder's format stamp: `data-folder.json` says which data format
//! the folder holds and which app version last raised it. A folder written by
//! a newer format than this build reads is refused before anything opens it,
//! with a message that says what to do; nothing in it is written.
//!
//! The stamp is a format number, not the app version: a later release that
//! keeps the format (say 0.1.1) shares the folder with 0.1.0 both ways. Raise
//! [`DATA_FORMAT`] when a release changes the files in a way older releases
//! cannot read (a new store migration, a new file they would misread).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The data format this build reads and writes.
pub const DATA_FORMAT: u32 = 1;
/// The stamp's file name inside the data folder.
pub const STAMP_FILE: &str = "data-folder.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stamp {
    pub format: u32,
    /// The app version that wrote this format (for the refusal message).
    pub written_by: String,
}

/// What [`open`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// An empty or missing folder: stamped for this format.
    New,
    /// Files from before the stamp existed (0.1.0) or an older format: stamped
    /// for this format; the store and profile repo migrate their own files.
    Upgraded { from: u32 },
    /// Already this format: nothing written.
    Current,
}

#[derive(Debug, thiserror::Error)]
pub enum DataFolderError {
    #[error(
        "the data folder {dir} was written by Avatar Console {written_by} (data format {format}), newer than this \
         version ({this}, data format {supported}). It was left untouched: install Avatar Console {written_by} or \
         newer, or start this one on another data folder (AVATAR_CONSOLE_DATA_DIR)"
    )]
    Newer {
        dir: PathBuf,
        written_by: String,
        format: u32,
        this: &'static str,
        supported: u32,
    },
    #[error(
        "the data folder's {path} cannot be read ({reason}); the folder was left untouched: fix or remove that file, \
         or start on another data folder (AVATAR_CONSOLE_DATA_DIR)"
    )]
    Unreadable { path: PathBuf, reason: String },
    #[error("could not write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// The folder's stamp, `None` when it has none. Reads only.
pub fn read_stamp(dir: &Path) -> Result<Option<Stamp>, DataFolderError> {
    let path = dir.join(STAMP_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(DataFolderError::Unreadable {
                path,
                reason: e.to_string(),
            });
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| DataFolderError::Unreadable {
            path,
            reason: e.to_string(),
        })
}

/// Whether this build may open `dir`; reads only.
pub fn check(dir: &Path) -> Result<Option<Stamp>, DataFolderError> {
    let stamp = read_stamp(dir)?;
    if let Some(s) = &stamp
        && s.format > DATA_FORMAT
    {
        return Err(DataFolderError::Newer {
            dir: dir.to_owned(),
            written_by: s.written_by.clone(),
            format: s.format,
            this: crate::about::version(),
            supported: DATA_FORMAT,
        });
    }
    Ok(stamp)
}

/// [`check`] the folder, then stamp it with this format unless it already is.
/// Call before anything else opens or creates a file in it.
pub fn open(dir: &Path) -> Result<Opened, DataFolderError> {
    let opened = match check(dir)? {
        Some(s) if s.format == DATA_FORMAT => return Ok(Opened::Current),
        Some(s) => Opened::Upgraded { from: s.format },
        // No stamp: 0.1.0 wrote none, so any file in it is format 1's.
        None if has_files(dir) => Opened::Upgraded { from: 1 },
        None => Opened::New,
    };
    write_stamp(dir)?;
    Ok(opened)
}

fn has_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

/// Written beside and renamed over, so a crash leaves the old stamp or the new.
fn write_stamp(dir: &Path) -> Result<(), DataFolderError> {
    let path = dir.join(STAMP_FILE);
    let err = |source| DataFolderError::Write {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    let stamp = Stamp {
        format: DATA_FORMAT,
        written_by: crate::about::version().into(),
    };
    let text = serde_json::to_string_pretty(&stamp).unwrap_or_default();
    let partial = dir.join(format!("{STAMP_FILE}.partial"));
    std::fs::write(&partial, text + "\n").map_err(err)?;
    std::fs::rename(&partial, &path).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<_> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| {
                let path = e.expect("entry").path();
                (
                    path.file_name().expect("name").to_string_lossy().into_owned(),
                    std::fs::read(&path).expect("read"),
                )
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn a_new_folder_is_stamped_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = dir.path().join("data");
        assert_eq!(open(&folder).expect("open"), Opened::New);
        let stamp = read_stamp(&folder).expect("read").expect("stamped");
        assert_eq!(
            (stamp.format, stamp.written_by.as_str()),
            (DATA_FORMAT, crate::about::version())
        );
        let before = files(&folder);
        assert_eq!(open(&folder).expect("open"), Opened::Current);
        assert_eq!(files(&folder), before, "a current folder is not rewritten");
    }

    #[test]
    fn files_without_a_stamp_are_the_first_format() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("console.db"), b"old").expect("write");
        assert_eq!(open(dir.path()).expect("open"), Opened::Upgraded { from: 1 });
        assert!(dir.path().join(STAMP_FILE).is_file());
        assert_eq!(
            std::fs::read(dir.path().join("console.db")).expect("read"),
            b"old"
        );
    }

    #[test]
    fn a_newer_folder_is_refused_and_left_as_it_was() {
        let dir = tempfile::tempdir().expect("tempdir");
        let newer = format!(r#"{{"format": {}, "writtenBy": "9.4.0"}}"#, DATA_FORMAT + 1);
        std::fs::write(dir.path().join(STAMP_FILE), &newer).expect("write");
        std::fs::write(dir.path().join("console.db"), b"newer data").expect("write");
        let before = files(dir.path());
        let err = open(dir.path()).expect_err("refused");
        assert!(
            matches!(err, DataFolderError::Newer { format: 2.., .. }),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("written by Avatar Console 9.4.0") && message.contains("left untouched"),
            "{message}"
        );
        assert_eq!(files(dir.path()), before, "nothing written");
    }

    #[test]
    fn a_garbled_stamp_is_refused_not_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(STAMP_FILE), b"{not json").expect("write");
        let err = open(dir.path()).expect_err("refused");
        assert!(matches!(err, DataFolderError::Unreadable { .. }), "{err:?}");
        assert_eq!(
            std::fs::read(dir.path().join(STAMP_FILE)).expect("read"),
            b"{not json"
        );
    }
}
