//! Two nodes in one process over loopback iroh: pair, edit offline on both sides (the
//! same GROW text, the same contract term, new actions), reconnect, converge. No edit
//! lost; the concurrent contract values stay visible as a conflict; both stores hold
//! the merged document.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::time::Duration;

use cocoach_doc::{ConflictAbout, ContractField, Date, HalfText, Slot};
use cocoach_node::Event;
use cocoach_store::PartnershipStore;
use cocoach_tests::{both_in_sync, in_sync, paired_nodes, wait_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pair_edit_offline_reconnect_converge() {
    cocoach_testkit::init_test_logging();
    let p = paired_nodes(|_| {}).await.unwrap();
    let (a, b, mut ea, mut eb, session) = (p.a, p.b, p.ea, p.eb, p.session);
    let (da, db) = (p.da.clone(), p.db.clone());
    let (code_a, code_b) = p.codes.clone();
    assert_eq!(code_a, code_b, "both screens show the same code");
    assert_eq!(code_a.len(), 7);
    assert_eq!(a.partner(), Some(b.me()));
    assert_eq!(b.partner(), Some(a.me()));

    // Offline (no sync connection yet): both edit the same things.
    a.edit(|d| {
        d.append_half_text(&session, Slot::B, HalfText::Goal, "Ana: in a team of five.")?;
        d.set_contract(ContractField::Place, "Café Zürich")?;
        d.add_action(
            Slot::A,
            "Ask Jana for an intro",
            Date::new(2026, 11, 27),
            Some(&session),
        )
    })
    .unwrap();
    let b_action = b
        .edit(|d| {
            d.splice_half_text(&session, Slot::B, HalfText::Goal, 0, 0, "Bo: ")?;
            d.set_contract(ContractField::Place, "Library")?;
            d.add_action(
                Slot::B,
                "Update my CV",
                Date::new(2026, 11, 28),
                Some(&session),
            )
        })
        .unwrap();

    // Reconnect: B dials A with the addresses from the invite.
    b.connect_partner().unwrap();
    both_in_sync(&mut ea, &mut eb).await.unwrap();

    let pa = a.read(|d| d.read().unwrap());
    let pb = b.read(|d| d.read().unwrap());
    assert_eq!(pa, pb, "both hold the same partnership");
    let goal = &pa.session(&session).unwrap().half(Slot::B).goal;
    assert_eq!(goal, "Bo: Goal: UX research.\nAna: in a team of five.");
    assert_eq!(pa.actions.len(), 2);
    assert!(pa.action(&b_action).is_some());
    let conflicts = a.read(|d| d.conflicts());
    let place = conflicts
        .iter()
        .find(|c| c.about == ConflictAbout::ContractTerm(ContractField::Place))
        .expect("place conflict visible");
    let mut values = place.values.clone();
    values.sort();
    assert_eq!(values, ["Café Zürich", "Library"]);
    assert_eq!(conflicts, b.read(|d| d.conflicts()));

    // A live edit arrives without reconnecting.
    a.edit(|d| d.add_ground_rule("Phones away")).unwrap();
    wait_for(&mut eb, Duration::from_secs(10), |e| {
        matches!(e, Event::DocChanged).then_some(())
    })
    .await
    .unwrap();
    assert!(b.read(|d| {
        d.read()
            .unwrap()
            .contract
            .ground_rules
            .contains(&"Phones away".to_string())
    }));

    a.shutdown().await;
    b.shutdown().await;
    // Both stores hold the merged document.
    let (_, sa, _) = PartnershipStore::open(&da, None).unwrap();
    let (_, sb, _) = PartnershipStore::open(&db, None).unwrap();
    assert_eq!(sa.read().unwrap(), sb.read().unwrap());
    assert_eq!(sa.read().unwrap().actions.len(), 2);
}

/// A driver that stops reading events (a busy or frozen UI) must not stall syncing:
/// far more edits than the event channel holds still reach the partner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unread_event_stream_never_stalls_sync() {
    cocoach_testkit::init_test_logging();
    let p = paired_nodes(|_| {}).await.unwrap();
    let (a, b, ea, mut eb, session) = (p.a, p.b, p.ea, p.eb, p.session);
    b.connect_partner().unwrap();
    wait_for(&mut eb, Duration::from_secs(20), in_sync)
        .await
        .unwrap();
    // From here on nobody reads A's events.
    for i in 0..600 {
        a.edit(|d| d.append_half_text(&session, Slot::A, HalfText::Notes, &format!("line {i}")))
            .unwrap();
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let n = b.read(|d| {
            d.read()
                .unwrap()
                .session(&session)
                .unwrap()
                .half(Slot::A)
                .notes
                .lines()
                .count()
        });
        if n == 600 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {n} of 600 lines arrived"
        );
        let _ = tokio::time::timeout(Duration::from_millis(200), eb.recv()).await;
    }
    drop(ea);
    a.shutdown().await;
    b.shutdown().await;
}

/// A panic in a sync connection's task (a bug, or Automerge on input nobody
/// foresaw) ends that connection only: the node reports it, dials its partner
/// again by itself, and syncs. Before, the panic took the dialling loop with it and
/// left the connection marked active, so the partner was never dialled again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_connection_ends_alone_and_the_node_reconnects() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    cocoach_testkit::init_test_logging();
    let hook = Arc::new(AtomicUsize::new(1));
    let h = hook.clone();
    let p = paired_nodes(move |c| c.panic_on_receive = Some(h))
        .await
        .unwrap();
    let (a, b, mut ea, mut eb) = (p.a, p.b, p.ea, p.eb);
    // Only A dials; the first message A's connection receives panics its task.
    a.connect_partner().unwrap();
    let reason = wait_for(&mut ea, Duration::from_secs(20), |e| match e {
        Event::Disconnected { reason } => Some(reason.clone()),
        _ => None,
    })
    .await
    .unwrap();
    assert_eq!(hook.load(Ordering::Relaxed), 0, "the panic happened");
    assert!(reason.contains("internal error"), "{reason}");
    // A dials again by itself; both reach "in sync", and an edit still arrives.
    both_in_sync(&mut ea, &mut eb).await.unwrap();
    a.edit(|d| d.add_ground_rule("After the panic")).unwrap();
    wait_for(&mut eb, Duration::from_secs(10), |e| {
        matches!(e, Event::DocChanged).then_some(())
    })
    .await
    .unwrap();
    let rules = b.read(|d| d.read().unwrap().contract.ground_rules);
    assert!(rules.contains(&"After the panic".to_string()), "{rules:?}");
    a.shutdown().await;
    b.shutdown().await;
}
