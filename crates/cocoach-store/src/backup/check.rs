//! Reading and checking a backup, whole, before any data directory is touched.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use cocoach_doc::automerge::ChangeHash;
use cocoach_doc::{DeviceKey, DocError};
use rusqlite::{Connection, OpenFlags};

use super::*;
use crate::sqlite::APPLICATION_ID;
use crate::{DataDir, DeviceStore, Journal, PartnershipStore, StoreError};

/// Read the backup `file` and check it whole (see [`CheckedBackup`]). Touches no
/// data directory: the images are opened in a private folder in the user's runtime
/// or the system's temporary directory (`private_temp_dir`), removed before this
/// returns.
pub fn check_backup(file: &Path) -> Result<CheckedBackup> {
    let (meta, rows) = read_backup(file)?;
    let scratch = Scratch::new(&private_temp_dir(), "cocoach-restore-check")?;
    let check_dir = DataDir::new(scratch.path());
    let mut parts = Vec::new();
    let mut images = Vec::new();
    for (part, bytes) in rows {
        let path = part.path(&check_dir);
        let mut f = create_private(&path)?;
        f.write_all(&bytes).map_err(io(&path))?;
        drop(f);
        parts.push(part);
        images.push((part, bytes));
    }
    let facts = check_images(file, &check_dir, &parts)?;
    if facts.partnership_id != meta.partnership_id {
        return Err(damaged(
            file,
            "its partnership.sqlite3 holds another partnership than its meta table names",
        ));
    }
    Ok(CheckedBackup {
        file: file.to_path_buf(),
        info: BackupInfo {
            format_version: meta.format_version,
            created_at_ms: meta.created_at_ms,
            cocoach_version: meta.cocoach_version,
            partnership_id: facts.partnership_id,
            parts,
            heads: facts.heads,
        },
        images,
        partner_keys: facts.partner_keys,
        device_key: facts.device_key,
    })
}

/// Where the check opens the images: the user's own runtime directory when there is
/// one (Linux: `XDG_RUNTIME_DIR`, in memory, owner-only, emptied at logout: the
/// journal and the device key are best not left on a shared disk by a killed
/// restore), else the system's temporary directory (in a 0700 folder).
pub(super) fn private_temp_dir() -> PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|d| d.is_absolute() && d.is_dir())
        .unwrap_or_else(std::env::temp_dir)
}

pub(super) struct Meta {
    pub(super) format_version: i64,
    pub(super) created_at_ms: i64,
    pub(super) cocoach_version: String,
    pub(super) partnership_id: String,
}

/// The backup's meta and its images (each matching its sha256), in [`Part`] order.
pub(super) fn read_backup(file: &Path) -> Result<(Meta, Vec<Image>)> {
    let not_backup = |reason: &str, source| BackupError::NotABackup {
        file: file.to_path_buf(),
        reason: reason.to_string(),
        source,
    };
    let len = std::fs::metadata(file).map_err(io(file))?.len();
    let h = header(file)?;
    if h.len() < 16 || &h[..16] != b"SQLite format 3\0" {
        return Err(not_backup("it is not an SQLite file", None));
    }
    if h.len() < 100 {
        return Err(damaged(file, format!("it is truncated ({len} bytes)")));
    }
    let page_size = match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65_536u64,
        p if p >= 512 && p.is_power_of_two() => u64::from(p),
        _ => return Err(damaged(file, "its header is garbled (page size)")),
    };
    let pages = u64::from(u32::from_be_bytes([h[28], h[29], h[30], h[31]]));
    let counter_valid = h[24..28] == h[92..96];
    if len % page_size != 0 || (counter_valid && len < pages * page_size) {
        return Err(damaged(
            file,
            format!(
                "it is truncated ({len} bytes; it should be {})",
                pages * page_size
            ),
        ));
    }
    match application_id(&h) {
        Some(BACKUP_APPLICATION_ID) => {}
        Some(APPLICATION_ID) => {
            return Err(not_backup(
                "it is one of cocoach's data files, not a backup",
                None,
            ));
        }
        _ => return Err(not_backup("", None)),
    }
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| not_backup("SQLite cannot open it", Some(e)))?;
    let bad = |what: &str| {
        let what = what.to_string();
        move |e: rusqlite::Error| BackupError::Damaged {
            file: file.to_path_buf(),
            reason: what.clone(),
            source: Some(Box::new(e)),
        }
    };
    // The meta table is the one part of the format that never changes, so that a
    // newer backup is recognised as such before anything else is read.
    let meta: BTreeMap<String, String> = {
        let mut stmt = conn
            .prepare("SELECT key, value FROM meta")
            .map_err(bad("its meta table cannot be read"))?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
            .map_err(bad("its meta table cannot be read"))?
    };
    if meta.get("format").map(String::as_str) != Some(FORMAT) {
        return Err(not_backup("its meta table does not say so", None));
    }
    let number = |key: &str| -> Result<i64> {
        meta.get(key)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| damaged(file, format!("its meta table has no valid {key}")))
    };
    let format_version = number("format_version")?;
    if format_version > FORMAT_VERSION {
        return Err(BackupError::NewerFormat {
            file: file.to_path_buf(),
            found: format_version,
        });
    }
    if format_version < 1 {
        return Err(damaged(
            file,
            format!("unknown format version {format_version}"),
        ));
    }
    let check = integrity(&conn).map_err(bad("SQLite cannot read it"))?;
    if check != "ok" {
        return Err(damaged(
            file,
            format!("SQLite's integrity check failed ({check})"),
        ));
    }
    let mut rows = Vec::new();
    {
        let mut stmt = conn
            .prepare("SELECT name, bytes, sha256 FROM files ORDER BY name")
            .map_err(bad("its files table cannot be read"))?;
        let found = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(bad("its files table cannot be read"))?;
        for (name, bytes, sha) in found {
            let part = Part::from_file_name(&name)
                .ok_or_else(|| damaged(file, format!("it holds an unknown file {name:?}")))?;
            if bytes.is_empty() {
                return Err(damaged(file, format!("its {name} is empty")));
            }
            if !sha256_hex(&bytes).eq_ignore_ascii_case(sha.trim()) {
                return Err(damaged(
                    file,
                    format!("its {name} does not match its sha256"),
                ));
            }
            rows.push((part, bytes));
        }
    }
    rows.sort_by_key(|(p, _)| *p);
    let mut listed: Vec<Part> = Vec::new();
    for name in meta
        .get("includes")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
    {
        let part = Part::from_file_name(name.trim()).ok_or_else(|| {
            damaged(
                file,
                format!("its meta table lists an unknown file {name:?}"),
            )
        })?;
        listed.push(part);
    }
    listed.sort();
    if listed != rows.iter().map(|(p, _)| *p).collect::<Vec<_>>() {
        return Err(damaged(
            file,
            "the files it holds are not the ones its meta table lists",
        ));
    }
    if !listed.contains(&Part::Partnership) {
        return Err(damaged(file, "it holds no partnership.sqlite3"));
    }
    let partnership_id = meta
        .get("partnership_id")
        .cloned()
        .ok_or_else(|| damaged(file, "its meta table has no partnership_id"))?;
    Ok((
        Meta {
            format_version,
            created_at_ms: number("created_at_ms")?,
            cocoach_version: meta.get("cocoach_version").cloned().unwrap_or_default(),
            partnership_id,
        },
        rows,
    ))
}

/// `PRAGMA integrity_check`'s verdict on one line: "ok", or its first findings.
pub(super) fn integrity(conn: &Connection) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(5)")?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines
        .iter()
        .flat_map(|l| l.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("***"))
        .collect::<Vec<_>>()
        .join("; "))
}

pub(super) struct Facts {
    pub(super) partnership_id: String,
    pub(super) heads: Vec<ChangeHash>,
    pub(super) partner_keys: Vec<DeviceKey>,
    pub(super) device_key: Option<DeviceKey>,
}

/// Check the images in `check_dir` (a throwaway directory: opening changes them) as
/// a restore must: `PRAGMA integrity_check`, then the store's own open function for
/// each kind. `backup` names the backup in errors.
pub(super) fn check_images(backup: &Path, check_dir: &DataDir, parts: &[Part]) -> Result<Facts> {
    for &part in parts {
        let path = part.path(check_dir);
        let refused = |reason: String, source: Option<Box<dyn std::error::Error + Send + Sync>>| {
            BackupError::Damaged {
                file: backup.to_path_buf(),
                reason: format!("its {} {reason}", part.file_name()),
                source,
            }
        };
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| refused("cannot be opened".into(), Some(Box::new(e))))?;
        let check =
            integrity(&conn).map_err(|e| refused("cannot be read".into(), Some(Box::new(e))))?;
        if check != "ok" {
            return Err(refused(
                format!("fails SQLite's integrity check ({check})"),
                None,
            ));
        }
    }
    let as_kind = |part: Part| {
        move |e: StoreError| match e {
            StoreError::NewerFormat { .. } | StoreError::Doc(DocError::NeedsNewerVersion(_)) => {
                BackupError::NewerData {
                    file: backup.to_path_buf(),
                    part,
                    source: Box::new(e),
                }
            }
            // The reason, not the error: it would name the throwaway copy.
            StoreError::Damaged { reason, source, .. } => BackupError::Damaged {
                file: backup.to_path_buf(),
                reason: format!("its {} {reason}", part.file_name()),
                source,
            },
            // What SQLite said, without the error naming the throwaway copy.
            e => BackupError::Damaged {
                file: backup.to_path_buf(),
                reason: format!("its {} does not open as {}", part.file_name(), part.kind()),
                source: Some(match e {
                    StoreError::Sqlite { source, .. } => Box::new(source),
                    StoreError::Io { source, .. } => Box::new(source),
                    e => Box::new(e),
                }),
            },
        }
    };
    let (_store, mut doc, _) =
        PartnershipStore::open(check_dir, None).map_err(as_kind(Part::Partnership))?;
    let p = doc
        .read()
        .map_err(|e| as_kind(Part::Partnership)(e.into()))?;
    let partner_keys = cocoach_doc::Slot::BOTH
        .into_iter()
        .filter_map(|s| p.partner(s).key)
        .collect();
    let mut device_key = None;
    if parts.contains(&Part::Journal) {
        Journal::open_or_create(check_dir).map_err(as_kind(Part::Journal))?;
    }
    if parts.contains(&Part::DeviceKey) {
        let d = DeviceStore::open_or_create(check_dir).map_err(as_kind(Part::DeviceKey))?;
        device_key = Some(d.identity().public());
    }
    Ok(Facts {
        partnership_id: doc.partnership_id().to_string(),
        heads: doc.heads(),
        partner_keys,
        device_key,
    })
}

// ------------------------------------------------------------------------ restore
