//! The shared document on disk: Automerge's own bytes in SQLite.
//!
//! ```sql
//! changes(hash BLOB PRIMARY KEY, bytes BLOB)      -- one Automerge change chunk per row
//! snapshots(id, heads BLOB, bytes BLOB)           -- Automerge save() output
//! signatures(hash, signer, kind, signature)       -- one ed25519 signature per change
//! contract_seen(slot, version, hash)              -- newest contract signature seen per partner
//! ```
//! Any Automerge implementation rebuilds the document by loading the newest snapshot
//! and applying every change row (ORDER BY rowid). The signatures say who made each
//! change; docs/USER_GUIDE.md ("Checking the record without cocoach") verifies them
//! with `sqlite3` and Python.
//!
//! One store, split by concern: this file opens, creates, loads and saves the
//! document (the `changes` and `snapshots` tables); `signatures.rs` keeps who made
//! each change and the newest contract signature seen; `compact.rs` folds change
//! rows into snapshots; `partners.rs` is the partner registry and sync states.

mod compact;
mod partners;
pub(crate) mod saved;
mod signatures;

pub use partners::PartnerRecord;
use saved::SavedHeads;
use signatures::{SIGNATURES, insert_signatures, mark_signing_since, remember_seen};

use std::path::{Path, PathBuf};

use automerge::{AutoCommit, Change, ChangeHash};
use cocoach_doc::{DeviceIdentity, PartnershipDoc, RecordCheck, automerge};
use rusqlite::{Connection, params};

use crate::sqlite::{self, Missing, damaged, damaged_by, sql_err};
use crate::{DataDir, Result, StoreError};

/// 2: the `signatures` table (a version-1 file gains it, and its history is signed
/// once, on the first open by this device's identity).
const VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE changes (
    hash BLOB PRIMARY KEY NOT NULL,
    bytes BLOB NOT NULL,
    saved_at INTEGER NOT NULL
);
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    heads BLOB NOT NULL,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE sync_states (
    peer TEXT PRIMARY KEY NOT NULL,
    state BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE partners (
    key TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    addresses TEXT NOT NULL DEFAULT '',
    paired_at INTEGER,
    last_seen INTEGER
);
CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE signatures (
    hash BLOB PRIMARY KEY NOT NULL,
    signer BLOB NOT NULL,
    kind TEXT NOT NULL,
    signature BLOB NOT NULL,
    signed_at INTEGER NOT NULL
);
";

/// Change rows beyond which [`PartnershipStore::maybe_compact`] folds them into a snapshot.
pub const COMPACT_THRESHOLD: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenReport {
    pub snapshots: usize,
    pub changes: usize,
    pub bytes: u64,
    /// Changes signed once by this open, because they predate signing (0 but the
    /// first time a build that signs opens an older partnership).
    pub signed_history: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SaveReport {
    /// Changes written (0: nothing was unsaved).
    pub changes: usize,
    pub bytes: usize,
}

/// What [`PartnershipStore::commit_edit`] did with an edit that succeeded.
#[derive(Debug)]
pub struct Edited<T> {
    /// What the edit returned (a new id, say).
    pub value: T,
    pub saved: SaveReport,
    /// The compaction that followed the save failed. The edit is saved all the same
    /// (its transaction committed): never report it as failed, or a retry would
    /// apply it twice. The rows stay and a later save compacts again.
    pub compaction_failed: Option<StoreError>,
}

/// Why [`PartnershipStore::commit_edit`] failed.
#[derive(Debug, thiserror::Error)]
pub enum EditError<E> {
    /// The edit itself was refused; nothing of it stays in the document.
    #[error(transparent)]
    Edit(E),
    /// The edit is in the document but not on disk ("Not saved"); the next save
    /// writes it.
    #[error("the edit was not saved")]
    NotSaved(#[source] StoreError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactReport {
    /// Change rows folded into the new snapshot.
    pub folded: usize,
    pub snapshot_bytes: usize,
    pub millis: u128,
}

#[derive(Debug)]
pub struct PartnershipStore {
    conn: Connection,
    file: PathBuf,
    compact_threshold: usize,
    record: RecordCheck,
    /// What this device saved last, in its device file (see `saved.rs`).
    saved: SavedHeads,
}

/// Every `(integer, blob)` row that `sql` selects.
fn int_blob_rows(conn: &Connection, sql: &str, file: &Path) -> Result<Vec<(i64, Vec<u8>)>> {
    let err = sql_err(file);
    let mut stmt = conn.prepare(sql).map_err(&err)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .map_err(&err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(&err)?;
    Ok(rows)
}

fn encode_heads(heads: &[ChangeHash]) -> Vec<u8> {
    heads.iter().flat_map(|h| h.0).collect()
}

fn decode_heads(b: &[u8]) -> Option<Vec<ChangeHash>> {
    if !b.len().is_multiple_of(32) {
        return None;
    }
    b.chunks(32)
        .map(|c| c.try_into().ok().map(ChangeHash))
        .collect()
}

impl PartnershipStore {
    /// Store a newly created (or newly received) partnership in `dir`: the whole
    /// document as its first snapshot, in the same transaction that creates the file.
    /// Fails if the directory already holds one.
    pub fn create(dir: &DataDir, doc: &mut PartnershipDoc) -> Result<PartnershipStore> {
        Self::create_with_partner(dir, doc, None)
    }

    /// [`PartnershipStore::create`] for a device that just joined: the partner who
    /// invited it is pinned in the same transaction that creates the file, so a
    /// crash leaves either no partnership (join again) or one with its partner —
    /// never a partnership without a partner (found by the crash-step test).
    pub fn create_with_partner(
        dir: &DataDir,
        doc: &mut PartnershipDoc,
        partner: Option<&PartnerRecord>,
    ) -> Result<PartnershipStore> {
        dir.ensure()?;
        let file = dir.partnership_db();
        if file.exists() {
            return Err(StoreError::AlreadyExists(dir.root().to_path_buf()));
        }
        let heads = doc.heads();
        let bytes = doc.automerge_mut().save();
        let id = doc.partnership_id();
        let f = file.clone();
        let (conn, _) = sqlite::open(&file, VERSION, SCHEMA, Missing::Create, |tx| {
            let err = sql_err(&f);
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('partnership_id', ?1)",
                params![id.as_str()],
            )
            .map_err(&err)?;
            tx.execute(
                "INSERT INTO snapshots(heads, bytes, created_at) VALUES (?1, ?2, ?3)",
                params![encode_heads(&heads), bytes, cocoach_doc::now_ms()],
            )
            .map_err(&err)?;
            insert_signatures(tx, &doc.all_signatures()).map_err(&err)?;
            tx.execute_batch(SIGNATURES).map_err(&err)?;
            remember_seen(tx, &doc.newer_signatures()).map_err(&err)?;
            mark_signing_since(tx).map_err(&err)?;
            if let Some(p) = partner {
                partners::upsert_partner_in(tx, p).map_err(&err)?;
            }
            Ok(())
        })?;
        let seen = doc.newer_signatures();
        doc.note_seen(&seen);
        // A partnership made afresh here (a joined one may have been here before,
        // further along: what this device saved of it then no longer counts).
        let mut saved = SavedHeads::open(dir, id.as_str());
        saved.record(&heads);
        doc.mark_saved(heads);
        Ok(PartnershipStore {
            conn,
            file,
            compact_threshold: COMPACT_THRESHOLD,
            record: RecordCheck::default(),
            saved,
        })
    }

    /// Open the partnership in `dir` and rebuild the document from its rows, with the
    /// signatures of its changes.
    ///
    /// `me` is this device's identity, for a device that will edit: it signs every
    /// new change; the keys pinned here (its own and the partner's from the registry)
    /// decide whose signatures count; the history that predates signing is signed
    /// once (its own changes as "migrated", the partner's as "vouched"); and every
    /// change is checked ([`PartnershipStore::record`]). `None` opens to read only.
    pub fn open(
        dir: &DataDir,
        me: Option<&DeviceIdentity>,
    ) -> Result<(PartnershipStore, PartnershipDoc, OpenReport)> {
        let file = dir.partnership_db();
        let (conn, _) = sqlite::open(&file, VERSION, SCHEMA, Missing::Fail, |_| Ok(()))?;
        let mut store = PartnershipStore {
            conn,
            file,
            compact_threshold: COMPACT_THRESHOLD,
            record: RecordCheck::default(),
            saved: SavedHeads::none(dir),
        };
        store
            .conn
            .execute_batch(SIGNATURES)
            .map_err(sql_err(&store.file))?;
        let (am, mut report) = store.load()?;
        let mut doc = PartnershipDoc::from_automerge(am).map_err(|e| match e {
            // Not damage: a newer cocoach wrote it. Nothing is copied or changed.
            cocoach_doc::DocError::NeedsNewerVersion(_) => StoreError::Doc(e),
            e => damaged_by(&store.file, "it does not hold a readable partnership", e),
        })?;
        store.saved = SavedHeads::open(dir, doc.partnership_id().as_str());
        store.check_saved(&mut doc)?;
        doc.load_signatures(store.load_signatures()?);
        if let Some(id) = me {
            doc.set_signer(id);
            let me = id.public();
            doc.set_pinned_keys(&Self::pins(me, store.pinned_partner(me)?));
            doc.set_retired_keys(&store.retired_keys()?);
            report.signed_history = store.sign_history(&mut doc, id)?;
            doc.set_seen_signatures(store.load_seen()?);
            // A partnership from before rollback protection: what it holds now is
            // the newest this device has seen.
            store.remember_newer(&mut doc)?;
            store.record = doc.check_record();
            if !store.record.unverified.is_empty() {
                tracing::warn!(
                    unverified = store.record.unverified.len(),
                    "changes in the record carry no valid signature by their author"
                );
            }
        }
        sqlite::trust(&store.conn, &store.file)?;
        Ok((store, doc, report))
    }

    /// Every head this device recorded as saved must be in what was loaded: a
    /// damaged or cut write-ahead log, or an older copy of the file, would
    /// otherwise open as an earlier partnership without a word.
    fn check_saved(&self, doc: &mut PartnershipDoc) -> Result<()> {
        let Some(rec) = self.saved.recorded() else {
            return Ok(());
        };
        let missing = doc.automerge_mut().get_missing_deps(&rec.heads);
        if missing.is_empty() {
            return Ok(());
        }
        tracing::warn!(
            missing = missing.len(),
            recorded = rec.heads.len(),
            saved_at_ms = rec.saved_at_ms,
            "the partnership file lacks changes this device saved"
        );
        Err(damaged(
            &self.file,
            "it lacks the latest changes this device saved in it (part of its write-ahead log \
             or of the file was lost, or an older copy replaced it)",
        ))
    }

    /// What checking every change's signature found when this store was opened with
    /// an identity (empty otherwise).
    pub fn record(&self) -> &RecordCheck {
        &self.record
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    fn load(&self) -> Result<(AutoCommit, OpenReport)> {
        let err = sql_err(&self.file);
        let mut bytes_total = 0u64;
        let mut doc: Option<AutoCommit> = None;
        let snaps = int_blob_rows(
            &self.conn,
            "SELECT id, bytes FROM snapshots ORDER BY id DESC",
            &self.file,
        )?;
        for (id, bytes) in &snaps {
            if bytes.is_empty() {
                return Err(damaged(&self.file, format!("snapshot {id} is empty")));
            }
            bytes_total += bytes.len() as u64;
            let loaded = match doc.as_mut() {
                None => AutoCommit::load(bytes).map(|d| doc = Some(d)),
                Some(d) => d.load_incremental(bytes).map(|_| ()),
            };
            loaded.map_err(|e| {
                damaged_by(&self.file, format!("snapshot {id} cannot be loaded"), e)
            })?;
        }
        let mut stmt = self
            .conn
            .prepare("SELECT rowid, hash, bytes FROM changes ORDER BY rowid")
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })
            .map_err(&err)?;
        let mut changes = Vec::new();
        for row in rows {
            let (rowid, hash, bytes) = row.map_err(&err)?;
            if bytes.is_empty() {
                return Err(damaged(&self.file, format!("change row {rowid} is empty")));
            }
            bytes_total += bytes.len() as u64;
            let change = Change::from_bytes(bytes).map_err(|e| {
                damaged_by(&self.file, format!("change row {rowid} cannot be read"), e)
            })?;
            if change.hash().0.as_slice() != hash.as_slice() {
                return Err(damaged(
                    &self.file,
                    format!("change row {rowid} does not match its recorded hash"),
                ));
            }
            changes.push(change);
        }
        if snaps.is_empty() && changes.is_empty() {
            return Err(damaged(&self.file, "it holds no partnership data"));
        }
        let n_changes = changes.len();
        let mut doc = doc.unwrap_or_default();
        doc.apply_changes_batch(changes)
            .map_err(|e| damaged_by(&self.file, "its changes cannot be applied", e))?;
        let missing = doc.get_missing_deps(&[]);
        if !missing.is_empty() {
            return Err(damaged(
                &self.file,
                format!("{} change(s) are missing from its history", missing.len()),
            ));
        }
        Ok((
            doc,
            OpenReport {
                snapshots: snaps.len(),
                changes: n_changes,
                bytes: bytes_total,
                signed_history: 0,
            },
        ))
    }

    /// Write every committed but unsaved change of `doc` in one transaction. When this
    /// returns `Ok`, the changes are durable ("saved").
    pub fn save(&mut self, doc: &mut PartnershipDoc) -> Result<SaveReport> {
        self.save_with_partner(doc, None)
    }

    /// [`PartnershipStore::save`], with the partner row `partner` written in the
    /// same transaction: the host's accept names the guest in the document and pins
    /// their key at once, so a crash leaves either neither or both (found by the
    /// crash-step test).
    pub fn save_with_partner(
        &mut self,
        doc: &mut PartnershipDoc,
        partner: Option<&PartnerRecord>,
    ) -> Result<SaveReport> {
        let mut changes = doc.unsaved_changes();
        if changes.is_empty() && partner.is_none() {
            return Ok(SaveReport::default());
        }
        let heads = doc.heads();
        let err = sql_err(&self.file);
        let hashes: Vec<ChangeHash> = changes.iter().map(|c| c.hash()).collect();
        let sigs = doc.signatures_for(&hashes);
        let seen = doc.newer_signatures();
        let tx = self.conn.transaction().map_err(&err)?;
        let bytes = insert_changes(&tx, &mut changes).map_err(&err)?;
        insert_signatures(&tx, &sigs).map_err(&err)?;
        remember_seen(&tx, &seen).map_err(&err)?;
        if let Some(p) = partner {
            partners::upsert_partner_in(&tx, p).map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        self.saved.record(&heads);
        doc.mark_saved(heads);
        doc.note_seen(&seen);
        Ok(SaveReport {
            changes: changes.len(),
            bytes,
        })
    }

    /// The one write path of an edit, for the window's node and the command line
    /// alike: apply `f`, then commit and save it in one transaction, then compact if
    /// due. An `f` that fails is rolled back, so nothing half done rides along with
    /// a later edit. Saved means this returned `Ok`; a failing compaction afterwards
    /// is reported in [`Edited::compaction_failed`], not as a failed edit.
    pub fn commit_edit<T, E>(
        &mut self,
        doc: &mut PartnershipDoc,
        f: impl FnOnce(&mut PartnershipDoc) -> Result<T, E>,
    ) -> Result<Edited<T>, EditError<E>> {
        let value = match f(doc) {
            Ok(v) => {
                doc.commit();
                v
            }
            Err(e) => {
                doc.rollback();
                return Err(EditError::Edit(e));
            }
        };
        let (saved, compaction_failed) =
            self.save_then_compact(doc).map_err(EditError::NotSaved)?;
        Ok(Edited {
            value,
            saved,
            compaction_failed,
        })
    }

    /// Save what is committed (an edit, or changes from the partner), then compact if
    /// due. Only the save can fail this call: a compaction error comes back beside
    /// the report, since the changes are durable by then.
    pub fn save_then_compact(
        &mut self,
        doc: &mut PartnershipDoc,
    ) -> Result<(SaveReport, Option<StoreError>)> {
        let saved = self.save(doc)?;
        let compaction_failed = self.maybe_compact(doc).err();
        Ok((saved, compaction_failed))
    }
}

fn insert_changes(
    tx: &rusqlite::Transaction<'_>,
    changes: &mut [Change],
) -> rusqlite::Result<usize> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO changes(hash, bytes, saved_at) VALUES (?1, ?2, ?3)",
    )?;
    let now = cocoach_doc::now_ms();
    let mut total = 0;
    for c in changes.iter_mut() {
        let hash = c.hash();
        let bytes = c.bytes();
        total += bytes.len();
        stmt.execute(params![hash.0.as_slice(), bytes.as_ref(), now])?;
    }
    Ok(total)
}
