//! The sandbox's world, in SQLite (bundled): groups, members, join requests, sent messages,
//! receipts, media and the webhook deliveries waiting or done. A file survives restarts;
//! `:memory:` is for tests. Every statement the sandbox runs is here; a change and the
//! deliveries that report it are written in one transaction ([`Store::atomic`]).

use rusqlite::{params, Connection, OptionalExtension};

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

/// A delivery as the log shows it.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: i64,
    pub body: String,
    pub created_at: i64,
    pub attempts: i64,
    pub delivered_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub abandoned_at: Option<i64>,
    /// The callback's answer to the last attempt (its first kilobyte) and how long it took.
    pub last_body: Option<String>,
    pub last_ms: Option<i64>,
    /// The delivery this one sends again (a redelivery asked for in the console).
    pub redelivery_of: Option<i64>,
}

/// A message the business sent, with its content (the request's JSON).
#[derive(Debug, Clone)]
pub struct SentMessage {
    pub id: String,
    pub sent_at: i64,
    pub category: String,
    pub body: Option<String>,
}

/// A delivery due now.
#[derive(Debug, Clone)]
pub struct Due {
    pub id: i64,
    pub body: String,
    pub attempts: i64,
    /// When it was queued (milliseconds): the retry period counts from there.
    pub queued_ms: i64,
    /// Already held back once (chaos: shuffle).
    pub held: bool,
}

/// One attempt's outcome, as the delivery loop records it.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub status: Option<i64>,
    pub error: Option<String>,
    pub body: Option<String>,
    pub ms: i64,
    pub delivered: bool,
    pub abandoned: bool,
    pub next_at_ms: i64,
}

/// What analytics count: messages sent, receipts, the first send, deliveries per category.
#[derive(Debug, Clone)]
pub struct SentCounts {
    pub sent: i64,
    pub delivered: i64,
    pub start: i64,
    pub per_category: Vec<(String, i64)>,
}

/// An uploaded media file's description.
#[derive(Debug, Clone)]
pub struct Media {
    pub mime_type: String,
    pub sha256: String,
    pub size: i64,
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
            ("deliveries", "last_body", "TEXT"),
            ("deliveries", "last_ms", "INTEGER"),
            ("deliveries", "held", "INTEGER NOT NULL DEFAULT 0"),
            ("deliveries", "redelivery_of", "INTEGER"),
            ("messages", "body", "TEXT"),
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

    /// Run `f` in one transaction: everything it wrote stays, or (on an error) nothing does.
    pub fn atomic<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.db.execute_batch("BEGIN IMMEDIATE")?;
        match f(self) {
            Ok(v) => {
                self.db.execute_batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                // The error being answered matters more than one from the rollback.
                if let Err(rollback) = self.db.execute_batch("ROLLBACK") {
                    eprintln!("wagroups-sandbox: rollback: {rollback}");
                }
                Err(e)
            }
        }
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
    pub fn request_id(&self) -> rusqlite::Result<String> {
        Ok(format!("{:032X}", self.next("request")?))
    }

    // ---- groups ----

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

    /// A new group, existing from `ready_at_ms` on.
    pub fn insert_group(&self, g: &Group, ready_at_ms: i64) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT INTO groups (id, phone, subject, description, join_approval_mode, invite_code, suspended, created_at, ready_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8)",
            params![g.id, g.phone, g.subject, g.description, g.join_approval_mode, g.invite_code, g.created_at, ready_at_ms],
        )?;
        Ok(())
    }

    /// A group and everything in it.
    pub fn delete_group(&self, id: &str) -> rusqlite::Result<()> {
        for table in ["members", "join_requests", "messages", "removed"] {
            self.db.execute(
                &format!("DELETE FROM {table} WHERE group_id = ?1"),
                params![id],
            )?;
        }
        self.db
            .execute("DELETE FROM groups WHERE id = ?1", params![id])?;
        Ok(())
    }

    pub fn set_subject(&self, id: &str, subject: &str) -> rusqlite::Result<()> {
        self.db.execute(
            "UPDATE groups SET subject = ?2 WHERE id = ?1",
            params![id, subject],
        )?;
        Ok(())
    }

    pub fn set_description(&self, id: &str, description: &str) -> rusqlite::Result<()> {
        self.db.execute(
            "UPDATE groups SET description = ?2 WHERE id = ?1",
            params![id, description],
        )?;
        Ok(())
    }

    pub fn set_invite_code(&self, id: &str, code: &str) -> rusqlite::Result<()> {
        self.db.execute(
            "UPDATE groups SET invite_code = ?2 WHERE id = ?1",
            params![id, code],
        )?;
        Ok(())
    }

    pub fn set_suspended(&self, id: &str, suspended: bool) -> rusqlite::Result<()> {
        self.db.execute(
            "UPDATE groups SET suspended = ?2 WHERE id = ?1",
            params![id, suspended],
        )?;
        Ok(())
    }

    // ---- members and join requests ----

    pub fn members(&self, group: &str) -> rusqlite::Result<Vec<String>> {
        Ok(self
            .member_ids(group)?
            .into_iter()
            .map(|(w, _)| w)
            .collect())
    }

    /// Members with their ids: `wa_id` and, when known, `user_id` (BSUID).
    pub fn member_ids(&self, group: &str) -> rusqlite::Result<Vec<(String, Option<String>)>> {
        let mut st = self.db.prepare(
            "SELECT wa_id, user_id FROM members WHERE group_id = ?1 ORDER BY since, wa_id",
        )?;
        let rows = st.query_map(params![group], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    pub fn add_member(
        &self,
        group: &str,
        wa_id: &str,
        user_id: Option<&str>,
        since: i64,
    ) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT OR IGNORE INTO members (group_id, wa_id, user_id, since) VALUES (?1, ?2, ?3, ?4)",
            params![group, wa_id, user_id, since],
        )?;
        Ok(())
    }

    /// Whether someone left (or was removed).
    pub fn remove_member(&self, group: &str, wa_id: &str) -> rusqlite::Result<bool> {
        Ok(self.db.execute(
            "DELETE FROM members WHERE group_id = ?1 AND wa_id = ?2",
            params![group, wa_id],
        )? > 0)
    }

    /// The business removed this person: they cannot rejoin by link.
    pub fn mark_removed(&self, group: &str, wa_id: &str) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT OR IGNORE INTO removed (group_id, wa_id) VALUES (?1, ?2)",
            params![group, wa_id],
        )?;
        Ok(())
    }

    pub fn was_removed(&self, group: &str, wa_id: &str) -> rusqlite::Result<bool> {
        self.db.query_row(
            "SELECT count(*) FROM removed WHERE group_id = ?1 AND wa_id = ?2",
            params![group, wa_id],
            |r| r.get::<_, i64>(0).map(|n| n > 0),
        )
    }

    pub fn join_requests(&self, group: &str) -> rusqlite::Result<Vec<(String, String, i64)>> {
        let mut st = self
            .db
            .prepare("SELECT id, wa_id, created_at FROM join_requests WHERE group_id = ?1 ORDER BY created_at, id")?;
        let rows = st.query_map(params![group], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect()
    }

    pub fn add_join_request(
        &self,
        id: &str,
        group: &str,
        wa_id: &str,
        at: i64,
    ) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT INTO join_requests (id, group_id, wa_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, group, wa_id, at],
        )?;
        Ok(())
    }

    pub fn close_join_request(&self, id: &str) -> rusqlite::Result<()> {
        self.db
            .execute("DELETE FROM join_requests WHERE id = ?1", params![id])?;
        Ok(())
    }

    // ---- messages, receipts and the service window ----

    /// A message the business sent: its group, time, pricing category and content (the
    /// request's JSON, for the console's conversation).
    pub fn add_message(
        &self,
        id: &str,
        group: &str,
        at: i64,
        category: &str,
        body: &str,
    ) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT INTO messages (id, group_id, sent_at, category, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, group, at, category, body],
        )?;
        Ok(())
    }

    /// The business's messages to a group with their content.
    pub fn sent_messages(&self, group: &str) -> rusqlite::Result<Vec<SentMessage>> {
        let mut st = self.db.prepare(
            "SELECT id, sent_at, category, body FROM messages WHERE group_id = ?1 ORDER BY sent_at, id",
        )?;
        let rows = st.query_map(params![group], |r| {
            Ok(SentMessage {
                id: r.get(0)?,
                sent_at: r.get(1)?,
                category: r.get(2)?,
                body: r.get(3)?,
            })
        })?;
        rows.collect()
    }

    /// A business message's group and pricing category.
    pub fn message(&self, id: &str) -> rusqlite::Result<Option<(String, String)>> {
        self.db
            .query_row(
                "SELECT group_id, category FROM messages WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
    }

    /// The business's messages to a group: id, time, category.
    pub fn messages_of(&self, group: &str) -> rusqlite::Result<Vec<(String, i64, String)>> {
        Ok(self
            .sent_messages(group)?
            .into_iter()
            .map(|m| (m.id, m.sent_at, m.category))
            .collect())
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
        self.db
            .query_row(
                "SELECT status, coalesce(pricing_type, 'regular') FROM receipts WHERE message_id = ?1 AND wa_id = ?2",
                params![message, wa_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
    }

    /// Every member's receipt of a message: wa_id and status.
    pub fn receipts_of(&self, message: &str) -> rusqlite::Result<Vec<(String, String)>> {
        let mut st = self
            .db
            .prepare("SELECT wa_id, status FROM receipts WHERE message_id = ?1 ORDER BY wa_id")?;
        let rows = st.query_map(params![message], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    /// A participant wrote to the group at `at`.
    pub fn inbound(&self, group: &str, at: i64) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT INTO counters (name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = ?2",
            params![format!("last_inbound:{group}"), at],
        )?;
        Ok(())
    }

    /// When a participant last wrote to the group.
    pub fn last_inbound(&self, group: &str) -> rusqlite::Result<Option<i64>> {
        self.db
            .query_row(
                "SELECT value FROM counters WHERE name = ?1",
                params![format!("last_inbound:{group}")],
                |r| r.get(0),
            )
            .optional()
    }

    /// Analytics counts: messages sent, receipts, the first send, and deliveries per category.
    pub fn sent_counts(&self) -> rusqlite::Result<SentCounts> {
        let count = |sql: &str| self.db.query_row(sql, [], |r| r.get::<_, i64>(0));
        let sent = count("SELECT count(*) FROM messages")?;
        let delivered = count("SELECT count(*) FROM receipts")?;
        let start = count("SELECT coalesce(min(sent_at), 0) FROM messages")?;
        let mut st = self.db.prepare(
            "SELECT m.category, count(*) FROM receipts r JOIN messages m ON m.id = r.message_id
             GROUP BY m.category ORDER BY m.category",
        )?;
        let per = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(SentCounts {
            sent,
            delivered,
            start,
            per_category: per,
        })
    }

    // ---- media ----

    pub fn add_media(
        &self,
        id: &str,
        phone: &str,
        mime: &str,
        sha256: &str,
        bytes: &[u8],
        at: i64,
    ) -> rusqlite::Result<()> {
        self.db.execute(
            "INSERT INTO media (id, phone, mime_type, sha256, bytes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, phone, mime, sha256, bytes, at],
        )?;
        Ok(())
    }

    pub fn media(&self, id: &str) -> rusqlite::Result<Option<Media>> {
        self.db
            .query_row(
                "SELECT mime_type, sha256, length(bytes) FROM media WHERE id = ?1",
                params![id],
                |r| {
                    Ok(Media {
                        mime_type: r.get(0)?,
                        sha256: r.get(1)?,
                        size: r.get(2)?,
                    })
                },
            )
            .optional()
    }

    pub fn media_bytes(&self, id: &str) -> rusqlite::Result<Option<(String, Vec<u8>)>> {
        self.db
            .query_row(
                "SELECT mime_type, bytes FROM media WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
    }

    pub fn delete_media(&self, id: &str) -> rusqlite::Result<bool> {
        Ok(self
            .db
            .execute("DELETE FROM media WHERE id = ?1", params![id])?
            > 0)
    }

    // ---- deliveries ----

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

    /// Deliveries due at `now_ms` (not delivered, not abandoned), oldest first.
    pub fn due(&self, now_ms: i64) -> rusqlite::Result<Vec<Due>> {
        let mut st = self.db.prepare(
            "SELECT id, body, attempts, created_at * 1000, held FROM deliveries
             WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_at_ms <= ?1
             ORDER BY id LIMIT 50",
        )?;
        let rows = st.query_map([now_ms], |r| {
            Ok(Due {
                id: r.get(0)?,
                body: r.get(1)?,
                attempts: r.get(2)?,
                queued_ms: r.get(3)?,
                held: r.get::<_, i64>(4)? != 0,
            })
        })?;
        rows.collect()
    }

    /// Hold a delivery back until `until_ms`, once (chaos: shuffle).
    pub fn hold(&self, id: i64, until_ms: i64) -> rusqlite::Result<()> {
        self.db.execute(
            "UPDATE deliveries SET held = 1, next_at_ms = ?2 WHERE id = ?1",
            params![id, until_ms],
        )?;
        Ok(())
    }

    /// One attempt's outcome: delivered, retried at `next_at_ms`, or abandoned.
    pub fn attempted(&self, id: i64, attempts: i64, a: &Attempt, now: i64) -> rusqlite::Result<()> {
        self.db.execute(
            "UPDATE deliveries SET attempts = ?2, last_status = ?3, last_error = ?4,
                delivered_at = CASE WHEN ?5 THEN ?7 ELSE NULL END, next_at_ms = ?8,
                abandoned_at = CASE WHEN ?6 THEN ?7 ELSE NULL END, last_body = ?9, last_ms = ?10
             WHERE id = ?1",
            params![
                id,
                attempts,
                a.status,
                a.error,
                a.delivered,
                a.abandoned,
                now,
                a.next_at_ms,
                a.body,
                a.ms
            ],
        )?;
        Ok(())
    }

    /// The same bytes queued again, as Meta's retries send them (the same signature follows).
    pub fn redeliver(&self, id: i64, now: i64) -> rusqlite::Result<Option<i64>> {
        let n = self.db.execute(
            "INSERT INTO deliveries (body, created_at, next_at_ms, redelivery_of)
             SELECT body, ?2, 0, id FROM deliveries WHERE id = ?1",
            params![id, now],
        )?;
        Ok((n == 1).then(|| self.db.last_insert_rowid()))
    }

    pub fn deliveries(&self) -> rusqlite::Result<Vec<Delivery>> {
        let mut st = self.db.prepare(
            "SELECT id, body, created_at, attempts, delivered_at, last_status, last_error, abandoned_at,
                last_body, last_ms, redelivery_of
             FROM deliveries ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Delivery {
                id: r.get(0)?,
                body: r.get(1)?,
                created_at: r.get(2)?,
                attempts: r.get(3)?,
                delivered_at: r.get(4)?,
                last_status: r.get(5)?,
                last_error: r.get(6)?,
                abandoned_at: r.get(7)?,
                last_body: r.get(8)?,
                last_ms: r.get(9)?,
                redelivery_of: r.get(10)?,
            })
        })?;
        rows.collect()
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
