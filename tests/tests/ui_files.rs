//! The Files screen: what the window asks the app's desk for (dialogs, exports,
//! backup, the restore's check-then-confirm), and the sync file written and imported
//! through real nodes from two windows.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod ui_rig;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use cocoach_i18n::{Lang, Tr, tr};
use cocoach_ui::CocoachUi;
use cocoach_ui::files::{Ask, Desk, FileKind, Job, Outcome};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ui_rig::{Rig, paired_in, shows, type_into, until};

/// What the window asked of the desk, and what the desk will answer next.
#[derive(Default)]
struct Script {
    asks: Vec<Ask>,
    jobs: Vec<Job>,
    answers: Vec<Outcome>,
}

struct FakeDesk(Arc<Mutex<Script>>, PathBuf);

impl FakeDesk {
    fn new(script: Arc<Mutex<Script>>) -> FakeDesk {
        FakeDesk(script, PathBuf::from("/home/ana/Documents"))
    }
}

impl Desk for FakeDesk {
    fn home(&self) -> PathBuf {
        self.1.clone()
    }
    fn choose(&mut self, ask: Ask) {
        self.0.lock().unwrap().asks.push(ask);
    }
    fn start(&mut self, job: Job, _tr: Arc<Tr>) {
        self.0.lock().unwrap().jobs.push(job);
    }
    fn poll(&mut self) -> Option<Outcome> {
        let mut s = self.0.lock().unwrap();
        (!s.answers.is_empty()).then(|| s.answers.remove(0))
    }
}

fn steps(h: &mut Harness<'_, CocoachUi>) {
    for _ in 0..3 {
        h.step();
    }
}

fn click(h: &mut Harness<'_, CocoachUi>, label: &str) {
    h.get_by_label(label).click();
    steps(h);
}

/// The button of the row whose path field holds `path` is the n-th with `label`.
fn click_nth(h: &mut Harness<'_, CocoachUi>, label: &str, n: usize) {
    h.query_all_by_label(label).nth(n).expect(label).click();
    steps(h);
}

/// One window with a partnership of its own, on the Files screen, over a fake desk.
fn window_on_files(rig: &mut Rig) -> (Harness<'static, CocoachUi>, Arc<Mutex<Script>>) {
    let tr = Tr::get(Lang::En);
    let mut h = rig.window();
    until(&mut h, "the first-run screen", |h| {
        shows(h, &tr!(tr, "pairing-welcome"))
    });
    type_into(&mut h, &tr!(tr, "pairing-your-name"), "Ana");
    h.get_by_label(&tr!(tr, "pairing-create")).click();
    until(&mut h, "the partnership", |h| {
        h.state()
            .view
            .as_ref()
            .is_some_and(|v| v.partnership.is_some())
    });
    let script = Arc::new(Mutex::new(Script::default()));
    h.state_mut()
        .set_desk(Box::new(FakeDesk::new(script.clone())));
    h.get_by_label_contains("Files  (").click();
    steps(&mut h);
    assert!(shows(&h, &tr.t("files-markdown-title")));
    (h, script)
}

#[test]
fn exports_and_backup_ask_the_desk_for_the_file_the_user_picked() {
    let tr = Tr::get(Lang::En);
    let mut rig = Rig::new();
    let (mut h, script) = window_on_files(&mut rig);

    // A new file is suggested in the desk's home folder, dated today.
    let field = tr.t("files-path");
    let md = h.query_all_by_label(&field).next().unwrap();
    let suggested = md.value().unwrap();
    assert!(
        suggested.starts_with("/home/ana/Documents/cocoach-") && suggested.ends_with(".md"),
        "{suggested}"
    );

    // "Choose…" opens a save dialog for a Markdown file, starting at the field's path.
    click_nth(&mut h, &tr.t("files-choose"), 0);
    {
        let s = script.lock().unwrap();
        let ask = s.asks.last().expect("a dialog asked for");
        assert_eq!(ask.kind, FileKind::Markdown);
        assert!(ask.kind.writes());
        assert_eq!(ask.start, PathBuf::from(&suggested));
        assert_eq!(ask.filter, tr.t("files-filter-markdown"));
    }
    // The picked file lands in the field, and Export writes there.
    script.lock().unwrap().answers.push(Outcome::Chosen {
        kind: FileKind::Markdown,
        path: PathBuf::from("/tmp/picked.md"),
    });
    steps(&mut h);
    click_nth(&mut h, &tr.t("files-export"), 0);
    match script.lock().unwrap().jobs.last() {
        Some(Job::Markdown { path, view }) => {
            assert_eq!(path, &PathBuf::from("/tmp/picked.md"));
            assert!(view.partnership.is_some());
        }
        other => panic!("expected a Markdown job, got {other:?}"),
    }
    // While it runs the row says so; its outcome is shown on the row.
    assert!(shows(&h, &tr.t("files-working")));
    script.lock().unwrap().answers.push(Outcome::Done {
        kind: FileKind::Markdown,
        text: "Wrote the partnership to /tmp/picked.md.".into(),
    });
    steps(&mut h);
    assert!(shows(&h, "Wrote the partnership to /tmp/picked.md."));
    assert!(!shows(&h, &tr.t("files-working")));

    // The calendar goes to its own file.
    click_nth(&mut h, &tr.t("files-export"), 1);
    assert!(matches!(
        script.lock().unwrap().jobs.last(),
        Some(Job::Calendar { path, .. }) if path.extension().is_some_and(|e| e == "ics")
    ));

    // A backup holds the journal and the device key only when ticked.
    click(&mut h, &tr.t("files-backup-make"));
    assert!(matches!(
        script.lock().unwrap().jobs.last(),
        Some(Job::Backup {
            journal: false,
            device_key: false,
            ..
        })
    ));
    script.lock().unwrap().answers.push(Outcome::Failed {
        kind: FileKind::Backup,
        text: "the disk is full".into(),
    });
    steps(&mut h);
    assert!(shows(&h, "the disk is full"));
    click(&mut h, &tr.t("files-backup-journal"));
    click(&mut h, &tr.t("files-backup-make"));
    assert!(matches!(
        script.lock().unwrap().jobs.last(),
        Some(Job::Backup {
            journal: true,
            device_key: false,
            ..
        })
    ));
}

#[test]
fn a_restore_is_checked_first_and_replaces_only_when_confirmed() {
    let tr = Tr::get(Lang::En);
    let mut rig = Rig::new();
    let (mut h, script) = window_on_files(&mut rig);

    // Nothing to check until a file is given.
    assert!(
        h.get_by_label(&tr.t("files-restore-check"))
            .accesskit_node()
            .is_disabled()
    );
    // The restore row's field: the fourth path field (Markdown, calendar, backup, restore).
    let label = tr.t("files-path");
    let field = h.query_all_by_label(&label).nth(3).unwrap();
    field.focus();
    steps(&mut h);
    let field = h.query_all_by_label(&label).nth(3).unwrap();
    field.type_text("/media/usb/ana.cocoach");
    steps(&mut h);
    click(&mut h, &tr.t("files-restore-check"));
    assert!(matches!(
        script.lock().unwrap().jobs.last(),
        Some(Job::CheckBackup { path }) if path == &PathBuf::from("/media/usb/ana.cocoach")
    ));
    script.lock().unwrap().answers.push(Outcome::Checked {
        path: PathBuf::from("/media/usb/ana.cocoach"),
        text: "A good backup of partnership p-1.".into(),
    });
    steps(&mut h);
    assert!(shows(&h, "A good backup of partnership p-1."));

    // A partnership is here: the first press asks, "Cancel" changes nothing.
    click(&mut h, &tr.t("files-restore-do"));
    assert!(shows(&h, &tr.t("files-restore-confirm")));
    let jobs = script.lock().unwrap().jobs.len();
    click(&mut h, &tr.t("cancel"));
    assert_eq!(
        script.lock().unwrap().jobs.len(),
        jobs,
        "cancel restores nothing"
    );
    assert!(!shows(&h, &tr.t("files-restore-confirm")));

    click(&mut h, &tr.t("files-restore-do"));
    click(&mut h, &tr.t("files-restore-replace"));
    assert!(matches!(
        script.lock().unwrap().jobs.last(),
        Some(Job::Restore { path }) if path == &PathBuf::from("/media/usb/ana.cocoach")
    ));
    // How it went is said on top (the window reconnects and leaves the screen).
    script.lock().unwrap().answers.push(Outcome::Done {
        kind: FileKind::Restore,
        text: "restored partnership p-1".into(),
    });
    steps(&mut h);
    assert!(
        h.state()
            .notices
            .iter()
            .any(|n| n.text == "restored partnership p-1" && !n.error)
    );
}

#[test]
fn a_sync_file_written_on_one_window_is_imported_on_the_other() {
    let tr = Tr::get(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let mut rig = Rig::new();
    let (mut a, mut b) = paired_in(&mut rig, Lang::En);
    for h in [&mut a, &mut b] {
        let desk = FakeDesk(Arc::default(), dir.path().to_path_buf());
        h.state_mut().set_desk(Box::new(desk));
        h.get_by_label_contains("Files  (").click();
        steps(h);
    }
    // The sync-out row: its path is suggested in the desk's home folder.
    let path = a
        .query_all_by_label(&tr.t("files-path"))
        .nth(4)
        .unwrap()
        .value()
        .unwrap();
    assert!(path.ends_with(".cocoach-sync"), "{path}");
    let done = |h: &Harness<'_, CocoachUi>| !shows(h, &tr.t("files-working"));

    // Paired and in sync: only what the partner lacks, which is nothing (the node
    // reads the partner and the sync state to know; it must answer, not hang).
    click(&mut a, &tr.t("files-sync-write"));
    until(&mut a, "the sync file written", done);
    let nothing = tr!(tr, "files-sync-wrote-nothing", path = path.as_str());
    assert!(shows(&a, &nothing), "{:?}", a.state().notices);

    // Everything: the whole partnership.
    click(&mut a, &tr.t("files-sync-all"));
    click(&mut a, &tr.t("files-sync-write"));
    until(&mut a, "the whole sync file written", |h| {
        done(h) && !shows(h, &nothing)
    });
    assert!(shows(&a, "(the whole partnership)"));
    let bytes = std::fs::read(&path).expect("the sync file on disk");
    assert!(bytes.starts_with(b"cocoach sync file\n"));

    // Bo imports it on the sync-in row (the sixth field, empty until given).
    let label = tr.t("files-path");
    let field = b.query_all_by_label(&label).nth(5).unwrap();
    assert_eq!(field.value().as_deref(), Some(""));
    field.focus();
    steps(&mut b);
    b.query_all_by_label(&tr.t("files-path"))
        .nth(5)
        .unwrap()
        .type_text(&path);
    steps(&mut b);
    click(&mut b, &tr.t("files-sync-import"));
    until(&mut b, "the sync file imported", done);
    // Bo had every change already (over the network): importing changes nothing.
    let expect = tr!(tr, "syncfile-nothing-new", path = path.as_str());
    assert!(shows(&b, &expect), "{:?}", b.state().notices);
    assert!(b.state().notices.iter().all(|n| !n.error));
}
