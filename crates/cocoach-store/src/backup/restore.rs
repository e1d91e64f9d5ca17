//! Putting a checked backup in place: under the directory lock, what was there kept
//! aside in `replaced-<UTC>/`, each file written whole.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::*;
use crate::{DataDir, DeviceStore, DirLock};

/// Check the backup `file` whole, then take `dir`'s lock and restore it there (see
/// [`restore_locked`]). Nothing in `dir` is touched unless the check passes.
pub fn restore(dir: &DataDir, file: &Path, opts: RestoreOptions) -> Result<RestoreReport> {
    let checked = check_backup(file)?;
    let lock = dir.lock()?;
    restore_locked(dir, &lock, &checked, opts)
}

/// Restore a checked backup into `dir`, whose lock the caller holds (`_lock` must
/// be `dir`'s; no database in `dir` may be open). A partnership (or journal) there
/// is replaced only with `opts.replace_existing`. Each file is written under a
/// temporary name, synced, and renamed into place; the one it replaces is first
/// linked into `replaced-<UTC time>/` with its write-ahead log, so at every moment
/// the directory holds either the old file or the new one. Files the backup does
/// not hold stay as they are: without a key in the backup this device keeps its
/// own (or gets a new one, on a fresh machine).
pub fn restore_locked(
    dir: &DataDir,
    _lock: &DirLock,
    backup: &CheckedBackup,
    opts: RestoreOptions,
) -> Result<RestoreReport> {
    let root = dir.root();
    let exists = |part: Part| side_files(&part.path(dir)).iter().any(|p| p.exists());
    let found: Vec<Part> = [Part::Partnership, Part::Journal]
        .into_iter()
        .filter(|&p| backup.includes(p) && exists(p))
        .collect();
    if !found.is_empty() && !opts.replace_existing {
        return Err(BackupError::WouldReplace {
            dir: root.to_path_buf(),
            found,
        });
    }
    // Every new file in place under a temporary name first: a failure here (disk
    // full) leaves the directory as it was.
    let mut staged = Vec::new();
    for (part, bytes) in &backup.images {
        let tmp = PathBuf::from(format!("{}.restore-new", part.path(dir).display()));
        if tmp.exists() {
            // Left by an interrupted restore; never a live file.
            std::fs::remove_file(&tmp).map_err(io(&tmp))?;
        }
        let mut f = create_private(&tmp)?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(io(&tmp))?;
        staged.push((*part, tmp));
    }
    // The partnership about to be put in place is earlier than what this device
    // recorded as saved: forget the record first (synced), so a crash between
    // here and the rename leaves a record that only checks less. A device file
    // the backup replaces gets its own, which carries no record.
    let device_file = dir.device_db();
    if backup.includes(Part::Partnership)
        && let Err(e) = crate::partnership::saved::forget(&device_file)
    {
        if !backup.includes(Part::DeviceKey) {
            return Err(e.into());
        }
        tracing::warn!(error = %cocoach_doc::error_text(&e), "the device file a restore replaces could not be updated");
    }
    let mut replaced: Option<PathBuf> = None;
    for (part, tmp) in &staged {
        let target = part.path(dir);
        if exists(*part) {
            let aside = match &replaced {
                Some(d) => d.clone(),
                None => {
                    let d = replaced_dir(root)?;
                    replaced = Some(d.clone());
                    d
                }
            };
            keep_aside(&target, &aside)?;
        }
        std::fs::rename(tmp, &target).map_err(io(&target))?;
    }
    sync_dir(root);
    if let Some(d) = &replaced {
        sync_dir(d);
        tracing::info!(dir = %d.display(), "the files a restore replaced are kept");
    }
    let kept: Vec<Part> = [Part::Journal, Part::DeviceKey]
        .into_iter()
        .filter(|&p| !backup.includes(p) && p.path(dir).exists())
        .collect();
    let (device_key, new_device_key) = match backup.device_key {
        Some(k) => (Some(k), false),
        None => match DeviceStore::open_or_create(dir) {
            Ok(d) => (Some(d.identity().public()), d.was_created()),
            Err(e) => {
                tracing::warn!(error = %cocoach_doc::error_text(&e), "after a restore, this device's key could not be read");
                (None, false)
            }
        },
    };
    let device_is_partner = device_key.is_some_and(|k| backup.partner_keys.contains(&k));
    tracing::info!(
        parts = staged.len(),
        replaced = replaced.is_some(),
        device_is_partner,
        "backup restored"
    );
    Ok(RestoreReport {
        partnership_id: backup.info.partnership_id.clone(),
        restored: backup.images.iter().map(|(p, _)| *p).collect(),
        replaced,
        kept,
        device_key,
        new_device_key,
        device_is_partner,
    })
}

/// A database file and the two SQLite keeps beside it.
pub(super) fn side_files(file: &Path) -> [PathBuf; 3] {
    [
        file.to_path_buf(),
        PathBuf::from(format!("{}-wal", file.display())),
        PathBuf::from(format!("{}-shm", file.display())),
    ]
}

/// Keep `file` (and its -wal and -shm, which must never stay beside the file that
/// replaces it: SQLite would apply the old log to the new file) in `aside`. The
/// file itself is linked (copied where links are not supported), so it stays in
/// place until the new one is renamed over it.
pub(super) fn keep_aside(file: &Path, aside: &Path) -> Result<()> {
    let [main, wal, shm] = side_files(file);
    if main.exists() {
        let name = main.file_name().unwrap_or_default();
        let to = aside.join(name);
        if std::fs::hard_link(&main, &to).is_err() {
            std::fs::copy(&main, &to).map_err(io(&to))?;
            File::open(&to)
                .and_then(|f| f.sync_all())
                .map_err(io(&to))?;
        }
        sync_dir(aside);
    }
    for side in [wal, shm] {
        if side.exists() {
            let to = aside.join(side.file_name().unwrap_or_default());
            std::fs::rename(&side, &to).map_err(io(&side))?;
        }
    }
    Ok(())
}

/// A new `replaced-<UTC time>` folder (0700) in `root`, e.g. `replaced-20260501T103000Z`.
pub(super) fn replaced_dir(root: &Path) -> Result<PathBuf> {
    let ms = cocoach_doc::now_ms();
    let day = cocoach_doc::Date::from_days_since_epoch(ms.div_euclid(86_400_000))
        .map(|d| d.to_string().replace('-', ""))
        .unwrap_or_default();
    let secs = ms.rem_euclid(86_400_000) / 1000;
    let stamp = format!(
        "{day}T{:02}{:02}{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    let mut n = 0u32;
    loop {
        let name = if n == 0 {
            format!("replaced-{stamp}")
        } else {
            format!("replaced-{stamp}-{n}")
        };
        let path = root.join(name);
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        match b.create(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
            Err(e) => return Err(io(&path)(e)),
        }
    }
}
