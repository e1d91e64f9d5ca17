//! "Your partner has all your changes" means the partner's *disk* has them. Ana's
//! node (in this process) edits; Bo's device is a child `cocoach sync` process,
//! killed with SIGKILL the moment Ana's node sees Bo acknowledge the edit. Twenty
//! times: Bo's store must hold Ana's heads every time. Before, Bo's reply with the
//! new heads could leave before Bo's store had saved them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use cocoach_node::{Event, Node, NodeConfig};
use cocoach_store::{DataDir, PartnershipStore};
use support::{cocoach, pair_over_loopback};

const ROUNDS: usize = 20;

#[test]
fn an_acknowledged_change_is_on_the_partners_disk_even_if_it_dies_at_once() {
    let (ta, tb) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (ta.path(), tb.path());
    support::ok_in(a, &["init", "--name", "Ana"]);
    pair_over_loopback(a, b, "Bo");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut ana = Node::start(NodeConfig {
            data_dir: DataDir::new(a),
            bind: "127.0.0.1:0".parse().unwrap(),
            mdns: false,
            tap: None,
            received: None,
            panic_on_receive: None,
        })
        .await
        .unwrap();
        let mut events = ana.take_events().unwrap();
        ana.connect_partner().unwrap();
        for round in 0..ROUNDS {
            ana.edit(|d| d.add_ground_rule(&format!("rule of round {round}")))
                .unwrap();
            // (`heads` needs the document mutably; an edit that changes nothing.)
            let heads = ana.edit(|d| Ok(d.heads())).unwrap();
            let mut bo = cocoach()
                .arg("--data-dir")
                .arg(b)
                .args(["sync", "--listen", "127.0.0.1:0", "--no-mdns"])
                // Bo's saves take 300 ms: an acknowledgement sent before the save
                // would reach us well before his disk has the change.
                .env("COCOACH_TEST_SAVE_DELAY_MS", "300")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            // Bo acknowledges our heads: he has all our changes, says the protocol.
            // Only a status of this round's connection counts (one from the last
            // round may still wait in the queue, from before the edit).
            let mut connected = false;
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                let ev = tokio::time::timeout(left, events.recv())
                    .await
                    .unwrap_or_else(|_| panic!("round {round}: no acknowledgement in 60 s"))
                    .expect("events");
                if matches!(ev, Event::Connected) {
                    connected = true;
                }
                if let Event::Status(s) = ev
                    && connected
                    && s.partner_has_our_changes
                    && s.unacknowledged == 0
                    && s.in_sync
                {
                    break;
                }
            }
            bo.kill().unwrap();
            bo.wait().unwrap();
            let (_, mut doc, _) = PartnershipStore::open(&DataDir::new(b), None).unwrap();
            let theirs = doc.heads();
            assert!(
                heads.iter().all(|h| theirs.contains(h)),
                "round {round}: Bo acknowledged a change his disk does not hold"
            );
        }
        ana.shutdown().await;
    });
}
