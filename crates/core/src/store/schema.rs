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
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }
}
