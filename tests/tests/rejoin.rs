//! Bo's laptop is lost; his backup had no device key. Restored on a new computer (a
//! new key), his device cannot sync: Ana's device admits only the key it pinned. Ana
//! makes a re-pairing invite, Bo uses it, both compare the code — and then:
//! - both hold the same record, with the edit Bo made after his last sync (it was
//!   only in his backup) and Ana's edits made meanwhile;
//! - the restored device is partner B again, edits, and syncs live;
//! - the old key (the lost laptop, found or stolen) is no longer admitted;
//! - after a restart Ana's device pins the new key, keeps the old one retired, and
//!   every change in the record is still credited (none "credited to no one").

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::time::Duration;

use cocoach_doc::Slot;
use cocoach_node::{Event, Node};
use cocoach_store::backup::{BackupOptions, RestoreOptions, backup, restore};
use cocoach_store::{DataDir, DeviceStore, PartnershipStore};
use cocoach_tests::{both_in_sync, loopback, paired_nodes, wait_for};
use tokio::sync::oneshot;

fn rules(n: &Node) -> Vec<String> {
    n.read(|d| d.read().unwrap().contract.ground_rules)
}

/// The re-paired device `n` connects, and a rule it adds reaches Ana's device live.
async fn edits_reach(
    a: &Node,
    ea: &mut tokio::sync::mpsc::Receiver<Event>,
    n: &Node,
    en: &mut tokio::sync::mpsc::Receiver<Event>,
    rule: &str,
) {
    n.connect_partner().unwrap();
    both_in_sync(ea, en).await.unwrap();
    n.edit(|d| d.add_ground_rule(rule)).unwrap();
    wait_for(ea, Duration::from_secs(10), |e| {
        matches!(e, Event::DocChanged).then_some(())
    })
    .await
    .unwrap();
    assert!(rules(a).contains(&rule.to_string()), "{rule}");
}

/// The re-pairing ceremony: Ana's device (`a`) invites, `n` uses the invite, both
/// confirm the code, which must be the same on both screens.
async fn ceremony(
    a: &Node,
    ea: &mut tokio::sync::mpsc::Receiver<Event>,
    n: &Node,
    en: &mut tokio::sync::mpsc::Receiver<Event>,
) {
    let ticket = a.invite_rejoin().unwrap();
    assert!(ticket.rejoin);
    let (tx, rx) = oneshot::channel();
    let rejoining = n.rejoin(ticket, rx);
    tokio::pin!(rejoining);
    let mut tx = Some(tx);
    let (mut code_a, mut code_n, mut done, mut paired) = (None, None, None, false);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while done.is_none() || !paired {
        tokio::select! {
            r = &mut rejoining, if done.is_none() => done = Some(r.unwrap()),
            Some(ev) = ea.recv() => match ev {
                Event::PairCode { code, .. } => { code_a = Some(code); a.confirm_pairing(true); }
                Event::Paired { .. } => paired = true,
                Event::PairFailed { reason } => panic!("host: {reason}"),
                _ => {}
            },
            Some(ev) = en.recv() => {
                if let Event::PairCode { code, .. } = ev {
                    code_n = Some(code);
                    if let Some(tx) = tx.take() { tx.send(true).unwrap(); }
                }
            }
            _ = tokio::time::sleep_until(deadline) => panic!("re-pairing did not finish in 30 s"),
        }
    }
    assert_eq!(code_a, code_n, "both screens showed the same code");
    assert_eq!(done.as_deref(), Some("Ana"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_restored_without_its_key_re_pairs_keeping_everything() {
    cocoach_testkit::init_test_logging();
    let p = paired_nodes(|_| {}).await.unwrap();
    let (a, b, mut ea, mut eb) = (p.a, p.b, p.ea, p.eb);
    b.connect_partner().unwrap();
    both_in_sync(&mut ea, &mut eb).await.unwrap();
    let old_key = b.me();

    // Bo's last edit before the loss never reaches Ana: it is only in his backup.
    b.shutdown().await;
    drop((b, eb));
    let mut old = Node::start(loopback(&p.db)).await.unwrap();
    old.edit(|d| d.add_ground_rule("Bo: only in the backup"))
        .unwrap();
    let file = p.db.root().join("bo.cocoach-backup");
    backup(&p.db, &file, BackupOptions::default()).unwrap();
    old.shutdown().await;
    drop(old.take_events());
    // Meanwhile Ana edits.
    a.edit(|d| d.add_ground_rule("Ana: while Bo was away"))
        .unwrap();

    // The new computer: restore (no key in the backup), a new key.
    let fresh = tempfile::tempdir().unwrap();
    let dn = DataDir::new(fresh.path());
    restore(&dn, &file, RestoreOptions::default()).unwrap();
    let mut n = Node::start(loopback(&dn)).await.unwrap();
    let mut en = n.take_events().unwrap();
    assert_ne!(n.me(), old_key, "a new key");
    assert!(n.needs_rejoin());
    assert!(!a.needs_rejoin());
    // A plain invite is refused while paired; a re-pairing invite is not for joining.
    assert!(a.invite().is_err());

    ceremony(&a, &mut ea, &n, &mut en).await;
    assert!(!n.needs_rejoin());
    assert_eq!(n.read(|d| d.my_slot().unwrap()), Slot::B);
    assert_eq!(a.partner(), Some(n.me()), "Ana's device pins the new key");

    // Both hold everything.
    for node in [&a, &n] {
        let r = rules(node);
        assert!(r.contains(&"Bo: only in the backup".to_string()), "{r:?}");
        assert!(r.contains(&"Ana: while Bo was away".to_string()), "{r:?}");
    }
    assert_eq!(
        a.read(|d| d.read().unwrap()),
        n.read(|d| d.read().unwrap()),
        "the same record"
    );

    // The restored device edits and syncs live.
    edits_reach(&a, &mut ea, &n, &mut en, "Bo: from the new computer").await;
    n.shutdown().await;

    // The lost laptop comes back online with the old key: not admitted.
    let mut lost = Node::start(loopback(&p.db)).await.unwrap();
    let mut el = lost.take_events().unwrap();
    lost.edit(|d| d.add_ground_rule("written with the retired key"))
        .unwrap();
    lost.connect_partner().unwrap();
    let synced = wait_for(&mut el, Duration::from_secs(4), |e| {
        matches!(e, Event::Status(s) if s.in_sync).then_some(())
    })
    .await;
    assert!(synced.is_err(), "the old key synced");
    assert!(!rules(&a).contains(&"written with the retired key".to_string()));
    // Refused at the handshake each time, and it backs off: a handful of dials in
    // 4 s, not a storm (it redialled at once, ~1,000 times a second).
    let mut refused = 0;
    while let Ok(ev) = ea.try_recv() {
        if matches!(ev, Event::Refused { .. }) {
            refused += 1;
        }
    }
    assert!((1..=8).contains(&refused), "{refused} refused dials in 4 s");
    lost.shutdown().await;

    // After a restart, Ana's device: the new key pinned, the old one retired, and
    // every change still credited.
    let da = p.da.clone();
    a.shutdown().await;
    drop(a);
    let me = DeviceStore::open_or_create(&da).unwrap().identity().clone();
    let (store, _, _) = PartnershipStore::open(&da, Some(&me)).unwrap();
    assert_eq!(store.pinned_partner(me.public()).unwrap(), Some(n.me()));
    assert_eq!(store.retired_keys().unwrap(), vec![old_key]);
    assert!(store.record().unverified.is_empty(), "{:?}", store.record());
}

/// Ana's device finished its part (the new key pinned, the record re-keyed) but
/// Bo's device never got the answer — here: it is restored once more from a copy
/// made before the ceremony, *with* the new key. Re-pairing again must simply work:
/// the new key stays Bo's (it is not retired as if it were the lost one), and his
/// device edits and syncs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_re_pairing_that_did_not_reach_the_restored_device_runs_again() {
    cocoach_testkit::init_test_logging();
    let p = paired_nodes(|_| {}).await.unwrap();
    let (a, b, mut ea, mut eb) = (p.a, p.b, p.ea, p.eb);
    b.connect_partner().unwrap();
    both_in_sync(&mut ea, &mut eb).await.unwrap();
    let old_key = b.me();
    b.shutdown().await;
    drop((b, eb));
    let file = p.db.root().join("bo.cocoach-backup");
    backup(&p.db, &file, BackupOptions::default()).unwrap();

    let fresh = tempfile::tempdir().unwrap();
    let dn = DataDir::new(fresh.path());
    restore(&dn, &file, RestoreOptions::default()).unwrap();
    // A copy of the restored device, new key and all, as it was before re-pairing.
    let before = fresh.path().join("before.cocoach-backup");
    backup(
        &dn,
        &before,
        BackupOptions {
            device_key: true,
            ..BackupOptions::default()
        },
    )
    .unwrap();
    let mut n = Node::start(loopback(&dn)).await.unwrap();
    let mut en = n.take_events().unwrap();
    let new_key = n.me();
    ceremony(&a, &mut ea, &n, &mut en).await;
    n.shutdown().await;
    drop((n, en));

    // The answer "lost": the device is back where it was before the ceremony.
    let again = tempfile::tempdir().unwrap();
    let dm = DataDir::new(again.path());
    restore(&dm, &before, RestoreOptions::default()).unwrap();
    let mut m = Node::start(loopback(&dm)).await.unwrap();
    let mut em = m.take_events().unwrap();
    assert_eq!(m.me(), new_key);
    assert!(m.needs_rejoin());
    ceremony(&a, &mut ea, &m, &mut em).await;
    assert!(!m.needs_rejoin());
    assert_eq!(a.partner(), Some(new_key));

    edits_reach(&a, &mut ea, &m, &mut em, "Bo: after re-pairing twice").await;
    m.shutdown().await;

    let da = p.da.clone();
    a.shutdown().await;
    drop(a);
    let me = DeviceStore::open_or_create(&da).unwrap().identity().clone();
    let (store, _, _) = PartnershipStore::open(&da, Some(&me)).unwrap();
    assert_eq!(store.pinned_partner(me.public()).unwrap(), Some(new_key));
    assert_eq!(
        store.retired_keys().unwrap(),
        vec![old_key],
        "only the lost key is retired"
    );
    assert!(store.record().unverified.is_empty(), "{:?}", store.record());
}
