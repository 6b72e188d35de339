//! A real Console wired to a real simulator over sockets on 127.0.0.1, as
//! the app runs them, in a throwaway data folder.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use avatar_console_core::model::ConversationView;
use avatar_console_core::{ConsoleOptions, ConsoleRuntime};
use avatar_simulator::{SimConfig, SimulatorHandle};
use uuid::Uuid;

pub const LOOPBACK: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::LOCALHOST), 0);

/// A console, its simulator and the folder holding `console.db`.
pub struct Rig {
    pub sim: SimulatorHandle,
    pub console: ConsoleRuntime,
    pub dir: tempfile::TempDir,
}

impl Rig {
    /// Start a simulator with `config` and a console talking to it.
    pub async fn start(config: SimConfig) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let sim = avatar_simulator::spawn(config, LOOPBACK).await?;
        let console = start_console(dir.path(), sim.logon_url()).await?;
        Ok(Self { sim, console, dir })
    }

    pub fn db_path(&self) -> PathBuf {
        db_path(self.dir.path())
    }

    /// The pane the console opens on first launch.
    pub fn first_pane(&self) -> anyhow::Result<Uuid> {
        let panes = self.console.conversations()?;
        panes
            .first()
            .map(|c| c.id)
            .ok_or_else(|| anyhow::anyhow!("the console opened no pane"))
    }
}

pub fn db_path(dir: &Path) -> PathBuf {
    dir.join("console.db")
}

/// A console whose profile logs on at `logon_url` with the simulator's default credentials.
pub async fn start_console(dir: &Path, logon_url: String) -> anyhow::Result<ConsoleRuntime> {
    let console = ConsoleRuntime::start(ConsoleOptions::for_simulator(dir, logon_url)).await?;
    Ok(console)
}

/// Journal one sent turn straight into the store (the hub loads it when a
/// console next starts on the same folder).
pub fn journal_sent_turn(
    store: &avatar_console_core::store::Store,
    pane: Uuid,
    seq: u32,
    utterance: &str,
    custom_data: &serde_json::Value,
    callback_uri: &str,
    sent_at: i64,
) -> anyhow::Result<Uuid> {
    let id = Uuid::new_v4();
    store.insert_turn(&avatar_console_core::store::NewTurn {
        id,
        conversation: pane,
        seq,
        utterance,
        custom_data,
        callback_uri,
        sent_at,
    })?;
    store.finish_turn(pane, seq, &avatar_console_core::model::TurnState::Sent, &[])?;
    Ok(id)
}

/// Total replies over all turns of a view.
pub fn reply_count(view: &ConversationView) -> usize {
    view.turns.iter().map(|t| t.replies.len()).sum()
}

/// Poll `check` every 10 ms until it holds or `deadline` passes; the last value either way.
pub async fn wait_for<T>(deadline: Duration, mut probe: impl FnMut() -> T, check: impl Fn(&T) -> bool) -> T {
    let until = tokio::time::Instant::now() + deadline;
    loop {
        let value = probe();
        if check(&value) || tokio::time::Instant::now() >= until {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Rows in a table of the store, counted by SQL on the store's connection:
/// what SQLite has committed to the file, not the hub's views in memory (the
/// store holds the file exclusively, so no second connection can open it;
/// `crash_safety` reopens the file after a killed process for the rest).
pub fn count_rows(store: &avatar_console_core::store::Store, table: &str) -> anyhow::Result<i64> {
    let rows = match table {
        "callbacks" => store.callback_count()?,
        "inbox" => store.inbox_count()?,
        other => anyhow::bail!("unknown table {other}"),
    };
    Ok(i64::try_from(rows)?)
}

/// Journal a turn of `pane` as sent, without an avatar. The running hub does
/// not load it (it keeps conversations in memory), so callbacks to the pane
/// are stored as unpaired replies: these tests count what is stored.
pub fn sent_turn(console: &ConsoleRuntime, pane: Uuid) -> anyhow::Result<Uuid> {
    let now = avatar_console_core::time::now_ms();
    journal_sent_turn(
        console.store(),
        pane,
        1,
        "hello",
        &serde_json::json!({}),
        &console.callback_url(),
        now,
    )
}

/// What a scan of a data folder read, and where it found a needle.
#[derive(Debug, Default)]
pub struct FolderScan {
    /// Every file read, relative to the folder (`console.db-wal`, …).
    pub files: Vec<String>,
    /// `file: needle #i` for each needle found in a file.
    pub hits: Vec<String>,
}

/// Read every file under `dir`, at any depth and whatever its name (the
/// database, its `-wal`, `-shm` and `-log`, `profiles.db`, sockets skipped),
/// except the files named in `skip`, and note which hold any of `needles`.
pub fn scan_folder(dir: &Path, needles: &[&str], skip: &[&str]) -> anyhow::Result<FolderScan> {
    let mut scan = FolderScan::default();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            let name = path.strip_prefix(dir)?.display().to_string();
            let kind = std::fs::symlink_metadata(&path)?.file_type();
            if kind.is_dir() {
                pending.push(path);
                continue;
            }
            if !kind.is_file() || skip.contains(&name.as_str()) {
                continue;
            }
            let bytes = std::fs::read(&path)?;
            // Named by position: a failure must not print a secret.
            for (i, needle) in needles.iter().enumerate() {
                if contains(&bytes, needle.as_bytes()) {
                    scan.hits.push(format!("{name}: needle #{i}"));
                }
            }
            scan.files.push(name);
        }
    }
    scan.files.sort();
    Ok(scan)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Open the journal of `dir` again once the console that held it has closed
/// (its background thread may still be finishing a checkpoint): what a
/// restart reads, straight from SQLite and the append log.
pub async fn reopen_store(dir: &Path) -> anyhow::Result<avatar_console_core::store::Store> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match avatar_console_core::store::Store::open(&db_path(dir)) {
            Err(avatar_console_core::store::StoreError::InUse(_))
                if tokio::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => anyhow::bail!("the journal of {} did not reopen within 10 s: {e}", dir.display()),
            Ok(store) => return Ok(store),
        }
    }
}
