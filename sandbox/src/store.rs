//! The sandbox's world, in SQLite (bundled): groups, members, join requests, sent messages and
//! the webhook deliveries waiting or done. A file survives restarts; `:memory:` is for tests.

use rusqlite::{params, Connection};

pub struct Store {
    pub db: Connection,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub phone: String,
    pub subject: String,
    pub description: Option<String>,
    pub join_approval_mode: String,
    pub invite_code: String,
    pub suspended: bool,
    pub created_at: i64,
}

impl Store {
    pub fn open(path: &str) -> rusqlite::Result<Store> {
        let db = Connection::open(path)?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS groups (id TEXT PRIMARY KEY, phone TEXT NOT NULL, subject TEXT NOT NULL,
                description TEXT, join_approval_mode TEXT NOT NULL, invite_code TEXT NOT NULL,
                suspended INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS members (group_id TEXT NOT NULL, wa_id TEXT NOT NULL, since INTEGER NOT NULL,
                PRIMARY KEY (group_id, wa_id));
             CREATE TABLE IF NOT EXISTS join_requests (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, wa_id TEXT NOT NULL,
                created_at INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, group_id TEXT NOT NULL, sent_at INTEGER NOT NULL,
                category TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL,
                created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at_ms INTEGER NOT NULL,
                delivered_at INTEGER, last_status INTEGER, last_error TEXT);
             CREATE TABLE IF NOT EXISTS receipts (message_id TEXT NOT NULL, wa_id TEXT NOT NULL, status TEXT NOT NULL,
                at INTEGER NOT NULL, PRIMARY KEY (message_id, wa_id));
             CREATE TABLE IF NOT EXISTS media (id TEXT PRIMARY KEY, phone TEXT NOT NULL, mime_type TEXT NOT NULL,
                sha256 TEXT NOT NULL, bytes BLOB NOT NULL, created_at INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);",
        )?;
        Ok(Store { db })
    }

    /// The next number of a named sequence (ids are counters, never random: runs replay).
    pub fn next(&self, name: &str) -> rusqlite::Result<i64> {
        self.db.execute(
            "INSERT INTO counters (name, value) VALUES (?1, 1)
             ON CONFLICT(name) DO UPDATE SET value = value + 1",
            params![name],
        )?;
        self.db.query_row(
            "SELECT value FROM counters WHERE name = ?1",
            params![name],
            |r| r.get(0),
        )
    }

    /// The id an asynchronous operation answers with (32 hex digits, like Meta's).
    pub fn request_id(&self) -> String {
        format!("{:032X}", self.next("request").unwrap_or_default())
    }

    /// The groups `filter` (a condition and order, never user text) selects, in its order.
    fn select_groups(
        &self,
        filter: &str,
        args: impl rusqlite::Params,
    ) -> rusqlite::Result<Vec<Group>> {
        let mut st = self.db.prepare(&format!(
            "SELECT id, phone, subject, description, join_approval_mode, invite_code, suspended, created_at
             FROM groups {filter}"
        ))?;
        let rows = st.query_map(args, row_to_group)?;
        rows.collect()
    }

    pub fn group(&self, id: &str) -> rusqlite::Result<Option<Group>> {
        Ok(self
            .select_groups("WHERE id = ?1", params![id])?
            .into_iter()
            .next())
    }

    pub fn group_by_invite(&self, code: &str) -> rusqlite::Result<Option<Group>> {
        Ok(self
            .select_groups("WHERE invite_code = ?1", params![code])?
            .into_iter()
            .next())
    }

    pub fn groups_of(&self, phone: &str) -> rusqlite::Result<Vec<Group>> {
        self.select_groups("WHERE phone = ?1 ORDER BY created_at, id", params![phone])
    }

    pub fn all_groups(&self) -> rusqlite::Result<Vec<Group>> {
        self.select_groups("ORDER BY created_at, id", [])
    }

    pub fn members(&self, group: &str) -> rusqlite::Result<Vec<String>> {
        let mut st = self
            .db
            .prepare("SELECT wa_id FROM members WHERE group_id = ?1 ORDER BY since, wa_id")?;
        let rows = st.query_map(params![group], |r| r.get(0))?;
        rows.collect()
    }

    pub fn join_requests(&self, group: &str) -> rusqlite::Result<Vec<(String, String, i64)>> {
        let mut st = self
            .db
            .prepare("SELECT id, wa_id, created_at FROM join_requests WHERE group_id = ?1 ORDER BY created_at, id")?;
        let rows = st.query_map(params![group], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect()
    }

    /// A member's latest receipt of a business message (`delivered`, then `read`).
    pub fn receipt(
        &self,
        message: &str,
        wa_id: &str,
        status: &str,
        at: i64,
    ) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT INTO receipts (message_id, wa_id, status, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(message_id, wa_id) DO UPDATE SET status = ?3, at = ?4",
            params![message, wa_id, status, at],
        )?;
        Ok(())
    }

    /// Queue a webhook delivery (sent by the delivery loop, kept with every attempt).
    pub fn enqueue(&self, body: &str, now: i64) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT INTO deliveries (body, created_at, next_at_ms) VALUES (?1, ?2, 0)",
            params![body, now],
        )?;
        Ok(())
    }
}

fn row_to_group(r: &rusqlite::Row<'_>) -> rusqlite::Result<Group> {
    Ok(Group {
        id: r.get(0)?,
        phone: r.get(1)?,
        subject: r.get(2)?,
        description: r.get(3)?,
        join_approval_mode: r.get(4)?,
        invite_code: r.get(5)?,
        suspended: r.get::<_, i64>(6)? != 0,
        created_at: r.get(7)?,
    })
}
