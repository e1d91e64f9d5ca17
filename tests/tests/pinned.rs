//! Trust comes from keys pinned on this device at pairing, never from the shared
//! document. A hostile partner holding only its own data directory rewrites, in its
//! copy of the document, its key (`partnership.partners.b.key`) to a third device's
//! key, and syncs that change. Before, the honest side applied it, and when it next
//! started took "the first key that is not mine" from the document, so the third
//! device was admitted and received every later note.
//!
//! Two defences, each tested alone: the change is refused whole when it arrives
//! (and the window is told), and a document that already carries such a key (an
//! older build accepted it) still admits only the pinned key.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::time::Duration;

use anyhow::{Context, Result};
use cocoach_doc::automerge::{ObjId, ROOT, ReadDoc, transaction::Transactable};
use cocoach_doc::{DeviceKey, DocError, HalfText, PartnershipDoc, Slot};
use cocoach_node::{Event, Node};
use cocoach_store::{DataDir, DeviceStore, PartnershipStore};
use cocoach_tests::{in_sync, loopback, paired_nodes, wait_for};

/// Copy the partnership files (not the device's identity) from one data directory
/// to another, as someone holding a copy of the partner's disk would.
fn copy_partnership(from: &DataDir, to: &DataDir) -> Result<()> {
    let name = from
        .partnership_db()
        .file_name()
        .context("file name")?
        .to_string_lossy()
        .to_string();
    for entry in std::fs::read_dir(from.partnership_db().parent().context("dir")?)? {
        let entry = entry?;
        let file = entry.file_name().to_string_lossy().to_string();
        if file.starts_with(&name) {
            std::fs::copy(entry.path(), to.partnership_db().with_file_name(&file))?;
        }
    }
    Ok(())
}

/// Write `key` as partner B's key, through Automerge directly (what a hostile
/// device, or the reference implementation in its hands, can do).
fn rewrite_b_key(d: &mut PartnershipDoc, key: DeviceKey) -> Result<(), DocError> {
    let am = d.automerge_mut();
    let get = |obj: &ObjId, k: &str| am.get(obj, k).unwrap().unwrap().1;
    let partnership = get(&ROOT, "partnership");
    let partners = get(&partnership, "partners");
    let slot_b = get(&partners, "b");
    am.put(&slot_b, "key", key.to_hex())
        .map_err(DocError::Automerge)
}

fn third_device() -> Result<(tempfile::TempDir, DataDir, DeviceKey)> {
    let t = tempfile::tempdir()?;
    let dir = DataDir::new(t.path());
    let key = DeviceStore::open_or_create(&dir)?.identity().public();
    Ok((t, dir, key))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_rewriting_a_partner_key_is_refused_whole_and_reported() -> Result<()> {
    cocoach_testkit::init_test_logging();
    let p = paired_nodes(|_| {}).await?;
    let (a, b, mut ea, _eb, session) = (p.a, p.b, p.ea, p.eb, p.session.clone());
    let b_key = b.me();
    let (_tc, _dc, c_key) = third_device()?;

    // B rewrites its own key to C's, next to an ordinary edit, and syncs.
    b.edit(|d| {
        d.append_half_text(&session, Slot::B, HalfText::Goal, "sent with the attack")?;
        rewrite_b_key(d, c_key)
    })?;
    b.connect_partner()?;
    // A refuses the whole message, says so, and keeps nothing of it.
    let what = wait_for(&mut ea, Duration::from_secs(20), |e| match e {
        Event::Tampered { what } => Some(what.clone()),
        _ => None,
    })
    .await
    .context("A did not report the tampering")?;
    assert_eq!(what, "tampered-key-b");
    let at_a = a.read(|d| d.read())?;
    assert_eq!(
        at_a.partners[1].key,
        Some(b_key),
        "A's document kept B's key"
    );
    let goal = &at_a
        .session(&session)
        .context("session")?
        .half(Slot::B)
        .goal;
    assert!(
        !goal.contains("sent with the attack"),
        "part of it was kept"
    );
    // Every retry is refused the same way, and A's disk never holds it.
    let again = wait_for(&mut ea, Duration::from_secs(20), |e| {
        matches!(e, Event::Tampered { .. }).then_some(())
    })
    .await;
    assert!(again.is_ok(), "B's next attempt was not refused");
    a.shutdown().await;
    b.shutdown().await;
    drop((a, b, ea));
    let (_, stored, _) = PartnershipStore::open(&p.da, None)?;
    assert_eq!(
        stored.read()?.partners[1].key,
        Some(b_key),
        "A's disk kept B's key"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_rewritten_in_the_stored_document_lets_no_third_device_in() -> Result<()> {
    cocoach_testkit::init_test_logging();
    let p = paired_nodes(|_| {}).await?;
    let (a, b, session) = (p.a, p.b, p.session.clone());
    let (a_key, b_key) = (a.me(), b.me());
    a.shutdown().await;
    b.shutdown().await;
    drop((a, b, p.ea, p.eb));

    // A's stored document already names C as partner B, as if an older cocoach had
    // accepted the change. C holds a copy of B's partnership and its own identity.
    let (_tc, dc, c_key) = third_device()?;
    {
        let ida = cocoach_store::DeviceStore::open_or_create(&p.da)?
            .identity()
            .clone();
        let (mut store, mut doc, _) = PartnershipStore::open(&p.da, Some(&ida))?;
        rewrite_b_key(&mut doc, c_key)?;
        doc.commit();
        store.save(&mut doc)?;
    }
    copy_partnership(&p.db, &dc)?;

    // A starts again: it admits only the key it pinned when it paired with B, and
    // says that the document disagrees.
    let mut a = Node::start(loopback(&p.da)).await?;
    let mut ea = a.take_events().context("events")?;
    assert_eq!(
        a.partner(),
        Some(b_key),
        "the partner is the key pinned at pairing"
    );
    assert!(a.document_disagrees_with_pins().is_some());

    // C dials A with B's partnership and A's addresses: refused at the handshake.
    let mut c = Node::start(loopback(&dc)).await?;
    let mut ec = c.take_events().context("events")?;
    assert_eq!(c.partner(), Some(a_key));
    c.connect_partner()?;
    wait_for(&mut ea, Duration::from_secs(15), |e| {
        matches!(e, Event::Refused { .. }).then_some(())
    })
    .await
    .context("A did not refuse the third device")?;
    assert!(
        wait_for(&mut ec, Duration::from_secs(3), in_sync)
            .await
            .is_err(),
        "the third device synced with A"
    );

    // A note written after the attack never reaches C.
    a.edit(|d| d.append_half_text(&session, Slot::A, HalfText::Goal, "after the attack"))?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let at_c = c.read(|d| d.read())?;
    let goal = &at_c
        .session(&session)
        .context("session")?
        .half(Slot::A)
        .goal;
    assert!(
        !goal.contains("after the attack"),
        "C received a later note"
    );
    c.shutdown().await;
    drop((c, ec));

    // The positive control: B itself, with its pinned key, is admitted (A reports
    // the connection) — and B in turn refuses A's document, which names C as B.
    let mut b = Node::start(loopback(&p.db)).await?;
    let mut eb = b.take_events().context("events")?;
    b.connect_partner()?;
    wait_for(&mut ea, Duration::from_secs(15), |e| {
        matches!(e, Event::Connected).then_some(())
    })
    .await
    .context("A did not admit B")?;
    let what = wait_for(&mut eb, Duration::from_secs(15), |e| match e {
        Event::Tampered { what } => Some(what.clone()),
        _ => None,
    })
    .await
    .context("B did not refuse A's rewritten key")?;
    assert_eq!(what, "tampered-key-b");
    a.shutdown().await;
    b.shutdown().await;
    Ok(())
}
