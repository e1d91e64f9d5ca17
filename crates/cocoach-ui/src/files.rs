//! The Files screen: the partnership out to a file (Markdown, a calendar), a backup
//! and its restore, and the sync file for when no network reaches the partner.
//!
//! The UI still touches no file itself: the app lends it a [`Desk`], which shows the
//! file dialog and does the work off the UI thread and answers with [`Outcome`]s; the
//! sync file goes through the node. Every row keeps an editable path, so a desktop
//! with no file dialog (no portal, no zenity) works the same.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use cocoach_api::{Command, Event, View};
use cocoach_doc::Date;
use cocoach_i18n::{Tr, tr};

use crate::CocoachUi;

/// The rows of the Files screen, each with its own path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Markdown,
    Calendar,
    Backup,
    Restore,
    SyncOut,
    SyncIn,
}

impl FileKind {
    /// Whether the row writes its file (a save dialog) or reads it (an open dialog).
    pub fn writes(self) -> bool {
        !matches!(self, FileKind::Restore | FileKind::SyncIn)
    }

    /// The file name's ending, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Markdown => "md",
            FileKind::Calendar => "ics",
            FileKind::Backup | FileKind::Restore => "cocoach",
            FileKind::SyncOut | FileKind::SyncIn => "cocoach-sync",
        }
    }

    fn filter_id(self) -> &'static str {
        match self {
            FileKind::Markdown => "files-filter-markdown",
            FileKind::Calendar => "files-filter-calendar",
            FileKind::Backup | FileKind::Restore => "files-filter-backup",
            FileKind::SyncOut | FileKind::SyncIn => "files-filter-sync",
        }
    }
}

/// A file dialog the window asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub kind: FileKind,
    /// The dialog's title.
    pub title: String,
    /// What the path field holds now: the dialog starts there.
    pub start: PathBuf,
    /// The name of the file type (the dialog's filter), with [`FileKind::extension`].
    pub filter: String,
}

/// Work on files the window asks the app for.
#[derive(Debug, Clone)]
pub enum Job {
    /// The partnership as Markdown (in the window's language).
    Markdown { path: PathBuf, view: Arc<View> },
    /// The planned meetings and open deadlines as an iCalendar file.
    Calendar { path: PathBuf, view: Arc<View> },
    Backup {
        path: PathBuf,
        journal: bool,
        device_key: bool,
    },
    /// Read a backup whole and say what it holds (nothing is changed).
    CheckBackup { path: PathBuf },
    /// Replace this device's partnership with the backup's (confirmed by the user):
    /// the app stops the node, restores, and reconnects the window.
    Restore { path: PathBuf },
}

impl Job {
    pub fn kind(&self) -> FileKind {
        match self {
            Job::Markdown { .. } => FileKind::Markdown,
            Job::Calendar { .. } => FileKind::Calendar,
            Job::Backup { .. } => FileKind::Backup,
            Job::CheckBackup { .. } | Job::Restore { .. } => FileKind::Restore,
        }
    }
}

/// What the desk answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The user picked a file in the dialog (a cancelled dialog sends nothing).
    Chosen {
        kind: FileKind,
        path: PathBuf,
    },
    /// A job is done; `text` says so in the window's words.
    Done {
        kind: FileKind,
        text: String,
    },
    Failed {
        kind: FileKind,
        text: String,
    },
    /// A backup was read whole and can be restored; `text` says what it holds.
    Checked {
        path: PathBuf,
        text: String,
    },
}

/// The app's side of the Files screen: file dialogs and file work, off the UI thread.
pub trait Desk: Send {
    /// The folder new files go to unless the user picks another.
    fn home(&self) -> PathBuf;
    /// Show a file dialog; the answer comes from [`Desk::poll`].
    fn choose(&mut self, ask: Ask);
    /// Start a job; its outcome comes from [`Desk::poll`]. `tr` speaks its messages.
    fn start(&mut self, job: Job, tr: Arc<Tr>);
    fn poll(&mut self) -> Option<Outcome>;
}

#[derive(Debug, Default)]
pub(crate) struct FilesForm {
    /// The path field of each row.
    pub paths: HashMap<FileKind, String>,
    /// Rows with work under way.
    pub busy: HashSet<FileKind>,
    /// The last result of each row, and whether it is an error.
    pub results: HashMap<FileKind, (String, bool)>,
    /// Backup: with the private journal, with this device's key (both off unless ticked).
    pub journal: bool,
    pub device_key: bool,
    /// Sync file: everything, not only what the partner lacks.
    pub all: bool,
    /// A backup read whole, and what it holds.
    pub checked: Option<(PathBuf, String)>,
    /// "Restore" was pressed once: the confirmation is shown.
    pub confirm_restore: bool,
    /// A restore was started and has not ended.
    pub restoring: bool,
}

impl FilesForm {
    fn finish(&mut self, kind: FileKind, text: String, error: bool) {
        self.busy.remove(&kind);
        self.results.insert(kind, (text, error));
    }
}

/// Take in what the desk answered (each frame).
pub(crate) fn poll(app: &mut CocoachUi) {
    let Some(desk) = app.desk.as_mut() else {
        return;
    };
    let mut outcomes = Vec::new();
    while let Some(o) = desk.poll() {
        outcomes.push(o);
    }
    for o in outcomes {
        // A restore reconnects the window (and leaves the Files screen): say how it
        // went on top.
        if app.files.restoring
            && let Outcome::Done {
                kind: FileKind::Restore,
                text,
            }
            | Outcome::Failed {
                kind: FileKind::Restore,
                text,
            } = &o
        {
            let error = matches!(o, Outcome::Failed { .. });
            app.files.restoring = false;
            let stopping = app.tr.t("files-restore-stopping");
            app.notices.retain(|n| n.text != stopping);
            app.notice(text.clone(), error);
        }
        let f = &mut app.files;
        match o {
            Outcome::Chosen { kind, path } => {
                f.paths.insert(kind, path.display().to_string());
                f.results.remove(&kind);
                if kind == FileKind::Restore {
                    f.checked = None;
                    f.confirm_restore = false;
                }
            }
            Outcome::Done { kind, text } => f.finish(kind, text, false),
            Outcome::Failed { kind, text } => {
                if kind == FileKind::Restore {
                    f.checked = None;
                    f.confirm_restore = false;
                }
                f.finish(kind, text, true)
            }
            Outcome::Checked { path, text } => {
                f.busy.remove(&FileKind::Restore);
                f.results.remove(&FileKind::Restore);
                f.checked = Some((path, text));
            }
        }
    }
}

/// The node's answers to the sync-file commands. Returns whether `ev` was one (a
/// failure is then shown on its row, not as a notice too).
pub(crate) fn on_event(app: &mut CocoachUi, ev: &Event) -> bool {
    let tr = app.tr.clone();
    let f = &mut app.files;
    match ev {
        Event::SyncFileWritten {
            path,
            changes,
            whole,
        } => {
            let path = path.display().to_string();
            let text = if *whole {
                tr!(tr, "files-sync-wrote-all", n = *changes, path = path)
            } else if *changes == 0 {
                tr!(tr, "files-sync-wrote-nothing", path = path)
            } else {
                tr!(tr, "files-sync-wrote", n = *changes, path = path)
            };
            f.finish(FileKind::SyncOut, text, false);
            true
        }
        Event::SyncFileImported { path, new } => {
            let path = path.display().to_string();
            let text = if *new == 0 {
                tr!(tr, "syncfile-nothing-new", path = path)
            } else {
                tr!(tr, "syncfile-imported", n = *new, path = path)
            };
            f.finish(FileKind::SyncIn, text, false);
            true
        }
        Event::CommandFailed { what, reason } => {
            let kind = match what.as_str() {
                "edit-write-sync-file" => FileKind::SyncOut,
                "edit-import-sync-file" => FileKind::SyncIn,
                _ => return false,
            };
            let text = tr!(
                tr,
                "notice-could-not",
                what = tr.t(what),
                reason = tr.id_or_text(reason)
            );
            f.finish(kind, text, true);
            true
        }
        _ => false,
    }
}

/// A new file's name in the user's home folder, dated today.
fn suggested(app: &CocoachUi, kind: FileKind) -> String {
    if !kind.writes() {
        return String::new();
    }
    let Some(desk) = app.desk.as_ref() else {
        return String::new();
    };
    let name = format!("cocoach-{}.{}", Date::today(), kind.extension());
    desk.home().join(name).display().to_string()
}

fn path_of(app: &mut CocoachUi, kind: FileKind) -> &mut String {
    if !app.files.paths.contains_key(&kind) {
        let s = suggested(app, kind);
        app.files.paths.insert(kind, s);
    }
    app.files.paths.entry(kind).or_default()
}

/// The path field, its "Choose…" button, and the row's action button; returns
/// whether the action was pressed with a path given.
fn path_row(app: &mut CocoachUi, ui: &mut egui::Ui, kind: FileKind, action: &str) -> bool {
    let tr = app.tr.clone();
    let busy = app.files.busy.contains(&kind);
    let mut pressed = false;
    ui.horizontal(|ui| {
        let label = ui.label(tr!(tr, "files-path"));
        let path = path_of(app, kind);
        let r = ui
            .add_enabled(
                !busy,
                egui::TextEdit::singleline(path)
                    .hint_text(tr!(tr, "files-path-hint"))
                    .desired_width(380.0),
            )
            .labelled_by(label.id);
        if r.changed() {
            app.files.results.remove(&kind);
            if kind == FileKind::Restore {
                app.files.checked = None;
                app.files.confirm_restore = false;
            }
        }
        let start = PathBuf::from(path_of(app, kind).trim());
        if ui
            .add_enabled(
                !busy && app.desk.is_some(),
                egui::Button::new(tr!(tr, "files-choose")),
            )
            .on_hover_text(tr!(tr, "files-choose-hint"))
            .clicked()
            && let Some(desk) = app.desk.as_mut()
        {
            desk.choose(Ask {
                kind,
                title: action.to_string(),
                start,
                filter: tr.t(kind.filter_id()),
            });
        }
        let empty = path_of(app, kind).trim().is_empty();
        if ui
            .add_enabled(!busy && !empty, egui::Button::new(action))
            .clicked()
        {
            pressed = true;
        }
        if busy {
            ui.spinner();
            ui.label(tr!(tr, "files-working"));
        }
    });
    if let Some((text, error)) = app.files.results.get(&kind) {
        let color = if *error {
            ui.visuals().error_fg_color
        } else {
            crate::theme::good(ui)
        };
        ui.add(
            egui::Label::new(egui::RichText::new(text).color(color))
                .wrap_mode(egui::TextWrapMode::Wrap),
        );
    }
    pressed
}

fn path(app: &mut CocoachUi, kind: FileKind) -> PathBuf {
    PathBuf::from(path_of(app, kind).trim())
}

fn start(app: &mut CocoachUi, job: Job) {
    let kind = job.kind();
    let tr = app.tr.clone();
    if let Some(desk) = app.desk.as_mut() {
        app.files.results.remove(&kind);
        app.files.busy.insert(kind);
        desk.start(job, tr);
    }
}

pub(crate) fn files_ui(app: &mut CocoachUi, ui: &mut egui::Ui, view: &Arc<View>) {
    let tr = app.tr.clone();
    ui.heading(tr!(tr, "files-heading"));
    if app.desk.is_none() {
        ui.label(tr!(tr, "files-no-desk"));
    }
    ui.add_space(6.0);

    ui.strong(tr!(tr, "files-markdown-title"));
    ui.label(tr!(tr, "files-markdown-body"));
    if path_row(app, ui, FileKind::Markdown, &tr.t("files-export")) {
        let path = path(app, FileKind::Markdown);
        start(
            app,
            Job::Markdown {
                path,
                view: view.clone(),
            },
        );
    }
    ui.add_space(10.0);

    ui.strong(tr!(tr, "files-calendar-title"));
    ui.label(tr!(tr, "files-calendar-body"));
    if path_row(app, ui, FileKind::Calendar, &tr.t("files-export")) {
        let path = path(app, FileKind::Calendar);
        start(
            app,
            Job::Calendar {
                path,
                view: view.clone(),
            },
        );
    }
    ui.add_space(10.0);
    ui.separator();

    ui.strong(tr!(tr, "files-backup-title"));
    ui.label(tr!(tr, "files-backup-body"));
    ui.checkbox(&mut app.files.journal, tr!(tr, "files-backup-journal"));
    ui.checkbox(&mut app.files.device_key, tr!(tr, "files-backup-key"))
        .on_hover_text(tr!(tr, "files-backup-key-hint"));
    if path_row(app, ui, FileKind::Backup, &tr.t("files-backup-make")) {
        let path = path(app, FileKind::Backup);
        let (journal, device_key) = (app.files.journal, app.files.device_key);
        start(
            app,
            Job::Backup {
                path,
                journal,
                device_key,
            },
        );
    }
    ui.add_space(10.0);
    restore_ui(app, ui, true);
    ui.add_space(10.0);
    ui.separator();

    ui.strong(tr!(tr, "files-sync-title"));
    ui.label(tr!(tr, "files-sync-body"));
    ui.checkbox(&mut app.files.all, tr!(tr, "files-sync-all"));
    if path_row(app, ui, FileKind::SyncOut, &tr.t("files-sync-write")) {
        let path = path(app, FileKind::SyncOut);
        let all = app.files.all;
        if app.send(Command::ExportSyncFile { path, all }) {
            app.files.results.remove(&FileKind::SyncOut);
            app.files.busy.insert(FileKind::SyncOut);
        }
    }
    ui.add_space(4.0);
    if path_row(app, ui, FileKind::SyncIn, &tr.t("files-sync-import")) {
        let path = path(app, FileKind::SyncIn);
        if app.send(Command::ImportSyncFile { path }) {
            app.files.results.remove(&FileKind::SyncIn);
            app.files.busy.insert(FileKind::SyncIn);
        }
    }
}

/// Restore a backup: read it whole first, show what it holds, then (confirmed when
/// a partnership is here) replace. Also on the first-run screen, for a new computer.
pub(crate) fn restore_ui(app: &mut CocoachUi, ui: &mut egui::Ui, replaces: bool) {
    let tr = app.tr.clone();
    ui.strong(tr!(tr, "files-restore-title"));
    ui.label(tr!(tr, "files-restore-body"));
    if path_row(app, ui, FileKind::Restore, &tr.t("files-restore-check")) {
        let path = path(app, FileKind::Restore);
        app.files.checked = None;
        app.files.confirm_restore = false;
        start(app, Job::CheckBackup { path });
    }
    let Some((path, text)) = app.files.checked.clone() else {
        return;
    };
    if app.files.busy.contains(&FileKind::Restore) {
        return;
    }
    ui.label(text);
    if !app.files.confirm_restore {
        if ui.button(tr!(tr, "files-restore-do")).clicked() {
            if replaces {
                app.files.confirm_restore = true;
            } else {
                restore(app, path);
            }
        }
        return;
    }
    ui.colored_label(ui.visuals().warn_fg_color, tr!(tr, "files-restore-confirm"));
    ui.horizontal(|ui| {
        if ui.button(tr!(tr, "files-restore-replace")).clicked() {
            restore(app, path.clone());
        }
        if ui.button(tr!(tr, "cancel")).clicked() {
            app.files.confirm_restore = false;
        }
    });
}

fn restore(app: &mut CocoachUi, path: PathBuf) {
    app.files.confirm_restore = false;
    app.files.checked = None;
    app.files.restoring = true;
    start(app, Job::Restore { path });
}
