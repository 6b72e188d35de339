//! Reading and removing single inbox items (to assign one to a conversation).

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

/// A request kept in the inbox, as it arrived.
pub struct StoredRequest {
    pub received_at: i64,
    pub method: String,
    pub path: String,
    pub headers: String,
    pub body: Vec<u8>,
}

impl Store {
    pub fn inbox_item(&self, id: i64) -> Result<Option<StoredRequest>, StoreError> {
        Ok(self
            .conn()?
            .query_row(
                "SELECT received_at, method, path, raw_headers, raw_body FROM inbox WHERE id = ?1",
                params![id],
                |r| {
                    Ok(StoredRequest {
                        received_at: r.get(0)?,
                        method: r.get(1)?,
                        path: r.get(2)?,
                        headers: r.get(3)?,
                        body: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn delete_inbox_item(&self, id: i64) -> Result<(), StoreError> {
        self.conn()?
            .execute("DELETE FROM inbox WHERE id = ?1", params![id])?;
        Ok(())
    }
}
