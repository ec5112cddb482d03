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
             CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS removed (group_id TEXT NOT NULL, wa_id TEXT NOT NULL,
                PRIMARY KEY (group_id, wa_id));",
        )?;
        // Columns added since the first version: a database file from then keeps working.
        for (table, column, decl) in [
            ("groups", "ready_at_ms", "INTEGER NOT NULL DEFAULT 0"),
            ("members", "user_id", "TEXT"),
            ("receipts", "pricing_type", "TEXT"),
            ("deliveries", "abandoned_at", "INTEGER"),
        ] {
            let has: bool = db.query_row(
                &format!("SELECT count(*) FROM pragma_table_info('{table}') WHERE name = ?1"),
                params![column],
                |r| r.get::<_, i64>(0).map(|n| n > 0),
            )?;
            if !has {
                db.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl}"))?;
            }
        }
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

    /// The groups `filter` (a condition and order, never user text) selects, in its order. A
    /// group exists only once its `group_create` webhook is due: creation is asynchronous.
    fn select_groups(
        &self,
        filter: &str,
        args: impl rusqlite::Params,
    ) -> rusqlite::Result<Vec<Group>> {
        let now = crate::now_ms();
        let mut st = self.db.prepare(&format!(
            "SELECT id, phone, subject, description, join_approval_mode, invite_code, suspended, created_at
             FROM groups WHERE ready_at_ms <= {now} AND {filter}"
        ))?;
        let rows = st.query_map(args, row_to_group)?;
        rows.collect()
    }

    pub fn group(&self, id: &str) -> rusqlite::Result<Option<Group>> {
        Ok(self
            .select_groups("id = ?1", params![id])?
            .into_iter()
            .next())
    }

    pub fn group_by_invite(&self, code: &str) -> rusqlite::Result<Option<Group>> {
        Ok(self
            .select_groups("invite_code = ?1", params![code])?
            .into_iter()
            .next())
    }

    pub fn groups_of(&self, phone: &str) -> rusqlite::Result<Vec<Group>> {
        self.select_groups("phone = ?1 ORDER BY created_at, id", params![phone])
    }

    pub fn all_groups(&self) -> rusqlite::Result<Vec<Group>> {
        self.select_groups("1 ORDER BY created_at, id", [])
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

    /// Members with their ids: `wa_id` and, when known, `user_id` (BSUID).
    pub fn member_ids(&self, group: &str) -> rusqlite::Result<Vec<(String, Option<String>)>> {
        let mut st = self.db.prepare(
            "SELECT wa_id, user_id FROM members WHERE group_id = ?1 ORDER BY since, wa_id",
        )?;
        let rows = st.query_map(params![group], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    /// Groups of a number, those still being created included (for the creation limit).
    pub fn group_count(&self, phone: &str) -> rusqlite::Result<usize> {
        self.db.query_row(
            "SELECT count(*) FROM groups WHERE phone = ?1",
            params![phone],
            |r| {
                r.get::<_, i64>(0)
                    .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
            },
        )
    }

    /// Whether the business removed this person from the group (they cannot rejoin by link).
    pub fn was_removed(&self, group: &str, wa_id: &str) -> rusqlite::Result<bool> {
        self.db.query_row(
            "SELECT count(*) FROM removed WHERE group_id = ?1 AND wa_id = ?2",
            params![group, wa_id],
            |r| r.get::<_, i64>(0).map(|n| n > 0),
        )
    }

    /// A member's latest receipt of a business message (`delivered`, then `read`) and the
    /// pricing type of that delivery (the same on both).
    pub fn receipt(
        &self,
        message: &str,
        wa_id: &str,
        status: &str,
        pricing_type: &str,
        at: i64,
    ) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT INTO receipts (message_id, wa_id, status, pricing_type, at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(message_id, wa_id) DO UPDATE SET status = ?3, at = ?5",
            params![message, wa_id, status, pricing_type, at],
        )?;
        Ok(())
    }

    /// A member's receipt of a message: its status and pricing type.
    pub fn receipt_of(
        &self,
        message: &str,
        wa_id: &str,
    ) -> rusqlite::Result<Option<(String, String)>> {
        let mut st = self.db.prepare(
            "SELECT status, coalesce(pricing_type, 'regular') FROM receipts WHERE message_id = ?1 AND wa_id = ?2",
        )?;
        let mut rows = st.query_map(params![message, wa_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.next().transpose()
    }

    /// Queue a webhook delivery (sent by the delivery loop, kept with every attempt).
    pub fn enqueue(&self, body: &str, now: i64) -> rusqlite::Result<()> {
        self.enqueue_at(body, now, 0)
    }

    /// Queue a delivery not to be sent before `at_ms`.
    pub fn enqueue_at(&self, body: &str, now: i64, at_ms: i64) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT INTO deliveries (body, created_at, next_at_ms) VALUES (?1, ?2, ?3)",
            params![body, now, at_ms],
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
