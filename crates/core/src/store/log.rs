//! The append log in front of SQLite: `console.db-log`.
//!
//! The journal's hot writes (a turn before it is sent, how its delivery
//! ended, a callback before it is answered 2xx) are appended here with one
//! `write` and applied to SQLite later, in batches (`store/apply.rs`). A
//! SQLite commit on a turn's critical path cost 20–40 µs in place; an append
//! costs 1–3 µs (`console-bench overhead`, docs/benchmarks.md). The
//! guarantee is the same as a commit in WAL mode with `synchronous = NORMAL`:
//! the bytes are in the OS's page cache when the call returns, so they
//! survive a killed process, and only an OS crash can lose the last ones.
//!
//! Format: a magic line, then frames `[len: u32 LE][crc32: u32 LE][payload]`,
//! where the payload is a postcard-encoded [`Logged`] (a log sequence number
//! and the entry). On open, frames are read up to the first one that is
//! short or fails its checksum (a write cut short by a crash); the file is
//! cut back to the last whole frame and the entries SQLite has not applied
//! yet (`log_state.applied_lsn`) are returned for replay.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::writes::Entry;

/// Identifies the file and the entry encoding. Entries are postcard, which is
/// not self-describing: a change to [`Entry`] must change this line.
pub(super) const MAGIC: &[u8] = b"avatar-console journal log v1\n";

/// A frame larger than this is damage, not an entry (callback bodies are
/// capped far below it).
const MAX_FRAME: u32 = 64 << 20;

const HEADER: usize = 8;

/// An entry with its log sequence number.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Logged {
    pub lsn: i64,
    pub entry: Entry,
}

/// Where the log of the database at `db` lives.
pub(crate) fn path_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-log");
    PathBuf::from(name)
}

pub(crate) struct AppendLog {
    file: File,
    path: PathBuf,
    len: u64,
    next_lsn: i64,
    frame: Vec<u8>,
}

impl AppendLog {
    /// Open (or create) the log and return the entries after `applied_lsn`,
    /// in order.
    pub fn open(path: &Path, applied_lsn: i64) -> Result<(Self, Vec<Logged>), StoreError> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(log_error(path, e)),
        };
        // A prefix of the magic line: a crash while the log was being emptied.
        let (entries, whole) = if MAGIC.starts_with(&bytes) {
            (Vec::new(), 0)
        } else if let Some(frames) = bytes.strip_prefix(MAGIC) {
            let (entries, used) = read_frames(frames);
            (entries, MAGIC.len() + used)
        } else {
            return Err(StoreError::Corrupt(format!(
                "{} is not a journal log of this version of Avatar Console; move it away to start",
                path.display()
            )));
        };
        if whole < bytes.len() {
            tracing::warn!(
                path = %path.display(),
                kept = whole,
                dropped = bytes.len() - whole,
                "the journal log ends in a partial entry (a write cut short by a crash); dropped it"
            );
        }
        let last_lsn = entries.last().map_or(applied_lsn, |e| e.lsn.max(applied_lsn));
        let unapplied: Vec<Logged> = entries.into_iter().filter(|e| e.lsn > applied_lsn).collect();
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| log_error(path, e))?;
        let mut log = Self {
            file,
            path: path.to_owned(),
            len: bytes.len() as u64,
            next_lsn: last_lsn + 1,
            frame: Vec::new(),
        };
        if whole == 0 {
            log.truncate()?;
        } else {
            log.cut_to(whole as u64)?;
        }
        Ok((log, unapplied))
    }

    /// Append one entry with one `write`; returns its sequence number.
    pub fn append(&mut self, entry: &Entry) -> Result<i64, StoreError> {
        let lsn = self.next_lsn;
        self.frame.clear();
        self.frame.extend_from_slice(&[0; HEADER]);
        let logged = LoggedRef { lsn, entry };
        self.frame = postcard::to_extend(&logged, std::mem::take(&mut self.frame))
            .map_err(|e| StoreError::Corrupt(format!("cannot encode a journal entry: {e}")))?;
        let payload_len = u32::try_from(self.frame.len() - HEADER)
            .ok()
            .filter(|n| *n <= MAX_FRAME)
            .ok_or_else(|| StoreError::Corrupt("a journal entry is too large".into()))?;
        let crc = crc32fast::hash(&self.frame[HEADER..]);
        self.frame[..4].copy_from_slice(&payload_len.to_le_bytes());
        self.frame[4..HEADER].copy_from_slice(&crc.to_le_bytes());
        if let Err(e) = self.file.write_all(&self.frame) {
            // A write cut short (disk full) must not leave half a frame in
            // front of the next one: replay stops at the first bad frame.
            let _ = self.file.set_len(self.len);
            return Err(log_error(&self.path, e));
        }
        self.len += self.frame.len() as u64;
        self.next_lsn += 1;
        Ok(lsn)
    }

    /// Bytes in the file.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Empty the log: call only when every entry in it is applied and
    /// committed.
    pub fn truncate(&mut self) -> Result<(), StoreError> {
        self.cut_to(0)?;
        self.file.write_all(MAGIC).map_err(|e| log_error(&self.path, e))?;
        self.len = MAGIC.len() as u64;
        Ok(())
    }

    fn cut_to(&mut self, len: u64) -> Result<(), StoreError> {
        if self.len != len {
            self.file.set_len(len).map_err(|e| log_error(&self.path, e))?;
            self.len = len;
        }
        Ok(())
    }
}

/// What [`AppendLog::append`] encodes: a [`Logged`] that borrows its entry.
#[derive(Serialize)]
struct LoggedRef<'a> {
    lsn: i64,
    entry: &'a Entry,
}

/// The whole frames at the start of `bytes`, and how many bytes they use.
fn read_frames(bytes: &[u8]) -> (Vec<Logged>, usize) {
    let mut entries = Vec::new();
    let mut at = 0;
    while let Some((logged, used)) = read_frame(&bytes[at..]) {
        entries.push(logged);
        at += used;
    }
    (entries, at)
}

fn read_frame(bytes: &[u8]) -> Option<(Logged, usize)> {
    let len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?);
    let crc = u32::from_le_bytes(bytes.get(4..HEADER)?.try_into().ok()?);
    if len > MAX_FRAME {
        return None;
    }
    let end = HEADER + len as usize;
    let payload = bytes.get(HEADER..end)?;
    if crc32fast::hash(payload) != crc {
        return None;
    }
    let logged = postcard::from_bytes(payload).ok()?;
    Some((logged, end))
}

fn log_error(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Log(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::writes::OutcomeRow;
    use uuid::Uuid;

    fn outcome(seq: u32) -> Entry {
        Entry::Outcome(OutcomeRow {
            conversation: Uuid::nil(),
            seq,
            state: "sent".into(),
            error_code: None,
            error_message: None,
            exchanges: "[]".into(),
        })
    }

    fn seqs(entries: &[Logged]) -> Vec<u32> {
        entries
            .iter()
            .map(|l| match &l.entry {
                Entry::Outcome(o) => o.seq,
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }

    #[test]
    fn entries_come_back_in_order_after_the_applied_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.db-log");
        let (mut log, none) = AppendLog::open(&path, 0).expect("open");
        assert!(none.is_empty());
        for seq in 1..=5 {
            assert_eq!(log.append(&outcome(seq)).expect("append"), i64::from(seq));
        }
        drop(log);
        let (log, unapplied) = AppendLog::open(&path, 2).expect("reopen");
        assert_eq!(seqs(&unapplied), vec![3, 4, 5]);
        assert_eq!(unapplied.first().map(|l| l.lsn), Some(3));
        // Numbering goes on after the last entry, never reusing one.
        assert_eq!(log.next_lsn, 6);
    }

    #[test]
    fn a_torn_last_frame_is_dropped_and_cut_off() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.db-log");
        let (mut log, _) = AppendLog::open(&path, 0).expect("open");
        log.append(&outcome(1)).expect("append");
        log.append(&outcome(2)).expect("append");
        let whole = log.len();
        drop(log);
        // A crash in the middle of the third write.
        let mut bytes = std::fs::read(&path).expect("read");
        bytes.extend_from_slice(&[40, 0, 0, 0, 1, 2, 3, 4, 5]);
        std::fs::write(&path, &bytes).expect("write");

        let (mut log, unapplied) = AppendLog::open(&path, 0).expect("reopen");
        assert_eq!(seqs(&unapplied), vec![1, 2]);
        assert_eq!(std::fs::metadata(&path).expect("meta").len(), whole);
        // The next entry follows the last whole one, so it is read back.
        log.append(&outcome(3)).expect("append");
        drop(log);
        let (_, unapplied) = AppendLog::open(&path, 0).expect("reopen");
        assert_eq!(seqs(&unapplied), vec![1, 2, 3]);
    }

    #[test]
    fn a_damaged_frame_ends_the_log_there() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.db-log");
        let (mut log, _) = AppendLog::open(&path, 0).expect("open");
        log.append(&outcome(1)).expect("append");
        let second_at = log.len() as usize;
        log.append(&outcome(2)).expect("append");
        log.append(&outcome(3)).expect("append");
        drop(log);
        let mut bytes = std::fs::read(&path).expect("read");
        bytes[second_at + HEADER + 1] ^= 0xff;
        std::fs::write(&path, &bytes).expect("write");
        let (_, unapplied) = AppendLog::open(&path, 0).expect("reopen");
        assert_eq!(seqs(&unapplied), vec![1]);
    }

    #[test]
    fn truncate_empties_the_log_but_keeps_the_numbering() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.db-log");
        let (mut log, _) = AppendLog::open(&path, 0).expect("open");
        log.append(&outcome(1)).expect("append");
        log.truncate().expect("truncate");
        assert_eq!(std::fs::read(&path).expect("read"), MAGIC);
        assert_eq!(log.append(&outcome(2)).expect("append"), 2);
        drop(log);
        let (_, unapplied) = AppendLog::open(&path, 1).expect("reopen");
        assert_eq!(seqs(&unapplied), vec![2]);
    }

    #[test]
    fn a_file_that_is_not_a_log_is_refused_not_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.db-log");
        std::fs::write(&path, b"something else").expect("write");
        match AppendLog::open(&path, 0) {
            Err(StoreError::Corrupt(m)) => assert!(m.contains("move it away"), "{m}"),
            Err(e) => panic!("expected Corrupt, got {e}"),
            Ok(_) => panic!("opened a foreign file"),
        }
        assert_eq!(std::fs::read(&path).expect("read"), b"something else");
    }
}
