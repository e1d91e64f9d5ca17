//! Who made each change and the newest contract signature seen: the `signatures`
//! and `contract_seen` tables, the one-time signing of older history, and loading
//! both into the document on open.

use cocoach_doc::automerge::ChangeHash;
use cocoach_doc::{
    ChangeSignature, DeviceIdentity, DeviceKey, PartnershipDoc, SeenSignature, SignatureKind, Slot,
};
use rusqlite::{OptionalExtension, params};

use super::{PartnershipStore, VERSION};
use crate::Result;
use crate::sqlite::sql_err;

/// Who made each change, by device key (see `cocoach_doc`'s `signed.rs`). Kept for
/// every change ever saved; compaction never removes a signature.
pub(super) const SIGNATURES: &str = "
CREATE TABLE IF NOT EXISTS signatures (
    hash BLOB PRIMARY KEY NOT NULL,
    signer BLOB NOT NULL,
    kind TEXT NOT NULL,
    signature BLOB NOT NULL,
    signed_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS contract_seen (
    slot TEXT PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL,
    hash BLOB NOT NULL,
    seen_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS retired_keys (
    key TEXT PRIMARY KEY NOT NULL,
    slot TEXT NOT NULL,
    retired_at INTEGER NOT NULL
);
";

impl PartnershipStore {
    pub(super) fn load_signatures(&self) -> Result<Vec<ChangeSignature>> {
        let err = sql_err(&self.file);
        let mut stmt = self
            .conn
            .prepare("SELECT hash, signer, kind, signature FROM signatures")
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })
            .map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            // A row of the wrong type or shape proves nothing: skipped, so its
            // change reads as unverified (the check says so), never as damage.
            let Ok((hash, signer, kind, sig)) = row else {
                continue;
            };
            let parsed = (|| {
                Some(ChangeSignature {
                    hash: ChangeHash(hash.as_slice().try_into().ok()?),
                    signer: DeviceKey(signer.as_slice().try_into().ok()?),
                    kind: SignatureKind::parse(&kind)?,
                    signature: sig.as_slice().try_into().ok()?,
                })
            })();
            out.extend(parsed);
        }
        Ok(out)
    }

    /// The newest contract signature this device has seen in each partner's place.
    pub(super) fn load_seen(&self) -> Result<[Option<SeenSignature>; 2]> {
        let err = sql_err(&self.file);
        let mut stmt = self
            .conn
            .prepare("SELECT slot, version, hash FROM contract_seen")
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                ))
            })
            .map_err(&err)?;
        let mut seen = [None; 2];
        for row in rows {
            // A row of the wrong shape remembers nothing (only weaker protection).
            let Ok((slot, version, hash)) = row else {
                continue;
            };
            let (Some(slot), Ok(version), Ok(hash)) = (
                Slot::parse(&slot),
                u64::try_from(version),
                <[u8; 32]>::try_from(hash.as_slice()),
            ) else {
                continue;
            };
            seen[slot.index()] = Some(SeenSignature { version, hash });
        }
        Ok(seen)
    }

    /// Remember contract signatures newer than those seen so far.
    pub(super) fn remember_newer(&mut self, doc: &mut PartnershipDoc) -> Result<()> {
        let newer = doc.newer_signatures();
        if newer.is_empty() {
            return Ok(());
        }
        let err = sql_err(&self.file);
        let tx = self.conn.transaction().map_err(&err)?;
        remember_seen(&tx, &newer).map_err(&err)?;
        tx.commit().map_err(&err)?;
        doc.note_seen(&newer);
        Ok(())
    }

    /// Sign, once, the changes that predate signing (the first open of an older
    /// partnership by a build that signs), in one transaction with the mark that
    /// says it is done. Later unsigned changes are never signed here: they stay
    /// unverified.
    pub(super) fn sign_history(
        &mut self,
        doc: &mut PartnershipDoc,
        id: &DeviceIdentity,
    ) -> Result<usize> {
        let err = sql_err(&self.file);
        let since: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'signing_since'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(&err)?;
        if since.is_some() {
            return Ok(0);
        }
        let made = doc.sign_history(id);
        let tx = self.conn.transaction().map_err(&err)?;
        insert_signatures(&tx, &made).map_err(&err)?;
        mark_signing_since(&tx).map_err(&err)?;
        tx.execute_batch(&format!("PRAGMA user_version = {VERSION};"))
            .map_err(&err)?;
        tx.commit().map_err(&err)?;
        tracing::info!(
            signed = made.len(),
            "signed the history that predates signing"
        );
        Ok(made.len())
    }
}

pub(super) fn insert_signatures(
    tx: &rusqlite::Transaction<'_>,
    sigs: &[ChangeSignature],
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO signatures(hash, signer, kind, signature, signed_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let now = cocoach_doc::now_ms();
    for s in sigs {
        stmt.execute(params![
            s.hash.0.as_slice(),
            s.signer.0.as_slice(),
            s.kind.as_str(),
            s.signature.as_slice(),
            now
        ])?;
    }
    Ok(())
}

/// Raise the newest contract signature seen per partner (never lower it).
pub(super) fn remember_seen(
    tx: &rusqlite::Transaction<'_>,
    seen: &[(Slot, SeenSignature)],
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO contract_seen(slot, version, hash, seen_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(slot) DO UPDATE SET
             version = excluded.version, hash = excluded.hash, seen_at = excluded.seen_at
         WHERE excluded.version > contract_seen.version",
    )?;
    let now = cocoach_doc::now_ms();
    for (slot, s) in seen {
        // Versions above i64::MAX never verify (`MAX_SIGNATURE_VERSION`).
        let version = i64::try_from(s.version).unwrap_or(i64::MAX);
        stmt.execute(params![slot.key(), version, s.hash.as_slice(), now])?;
    }
    Ok(())
}

pub(super) fn mark_signing_since(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO meta(key, value) VALUES ('signing_since', ?1)",
        params![cocoach_doc::now_ms().to_string()],
    )?;
    Ok(())
}
