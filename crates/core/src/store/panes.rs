//! Pane layout: order, closing (the transcript is kept), per-pane settings.

use rusqlite::params;
use uuid::Uuid;

use super::{Store, StoreError};

impl Store {
    /// Hide a pane; its conversation stays in the store.
    pub fn close_conversation(&self, id: Uuid) -> Result<(), StoreError> {
        self.conn()?.execute(
            "UPDATE conversations SET closed = 1 WHERE id = ?1",
            [id.to_string()],
        )?;
        Ok(())
    }

    /// Put the open pane `id` at `index` among the open panes (clamped).
    pub fn move_conversation(&self, id: Uuid, index: usize) -> Result<(), StoreError> {
        let mut order = self.conversation_ids()?;
        let Some(from) = order.iter().position(|c| *c == id) else {
            return Ok(());
        };
        order.remove(from);
        order.insert(index.min(order.len()), id);
        self.set_order(&order)
    }

    /// Put `new` where `old` was and close `old` (New conversation / New user).
    pub fn replace_conversation(&self, old: Uuid, new: Uuid) -> Result<(), StoreError> {
        let mut order = self.conversation_ids()?;
        let Some(at) = order.iter().position(|c| *c == old) else {
            return Ok(());
        };
        order.retain(|c| *c != new);
        if let Some(slot) = order.get_mut(at) {
            *slot = new;
        }
        self.close_conversation(old)?;
        self.set_order(&order)
    }

    fn set_order(&self, order: &[Uuid]) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        for (position, id) in order.iter().enumerate() {
            tx.execute(
                "UPDATE conversations SET position = ?2 WHERE id = ?1",
                params![id.to_string(), i64::try_from(position).unwrap_or(i64::MAX)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Mark an imported conversation: it can be read, not sent to.
    pub fn set_read_only(&self, id: Uuid) -> Result<(), StoreError> {
        self.conn()?.execute(
            "UPDATE conversations SET read_only = 1 WHERE id = ?1",
            [id.to_string()],
        )?;
        Ok(())
    }

    pub fn set_custom_data_template(&self, id: Uuid, template: &str) -> Result<(), StoreError> {
        self.conn()?.execute(
            "UPDATE conversations SET custom_data_template = ?2 WHERE id = ?1",
            params![id.to_string(), template],
        )?;
        Ok(())
    }
}
