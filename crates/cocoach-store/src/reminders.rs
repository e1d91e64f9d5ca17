//! Which reminders this device has sent, and its quiet hours: two tables of the
//! device file (`device.sqlite3`), since reminders are this device's business and
//! never the partner's.
//!
//! - `reminders_sent(key TEXT PRIMARY KEY, sent_at_ms INTEGER NOT NULL)`: one row per
//!   reminder sent (keys from `cocoach_doc::remind`), so each is sent once;
//! - `settings(key, value)`: the row `quiet_hours` holds `22:00-07:00` or `off`
//!   (no row: the default, 21:00–08:00).
//!
//! Both are plain SQL (`sqlite3 device.sqlite3 'SELECT * FROM reminders_sent'`).
//! The tables are added to an existing device file when it is opened
//! (`CREATE TABLE IF NOT EXISTS`), as the `settings` table was.

use std::collections::HashSet;
use std::path::PathBuf;

use cocoach_doc::remind::QuietHours;
use rusqlite::{Connection, OptionalExtension, params};

use crate::sqlite::{self, Missing, sql_err};
use crate::{DataDir, Result, StoreError};

/// The reminder tables, added to a device file that lacks them.
const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reminders_sent (
    key TEXT PRIMARY KEY NOT NULL,
    sent_at_ms INTEGER NOT NULL
);
";

const QUIET_HOURS: &str = "quiet_hours";

/// Add the reminder tables to the device file behind `conn` if they are missing.
pub(crate) fn migrate(conn: &Connection, file: &std::path::Path) -> Result<()> {
    conn.execute_batch(MIGRATION).map_err(sql_err(file))
}

/// The reminders sent from this device and its quiet hours.
#[derive(Debug)]
pub struct Reminders {
    conn: Connection,
    file: PathBuf,
}

impl Reminders {
    /// Open the reminder tables of the device file, which must exist already (the
    /// device store makes it on first run): this never creates a device identity,
    /// so it cannot race the node making one. It takes no lock on the data
    /// directory either: the caller holds it (the command line) or runs in the
    /// program that does (the window, beside its node). SQLite serialises the
    /// writes of the two connections.
    pub fn open(dir: &DataDir) -> Result<Reminders> {
        let file = dir.device_db();
        if !file.exists() {
            return Err(StoreError::Io {
                path: file,
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
        let (conn, _) = sqlite::open(
            &file,
            crate::device::VERSION,
            crate::device::SCHEMA,
            Missing::Fail,
            |_| Ok(()),
        )?;
        migrate(&conn, &file)?;
        sqlite::trust(&conn, &file)?;
        Ok(Reminders { conn, file })
    }

    /// Every reminder key sent so far.
    pub fn sent_keys(&self) -> Result<HashSet<String>> {
        let err = sql_err(&self.file);
        let mut stmt = self
            .conn
            .prepare("SELECT key FROM reminders_sent")
            .map_err(&err)?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(&err)?;
        rows.collect::<rusqlite::Result<HashSet<String>>>()
            .map_err(&err)
    }

    /// Remember that reminder `key` was sent at `at_ms`. Whether it was new (a key
    /// sent before keeps its first time).
    pub fn mark_sent(&mut self, key: &str, at_ms: i64) -> Result<bool> {
        let n = self
            .conn
            .execute(
                "INSERT INTO reminders_sent(key, sent_at_ms) VALUES (?1, ?2)
                 ON CONFLICT(key) DO NOTHING",
                params![key, at_ms],
            )
            .map_err(sql_err(&self.file))?;
        Ok(n == 1)
    }

    /// The quiet hours set on this device, else the default (21:00–08:00). A value
    /// this build cannot read (edited by hand, or by a newer one) counts as the
    /// default, with a warning; it is kept until new quiet hours are set.
    pub fn quiet_hours(&self) -> Result<QuietHours> {
        let v: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                params![QUIET_HOURS],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err(&self.file))?;
        let Some(v) = v else {
            return Ok(QuietHours::default());
        };
        Ok(v.parse().unwrap_or_else(|_| {
            tracing::warn!(file = %self.file.display(), "unreadable quiet hours in settings: using the default");
            QuietHours::default()
        }))
    }

    pub fn set_quiet_hours(&mut self, q: QuietHours) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![QUIET_HOURS, q.to_string()],
            )
            .map_err(sql_err(&self.file))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DeviceStore;

    #[test]
    fn sent_reminders_are_remembered_across_opens_and_readable_with_plain_sql() {
        let t = tempfile::tempdir().unwrap();
        let dir = DataDir::new(t.path());
        let device = DeviceStore::open_or_create(&dir).unwrap();
        let mut r = Reminders::open(&dir).unwrap();
        assert!(r.sent_keys().unwrap().is_empty());
        assert!(r.mark_sent("due-tomorrow:a1:2026-12-03", 1_000).unwrap());
        assert!(r.mark_sent("meeting:2026-12-02", 2_000).unwrap());
        // Sent twice (say, the window and cron at once): one row, the first time.
        assert!(!r.mark_sent("meeting:2026-12-02", 3_000).unwrap());
        drop(r);
        drop(device);
        let r = Reminders::open(&dir).unwrap();
        let keys = r.sent_keys().unwrap();
        assert_eq!(keys.len(), 2);
        assert!(keys.contains("due-tomorrow:a1:2026-12-03"));
        assert!(keys.contains("meeting:2026-12-02"));
        drop(r);
        let c = Connection::open(dir.device_db()).unwrap();
        let rows: Vec<(String, i64)> = c
            .prepare("SELECT key, sent_at_ms FROM reminders_sent ORDER BY key")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                ("due-tomorrow:a1:2026-12-03".to_string(), 1_000),
                ("meeting:2026-12-02".to_string(), 2_000)
            ]
        );
    }

    #[test]
    fn quiet_hours_default_to_nine_till_eight_and_are_kept_once_set() {
        let t = tempfile::tempdir().unwrap();
        let dir = DataDir::new(t.path());
        DeviceStore::open_or_create(&dir).unwrap();
        let mut r = Reminders::open(&dir).unwrap();
        assert_eq!(r.quiet_hours().unwrap().to_string(), "21:00-08:00");
        r.set_quiet_hours("22:00-07:00".parse().unwrap()).unwrap();
        drop(r);
        let mut r = Reminders::open(&dir).unwrap();
        assert_eq!(r.quiet_hours().unwrap().to_string(), "22:00-07:00");
        r.set_quiet_hours(QuietHours::OFF).unwrap();
        assert!(r.quiet_hours().unwrap().is_off());
        let c = Connection::open(dir.device_db()).unwrap();
        let v: String = c
            .query_row(
                "SELECT value FROM settings WHERE key = 'quiet_hours'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(v, "off");
        // Garbled by hand: the default, not an error.
        c.execute(
            "UPDATE settings SET value = 'soon' WHERE key = 'quiet_hours'",
            [],
        )
        .unwrap();
        assert_eq!(r.quiet_hours().unwrap(), QuietHours::default());
    }

    /// A device file from before reminders (no `reminders_sent` table) gains the
    /// table when opened, keeping everything else.
    #[test]
    fn an_older_device_file_gains_the_table() {
        let t = tempfile::tempdir().unwrap();
        let dir = DataDir::new(t.path());
        let id = {
            let mut d = DeviceStore::open_or_create(&dir).unwrap();
            d.set_name("Ana").unwrap();
            d.identity().public()
        };
        Connection::open(dir.device_db())
            .unwrap()
            .execute_batch("DROP TABLE reminders_sent")
            .unwrap();
        let mut r = Reminders::open(&dir).unwrap();
        assert!(r.mark_sent("meeting:2026-12-02", 1).unwrap());
        let d = DeviceStore::open_or_create(&dir).unwrap();
        assert_eq!(
            (d.identity().public(), d.name().unwrap()),
            (id, "Ana".into())
        );
    }

    /// The window opens the reminder tables beside the node's own connection to
    /// the device file; both write, and neither loses the other's rows.
    #[test]
    fn opens_beside_the_device_store_and_never_creates_a_device() {
        let t = tempfile::tempdir().unwrap();
        let dir = DataDir::new(t.path());
        assert!(Reminders::open(&dir).is_err());
        assert!(!dir.device_db().exists(), "no device file made");
        let mut device = DeviceStore::open_or_create(&dir).unwrap();
        let mut r = Reminders::open(&dir).unwrap();
        device.set_listen_port(4242).unwrap();
        r.mark_sent("overdue:a1:2026-12-01", 5).unwrap();
        device.set_name("Ana").unwrap();
        r.set_quiet_hours("23:00-06:30".parse().unwrap()).unwrap();
        assert_eq!(device.listen_port().unwrap(), Some(4242));
        assert_eq!(device.name().unwrap(), "Ana");
        assert!(r.sent_keys().unwrap().contains("overdue:a1:2026-12-01"));
        let id = device.identity().public();
        drop((device, r));
        let device = DeviceStore::open_or_create(&dir).unwrap();
        assert_eq!(device.identity().public(), id);
        assert_eq!(device.listen_port().unwrap(), Some(4242));
    }
}
