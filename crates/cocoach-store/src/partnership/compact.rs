//! Folding change rows into a snapshot, so opening stays fast at any age.

use std::time::Instant;

use cocoach_doc::PartnershipDoc;
use cocoach_doc::automerge::{self, ChangeHash};
use rusqlite::params;

use super::{CompactReport, PartnershipStore, decode_heads, encode_heads, int_blob_rows};
use crate::Result;
use crate::sqlite::sql_err;

impl PartnershipStore {
    /// Number of change rows not yet folded into a snapshot.
    pub fn change_rows(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM changes", [], |r| r.get(0))
            .map_err(sql_err(&self.file))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Change rows at which [`PartnershipStore::maybe_compact`] compacts.
    pub fn set_compact_threshold(&mut self, rows: usize) {
        self.compact_threshold = rows.max(1);
    }

    /// Compact if the change rows have grown past the threshold
    /// ([`COMPACT_THRESHOLD`] unless set).
    pub fn maybe_compact(&mut self, doc: &mut PartnershipDoc) -> Result<Option<CompactReport>> {
        if self.change_rows()? >= self.compact_threshold {
            return self.compact(doc).map(Some);
        }
        Ok(None)
    }

    /// Fold the change rows into one snapshot (`save()` bytes) in one transaction.
    /// Only rows and older snapshots that the new snapshot contains are removed, so a
    /// row written by anyone else meanwhile is never lost.
    pub fn compact(&mut self, doc: &mut PartnershipDoc) -> Result<CompactReport> {
        let start = Instant::now();
        self.save(doc)?;
        let heads = doc.heads();
        let am = doc.automerge_mut();
        let bytes = am.save();
        let err = sql_err(&self.file);
        let tx = self.conn.transaction().map_err(&err)?;
        let rows = int_blob_rows(&tx, "SELECT rowid, hash FROM changes", &self.file)?;
        let snaps = int_blob_rows(&tx, "SELECT id, heads FROM snapshots", &self.file)?;
        let contains = |h: &ChangeHash| automerge::ReadDoc::get_change_by_hash(am, h).is_some();
        tx.execute(
            "INSERT INTO snapshots(heads, bytes, created_at) VALUES (?1, ?2, ?3)",
            params![encode_heads(&heads), bytes, cocoach_doc::now_ms()],
        )
        .map_err(&err)?;
        let mut folded = 0;
        for (rowid, hash) in rows {
            let covered = <[u8; 32]>::try_from(hash.as_slice())
                .map(ChangeHash)
                .is_ok_and(|h| contains(&h));
            if covered {
                tx.execute("DELETE FROM changes WHERE rowid = ?1", params![rowid])
                    .map_err(&err)?;
                folded += 1;
            }
        }
        for (id, heads_blob) in snaps {
            let covered = decode_heads(&heads_blob).is_some_and(|hs| hs.iter().all(contains));
            if covered {
                tx.execute("DELETE FROM snapshots WHERE id = ?1", params![id])
                    .map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        // Return the freed pages to the file system; failure here loses nothing.
        // incremental_vacuum frees one page per step, so step it to the end.
        if let Ok(mut st) = self.conn.prepare("PRAGMA incremental_vacuum")
            && let Ok(mut rows) = st.query([])
        {
            while let Ok(Some(_)) = rows.next() {}
        }
        if let Err(e) = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);") {
            // The WAL is folded in at the next checkpoint instead; nothing is lost.
            tracing::debug!(error = %cocoach_doc::error_text(&e), "WAL checkpoint after compaction failed");
        }
        let report = CompactReport {
            folded,
            snapshot_bytes: bytes.len(),
            millis: start.elapsed().as_millis(),
        };
        tracing::info!(
            folded = report.folded,
            snapshot_bytes = report.snapshot_bytes,
            ms = report.millis,
            "compacted"
        );
        Ok(report)
    }
}
