//! The store as a whole: who may open the file, and the append log's
//! promises (reads see every write, a crash loses nothing acknowledged,
//! nothing is applied twice).

use std::path::Path;

use serde_json::json;
use uuid::Uuid;

use super::{NewCallback, NewConversation, NewTurn, Store, StoreError, log};
use crate::model::CallbackDialect;

/// The store's connection holds the file: a second store (another app
/// instance) is refused with a clear error until the first is closed.
#[test]
fn a_second_store_on_the_same_file_is_refused_until_the_first_closes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("console.db");
    let first = Store::open(&path).expect("first");
    first.set_setting("k", "v").expect("write");
    match Store::open(&path) {
        Err(StoreError::InUse(p)) => assert!(p.ends_with("console.db"), "{p}"),
        Err(e) => panic!("expected InUse, got {e}"),
        Ok(_) => panic!("a second store opened the same file"),
    }
    // The error tells the user what to do.
    let message = StoreError::InUse(path.display().to_string()).to_string();
    assert!(message.contains("another Avatar Console"), "{message}");
    drop(first);
    let again = Store::open(&path).expect("free once the first is closed");
    assert_eq!(again.setting("k").expect("read").as_deref(), Some("v"));
}

fn conversation(store: &Store) -> Uuid {
    let id = Uuid::new_v4();
    store
        .insert_conversation(
            &NewConversation {
                id,
                profile_name: "p",
                avatar_id: Uuid::nil(),
                conversation_id: "c-1",
                user_id: "u",
                custom_data_template: "{}",
                profile_id: Uuid::nil(),
            },
            1,
        )
        .expect("conversation");
    id
}

fn turn(store: &Store, conversation: Uuid, seq: u32) {
    store
        .insert_turn(&NewTurn {
            id: Uuid::new_v4(),
            conversation,
            seq,
            utterance: "hello",
            custom_data: &json!({"turn": seq}),
            callback_uri: "http://127.0.0.1/cb",
            sent_at: 10,
        })
        .expect("turn");
}

fn callback(store: &Store, conversation: Uuid, seq: u32) -> i64 {
    store
        .insert_callback(&NewCallback {
            conversation,
            turn_seq: Some(seq),
            turn_hint: Some(seq),
            flags: &[],
            received_at: 20,
            dialect: CallbackDialect::CamelCase,
            is_final: false,
            response: Some("hi"),
            custom_data: &json!({"seen": seq}),
            raw_headers: "content-type: application/json",
            raw_body: br#"{"response":"hi"}"#,
        })
        .expect("callback")
}

/// (turns, replies) of a conversation as the store reads it.
fn counts(store: &Store, id: Uuid) -> (usize, usize) {
    let view = store.conversation(id).expect("read").expect("exists");
    (view.turns.len(), view.turns.iter().map(|t| t.replies.len()).sum())
}

fn log_len(db: &Path) -> u64 {
    std::fs::metadata(log::path_for(db)).map_or(0, |m| m.len())
}

/// What a `kill -9` at this instant leaves on disk: the database, its WAL
/// and the append log. Call it holding the store's connection, so the
/// background thread cannot apply anything meanwhile.
fn copy_as_if_killed(db: &Path, to: &Path) -> std::path::PathBuf {
    let copy = to.join("console.db");
    for suffix in ["", "-wal", "-log"] {
        let from = format!("{}{suffix}", db.display());
        if Path::new(&from).exists() {
            std::fs::copy(&from, format!("{}{suffix}", copy.display())).expect("copy");
        }
    }
    copy
}

fn empty_log() -> u64 {
    log::MAGIC.len() as u64
}

#[test]
fn a_write_is_in_the_log_at_once_and_the_next_read_sees_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("console.db");
    let store = Store::open(&db).expect("open");
    let id = conversation(&store);
    let empty = log_len(&db);
    turn(&store, id, 1);
    callback(&store, id, 1);
    assert!(log_len(&db) > empty, "the writes went to the append log");
    // No wait for the background batch: the read applies what is pending.
    assert_eq!(counts(&store, id), (1, 1));
    assert_eq!(store.callback_count().expect("count"), 1);
}

#[test]
fn entries_a_crash_left_in_the_log_are_replayed_on_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let crashed = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("console.db");
    let store = Store::open(&db).expect("open");
    let id = conversation(&store);
    // Hold the connection across the writes and the copy: none of them
    // reaches SQLite before the "crash".
    let held = store.shared.conn.lock().expect("connection");
    turn(&store, id, 1);
    let first = callback(&store, id, 1);
    turn(&store, id, 2);
    let second = callback(&store, id, 2);
    let copy = copy_as_if_killed(&db, crashed.path());
    drop(held);
    let applied: i64 = rusqlite::Connection::open(&copy)
        .expect("copy opens")
        .query_row("SELECT applied_lsn FROM log_state", [], |r| r.get(0))
        .expect("applied");
    assert_eq!(applied, 0, "the copy's SQLite has none of the four entries");

    let reopened = Store::open(&copy).expect("reopen replays");
    assert_eq!(counts(&reopened, id), (2, 2));
    let view = reopened.conversation(id).expect("read").expect("exists");
    let ids: Vec<i64> = view
        .turns
        .iter()
        .flat_map(|t| t.replies.iter().map(|r| r.id))
        .collect();
    assert_eq!(ids, vec![first, second], "replies keep their ids and turns");
    // Everything is in SQLite now, so the log was emptied; new ids go on.
    assert_eq!(log_len(&copy), empty_log());
    assert!(callback(&reopened, id, 2) > second);
}

#[test]
fn replay_skips_what_sqlite_already_applied() {
    let dir = tempfile::tempdir().expect("tempdir");
    let crashed = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("console.db");
    let store = Store::open(&db).expect("open");
    let id = conversation(&store);
    turn(&store, id, 1);
    callback(&store, id, 1);
    assert_eq!(counts(&store, id), (1, 1), "applied by this read");
    let before = log_len(&db);
    // The log still holds both entries (it is emptied only when large), and
    // SQLite records that it has them.
    let held = store.shared.conn.lock().expect("connection");
    let copy = copy_as_if_killed(&db, crashed.path());
    drop(held);
    assert!(log_len(&copy) == before && before > empty_log());
    let reopened = Store::open(&copy).expect("reopen");
    assert_eq!(counts(&reopened, id), (1, 1), "nothing applied twice");
    assert_eq!(reopened.callback_count().expect("count"), 1);
}

#[test]
fn an_entry_that_conflicts_is_skipped_and_the_rest_are_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("console.db")).expect("open");
    let id = conversation(&store);
    turn(&store, Uuid::new_v4(), 1); // no such conversation: a foreign key fails
    turn(&store, id, 1);
    turn(&store, id, 1); // the same (conversation, seq) twice
    turn(&store, id, 2);
    assert_eq!(counts(&store, id), (2, 0));
}

#[test]
fn closing_the_store_applies_everything_and_empties_the_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("console.db");
    let store = Store::open(&db).expect("open");
    let id = conversation(&store);
    turn(&store, id, 1);
    callback(&store, id, 1);
    drop(store);
    assert_eq!(log_len(&db), empty_log());
    // Another program can read every row without knowing about the log.
    let conn = rusqlite::Connection::open(&db).expect("plain sqlite");
    let rows: i64 = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM turns) + (SELECT COUNT(*) FROM callbacks)",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(rows, 2);
}

#[test]
fn writers_that_outpace_the_batches_apply_them_themselves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("console.db")).expect("open");
    let id = conversation(&store);
    // A thousand appends take a few ms, less than the background thread's
    // batch window: only the writer's own apply keeps the backlog down.
    let seq_max = u32::try_from(super::apply::MAX_PENDING).expect("fits") + 10;
    for seq in 1..=seq_max {
        turn(&store, id, seq);
    }
    let pending = store.shared.tail.lock().expect("tail").pending.len();
    assert!(pending < super::apply::MAX_PENDING, "{pending} entries pending");
    assert_eq!(counts(&store, id).0, seq_max as usize);
}
