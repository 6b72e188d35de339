//! Schema migrations, applied in order on open. Once released, never edit
//! one: add the next. (Nothing is released yet, so 1 is still the draft.)

use rusqlite_migration::{M, Migrations};

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            r#"
        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE conversations (
            id              TEXT PRIMARY KEY,
            position        INTEGER NOT NULL,
            profile_name    TEXT NOT NULL,
            avatar_id       TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            ended           INTEGER NOT NULL DEFAULT 0,
            created_at      INTEGER NOT NULL
        );
        CREATE INDEX conversations_by_conversation_id ON conversations(conversation_id);
        CREATE TABLE turns (
            id              TEXT PRIMARY KEY,
            conversation    TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            seq             INTEGER NOT NULL,
            utterance       TEXT NOT NULL,
            custom_data     TEXT NOT NULL,
            callback_uri    TEXT NOT NULL,
            sent_at         INTEGER NOT NULL,
            state           TEXT NOT NULL,
            error_code      TEXT,
            error_message   TEXT,
            -- JSON array of HttpExchange: every attempt, secrets redacted.
            exchanges       TEXT NOT NULL DEFAULT '[]',
            UNIQUE (conversation, seq)
        );
        CREATE TABLE callbacks (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation    TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            turn            TEXT REFERENCES turns(id) ON DELETE CASCADE,
            received_at     INTEGER NOT NULL,
            dialect         TEXT NOT NULL,
            is_final        INTEGER NOT NULL,
            response        TEXT,
            custom_data     TEXT NOT NULL,
            -- `turn=<seq>` from the callback URI's query, if any.
            turn_hint       INTEGER,
            -- JSON array of ReplyFlag, decided once at pairing time.
            flags           TEXT NOT NULL DEFAULT '[]',
            raw_headers     TEXT NOT NULL,
            raw_body        BLOB NOT NULL
        );
        CREATE INDEX callbacks_by_turn ON callbacks(turn);
        CREATE INDEX callbacks_by_conversation ON callbacks(conversation, id);
        CREATE INDEX turns_by_conversation ON turns(conversation, seq);
        CREATE TABLE inbox (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            received_at     INTEGER NOT NULL,
            reason          TEXT NOT NULL,
            detail          TEXT NOT NULL,
            method          TEXT NOT NULL,
            path            TEXT NOT NULL,
            raw_headers     TEXT NOT NULL,
            raw_body        BLOB NOT NULL
        );
        "#,
        ),
        // Panes: closing keeps the transcript (closed = 1); the customData
        // template and the simulated user id belong to the pane.
        M::up(
            r#"
        ALTER TABLE conversations ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conversations ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE conversations ADD COLUMN custom_data_template TEXT NOT NULL DEFAULT '{}';
        "#,
        ),
        // Which profile a conversation sends with ('' = the default profile).
        M::up("ALTER TABLE conversations ADD COLUMN profile_id TEXT NOT NULL DEFAULT '';"),
        // Imported transcripts open as read-only panes.
        M::up("ALTER TABLE conversations ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;"),
        // UNIQUE (conversation, seq) already indexes turns by conversation:
        // the second index only cost a page write on every sent turn.
        M::up("DROP INDEX turns_by_conversation;"),
        // One B-tree per journal write. A commit costs a fixed part plus one
        // WAL frame per page it touched: a turn touched 3 (the row, the TEXT
        // id's index, the (conversation, seq) index) and a callback 4 (the
        // row, two indexes, sqlite_sequence for AUTOINCREMENT). Both are now
        // clustered on their conversation, so each write touches one page
        // (`console-bench overhead`, docs/benchmarks.md). Turns are never
        // updated: how a delivery ended is its own row in `turn_outcomes`
        // (the exchanges grew each turn's row by ~1 KB, splitting pages).
        // Callbacks point at their turn by seq; ids are assigned by the store.
        M::up(
            r#"
        CREATE TABLE turns_v6 (
            conversation    TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            seq             INTEGER NOT NULL,
            id              TEXT NOT NULL,
            utterance       TEXT NOT NULL,
            custom_data     TEXT NOT NULL,
            callback_uri    TEXT NOT NULL,
            sent_at         INTEGER NOT NULL,
            PRIMARY KEY (conversation, seq)
        ) WITHOUT ROWID;
        INSERT INTO turns_v6 (conversation, seq, id, utterance, custom_data, callback_uri, sent_at)
            SELECT conversation, seq, id, utterance, custom_data, callback_uri, sent_at FROM turns;
        CREATE TABLE turn_outcomes (
            conversation    TEXT NOT NULL,
            seq             INTEGER NOT NULL,
            state           TEXT NOT NULL,
            error_code      TEXT,
            error_message   TEXT,
            -- JSON array of HttpExchange: every attempt, secrets redacted.
            exchanges       TEXT NOT NULL,
            PRIMARY KEY (conversation, seq),
            FOREIGN KEY (conversation, seq) REFERENCES turns_v6(conversation, seq) ON DELETE CASCADE
        ) WITHOUT ROWID;
        INSERT INTO turn_outcomes (conversation, seq, state, error_code, error_message, exchanges)
            SELECT conversation, seq, state, error_code, error_message, exchanges FROM turns WHERE state != 'sending';
        CREATE TABLE callbacks_v6 (
            conversation    TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            id              INTEGER NOT NULL,
            -- The turn it was paired with (NULL: unpaired).
            turn_seq        INTEGER,
            received_at     INTEGER NOT NULL,
            dialect         TEXT NOT NULL,
            is_final        INTEGER NOT NULL,
            response        TEXT,
            custom_data     TEXT NOT NULL,
            -- `turn=<seq>` from the callback URI's query, if any.
            turn_hint       INTEGER,
            -- JSON array of ReplyFlag, decided once at pairing time.
            flags           TEXT NOT NULL DEFAULT '[]',
            raw_headers     TEXT NOT NULL,
            raw_body        BLOB NOT NULL,
            PRIMARY KEY (conversation, id),
            FOREIGN KEY (conversation, turn_seq) REFERENCES turns_v6(conversation, seq) ON DELETE CASCADE
        ) WITHOUT ROWID;
        INSERT INTO callbacks_v6 (conversation, id, turn_seq, received_at, dialect, is_final, response, custom_data,
                                  turn_hint, flags, raw_headers, raw_body)
            SELECT c.conversation, c.id, t.seq, c.received_at, c.dialect, c.is_final, c.response, c.custom_data,
                   c.turn_hint, c.flags, c.raw_headers, c.raw_body
            FROM callbacks c LEFT JOIN turns t ON t.id = c.turn;
        DROP TABLE callbacks;
        DROP TABLE turns;
        ALTER TABLE turns_v6 RENAME TO turns;
        ALTER TABLE callbacks_v6 RENAME TO callbacks;
        "#,
        ),
        // 7: how far the append log (`store/log.rs`) has been applied.
        M::up(
            r#"
        CREATE TABLE log_state (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            applied_lsn INTEGER NOT NULL
        );
        INSERT INTO log_state (id, applied_lsn) VALUES (1, 0);
        "#,
        ),
    ])
}

#[cfg(test)]
mod tests {
    use rusqlite::{Connection, params};
    use rusqlite_migration::SchemaVersion;

    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }

    /// A journal written by the schema before the clustered tables keeps
    /// every turn, outcome and callback, paired with the same turn.
    #[test]
    fn clustered_tables_keep_an_older_journal() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "foreign_keys", "ON").expect("fk");
        let migrations = super::migrations();
        migrations.to_version(&mut conn, 5).expect("to 5");
        conn.execute_batch(
            "INSERT INTO conversations (id, position, profile_name, avatar_id, conversation_id, created_at)
                 VALUES ('c1', 0, 'p', 'a', 'conv-1', 0);
             INSERT INTO turns (id, conversation, seq, utterance, custom_data, callback_uri, sent_at, state, exchanges)
                 VALUES ('t1', 'c1', 1, 'hi', '{}', 'u?turn=1', 10, 'sent', '[1]'),
                        ('t2', 'c1', 2, 'again', '{}', 'u?turn=2', 20, 'sending', '[]');
             INSERT INTO callbacks (conversation, turn, received_at, dialect, is_final, custom_data, raw_headers, raw_body)
                 VALUES ('c1', 't1', 11, 'camelCase', 0, '{}', 'h', x'7b7d'),
                        ('c1', NULL, 12, 'camelCase', 0, '{}', 'h', x'7b7d');",
        )
        .expect("old rows");
        migrations.to_latest(&mut conn).expect("to latest");
        assert!(matches!(
            migrations.current_version(&conn).expect("version"),
            SchemaVersion::Inside(_)
        ));
        let turns: Vec<(i64, String)> = conn
            .prepare("SELECT seq, id FROM turns WHERE conversation = 'c1' ORDER BY seq")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(turns, vec![(1, "t1".to_owned()), (2, "t2".to_owned())]);
        let outcomes: Vec<(i64, String, String)> = conn
            .prepare("SELECT seq, state, exchanges FROM turn_outcomes ORDER BY seq")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(outcomes, vec![(1, "sent".to_owned(), "[1]".to_owned())]);
        let callbacks: Vec<(i64, Option<i64>)> = conn
            .prepare("SELECT id, turn_seq FROM callbacks WHERE conversation = ?1 ORDER BY id")
            .expect("prepare")
            .query_map(params!["c1"], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(callbacks, vec![(1, Some(1)), (2, None)]);
        let fk_errors: i64 = conn
            .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
            .expect("fk check");
        assert_eq!(fk_errors, 0);
    }
}
