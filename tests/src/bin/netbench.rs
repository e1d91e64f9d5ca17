//! Network benchmark over real iroh on loopback. Prints:
//! - edit-to-partner-visible latency: A saves an edit, B has applied and saved it;
//! - reconnect after a week of offline edits on both sides of a 1-year partnership:
//!   time, bytes, sync messages;
//! - first sync of a 1-year and a 5-year partnership to a freshly paired partner.
//!
//! `cargo run --release -p cocoach-tests --bin cocoach-netbench -- [--edits 1000] [--years 1,5]`

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use cocoach_doc::{Date, HalfText, Slot};
use cocoach_node::{Event, Node};
use cocoach_store::{DataDir, PartnerRecord, PartnershipStore};
use cocoach_sync::{FrameDecoder, Message};
use cocoach_tests::{init_partnership, loopback, pair, seeded_pair, wait_for};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(v: &[Duration], p: f64) -> Duration {
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

/// Frames in a tap, and how many of them were Automerge sync messages.
fn frames(tap: &[u8]) -> (usize, usize) {
    let mut d = FrameDecoder::default();
    d.push(tap);
    let (mut all, mut sync) = (0, 0);
    while let Ok(Some(f)) = d.next_frame() {
        all += 1;
        if matches!(Message::decode(&f), Ok(Message::Sync { .. })) {
            sync += 1;
        }
    }
    (all, sync)
}

fn in_sync(e: &Event) -> Option<()> {
    matches!(e, Event::Status(s) if s.in_sync).then_some(())
}

async fn live_latency(edits: usize) -> Result<()> {
    let (ta, tb) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let (da, db) = (DataDir::new(ta.path()), DataDir::new(tb.path()));
    let mut session = cocoach_doc::SessionId::default();
    init_partnership(&da, "Ana", |d| {
        session = d.new_session(Date::new(2026, 11, 20).context("date")?)?;
        Ok(())
    })?;
    let mut a = Node::start(loopback(&da)).await?;
    let mut b = Node::start(loopback(&db)).await?;
    let mut ea = a.take_events().context("events")?;
    let mut eb = b.take_events().context("events")?;
    pair(&a, &mut ea, &b, &mut eb, "Bo").await?;
    b.connect_partner()?;
    wait_for(&mut eb, Duration::from_secs(20), in_sync).await?;
    let mut lat = Vec::with_capacity(edits);
    for i in 0..edits {
        let t0 = Instant::now();
        a.edit(|d| d.append_half_text(&session, Slot::A, HalfText::Notes, &format!("word {i}")))?;
        wait_for(&mut eb, Duration::from_secs(10), |e| {
            matches!(e, Event::DocChanged).then_some(())
        })
        .await?;
        lat.push(t0.elapsed());
    }
    lat.sort();
    println!(
        "edit-to-partner-visible on loopback ({edits} edits; A saves, B applies and saves): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(pct(&lat, 0.5)),
        ms(pct(&lat, 0.99)),
        ms(lat[lat.len() - 1])
    );
    a.shutdown().await;
    b.shutdown().await;
    Ok(())
}

async fn start_pair_nodes(
    da: &DataDir,
    db: &DataDir,
) -> Result<(Node, Node, Arc<Mutex<Vec<u8>>>, Arc<Mutex<Vec<u8>>>)> {
    let (tap_a, tap_b) = (
        Arc::new(Mutex::new(Vec::new())),
        Arc::new(Mutex::new(Vec::new())),
    );
    let mut ca = loopback(da);
    ca.tap = Some(tap_a.clone());
    let a = Node::start(ca).await?;
    // B remembers A's address, as after pairing.
    {
        let (mut s, _, _) = PartnershipStore::open(db, None)?;
        s.upsert_partner(&PartnerRecord {
            key: a.me(),
            name: "Ana Müller".into(),
            addresses: a.addrs().iter().map(ToString::to_string).collect(),
            paired_at_ms: None,
            last_seen_ms: None,
        })?;
    }
    let mut cb = loopback(db);
    cb.tap = Some(tap_b.clone());
    let b = Node::start(cb).await?;
    Ok((a, b, tap_a, tap_b))
}

async fn week_offline() -> Result<()> {
    let (ta, tb) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let (da, db) = (DataDir::new(ta.path()), DataDir::new(tb.path()));
    let session = seeded_pair(1, &da, &db)?;
    // First meeting: sync once, so each persists its sync state for the other.
    {
        let (mut a, mut b, _, _) = start_pair_nodes(&da, &db).await?;
        let mut ea = a.take_events().context("events")?;
        let mut eb = b.take_events().context("events")?;
        b.connect_partner()?;
        wait_for(&mut ea, Duration::from_secs(60), in_sync).await?;
        wait_for(&mut eb, Duration::from_secs(60), in_sync).await?;
        a.shutdown().await;
        b.shutdown().await;
    }
    // A week apart: A types a session's notes in 30 commits and commits to 3 actions;
    // B types in 10 commits, adds 2 actions and completes one.
    let (mut a, mut b, tap_a, tap_b) = start_pair_nodes(&da, &db).await?;
    let mut ea = a.take_events().context("events")?;
    let mut eb = b.take_events().context("events")?;
    for i in 0..30 {
        a.edit(|d| {
            d.append_half_text(
                &session,
                Slot::B,
                HalfText::Notes,
                &format!("A's line {i}: what went well, what got in the way"),
            )
        })?;
    }
    for i in 0..3 {
        a.edit(|d| {
            d.add_action(
                Slot::A,
                &format!("A's step {i}"),
                Date::new(2022, 1, 10),
                None,
            )
        })?;
    }
    for i in 0..10 {
        b.edit(|d| {
            d.append_half_text(
                &session,
                Slot::A,
                HalfText::Reality,
                &format!("B's line {i}: where am I now"),
            )
        })?;
    }
    for i in 0..2 {
        b.edit(|d| {
            d.add_action(
                Slot::B,
                &format!("B's step {i}"),
                Date::new(2022, 1, 11),
                None,
            )
        })?;
    }
    let before_a = tap_a.lock().map(|t| t.len()).unwrap_or(0);
    let before_b = tap_b.lock().map(|t| t.len()).unwrap_or(0);
    let t0 = Instant::now();
    b.connect_partner()?;
    wait_for(&mut eb, Duration::from_secs(60), |e| {
        matches!(e, Event::Connected).then_some(())
    })
    .await?;
    let connected = t0.elapsed();
    wait_for(&mut eb, Duration::from_secs(60), in_sync).await?;
    let b_done = t0.elapsed();
    wait_for(&mut ea, Duration::from_secs(60), in_sync).await?;
    let took = t0.elapsed();
    let ta_bytes = tap_a
        .lock()
        .map(|t| t[before_a..].to_vec())
        .unwrap_or_default();
    let tb_bytes = tap_b
        .lock()
        .map(|t| t[before_b..].to_vec())
        .unwrap_or_default();
    let (fa, sa) = frames(&ta_bytes);
    let (fb, sb) = frames(&tb_bytes);
    println!(
        "reconnect after a week offline on both sides (1-year partnership, 45 changes): connected after {:.1} ms, B in sync after {:.1} ms, both after {:.1} ms; {} bytes A→B + {} bytes B→A; {} sync messages ({} frames with hellos, idles and heartbeats)",
        ms(connected),
        ms(b_done),
        ms(took),
        ta_bytes.len(),
        tb_bytes.len(),
        sa + sb,
        fa + fb
    );
    a.shutdown().await;
    b.shutdown().await;
    Ok(())
}

async fn first_sync(years: usize) -> Result<()> {
    let (ta, tb, tc) = (
        tempfile::tempdir()?,
        tempfile::tempdir()?,
        tempfile::tempdir()?,
    );
    let (da, db, dc) = (
        DataDir::new(ta.path()),
        DataDir::new(tb.path()),
        DataDir::new(tc.path()),
    );
    seeded_pair(years, &da, &db)?;
    // A pairs a fresh device C (C takes slot B): everything goes over in the Welcome.
    let tap = Arc::new(Mutex::new(Vec::new()));
    let mut ca = loopback(&da);
    ca.tap = Some(tap.clone());
    let mut a = Node::start(ca).await?;
    let mut c = Node::start(loopback(&dc)).await?;
    let mut ea = a.take_events().context("events")?;
    let mut ec = c.take_events().context("events")?;
    let t0 = Instant::now();
    pair(&a, &mut ea, &c, &mut ec, "Cleo").await?;
    let took = t0.elapsed();
    let bytes = tap.lock().map(|t| t.len()).unwrap_or(0);
    let sessions = c.read(|d| d.read().map(|p| p.sessions.len()).unwrap_or(0));
    println!(
        "first sync of a {years}-year partnership to a freshly paired device: {:.0} ms from invite to saved on the new device ({sessions} sessions), {:.0} KB sent",
        ms(took),
        bytes as f64 / 1024.0
    );
    a.shutdown().await;
    c.shutdown().await;
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let edits: usize = arg("--edits").and_then(|s| s.parse().ok()).unwrap_or(1000);
    let years: Vec<usize> = arg("--years")
        .unwrap_or_else(|| "1,5".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("cocoach-netbench (iroh on 127.0.0.1, both nodes in one process)");
    if edits > 0 {
        live_latency(edits).await?;
    }
    week_offline().await?;
    for y in years {
        first_sync(y).await?;
    }
    Ok(())
}
