//! Trust comes from keys pinned on this device at pairing, never from the shared
//! document. A hostile partner holding only its own data directory rewrites, in its
//! copy of the document, its key (`partnership.partners.b.key`) to a third device's
//! key, and syncs that change. Before keys were pinned, the honest side took "the
//! first key that is not mine" from the document when it next started, so the third
//! device was admitted and received every later note.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::time::Duration;

use anyhow::{Context, Result};
use cocoach_doc::automerge::{ObjId, ROOT, ReadDoc, transaction::Transactable};
use cocoach_doc::{DocError, HalfText, Slot};
use cocoach_node::{Event, Node};
use cocoach_store::{DataDir, DeviceStore};
use cocoach_tests::{both_in_sync, in_sync, loopback, paired_nodes, wait_for};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_rewritten_in_the_document_lets_no_third_device_in() -> Result<()> {
    cocoach_testkit::init_test_logging();
    let p = paired_nodes(|_| {}).await?;
    let (a, b, mut ea, mut eb, session) = (p.a, p.b, p.ea, p.eb, p.session.clone());
    let (a_key, b_key) = (a.me(), b.me());

    // The third device: its own identity, and later a copy of B's partnership.
    let tc = tempfile::tempdir()?;
    let dc = DataDir::new(tc.path());
    let c_key = DeviceStore::open_or_create(&dc)?.identity().public();

    // B rewrites its own key in the document to C's, through Automerge directly.
    b.edit(|d| {
        let am = d.automerge_mut();
        let get = |obj: &ObjId, key: &str| am.get(obj, key).unwrap().unwrap().1;
        let partnership = get(&ROOT, "partnership");
        let partners = get(&partnership, "partners");
        let slot_b = get(&partners, "b");
        am.put(&slot_b, "key", c_key.to_hex())
            .map_err(DocError::Automerge)
    })?;
    b.connect_partner()?;
    both_in_sync(&mut ea, &mut eb).await?;
    a.shutdown().await;
    b.shutdown().await;
    drop((a, b, ea, eb));
    copy_partnership(&p.db, &dc)?;

    // A starts again: it admits only the key it pinned when it paired with B.
    let mut a = Node::start(loopback(&p.da)).await?;
    let mut ea = a.take_events().context("events")?;
    assert_eq!(
        a.partner(),
        Some(b_key),
        "the partner is the key pinned at pairing"
    );

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

    // The positive control: B itself, with its pinned key, still syncs with A.
    let mut b = Node::start(loopback(&p.db)).await?;
    let mut eb = b.take_events().context("events")?;
    b.connect_partner()?;
    both_in_sync(&mut ea, &mut eb).await?;
    let at_b = b.read(|d| d.read())?;
    let goal = &at_b
        .session(&session)
        .context("session")?
        .half(Slot::A)
        .goal;
    assert!(
        goal.contains("after the attack"),
        "B missed the note: {goal:?}"
    );
    a.shutdown().await;
    b.shutdown().await;
    Ok(())
}
