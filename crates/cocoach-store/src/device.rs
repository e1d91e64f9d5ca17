//! This device's identity: a 32-byte ed25519 seed, created on first run, in its own
//! owner-only file. The seed is never logged or shown.

use cocoach_doc::DeviceIdentity;
use rusqlite::{Connection, OptionalExtension, params};

use crate::sqlite::{self, Missing, damaged, sql_err};
use crate::{DataDir, Result};

pub(crate) const VERSION: i64 = 1;
pub(crate) const SCHEMA: &str = "
CREATE TABLE device (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seed BLOB NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
";

#[derive(Debug)]
pub struct DeviceStore {
    conn: Connection,
    file: std::path::PathBuf,
    identity: DeviceIdentity,
    created: bool,
}

impl DeviceStore {
    /// Open the device file, creating a new identity on first run.
    pub fn open_or_create(dir: &DataDir) -> Result<DeviceStore> {
        let fresh = DeviceIdentity::generate()?;
        Self::open_with(dir, &fresh)
    }

    /// Create the device file with a given identity (restoring a device, or tests
    /// and benchmarks that need known keys). Fails if the device already has one.
    pub fn create_with_identity(dir: &DataDir, identity: &DeviceIdentity) -> Result<DeviceStore> {
        if dir.device_db().exists() {
            return Err(crate::StoreError::AlreadyExists(dir.root().to_path_buf()));
        }
        Self::open_with(dir, identity)
    }

    fn open_with(dir: &DataDir, fresh: &DeviceIdentity) -> Result<DeviceStore> {
        dir.ensure()?;
        let file = dir.device_db();
        let seed = fresh.seed();
        let f = file.clone();
        let (conn, created) = sqlite::open(&file, VERSION, SCHEMA, Missing::Create, |tx| {
            tx.execute(
                "INSERT INTO device(id, seed, created_at) VALUES (1, ?1, ?2)",
                params![seed.as_slice(), cocoach_doc::now_ms()],
            )
            .map_err(sql_err(&f))?;
            Ok(())
        })?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
        )
        .map_err(sql_err(&file))?;
        crate::reminders::migrate(&conn, &file)?;
        conn.execute_batch(crate::partnership::saved::TABLE)
            .map_err(sql_err(&file))?;
        let stored: Option<Vec<u8>> = conn
            .query_row("SELECT seed FROM device WHERE id = 1", [], |r| r.get(0))
            .optional()
            .map_err(sql_err(&file))?;
        let Some(stored) = stored else {
            return Err(damaged(&file, "it holds no device identity"));
        };
        let seed: [u8; 32] = stored
            .as_slice()
            .try_into()
            .map_err(|_| damaged(&file, "its device identity has the wrong length"))?;
        sqlite::trust(&conn, &file)?;
        Ok(DeviceStore {
            conn,
            file,
            identity: DeviceIdentity::from_seed(seed),
            created,
        })
    }

    pub fn identity(&self) -> &DeviceIdentity {
        &self.identity
    }

    /// Whether this call created the identity (first run).
    pub fn was_created(&self) -> bool {
        self.created
    }

    /// The user's display name as last given on this device.
    pub fn name(&self) -> Result<String> {
        self.conn
            .query_row("SELECT name FROM device WHERE id = 1", [], |r| r.get(0))
            .map_err(sql_err(&self.file))
    }

    /// The port this device listened on last, so the partner's remembered address
    /// stays valid across restarts.
    pub fn listen_port(&self) -> Result<Option<u16>> {
        let v: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'listen_port'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err(&self.file))?;
        Ok(v.and_then(|v| v.parse().ok()))
    }

    pub fn set_listen_port(&mut self, port: u16) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO settings(key, value) VALUES ('listen_port', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![port.to_string()],
            )
            .map_err(sql_err(&self.file))?;
        Ok(())
    }

    pub fn set_name(&mut self, name: &str) -> Result<()> {
        self.conn
            .execute("UPDATE device SET name = ?1 WHERE id = 1", params![name])
            .map_err(sql_err(&self.file))?;
        Ok(())
    }
}
