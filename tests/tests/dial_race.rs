//! Both partners dial each other at the same moment: they settle on one connection
//! (the one dialled by the lower key, on both sides alike), which then carries edits;
//! nothing flaps afterwards.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::time::Duration;

use cocoach_doc::Date;
use cocoach_node::{Event, Node};
use cocoach_tests::{both_in_sync, loopback, paired_nodes, wait_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_dials_settle_on_one_connection() {
    cocoach_testkit::init_test_logging();
    // Pair and sync once, so each side remembers where the other listens.
    let p = paired_nodes(|_| {}).await.unwrap();
    let (da, db) = (p.da.clone(), p.db.clone());
    {
        let (a, b, mut ea, mut eb) = (p.a, p.b, p.ea, p.eb);
        b.connect_partner().unwrap();
        both_in_sync(&mut ea, &mut eb).await.unwrap();
        a.shutdown().await;
        b.shutdown().await;
    }
    for round in 0..3 {
        // Both come back on their remembered ports and dial at once.
        let mut a = Node::start(loopback(&da)).await.unwrap();
        let mut b = Node::start(loopback(&db)).await.unwrap();
        let mut ea = a.take_events().unwrap();
        let mut eb = b.take_events().unwrap();
        a.connect_partner().unwrap();
        b.connect_partner().unwrap();
        both_in_sync(&mut ea, &mut eb).await.unwrap();
        // Let any duplicate be settled, then watch: no connection may come or go.
        tokio::time::sleep(Duration::from_secs(1)).await;
        while ea.try_recv().is_ok() {}
        while eb.try_recv().is_ok() {}
        let mut churn = Vec::new();
        let until = tokio::time::Instant::now() + Duration::from_secs(4);
        while let Ok(Some(ev)) = tokio::time::timeout_at(until, ea.recv()).await {
            if matches!(ev, Event::Connected | Event::Disconnected { .. }) {
                churn.push(ev);
            }
        }
        assert!(
            churn.is_empty(),
            "round {round}: the connection flapped: {churn:?}"
        );
        assert!(
            a.is_connected() && b.is_connected(),
            "round {round}: not connected"
        );
        // The surviving connection carries an edit both ways.
        a.edit(|d| {
            d.add_action(
                cocoach_doc::Slot::A,
                &format!("step {round}"),
                Date::new(2026, 12, 1),
                None,
            )
        })
        .unwrap();
        wait_for(&mut eb, Duration::from_secs(10), |e| {
            matches!(e, Event::DocChanged).then_some(())
        })
        .await
        .unwrap();
        b.edit(|d| d.add_ground_rule(&format!("rule {round}")))
            .unwrap();
        wait_for(&mut ea, Duration::from_secs(10), |e| {
            matches!(e, Event::DocChanged).then_some(())
        })
        .await
        .unwrap();
        a.shutdown().await;
        b.shutdown().await;
    }
}
