//! Power loss at every sync point, and an I/O error at every call: the way SQLite
//! proves its own durability, through our stores.
//!
//! The stores run over `cocoach_testkit::vfs`, a VFS that records every write,
//! truncate and sync. At each sync point it builds what a power cut would leave
//! (everything synced, plus none, all, or a random torn subset of the later writes)
//! and this test opens each image as a data directory: it must open, and hold
//! every edit whose save returned before that point — and nothing never made.
//!
//! `POWER_CASES=n` (default 2) seeds per run; the soak runs more.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::collections::BTreeSet;
use std::sync::Mutex;

use cocoach_doc::{DeviceIdentity, DeviceKey, PartnershipDoc, Slot};
use cocoach_store::{
    DataDir, DeviceStore, Journal, JournalLink, PartnerRecord, PartnershipStore, StoreError,
};
use cocoach_testkit::vfs::{self, Image, Kept};
use cocoach_testkit::{Rng, cases, for_each_seed};

/// The VFS's recording is process-wide: one test at a time uses it.
static VFS_USERS: Mutex<()> = Mutex::new(());

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What the script has been told is saved, and everything it ever asked for.
#[derive(Debug, Default, Clone)]
struct Truth {
    device: Option<DeviceKey>,
    partnership: bool,
    partner: Option<DeviceKey>,
    /// Every sync state written, in order; the last acknowledged one by index.
    states: Vec<Vec<u8>>,
    state_acked: Option<usize>,
    actions_acked: BTreeSet<String>,
    actions_made: BTreeSet<String>,
    notes_acked: BTreeSet<String>,
    notes_made: BTreeSet<String>,
}

#[derive(Debug, Default)]
struct Seen {
    images: usize,
    by_kind: [usize; 3],
    no_partnership: usize,
    sync_points: u64,
}

/// Open `image` as a data directory and hold it to `acked` (what had been
/// acknowledged before the operation that made it) and `made` (what exists at all).
fn check(image: &Image, acked: &Truth, made: &Truth, seen: &mut Seen) -> Result<(), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    image.write_to(tmp.path()).map_err(|e| e.to_string())?;
    let dir = DataDir::new(tmp.path());
    seen.images += 1;
    seen.by_kind[match image.kept {
        Kept::Synced => 0,
        Kept::All => 1,
        Kept::Torn => 2,
    }] += 1;
    let at = format!("sync point {} ({:?})", image.sync_point, image.kept);

    let had_device = dir.device_db().exists();
    if acked.device.is_some() && !had_device {
        return Err(format!("{at}: the device file is gone"));
    }
    if !had_device {
        return Ok(());
    }
    let device = DeviceStore::open_or_create(&dir).map_err(|e| format!("{at}: device: {e:#}"))?;
    if acked
        .device
        .is_some_and(|key| device.identity().public() != key)
    {
        return Err(format!("{at}: the device has a new identity"));
    }

    let (store, doc) = match PartnershipStore::open(&dir, Some(device.identity())) {
        Ok((store, doc, _)) => (store, doc),
        Err(StoreError::NoPartnership(_)) if !acked.partnership => {
            seen.no_partnership += 1;
            return Ok(());
        }
        Err(e) => return Err(format!("{at}: partnership: {e}")),
    };
    let read = doc.read().map_err(|e| format!("{at}: read: {e}"))?;
    let mut present = BTreeSet::new();
    for a in &read.actions {
        if a.what.starts_with("token-") && !present.insert(a.what.clone()) {
            return Err(format!("{at}: {} is there twice", a.what));
        }
    }
    if let Some(lost) = acked.actions_acked.difference(&present).next() {
        return Err(format!(
            "{at}: the saved edit {lost} is lost ({} present)",
            present.len()
        ));
    }
    if let Some(wrong) = present.difference(&made.actions_made).next() {
        return Err(format!("{at}: {wrong} was never made"));
    }
    if let Some(bo) = acked.partner {
        let partners = store
            .partners()
            .map_err(|e| format!("{at}: partners: {e}"))?;
        if !partners.iter().any(|p| p.key == bo) {
            return Err(format!("{at}: the partner row is lost"));
        }
    }
    if let (Some(i), Some(bo)) = (acked.state_acked, made.partner) {
        let state = store
            .sync_state(&bo)
            .map_err(|e| format!("{at}: sync state: {e}"))?;
        let ok = state.as_ref().is_some_and(|s| made.states[i..].contains(s));
        if !ok {
            return Err(format!("{at}: the sync state went back or is lost"));
        }
    }
    drop(store);

    if dir.journal_db().exists() || !acked.notes_acked.is_empty() {
        let journal = Journal::open_or_create(&dir).map_err(|e| format!("{at}: journal: {e}"))?;
        let notes: BTreeSet<String> = journal
            .list()
            .map_err(|e| format!("{at}: journal list: {e}"))?
            .into_iter()
            .map(|e| e.text)
            .collect();
        if let Some(lost) = acked.notes_acked.difference(&notes).next() {
            return Err(format!("{at}: the journal entry {lost} is lost"));
        }
        if let Some(wrong) = notes.difference(&made.notes_made).next() {
            return Err(format!("{at}: journal entry {wrong} was never written"));
        }
    }
    Ok(())
}

/// Check every image built since the last call against what was acknowledged
/// before the step that built them.
fn check_images(acked: &Truth, made: &Truth, seen: &mut Seen) {
    for image in vfs::take_images() {
        if let Err(e) = check(&image, acked, made, seen) {
            panic!("{e}");
        }
    }
}

/// The script: a device and its identity, a partnership, pairing's rows (partner
/// name in the document, partner row, sync state), 40 saves, 2 compactions, sync
/// state rewritten and journal entries along the way.
fn script(seed: u64, seen: &mut Seen) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ana");
    std::fs::create_dir(&root).unwrap();
    vfs::watch(&root, seed, true);
    let mut rng = Rng::new(seed);
    let dir = DataDir::new(&root);
    let mut acked = Truth::default();
    let mut made = Truth::default();

    let device = DeviceStore::open_or_create(&dir).unwrap();
    made.device = Some(device.identity().public());
    check_images(&acked, &made, seen);
    acked.device = made.device;

    let mut doc = PartnershipDoc::create("Ana", device.identity()).unwrap();
    let mut store = PartnershipStore::create(&dir, &mut doc).unwrap();
    made.partnership = true;
    check_images(&acked, &made, seen);
    acked.partnership = true;

    // Pairing's writes: the partner's row, its name in the document, a sync state.
    let bo = DeviceIdentity::from_seed([7; 32]).public();
    made.partner = Some(bo);
    store
        .upsert_partner(&PartnerRecord {
            key: bo,
            name: "Bo".into(),
            addresses: vec!["127.0.0.1:4433".into()],
            paired_at_ms: Some(1),
            last_seen_ms: None,
        })
        .unwrap();
    check_images(&acked, &made, seen);
    acked.partner = Some(bo);
    store
        .commit_edit(&mut doc, |d| d.set_partner_b("Bo", bo))
        .unwrap();
    check_images(&acked, &made, seen);

    let mut journal = Journal::open_or_create(&dir).unwrap();
    check_images(&acked, &made, seen);

    let compact_at: BTreeSet<usize> = [rng.range(5, 20), rng.range(21, 39)].into();
    for i in 0..40 {
        let token = format!("token-{i:02}");
        made.actions_made.insert(token.clone());
        store
            .commit_edit(&mut doc, |d| d.add_action(Slot::A, &token, None, None))
            .unwrap();
        check_images(&acked, &made, seen);
        acked.actions_acked.insert(token);

        if rng.chance(40) {
            let state: Vec<u8> = (0..rng.range(40, 600))
                .map(|_| rng.below(256) as u8)
                .collect();
            made.states.push(state.clone());
            store.set_sync_state(&bo, &state).unwrap();
            check_images(&acked, &made, seen);
            acked.state_acked = Some(made.states.len() - 1);
        }
        if rng.chance(30) {
            let note = format!("note-{i:02}");
            made.notes_made.insert(note.clone());
            journal.add(&note, &JournalLink::None).unwrap();
            check_images(&acked, &made, seen);
            acked.notes_acked.insert(note);
        }
        if compact_at.contains(&i) {
            store.compact(&mut doc).unwrap();
            check_images(&acked, &made, seen);
        }
    }
    drop(journal);
    drop(store);
    // Closing checkpoints the log into the file: more sync points.
    check_images(&acked, &made, seen);
    let last = vfs::image_now();
    check(&last, &acked, &made, seen).unwrap();
    seen.sync_points += vfs::sync_points();
    vfs::unwatch();
}

#[test]
fn every_power_cut_leaves_every_saved_edit() {
    let _only = VFS_USERS.lock().unwrap_or_else(|e| e.into_inner());
    vfs::install().unwrap();
    let n = env_usize("POWER_CASES", 2);
    for_each_seed("every_power_cut_leaves_every_saved_edit", &[1, 2], |seed| {
        let mut seen = Seen::default();
        for case in cases(seed, n) {
            script(case, &mut seen);
        }
        eprintln!(
            "power cuts: {} images at {} sync points ({} synced only, {} all writes, {} torn); {} before the partnership existed",
            seen.images,
            seen.sync_points,
            seen.by_kind[0],
            seen.by_kind[1],
            seen.by_kind[2],
            seen.no_partnership
        );
        assert!(
            seen.sync_points > 100,
            "too few sync points to mean anything: {seen:?}"
        );
        assert!(seen.by_kind[2] > 100, "{seen:?}");
    });
}
