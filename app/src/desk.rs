//! The window's Files screen, the app's side (`cocoach_ui::files::Desk`): the file
//! dialog (rfd: the XDG desktop portal, zenity if there is none; the screen keeps a
//! path field for when neither is there) and the file work, each on its own thread
//! so the window never waits. A restore needs the node stopped: [`Restorer`] does
//! that part from the window's frame loop.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use cocoach_doc::Date;
use cocoach_i18n::{Tr, tr};
use cocoach_node::{NodeConfig, NodeHandle, Wake};
use cocoach_store::backup::{
    BackupOptions, BackupReport, CheckedBackup, Part, RestoreOptions, RestoreReport, check_backup,
    restore_locked,
};
use cocoach_store::{DataDir, DirLock};
use cocoach_ui::CocoachUi;
use cocoach_ui::files::{Ask, Desk, FileKind, Job, Outcome};
use jiff::tz::TimeZone;

/// A restore the Files screen asked for, waiting for the window to carry it out.
type Wanted = Arc<Mutex<Option<(PathBuf, Arc<Tr>)>>>;

pub struct AppDesk {
    dir: DataDir,
    tx: Sender<Outcome>,
    rx: Receiver<Outcome>,
    wake: Wake,
    restore: Wanted,
}

impl AppDesk {
    /// The desk of the pane over `dir`, and the restorer the window drives for it.
    pub fn new(dir: DataDir, wake: Wake) -> (AppDesk, RestoreLink) {
        let (tx, rx) = channel();
        let restore = Wanted::default();
        let link = RestoreLink {
            wanted: restore.clone(),
            tx: tx.clone(),
        };
        let desk = AppDesk {
            dir,
            tx,
            rx,
            wake,
            restore,
        };
        (desk, link)
    }

    /// Run `work` on a thread and send what it gives.
    fn spawn(&self, kind: FileKind, work: impl FnOnce() -> Result<Outcome> + Send + 'static) {
        let tx = self.tx.clone();
        let wake = self.wake.clone();
        std::thread::spawn(move || {
            let outcome = work().unwrap_or_else(|e| Outcome::Failed {
                kind,
                text: format!("{e:#}"),
            });
            if tx.send(outcome).is_err() {
                tracing::debug!("the window closed before a file job ended");
            }
            wake();
        });
    }
}

/// The folder a new file goes to: Documents, else home, else here.
pub fn home() -> PathBuf {
    directories::UserDirs::new()
        .map(|u| {
            u.document_dir()
                .filter(|d| d.is_dir())
                .unwrap_or(u.home_dir())
                .to_path_buf()
        })
        .unwrap_or_else(|| PathBuf::from("."))
}

fn write(tr: &Tr, path: &Path, bytes: &[u8]) -> Result<()> {
    cocoach_store::write_atomically(path, bytes).map_err(|e| {
        anyhow::anyhow!(tr!(
            tr,
            "files-cannot-write",
            path = path.display().to_string(),
            reason = e.to_string()
        ))
    })
}

/// One job's work (on a thread of its own).
pub fn run_job(tr: &Tr, dir: &DataDir, job: Job) -> Result<Outcome> {
    let kind = job.kind();
    let done = |text: String| Ok(Outcome::Done { kind, text });
    match job {
        Job::Markdown { path, view } => {
            let p = view.partnership.as_ref().context(tr.t("files-no-desk"))?;
            write(
                tr,
                &path,
                cocoach_doc::export::markdown_in(tr, p).as_bytes(),
            )?;
            let path = path.display().to_string();
            done(tr!(tr, "files-markdown-written", path = path))
        }
        Job::Calendar { path, view } => {
            let p = view
                .partnership
                .as_ref()
                .context("no partnership to export")?;
            let tz = TimeZone::system();
            let cal = crate::calendar::ics(tr, p, &tz, Date::today_in(&tz));
            write(tr, &path, cal.text.as_bytes())?;
            let mut text = tr!(
                tr,
                "files-calendar-written",
                path = path.display().to_string()
            );
            if let Some(why) = cal.no_meetings {
                text = format!("{text} {}", why.text(tr));
            }
            if cal.floating {
                text = format!("{text} {}", tr.t("calendar-floating"));
            }
            done(text)
        }
        Job::Backup {
            path,
            journal,
            device_key,
        } => {
            let opts = BackupOptions {
                journal,
                device_key,
            };
            let report = crate::backup::make(tr, dir, &path, opts)?;
            done(backup_text(tr, &report))
        }
        Job::CheckBackup { path } => {
            let checked = check_backup(&path).map_err(|e| crate::backup::refusal(tr, &path, e))?;
            Ok(Outcome::Checked {
                text: crate::backup::checked_text(tr, &checked),
                path,
            })
        }
        Job::Restore { .. } => anyhow::bail!("internal: a restore runs through the window"),
    }
}

/// What the window says about a backup just written.
fn backup_text(tr: &Tr, r: &BackupReport) -> String {
    let mut lines = vec![tr!(
        tr,
        "files-backup-written",
        file = r.file.display().to_string(),
        kb = r.bytes.div_ceil(1024),
        parts = crate::backup::part_list(tr, &r.parts)
    )];
    if r.missing.contains(&Part::Journal) {
        lines.push(tr.t("files-backup-no-journal-yet"));
    }
    if r.parts.contains(&Part::Journal) {
        lines.push(tr.t("files-backup-note-journal"));
    }
    lines.push(if r.parts.contains(&Part::DeviceKey) {
        tr.t("files-backup-note-key")
    } else {
        tr.t("files-backup-note-no-key")
    });
    lines.join("\n")
}

/// What the window says about a restore just done.
fn restored_text(tr: &Tr, checked: &CheckedBackup, r: &RestoreReport) -> String {
    let mut lines = vec![tr!(
        tr,
        "files-restored",
        id = r.partnership_id.as_str(),
        when = cocoach_doc::format_time(checked.info().created_at_ms),
        parts = crate::backup::part_list(tr, &r.restored)
    )];
    if let Some(kept) = &r.replaced {
        lines.push(tr!(
            tr,
            "files-restored-replaced",
            dir = kept.display().to_string()
        ));
    }
    if !r.device_is_partner {
        lines.push(tr.t("files-restored-not-partner"));
    }
    lines.join("\n")
}

impl Desk for AppDesk {
    fn home(&self) -> PathBuf {
        home()
    }

    fn choose(&mut self, ask: Ask) {
        let tx = self.tx.clone();
        let wake = self.wake.clone();
        std::thread::spawn(move || {
            let mut d = rfd::FileDialog::new()
                .set_title(&ask.title)
                .add_filter(&ask.filter, &[ask.kind.extension()]);
            let folder = if ask.start.is_dir() {
                Some(ask.start.as_path())
            } else {
                ask.start.parent().filter(|p| p.is_dir())
            };
            if let Some(f) = folder {
                d = d.set_directory(f);
            }
            let picked = if ask.kind.writes() {
                if let Some(name) = ask.start.file_name() {
                    d = d.set_file_name(name.to_string_lossy());
                }
                d.save_file()
            } else {
                d.pick_file()
            };
            // Cancelled, or no dialog on this desktop: the path field is still there.
            if let Some(path) = picked {
                let _ = tx.send(Outcome::Chosen {
                    kind: ask.kind,
                    path,
                });
                wake();
            }
        });
    }

    fn start(&mut self, job: Job, tr: Arc<Tr>) {
        if let Job::Restore { path } = job {
            match self.restore.lock() {
                Ok(mut w) => *w = Some((path, tr)),
                Err(_) => {
                    // Never leave the row spinning: say it did not start.
                    tracing::error!("the restore request could not be handed over");
                    let _ = self.tx.send(Outcome::Failed {
                        kind: FileKind::Restore,
                        text: tr.t("files-restore-crashed"),
                    });
                }
            }
            (self.wake)();
            return;
        }
        let dir = self.dir.clone();
        let kind = job.kind();
        self.spawn(kind, move || run_job(&tr, &dir, job));
    }

    fn poll(&mut self) -> Option<Outcome> {
        self.rx.try_recv().ok()
    }
}

/// The window's end of a pane's restore: the request and the desk's channel.
pub struct RestoreLink {
    wanted: Wanted,
    tx: Sender<Outcome>,
}

enum Phase {
    Idle,
    /// The node was asked to stop; the restore waits for it.
    Stopping(PathBuf, Arc<Tr>),
    Running(JoinHandle<Outcome>, Arc<Tr>),
}

/// Carries out a pane's restore: stop its node, restore the files under the data
/// directory's lock (held by this process), start a new node, reconnect the pane.
pub struct Restorer {
    link: RestoreLink,
    cfg: NodeConfig,
    lock: Arc<DirLock>,
    rt: tokio::runtime::Handle,
    wake: Wake,
    phase: Phase,
}

impl Restorer {
    pub fn new(
        link: RestoreLink,
        cfg: NodeConfig,
        lock: DirLock,
        rt: tokio::runtime::Handle,
        wake: Wake,
    ) -> Restorer {
        Restorer {
            link,
            cfg,
            lock: Arc::new(lock),
            rt,
            wake,
            phase: Phase::Idle,
        }
    }

    /// One step, each frame.
    pub fn tick(&mut self, pane: &mut CocoachUi) {
        match std::mem::replace(&mut self.phase, Phase::Idle) {
            Phase::Idle => {
                let wanted = self.link.wanted.lock().ok().and_then(|mut w| w.take());
                if let Some((path, tr)) = wanted {
                    tracing::info!("restoring a backup: stopping the node");
                    pane.notice(tr.t("files-restore-stopping"), false);
                    pane.shutdown();
                    self.phase = Phase::Stopping(path, tr);
                }
            }
            Phase::Stopping(path, tr) => {
                if !pane.is_stopped() {
                    self.phase = Phase::Stopping(path, tr);
                    return;
                }
                let dir = self.cfg.data_dir.clone();
                let lock = self.lock.clone();
                let wake = self.wake.clone();
                let words = tr.clone();
                let job = std::thread::spawn(move || {
                    let outcome = restore(&tr, &dir, &lock, &path);
                    wake();
                    outcome
                });
                self.phase = Phase::Running(job, words);
            }
            Phase::Running(job, tr) => {
                if !job.is_finished() {
                    self.phase = Phase::Running(job, tr);
                    return;
                }
                let outcome = job.join().unwrap_or_else(|_| Outcome::Failed {
                    kind: FileKind::Restore,
                    text: tr.t("files-restore-crashed"),
                });
                // Restored or not, the window goes on over what is now on disk.
                let node = NodeHandle::spawn(&self.rt, self.cfg.clone(), self.wake.clone());
                pane.reconnect(Box::new(node));
                let _ = self.link.tx.send(outcome);
                (self.wake)();
            }
        }
    }
}

fn restore(tr: &Tr, dir: &DataDir, lock: &DirLock, path: &Path) -> Outcome {
    let kind = FileKind::Restore;
    let checked = match check_backup(path) {
        Ok(c) => c,
        Err(e) => {
            return Outcome::Failed {
                kind,
                text: format!("{:#}", crate::backup::refusal(tr, path, e)),
            };
        }
    };
    // The user confirmed on the Files screen; what is here is kept in replaced-….
    let opts = RestoreOptions {
        replace_existing: true,
    };
    match restore_locked(dir, lock, &checked, opts) {
        Ok(report) => {
            tracing::info!("backup restored");
            Outcome::Done {
                kind,
                text: restored_text(tr, &checked, &report),
            }
        }
        Err(e) => Outcome::Failed {
            kind,
            text: format!("{:#}", crate::backup::refusal(tr, path, e)),
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use cocoach_i18n::Lang;
    use cocoach_node::Command;
    use std::time::{Duration, Instant};

    fn cfg(dir: &Path) -> NodeConfig {
        NodeConfig {
            data_dir: DataDir::new(dir),
            bind: "127.0.0.1:0".parse().unwrap(),
            mdns: false,
            tap: None,
            received: None,
            panic_on_receive: None,
        }
    }

    /// Step `pane` (and its restorer) until `done` holds.
    fn until(
        pane: &mut CocoachUi,
        mut r: Option<&mut Restorer>,
        what: &str,
        done: impl Fn(&CocoachUi) -> bool,
    ) {
        let start = Instant::now();
        while !done(pane) {
            pane.logic();
            if let Some(r) = r.as_deref_mut() {
                r.tick(pane);
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out: {what}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn has_partnership(p: &CocoachUi) -> bool {
        p.view.as_ref().is_some_and(|v| v.partnership.is_some())
    }

    /// The window's own path: a backup made by the desk, restored by the Files
    /// screen onto a fresh computer's first-run window, shows the same partnership.
    #[test]
    fn a_backup_made_and_restored_from_the_window_holds_the_same_partnership() {
        let rt = crate::gui::runtime().unwrap();
        let tr = Tr::get(Lang::En);
        let (old, new, files) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let wake: Wake = Arc::new(|| {});

        // The old computer: a partnership with a ground rule, backed up by the desk.
        let node = NodeHandle::spawn(rt.handle(), cfg(old.path()), wake.clone());
        let mut a = CocoachUi::new(Box::new(node));
        until(&mut a, None, "the old node", |p| p.view.is_some());
        a.send(Command::Create {
            my_name: "Ana".into(),
            lang: Lang::En,
        });
        until(&mut a, None, "the partnership", has_partnership);
        a.edit("edit-add-ground-rule", |d| {
            d.add_ground_rule("We start on time")
        });
        until(&mut a, None, "the ground rule", |p| {
            p.view
                .as_ref()
                .and_then(|v| v.partnership.as_ref())
                .is_some_and(|p| {
                    p.contract
                        .ground_rules
                        .iter()
                        .any(|r| r == "We start on time")
                })
        });
        let before = a.view.clone().unwrap();
        let backup = files.path().join("ana.cocoach");
        let out = run_job(
            &tr,
            &DataDir::new(old.path()),
            Job::Backup {
                path: backup.clone(),
                journal: false,
                device_key: false,
            },
        )
        .unwrap();
        assert!(matches!(out, Outcome::Done { .. }), "{out:?}");

        // The new computer: the first-run window, its desk and its restorer.
        let dir = DataDir::new(new.path());
        let lock = dir.lock().unwrap();
        let node = NodeHandle::spawn(rt.handle(), cfg(new.path()), wake.clone());
        let mut b = CocoachUi::new(Box::new(node));
        let (mut desk, link) = AppDesk::new(dir.clone(), wake.clone());
        let mut restorer = Restorer::new(link, cfg(new.path()), lock, rt.handle().clone(), wake);
        until(&mut b, None, "the first run", |p| p.view.is_some());
        assert!(!has_partnership(&b));
        desk.start(
            Job::CheckBackup {
                path: backup.clone(),
            },
            tr.clone(),
        );
        let start = Instant::now();
        let checked = loop {
            if let Some(o) = desk.poll() {
                break o;
            }
            assert!(start.elapsed() < Duration::from_secs(30));
            std::thread::sleep(Duration::from_millis(10));
        };
        assert!(matches!(checked, Outcome::Checked { .. }), "{checked:?}");
        b.set_desk(Box::new(desk));
        // As the Files screen does once confirmed (see tests/tests/ui_files.rs).
        restorer
            .link
            .wanted
            .lock()
            .unwrap()
            .replace((backup, tr.clone()));
        until(
            &mut b,
            Some(&mut restorer),
            "the restored partnership",
            has_partnership,
        );
        let after = b.view.clone().unwrap();
        let (p0, p1) = (
            before.partnership.as_ref().unwrap(),
            after.partnership.as_ref().unwrap(),
        );
        assert_eq!(p1.id, p0.id);
        assert_eq!(
            cocoach_doc::export::markdown(p1),
            cocoach_doc::export::markdown(p0),
            "the same export after the restore"
        );
        for p in [&mut a, &mut b] {
            p.shutdown();
            until(p, None, "stopped", CocoachUi::is_stopped);
        }
    }
}
