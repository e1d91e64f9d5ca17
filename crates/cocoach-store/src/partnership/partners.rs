//! This device's partner registry (who was paired, their addresses, last seen; the
//! pinned key that decides admission and whose signatures count) and the persisted
//! sync state per partner.

use cocoach_doc::{DeviceKey, Slot};
use rusqlite::{OptionalExtension, params};

use super::PartnershipStore;
use crate::Result;
use crate::sqlite::{damaged_by, sql_err};

/// A partner known to this device (filled by pairing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerRecord {
    pub key: DeviceKey,
    pub name: String,
    /// Last known network addresses, most recent first.
    pub addresses: Vec<String>,
    pub paired_at_ms: Option<i64>,
    pub last_seen_ms: Option<i64>,
}

impl PartnershipStore {
    /// The persisted Automerge sync state for a partner, if any.
    pub fn sync_state(&self, peer: &DeviceKey) -> Result<Option<Vec<u8>>> {
        self.conn
            .query_row(
                "SELECT state FROM sync_states WHERE peer = ?1",
                params![peer.to_hex()],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err(&self.file))
    }

    pub fn set_sync_state(&mut self, peer: &DeviceKey, state: &[u8]) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO sync_states(peer, state, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(peer) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                params![peer.to_hex(), state, cocoach_doc::now_ms()],
            )
            .map_err(sql_err(&self.file))?;
        Ok(())
    }

    /// The partner's device key this device admits on the sync ALPN and dials: the
    /// key pinned in the partner registry (the `partners` table) when the devices
    /// paired — TLS proved it then. Never a key read from the shared document: any
    /// change the partner sends could rewrite `partners.*.key` there.
    ///
    /// The registry is a set of rows, one per pinned key (one partner device today;
    /// a partner's second device would be one more row, added by a delegation signed
    /// with a key already pinned). The earliest paired is the one dialled.
    pub fn pinned_partner(&self, me: DeviceKey) -> Result<Option<DeviceKey>> {
        let mut rows = self.partners()?;
        rows.retain(|p| p.key != me);
        rows.sort_by_key(|p| (p.paired_at_ms.unwrap_or(i64::MAX), p.key));
        Ok(rows.first().map(|p| p.key))
    }

    /// The keys whose contract signatures count on this device: its own and the
    /// pinned partner's (see `PartnershipDoc::set_pinned_keys`).
    pub fn pins(me: DeviceKey, partner: Option<DeviceKey>) -> Vec<DeviceKey> {
        std::iter::once(me).chain(partner).collect()
    }

    pub fn partners(&self) -> Result<Vec<PartnerRecord>> {
        let err = sql_err(&self.file);
        let mut stmt = self
            .conn
            .prepare("SELECT key, name, addresses, paired_at, last_seen FROM partners ORDER BY key")
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                ))
            })
            .map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            let (key, name, addrs, paired_at_ms, last_seen_ms) = row.map_err(&err)?;
            let key = key
                .parse::<DeviceKey>()
                .map_err(|e| damaged_by(&self.file, "a partner record has a malformed key", e))?;
            out.push(PartnerRecord {
                key,
                name,
                addresses: addrs
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect(),
                paired_at_ms,
                last_seen_ms,
            });
        }
        Ok(out)
    }

    pub fn upsert_partner(&mut self, p: &PartnerRecord) -> Result<()> {
        upsert_partner_in(&self.conn, p).map_err(sql_err(&self.file))
    }

    /// Keys retired at a re-pairing (a partner device replaced, this one's or the
    /// partner's): their signatures still prove the changes they made before, and
    /// nothing new by them is accepted (`PartnershipDoc::set_retired_keys`).
    pub fn retired_keys(&self) -> Result<Vec<DeviceKey>> {
        let err = sql_err(&self.file);
        let mut stmt = self
            .conn
            .prepare("SELECT key FROM retired_keys ORDER BY retired_at, key")
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(&err)?;
        let mut out = Vec::new();
        for row in rows {
            let key = row.map_err(&err)?;
            out.push(
                key.parse::<DeviceKey>()
                    .map_err(|e| damaged_by(&self.file, "a retired key is malformed", e))?,
            );
        }
        Ok(out)
    }

    /// This device, restored without its key, re-paired: its old key `mine` (which
    /// signed its earlier changes) is retired, in one transaction with saving
    /// nothing else (the document is saved by the caller).
    pub fn retire_my_old_key(&mut self, mine: DeviceKey, slot: Slot) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO retired_keys(key, slot, retired_at) VALUES (?1, ?2, ?3)",
                params![mine.to_hex(), slot.key(), cocoach_doc::now_ms()],
            )
            .map_err(sql_err(&self.file))?;
        Ok(())
    }

    /// The partner re-paired from a restored device: `new` replaces `old` as the
    /// pinned partner (its name kept, its addresses unknown yet), `old` is retired
    /// and its sync state dropped. One transaction: a crash leaves either the old
    /// pin or the new one, never neither.
    pub fn replace_partner(&mut self, old: DeviceKey, new: DeviceKey, slot: Slot) -> Result<()> {
        if old == new {
            // Nothing to replace, and the key in use must never be retired.
            return Ok(());
        }
        let err = sql_err(&self.file);
        let name = self
            .partners()?
            .into_iter()
            .find(|p| p.key == old)
            .map(|p| p.name)
            .unwrap_or_default();
        let now = cocoach_doc::now_ms();
        let tx = self.conn.transaction().map_err(&err)?;
        tx.execute("DELETE FROM partners WHERE key = ?1", params![old.to_hex()])
            .map_err(&err)?;
        tx.execute(
            "DELETE FROM sync_states WHERE peer = ?1",
            params![old.to_hex()],
        )
        .map_err(&err)?;
        tx.execute(
            "INSERT INTO partners(key, name, addresses, paired_at, last_seen) VALUES (?1, ?2, '', ?3, ?3)
             ON CONFLICT(key) DO UPDATE SET paired_at = excluded.paired_at",
            params![new.to_hex(), name, now],
        )
        .map_err(&err)?;
        tx.execute(
            "INSERT OR IGNORE INTO retired_keys(key, slot, retired_at) VALUES (?1, ?2, ?3)",
            params![old.to_hex(), slot.key(), now],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(())
    }
}

/// Insert or update the partner row `p` on `conn` (a connection or an open
/// transaction: a pairing writes it together with the document).
pub(super) fn upsert_partner_in(
    conn: &rusqlite::Connection,
    p: &PartnerRecord,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO partners(key, name, addresses, paired_at, last_seen) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(key) DO UPDATE SET name = excluded.name, addresses = excluded.addresses,
           paired_at = excluded.paired_at, last_seen = excluded.last_seen",
        params![
            p.key.to_hex(),
            p.name,
            p.addresses.join("\n"),
            p.paired_at_ms,
            p.last_seen_ms
        ],
    )?;
    Ok(())
}
