//! Records the fuzz corpus from real traffic: two nodes pair over loopback and
//! sync edits, with a tap on each; writes what each side sent (a stream of frames:
//! pairing, Welcome with the document, Hello, Sync, Idle, heartbeats), the invite
//! text and a persisted sync state. `tests/tests/fuzz.rs` replays and mutates it.
//!
//! `cocoach-capture-corpus DIR` (the committed corpus is `tests/fuzz/corpus`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use cocoach_doc::{Date, HalfText, Slot};
use cocoach_store::PartnershipStore;
use cocoach_tests::{both_in_sync, paired_nodes};

fn main() -> Result<()> {
    let out = std::path::PathBuf::from(std::env::args().nth(1).context("DIR")?);
    std::fs::create_dir_all(&out)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let tap_a = Arc::new(Mutex::new(Vec::new()));
        let tap = tap_a.clone();
        let p = paired_nodes(move |c| c.tap = Some(tap)).await?;
        let (a, b, mut ea, mut eb, session) = (p.a, p.b, p.ea, p.eb, p.session.clone());
        a.edit(|d| {
            d.append_half_text(
                &session,
                Slot::A,
                HalfText::Notes,
                "Talked about the move to UX.",
            )?;
            d.add_action(
                Slot::A,
                "Ask Jana for an intro",
                Date::new(2026, 12, 8),
                Some(&session),
            )?;
            Ok(())
        })?;
        b.edit(|d| d.append_half_text(&session, Slot::B, HalfText::Goal, " And a portfolio."))?;
        b.connect_partner()?;
        both_in_sync(&mut ea, &mut eb).await?;
        a.edit(|d| d.add_ground_rule("Phones away"))?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        both_in_sync(&mut ea, &mut eb).await.ok();
        let b_key = b.me();
        a.shutdown().await;
        b.shutdown().await;
        let sent = tap_a.lock().map_err(|_| anyhow::anyhow!("tap"))?.clone();
        std::fs::write(out.join("frames-a.bin"), &sent)?;
        std::fs::write(out.join("ticket.txt"), p.ticket.encode())?;
        let (store, _, _) = PartnershipStore::open(&p.da, None)?;
        let state = store.sync_state(&b_key)?.context("no sync state")?;
        std::fs::write(out.join("sync-state.bin"), state)?;
        println!(
            "{} bytes of frames, {} of sync state",
            sent.len(),
            out.join("sync-state.bin").metadata()?.len()
        );
        anyhow::Ok(())
    })
}
