//! An I/O error at every call: the stores run over `cocoach_testkit::vfs`, which
//! fails the Nth read, write, truncate or sync of the data directory (an I/O error,
//! or "disk full" for a write, once or from then on), for every N of the first few
//! hundred calls of a script and a sample beyond. Nothing may panic; an edit whose
//! save failed stays in memory and the next save writes it; a clean reopen holds
//! every edit exactly once. And the window says "Not saved" — never "Saved on this
//! device" — until a save succeeds again.
//!
//! `DISK_FAULT_SAMPLE=n` (default 40): how many calls beyond the first 300 are tried.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod ui_rig;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use cocoach_doc::{DeviceIdentity, PartnershipDoc, Slot};
use cocoach_store::{
    DataDir, DeviceStore, EditError, Journal, JournalLink, PartnerRecord, PartnershipStore,
    StoreError,
};
use cocoach_testkit::vfs::{self, Fault};
use cocoach_testkit::{Rng, for_each_seed};

/// The VFS is process-wide: one test at a time uses it.
static VFS_USERS: Mutex<()> = Mutex::new(());

const EDITS: usize = 24;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A data directory with a partnership, a partner, a journal and two actions.
fn template(root: &Path) {
    let dir = DataDir::new(root);
    let device = DeviceStore::open_or_create(&dir).unwrap();
    let mut doc = PartnershipDoc::create("Ana", device.identity()).unwrap();
    let mut store = PartnershipStore::create(&dir, &mut doc).unwrap();
    let bo = DeviceIdentity::from_seed([7; 32]).public();
    store
        .upsert_partner(&PartnerRecord {
            key: bo,
            name: "Bo".into(),
            addresses: vec!["127.0.0.1:4433".into()],
            paired_at_ms: Some(1),
            last_seen_ms: None,
        })
        .unwrap();
    store.set_compact_threshold(4);
    for t in ["before-1", "before-2"] {
        store
            .commit_edit(&mut doc, |d| d.add_action(Slot::A, t, None, None))
            .unwrap();
    }
    Journal::open_or_create(&dir)
        .unwrap()
        .add("before", &JournalLink::None)
        .unwrap();
}

/// What one run under a fault did.
#[derive(Debug, Default)]
struct Run {
    /// Errors the script was given (each a clear `StoreError`, never a panic).
    errors: usize,
    damaged: usize,
    /// Edits applied in memory (saved or not).
    made: Vec<String>,
    /// Edits whose save returned `Ok`.
    acked: Vec<String>,
}

/// The script under a fault: open, 8 edits (compaction due every 4 rows), a sync
/// state, a journal entry. Then, with the fault gone, one more save must write
/// whatever waits in memory.
fn faulty_script(root: &Path) -> Run {
    let dir = DataDir::new(root);
    let mut run = Run::default();
    let note = |run: &mut Run, e: &StoreError| {
        run.errors += 1;
        if matches!(e, StoreError::Damaged { .. }) {
            run.damaged += 1;
            if std::env::var("SHOW_DAMAGED").is_ok() {
                eprintln!("damaged: {e:#}");
            }
        }
    };
    let device = match DeviceStore::open_or_create(&dir) {
        Ok(d) => d,
        Err(e) => {
            note(&mut run, &e);
            return run;
        }
    };
    let (mut store, mut doc) = match PartnershipStore::open(&dir, Some(device.identity())) {
        Ok((s, d, _)) => (s, d),
        Err(e) => {
            note(&mut run, &e);
            return run;
        }
    };
    store.set_compact_threshold(4);
    for i in 0..EDITS {
        let token = format!("token-{i}");
        match store.commit_edit(&mut doc, |d| d.add_action(Slot::A, &token, None, None)) {
            Ok(_) => run.acked.push(token.clone()),
            Err(EditError::NotSaved(e)) => note(&mut run, &e),
            Err(EditError::Edit(e)) => panic!("the edit itself failed: {e}"),
        }
        run.made.push(token);
    }
    let bo = DeviceIdentity::from_seed([7; 32]).public();
    if let Err(e) = store.set_sync_state(&bo, b"state after the edits") {
        note(&mut run, &e);
    }
    match Journal::open_or_create(&dir) {
        Ok(mut j) => {
            if let Err(e) = j.add("during", &JournalLink::None) {
                note(&mut run, &e);
            }
        }
        Err(e) => note(&mut run, &e),
    }
    // The disk is well again: a later save writes what the failed ones left.
    vfs::set_fault(None);
    store
        .save(&mut doc)
        .unwrap_or_else(|e| panic!("the save after the fault failed: {e:#}"));
    assert!(
        doc.unsaved_changes().is_empty(),
        "a later save left changes unsaved"
    );
    run
}

/// After a run: the directory opens cleanly and holds every edit made in memory
/// (which the last save wrote), each exactly once, and what was there before.
fn check_after(root: &Path, run: &Run) -> Result<(), String> {
    let dir = DataDir::new(root);
    let device = DeviceStore::open_or_create(&dir).map_err(|e| format!("device: {e:#}"))?;
    let (_store, doc, _) = PartnershipStore::open(&dir, Some(device.identity()))
        .map_err(|e| format!("partnership: {e:#}"))?;
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for a in doc.read().map_err(|e| e.to_string())?.actions {
        *count.entry(a.what).or_default() += 1;
    }
    for t in ["before-1", "before-2"]
        .into_iter()
        .map(String::from)
        .chain(run.made.iter().cloned())
    {
        match count.get(&t) {
            Some(1) => {}
            Some(n) => return Err(format!("{t} is there {n} times")),
            None => {
                let acked = run.acked.contains(&t);
                return Err(format!(
                    "{t} is lost (its save {})",
                    if acked { "returned Ok" } else { "failed" }
                ));
            }
        }
    }
    if count.len() != 2 + run.made.len() {
        return Err(format!("unexpected actions: {count:?}"));
    }
    let notes = Journal::open_or_create(&dir)
        .and_then(|j| j.list())
        .map_err(|e| format!("journal: {e:#}"))?;
    if !notes.iter().any(|n| n.text == "before") {
        return Err("the journal lost its entry".into());
    }
    Ok(())
}

#[test]
fn an_io_error_at_any_call_loses_nothing_and_never_panics() {
    let _only = VFS_USERS.lock().unwrap_or_else(|e| e.into_inner());
    vfs::install().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("template");
    template(&base);
    let sample: usize = std::env::var("DISK_FAULT_SAMPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);

    // How many calls the script makes with no fault.
    let root = tmp.path().join("count");
    copy_dir(&base, &root);
    vfs::watch(&root, 0, false);
    vfs::set_fault(Some(Fault {
        at: u64::MAX,
        full: false,
        persist: false,
    }));
    let clean = faulty_script(&root);
    assert_eq!(clean.errors, 0, "{clean:?}");
    let (total, _) = vfs::calls();
    vfs::unwatch();
    check_after(&root, &clean).unwrap();
    assert!(total > 100, "only {total} calls");

    for_each_seed("an_io_error_at_any_call_loses_nothing", &[1], |seed| {
        let mut rng = Rng::new(seed);
        let mut points: Vec<u64> = (1..=total.min(300)).collect();
        for _ in 0..sample {
            if total > 300 {
                points.push(300 + rng.below(usize::try_from(total - 300).unwrap()) as u64 + 1);
            }
        }
        let (mut runs, mut failed_runs, mut errors, mut damaged) = (0, 0, 0, 0);
        for (k, &at) in points.iter().enumerate() {
            let fault = Fault {
                at,
                full: k % 3 != 0,
                persist: k % 3 == 2,
            };
            let root = tmp.path().join(format!("run-{seed}-{k}"));
            copy_dir(&base, &root);
            vfs::watch(&root, seed, false);
            vfs::set_fault(Some(fault));
            let run = std::panic::catch_unwind(|| faulty_script(&root));
            let hit = vfs::calls().1;
            vfs::unwatch();
            let run = run.unwrap_or_else(|_| panic!("a panic with the fault {fault:?}"));
            if let Err(e) = check_after(&root, &run) {
                panic!(
                    "fault {fault:?} ({hit} calls failed, {} errors): {e}",
                    run.errors
                );
            }
            runs += 1;
            failed_runs += usize::from(run.errors > 0);
            errors += run.errors;
            damaged += run.damaged;
            std::fs::remove_dir_all(&root).ok();
        }
        eprintln!(
            "disk faults: {runs} runs over {total} calls; {failed_runs} reported an error ({errors} errors, {damaged} called the file damaged)"
        );
        assert!(
            failed_runs > runs / 2,
            "most faults should surface as errors"
        );
    });
}

/// The window under a full disk: the edit shows, the status bar says "Not saved"
/// (never "Saved on this device"), and once the disk has room the node's retry
/// saves it — exactly once.
#[test]
fn a_failed_save_says_not_saved_and_a_retry_writes_it() {
    use ui_rig::{Rig, shows, until};
    let _only = VFS_USERS.lock().unwrap_or_else(|e| e.into_inner());
    vfs::install().unwrap();
    let data = tempfile::tempdir().unwrap();
    cocoach_tests::init_partnership(&DataDir::new(data.path()), "Ana", |_| Ok(())).unwrap();
    let root = data.path().to_path_buf();
    vfs::watch(&root, 0, false);
    let mut rig = Rig::new();
    let mut a = rig.window_over(data, cocoach_i18n::Lang::En);
    until(&mut a, "the window", |h| shows(h, "Saved on this device"));

    vfs::set_fault(Some(Fault {
        at: 1,
        full: true,
        persist: true,
    }));
    a.state_mut()
        .edit(cocoach_i18n::key!("edit-add-ground-rule"), |d| {
            d.add_ground_rule("written on a full disk")
        });
    until(&mut a, "Not saved", |h| shows(h, "Not saved: retrying"));
    assert!(!shows(&a, "Saved on this device"));
    // Still failing: still "Not saved" after a retry.
    std::thread::sleep(cocoach_node::SAVE_RETRY * 2);
    a.step();
    assert!(shows(&a, "Not saved: retrying"));
    let (_, failed) = vfs::calls();
    assert!(failed > 1, "the node retried ({failed} failed calls)");

    vfs::set_fault(None);
    until(&mut a, "saved by a retry", |h| {
        shows(h, "Saved on this device")
    });
    assert!(!shows(&a, "Not saved"));
    drop(a);
    vfs::unwatch();

    // (Read while the rig still holds the directory.)
    let (_, doc, _) = PartnershipStore::open(&DataDir::new(&root), None).unwrap();
    let rules = doc.read().unwrap().contract.ground_rules;
    assert_eq!(
        rules
            .iter()
            .filter(|r| r.as_str() == "written on a full disk")
            .count(),
        1,
        "{rules:?}"
    );
    drop(rig);
}
