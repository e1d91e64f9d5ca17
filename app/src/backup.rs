//! `cocoach backup FILE` and `cocoach restore FILE`: the command line over
//! `cocoach_store::backup` (the format and the rules are documented there).

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use cocoach_i18n::{Tr, tr};
use cocoach_store::DataDir;
use cocoach_store::backup::{
    BackupError, BackupOptions, BackupReport, CheckedBackup, Part, RestoreOptions, RestoreReport,
    check_backup, restore_locked,
};

use crate::cli::Command;
use crate::term::say;

pub fn run(data_dir: Option<PathBuf>, command: Command) -> Result<()> {
    let tr = crate::term::tr();
    let root = match data_dir {
        Some(d) => d,
        None => crate::commands::default_data_dir()?,
    };
    match command {
        Command::Backup {
            file,
            with_journal,
            with_device_key,
        } => backup(
            &tr,
            root,
            &file,
            BackupOptions {
                journal: with_journal,
                device_key: with_device_key,
            },
        ),
        Command::Restore { file, yes } => restore(&tr, root, &file, yes),
        _ => bail!("internal: not a backup command"),
    }
}

fn part_name(tr: &Tr, part: Part) -> String {
    match part {
        Part::Partnership => tr.t("backup-part-partnership"),
        Part::Journal => tr.t("backup-part-journal"),
        Part::DeviceKey => tr.t("backup-part-device-key"),
    }
}

pub fn part_list(tr: &Tr, parts: &[Part]) -> String {
    parts
        .iter()
        .map(|&p| part_name(tr, p))
        .collect::<Vec<_>>()
        .join(", ")
}

fn backup(tr: &Tr, root: PathBuf, file: &Path, opts: BackupOptions) -> Result<()> {
    if !root.exists() {
        bail!(tr!(tr, "cli-no-data", dir = root.display().to_string()));
    }
    let dir = DataDir::new(root);
    // No directory lock: the window holds it while it runs, and each database is
    // copied under SQLite's own locking (see `cocoach_store::backup`).
    let report = make(tr, &dir, file, opts)?;
    for line in backup_lines(tr, &report) {
        say!("{line}");
    }
    Ok(())
}

/// Write the backup, with the refusal in the user's words.
pub fn make(tr: &Tr, dir: &DataDir, file: &Path, opts: BackupOptions) -> Result<BackupReport> {
    cocoach_store::backup::backup(dir, file, opts).map_err(|e| match e {
        BackupError::TargetExists(_) => anyhow::anyhow!(tr!(
            tr,
            "backup-target-exists",
            file = file.display().to_string()
        )),
        e => anyhow::Error::new(e).context(tr.t("backup-not-written")),
    })
}

/// What to tell the user about a backup just written.
fn backup_lines(tr: &Tr, report: &BackupReport) -> Vec<String> {
    let mut lines = vec![
        tr!(
            tr,
            "backup-written",
            file = report.file.display().to_string(),
            bytes = report.bytes
        ),
        tr!(tr, "backup-holds", parts = part_list(tr, &report.parts)),
    ];
    if report.missing.contains(&Part::Journal) {
        lines.push(tr.t("backup-no-journal-yet"));
    }
    if report.parts.contains(&Part::Journal) {
        lines.push(tr.t("backup-note-journal"));
    }
    if report.parts.contains(&Part::DeviceKey) {
        lines.push(tr.t("backup-note-device-key"));
    } else {
        lines.push(tr.t("backup-note-no-device-key"));
    }
    lines
}

/// Why a backup cannot be restored, in the user's words.
pub fn refusal(tr: &Tr, file: &Path, e: BackupError) -> anyhow::Error {
    let file_text = file.display().to_string();
    match e {
        BackupError::NewerFormat { .. } | BackupError::NewerData { .. } => {
            anyhow::anyhow!(tr!(tr, "backup-newer", file = file_text.as_str()))
        }
        BackupError::WouldReplace { dir, .. } => anyhow::anyhow!(tr!(
            tr,
            "backup-would-replace",
            dir = dir.display().to_string()
        )),
        e @ (BackupError::NotABackup { .. } | BackupError::Damaged { .. }) => {
            anyhow::Error::new(e).context(tr.t("backup-refused"))
        }
        e => anyhow::Error::new(e),
    }
}

/// What a checked backup holds, for the window before it restores.
pub fn checked_text(tr: &Tr, checked: &CheckedBackup) -> String {
    let info = checked.info();
    tr!(
        tr,
        "files-restore-checked",
        id = info.partnership_id.as_str(),
        when = cocoach_doc::format_time(info.created_at_ms),
        parts = part_list(tr, &info.parts)
    )
}

fn restore(tr: &Tr, root: PathBuf, file: &Path, yes: bool) -> Result<()> {
    // Checked whole before the data directory is touched (or even locked).
    let checked = check_backup(file).map_err(|e| refusal(tr, file, e))?;
    let dir = DataDir::new(root);
    let lock = dir.lock()?;
    let report = restore_locked(
        &dir,
        &lock,
        &checked,
        RestoreOptions {
            replace_existing: yes,
        },
    )
    .map_err(|e| refusal(tr, file, e))?;
    drop(lock);
    for line in restore_lines(tr, &dir, &checked, &report) {
        say!("{line}");
    }
    Ok(())
}

/// What to tell the user about a restore just done.
fn restore_lines(
    tr: &Tr,
    dir: &DataDir,
    checked: &CheckedBackup,
    report: &RestoreReport,
) -> Vec<String> {
    let mut lines = vec![
        tr!(
            tr,
            "backup-restored",
            id = report.partnership_id.as_str(),
            dir = dir.root().display().to_string(),
            when = cocoach_doc::format_time(checked.info().created_at_ms)
        ),
        tr!(
            tr,
            "backup-restored-holds",
            parts = part_list(tr, &report.restored)
        ),
    ];
    if let Some(kept) = &report.replaced {
        lines.push(tr!(
            tr,
            "backup-replaced-kept",
            dir = kept.display().to_string()
        ));
    }
    if report.kept.contains(&Part::Journal) {
        lines.push(tr.t("backup-journal-kept"));
    }
    if !report.device_is_partner {
        let key = report.device_key.map(|k| k.to_string()).unwrap_or_default();
        lines.push(tr!(tr, "backup-needs-pairing", key = key));
    }
    lines
}
