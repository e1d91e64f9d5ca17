//! What this device saved last, kept outside the partnership file so an earlier
//! state of that file is noticed.
//!
//! SQLite takes a write-ahead log to end at its first frame that does not check
//! out — after a torn last write, as it should, but also after a frame damaged on
//! disk, and a partnership file replaced by an older copy reads just as well. Each
//! would open an *earlier* partnership without a word, losing what was saved
//! after it (found by the damaged-files test). So every save also records its heads
//! in the device file,
//!
//! ```sql
//! saved_heads(partnership_id TEXT PRIMARY KEY, heads BLOB, sha256 BLOB, saved_at INTEGER)
//! ```
//!
//! (`heads`: 32-byte change hashes end to end; `sha256`: of `heads`, so a damaged
//! row is told from a missing change), and opening the partnership checks that
//! every recorded head is in what it loaded: one that is not makes the file
//! `Damaged` (untouched, a copy kept), never an earlier state taken for the latest.
//!
//! The record is written *after* the save's own transaction committed (synced),
//! so it never names a change the partnership file could lack after a power cut;
//! it is written without a sync of its own (`synchronous=NORMAL`): a record lost
//! in a power cut only names older heads, which the file holds. Whatever goes wrong
//! with the record itself (no device file, a damaged row, a failed write) makes the
//! check weaker, never a false alarm: it is skipped with a warning. What
//! legitimately rewinds the partnership — a restore from a backup — forgets the
//! record first ([`forget`]); a backup never carries it.

use std::path::{Path, PathBuf};

use automerge::ChangeHash;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{decode_heads, encode_heads};
use crate::sqlite::{APPLICATION_ID, sql_err};
use crate::{DataDir, Result};

/// The table, owned by the device file's schema (`device.rs` adds it).
pub(crate) const TABLE: &str = "
CREATE TABLE IF NOT EXISTS saved_heads (
    partnership_id TEXT PRIMARY KEY NOT NULL,
    heads BLOB NOT NULL,
    sha256 BLOB NOT NULL,
    saved_at INTEGER NOT NULL
);
";

/// The heads this device recorded for one partnership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recorded {
    pub heads: Vec<ChangeHash>,
    pub saved_at_ms: i64,
}

/// The device file's record of what this device saved last, for one partnership.
#[derive(Debug)]
pub(crate) struct SavedHeads {
    /// `None`: no device file, or one without the table (an older build's, not
    /// opened by this build yet), or it could not be opened: nothing is checked
    /// or recorded.
    conn: Option<Connection>,
    file: PathBuf,
    partnership: String,
}

fn digest(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// A connection to the device file for the record only: it never creates the
/// file, never checkpoints the log on close (the device store's own connection,
/// which checks the file, does that), and writes without a sync.
fn connect(file: &Path) -> rusqlite::Result<Option<Connection>> {
    if !file.exists() {
        return Ok(None);
    }
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app != APPLICATION_ID {
        return Ok(None);
    }
    let has_table = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'saved_heads'",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !has_table {
        return Ok(None);
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(Some(conn))
}

impl SavedHeads {
    /// No record (until [`SavedHeads::open`] names the partnership).
    pub(crate) fn none(dir: &DataDir) -> SavedHeads {
        SavedHeads {
            conn: None,
            file: dir.device_db(),
            partnership: String::new(),
        }
    }

    pub(crate) fn open(dir: &DataDir, partnership: &str) -> SavedHeads {
        let file = dir.device_db();
        let conn = connect(&file).unwrap_or_else(|e| {
            tracing::warn!(file = %file.display(), error = %cocoach_doc::error_text(&e),
                "the record of what this device saved last cannot be read; the partnership is opened without checking it");
            None
        });
        SavedHeads {
            conn,
            file,
            partnership: partnership.to_string(),
        }
    }

    /// The heads recorded by the last save, if there is a sound record.
    pub(crate) fn recorded(&self) -> Option<Recorded> {
        let conn = self.conn.as_ref()?;
        let row = conn
            .query_row(
                "SELECT heads, sha256, saved_at FROM saved_heads WHERE partnership_id = ?1",
                params![self.partnership],
                |r| {
                    Ok((
                        r.get::<_, Vec<u8>>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                },
            )
            .optional();
        let (heads, sum, saved_at_ms) = match row {
            Ok(Some(r)) => r,
            Ok(None) => return None,
            Err(e) => {
                tracing::warn!(file = %self.file.display(), error = %cocoach_doc::error_text(&e),
                    "the record of what this device saved last cannot be read; not checked");
                return None;
            }
        };
        let heads = (digest(&heads) == sum)
            .then(|| decode_heads(&heads))
            .flatten();
        let Some(heads) = heads else {
            tracing::warn!(file = %self.file.display(),
                "the record of what this device saved last is damaged; not checked");
            return None;
        };
        Some(Recorded { heads, saved_at_ms })
    }

    /// Record `heads` as saved. Call only once the save that made them committed.
    /// A failure is logged, not returned: the save itself stands, and an older
    /// record only checks less.
    pub(crate) fn record(&mut self, heads: &[ChangeHash]) {
        let Some(conn) = self.conn.as_ref() else {
            return;
        };
        let bytes = encode_heads(heads);
        let r = conn.execute(
            "INSERT INTO saved_heads(partnership_id, heads, sha256, saved_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(partnership_id) DO UPDATE
             SET heads = excluded.heads, sha256 = excluded.sha256, saved_at = excluded.saved_at",
            params![
                self.partnership,
                bytes,
                digest(&bytes),
                cocoach_doc::now_ms()
            ],
        );
        if let Err(e) = r {
            tracing::warn!(file = %self.file.display(), error = %cocoach_doc::error_text(&e),
                "could not record what this device saved last (the save itself is done)");
        }
    }
}

/// Forget every recorded save in the device file at `file` (a restore puts an
/// earlier partnership in place, or a backup image must not carry the record).
/// No file, or one without the table: nothing to forget. This write is synced:
/// the file it makes legitimate may be renamed into place right after.
pub(crate) fn forget(file: &Path) -> Result<()> {
    let err = sql_err(file);
    let Some(conn) = connect(file).map_err(&err)? else {
        return Ok(());
    };
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(&err)?;
    conn.execute("DELETE FROM saved_heads", []).map_err(&err)?;
    Ok(())
}
