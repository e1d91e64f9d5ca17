//! `cocoach backup FILE` and `cocoach restore FILE`: the command line over
//! `cocoach_store::backup` (the format and the rules are documented there).

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use cocoach_i18n::{Tr, tr};
use cocoach_store::DataDir;
use cocoach_store::backup::{
    BackupError, BackupOptions, Part, RestoreOptions, check_backup, restore_locked,
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

fn part_list(tr: &Tr, parts: &[Part]) -> String {
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
    let report = cocoach_store::backup::backup(&dir, file, opts).map_err(|e| match e {
        BackupError::TargetExists(_) => anyhow::anyhow!(tr!(
            tr,
            "backup-target-exists",
            file = file.display().to_string()
        )),
        e => anyhow::Error::new(e).context(tr.t("backup-not-written")),
    })?;
    say!(
        "{}",
        tr!(
            tr,
            "backup-written",
            file = report.file.display().to_string(),
            bytes = report.bytes
        )
    );
    say!(
        "{}",
        tr!(tr, "backup-holds", parts = part_list(tr, &report.parts))
    );
    if report.missing.contains(&Part::Journal) {
        say!("{}", tr.t("backup-no-journal-yet"));
    }
    if report.parts.contains(&Part::Journal) {
        say!("{}", tr.t("backup-note-journal"));
    }
    if report.parts.contains(&Part::DeviceKey) {
        say!("{}", tr.t("backup-note-device-key"));
    } else {
        say!("{}", tr.t("backup-note-no-device-key"));
    }
    Ok(())
}

fn restore(tr: &Tr, root: PathBuf, file: &Path, yes: bool) -> Result<()> {
    let file_text = file.display().to_string();
    let refused = |e: BackupError| match e {
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
    };
    // Checked whole before the data directory is touched (or even locked).
    let checked = check_backup(file).map_err(refused)?;
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
    .map_err(refused)?;
    drop(lock);
    say!(
        "{}",
        tr!(
            tr,
            "backup-restored",
            id = report.partnership_id.as_str(),
            dir = dir.root().display().to_string(),
            when = cocoach_doc::format_time(checked.info().created_at_ms)
        )
    );
    say!(
        "{}",
        tr!(
            tr,
            "backup-restored-holds",
            parts = part_list(tr, &report.restored)
        )
    );
    if let Some(kept) = &report.replaced {
        say!(
            "{}",
            tr!(tr, "backup-replaced-kept", dir = kept.display().to_string())
        );
    }
    if report.kept.contains(&Part::Journal) {
        say!("{}", tr.t("backup-journal-kept"));
    }
    if !report.device_is_partner {
        let key = report.device_key.map(|k| k.to_string()).unwrap_or_default();
        say!("{}", tr!(tr, "backup-needs-pairing", key = key));
    }
    Ok(())
}
