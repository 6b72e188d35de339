//! Profiles in SQLite, without secrets.
//!
//! The repo has a file of its own (`profiles.db` beside `console.db`): the
//! store's connection holds `console.db` exclusively (`Store::open`). It
//! creates its table itself (`CREATE TABLE IF NOT EXISTS`). Profiles saved
//! before they moved are copied over once ([`ProfileRepo::import_legacy`]).

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use uuid::Uuid;

use super::{Profile, ProfileError};
use crate::time::now_ms;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS profiles (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    position    INTEGER NOT NULL,
    -- the profile as JSON (serde of `Profile`); never holds a secret
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
";

pub struct ProfileRepo {
    conn: Mutex<Connection>,
}

impl ProfileRepo {
    /// Open (or create) the profiles table in the SQLite file at `path`,
    /// the app's `profiles.db`.
    pub fn open(path: &Path) -> Result<Self, ProfileError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Copy the profiles an older version kept in `legacy` (the `profiles`
    /// table of `console.db`), if this repo has none yet. Run it before the
    /// store opens `legacy`. Returns how many were copied.
    pub fn import_legacy(&self, legacy: &Path) -> Result<usize, ProfileError> {
        if !legacy.is_file() || !self.list()?.is_empty() {
            return Ok(0);
        }
        let conn = self.conn()?;
        conn.execute("ATTACH DATABASE ?1 AS legacy", [legacy.to_string_lossy()])?;
        let copied = (|| {
            let has_table: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM legacy.sqlite_master WHERE type = 'table' AND name = 'profiles')",
                [],
                |r| r.get(0),
            )?;
            if !has_table {
                return Ok(0);
            }
            conn.execute(
                "INSERT OR IGNORE INTO profiles (id, name, position, body, created_at, updated_at)
                 SELECT id, name, position, body, created_at, updated_at FROM legacy.profiles",
                [],
            )
        })();
        conn.execute("DETACH DATABASE legacy", [])?;
        Ok(copied?)
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, ProfileError> {
        self.conn
            .lock()
            .map_err(|_| ProfileError::Corrupt("profile database lock poisoned".into()))
    }

    /// All profiles, in the order they were created.
    pub fn list(&self) -> Result<Vec<Profile>, ProfileError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare("SELECT body FROM profiles ORDER BY position, created_at")?;
        let bodies = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        bodies.iter().map(|b| decode(b)).collect()
    }

    pub fn get(&self, id: Uuid) -> Result<Option<Profile>, ProfileError> {
        let body: Option<String> = self
            .conn()?
            .query_row("SELECT body FROM profiles WHERE id = ?1", [id.to_string()], |r| {
                r.get(0)
            })
            .optional()?;
        body.map(|b| decode(&b)).transpose()
    }

    /// Insert or update (by id). Validates first; names are unique, ignoring case.
    pub fn save(&self, profile: &Profile) -> Result<(), ProfileError> {
        profile.validate()?;
        let mut profile = profile.clone();
        profile.name = profile.name.trim().to_owned();
        let body = serde_json::to_string(&profile).map_err(|e| ProfileError::Corrupt(e.to_string()))?;
        let now = now_ms();
        let result = self.conn()?.execute(
            "INSERT INTO profiles (id, name, position, body, created_at, updated_at)
             VALUES (?1, ?2, (SELECT COALESCE(MAX(position), -1) + 1 FROM profiles), ?3, ?4, ?4)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, body = excluded.body, updated_at = excluded.updated_at",
            params![profile.id.to_string(), profile.name, body, now],
        );
        match result {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ConstraintViolation => {
                Err(ProfileError::NameTaken(profile.name))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Remove the row; true if it existed. Use [`super::delete_profile`] to
    /// remove its keychain entries too.
    pub fn delete(&self, id: Uuid) -> Result<bool, ProfileError> {
        let n = self
            .conn()?
            .execute("DELETE FROM profiles WHERE id = ?1", [id.to_string()])?;
        Ok(n > 0)
    }
}

fn decode(body: &str) -> Result<Profile, ProfileError> {
    serde_json::from_str(body).map_err(|e| ProfileError::Corrupt(e.to_string()))
}
