//! Scenario avatars: the bot is an AvatarEngine dialog scenario run by the
//! lab (`avatar-lab`). Each conversation gets an engine thread of its own,
//! started with the conversation and kept for its lifetime: a QuickJS
//! runtime is not `Send`, a scenario's callback may run for up to its time
//! limit, and neither may hold one of the async runtime's workers or another
//! conversation. Between messages the thread evaluates the scenario for the
//! next one (`Session::prepare`), so a message waits only for wake-up, turn
//! and hibernation.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use avatar_lab::{LabOptions, Message, Nlu, Scenario, Session, TurnRecord};
use tokio::sync::oneshot;

/// Stack of an engine thread: room for QuickJS' own limit (512 KiB) and the lab's frames.
const ENGINE_STACK: usize = 4 * 1024 * 1024;

/// One version of a file as last read.
struct Cached<T> {
    stamp: (SystemTime, u64),
    value: Arc<T>,
    version: u64,
}

/// A scenario (and its intents) as the next message should run it.
pub struct Loaded {
    pub scenario: Arc<Scenario>,
    pub nlu: Arc<Nlu>,
    /// Bumped each time the scenario file changed on disk.
    pub version: u64,
    /// The scenario file was (re)read for this message.
    pub reloaded: bool,
}

/// The scenario and intents files of every scenario avatar, re-read when
/// their modification time or size changes.
#[derive(Default)]
pub struct ScenarioFiles {
    scenarios: Mutex<HashMap<PathBuf, Cached<Scenario>>>,
    intents: Mutex<HashMap<PathBuf, Cached<Nlu>>>,
}

fn stamp(path: &Path) -> std::io::Result<(SystemTime, u64)> {
    let meta = std::fs::metadata(path)?;
    Ok((meta.modified()?, meta.len()))
}

fn refresh<T>(
    cache: &Mutex<HashMap<PathBuf, Cached<T>>>,
    path: &Path,
    read: impl FnOnce(&Path) -> Result<T, String>,
) -> Result<(Arc<T>, u64, bool), String> {
    let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
    let now = stamp(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    if let (Ok(now), Some(c)) = (&now, cache.get(path))
        && c.stamp == *now
    {
        return Ok((c.value.clone(), c.version, false));
    }
    let now = now?;
    let value = Arc::new(read(path)?);
    let version = cache.get(path).map_or(0, |c| c.version + 1);
    cache.insert(
        path.to_path_buf(),
        Cached {
            stamp: now,
            value: value.clone(),
            version,
        },
    );
    Ok((value, version, true))
}

impl ScenarioFiles {
    /// The current version of `path` (and `intents`), read again if changed.
    pub fn load(&self, path: &Path, intents: Option<&Path>) -> Result<Loaded, String> {
        let (scenario, version, reloaded) = refresh(&self.scenarios, path, |p| {
            Scenario::load(p).map_err(|e| e.to_string())
        })?;
        let nlu = match intents {
            Some(p) => refresh(&self.intents, p, |p| Nlu::load(p).map_err(|e| e.to_string()))?.0,
            None => Arc::new(Nlu::default()),
        };
        Ok(Loaded {
            scenario,
            nlu,
            version,
            reloaded,
        })
    }
}

struct Request {
    loaded: Loaded,
    message: Message,
    reply: oneshot::Sender<TurnRecord>,
}

/// The engine thread of one conversation; dropping it ends the thread after
/// the turn it is running.
pub struct ScenarioWorker {
    tx: mpsc::Sender<Request>,
}

impl ScenarioWorker {
    pub fn spawn(options: LabOptions) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel::<Request>();
        std::thread::Builder::new()
            .name("scenario-engine".into())
            .stack_size(ENGINE_STACK)
            .spawn(move || serve(&rx, &options))?;
        Ok(Self { tx })
    }

    /// Runs one message; `None` if the engine thread is gone.
    pub async fn turn(&self, loaded: Loaded, message: Message) -> Option<TurnRecord> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Request {
                loaded,
                message,
                reply,
            })
            .ok()?;
        answer.await.ok()
    }
}

fn serve(rx: &mpsc::Receiver<Request>, options: &LabOptions) {
    let mut current: Option<(u64, Session)> = None;
    while let Ok(Request {
        loaded,
        message,
        reply,
    }) = rx.recv()
    {
        let session = match &mut current {
            Some((version, session)) => {
                if *version != loaded.version {
                    session.reload(loaded.scenario.clone());
                    *version = loaded.version;
                }
                session.set_nlu(loaded.nlu.clone());
                session
            }
            None => {
                let session = Session::new(loaded.scenario.clone(), loaded.nlu.clone(), options.clone());
                &mut current.insert((loaded.version, session)).1
            }
        };
        let mut record = session.handle(&message);
        // The file's version, not the session's count of reloads.
        record.scenario_version = loaded.version;
        let _ = reply.send(record);
        session.prepare();
    }
}
