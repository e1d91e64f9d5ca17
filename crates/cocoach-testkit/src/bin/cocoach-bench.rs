//! Storage benchmark: generates 1-year and 5-year partnerships and prints open time
//! (store to typed model), save size, edit-to-saved latency and compaction time.
//!
//! `cargo run --release -p cocoach-testkit --bin cocoach-bench -- [--years 1,5] [--edits 500] [--runs 7] [--sessions N]`

use std::time::{Duration, Instant};

use std::sync::Mutex;

use cocoach_doc::{HalfText, PartnershipDoc, Slot};
use cocoach_store::{DataDir, PartnershipStore};
use cocoach_sync::{Access, Message, SyncSession};
use cocoach_testkit::generate::{HistoryShape, history};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let years: Vec<usize> = arg(&args, "--years")
        .unwrap_or_else(|| "1,5".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let edits: usize = arg(&args, "--edits")
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    let runs: usize = arg(&args, "--runs")
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    // `--sessions N`: a small history instead of whole years (CI's smoke run).
    let sessions: Option<usize> = arg(&args, "--sessions").and_then(|s| s.parse().ok());

    println!("cocoach-bench: {runs} open runs, {edits} edits; times in ms (median unless noted)");
    let shapes: Vec<(String, HistoryShape)> = match sessions {
        Some(n) => vec![(
            format!("{n}-session"),
            HistoryShape {
                sessions: n,
                actions: n * 400 / 52,
                ..HistoryShape::years(1)
            },
        )],
        None => years
            .iter()
            .map(|y| (format!("{y}-year"), HistoryShape::years(*y)))
            .collect(),
    };
    for (label, shape) in shapes {
        let t = Instant::now();
        let mut pair = history(shape, 42)?;
        let gen_time = t.elapsed();
        let p = pair.a.read()?;
        let notes: usize = p
            .sessions
            .iter()
            .flat_map(|s| s.halves.iter())
            .map(|h| {
                h.review.len()
                    + h.goal.len()
                    + h.reality.len()
                    + h.will.len()
                    + h.notes.len()
                    + h.options.iter().map(String::len).sum::<usize>()
            })
            .sum();
        let n_changes = pair.a.history().len();
        println!(
            "\n== {label} document: {} sessions, {} actions, {:.0} KB of notes, {n_changes} changes (generated in {:.1} s)",
            p.sessions.len(),
            p.actions.len(),
            notes as f64 / 1024.0,
            gen_time.as_secs_f64()
        );

        large_message(&mut pair, runs.min(5))?;

        let tmp = tempfile::tempdir()?;
        let dir = DataDir::new(tmp.path());
        let mut doc = pair.a;
        let t = Instant::now();
        let mut store = PartnershipStore::create(&dir, &mut doc)?;
        let create = t.elapsed();
        store.upsert_partner(&cocoach_store::PartnerRecord {
            key: pair.id_b.public(),
            name: "Bo Chen".into(),
            addresses: Vec::new(),
            paired_at_ms: Some(1),
            last_seen_ms: None,
        })?;
        let db_before = std::fs::metadata(dir.partnership_db())?.len();
        println!(
            "store every change as its own row: {:.0} ms, database {:.0} KB",
            ms(create),
            db_before as f64 / 1024.0
        );

        // Open before compaction: snapshot-free, every change row applied.
        drop(store);
        let t = Instant::now();
        let (s, d, _) = PartnershipStore::open(&dir, None)?;
        let _ = d.read()?;
        println!(
            "open with {n_changes} change rows (before compaction): {:.0} ms",
            ms(t.elapsed())
        );
        store = s;
        doc = d;

        let r = store.compact(&mut doc)?;
        println!(
            "compaction (save() of the whole document, old rows folded): {} ms, {} rows folded, {:.0} KB snapshot",
            r.millis,
            r.folded,
            r.snapshot_bytes as f64 / 1024.0
        );
        drop(store);
        let db_after = std::fs::metadata(dir.partnership_db())?.len();
        println!(
            "save size: snapshot {:.0} KB, database file {:.0} KB",
            r.snapshot_bytes as f64 / 1024.0,
            db_after as f64 / 1024.0
        );

        let mut load_t = Vec::new();
        let mut read_t = Vec::new();
        let mut total_t = Vec::new();
        for _ in 0..runs {
            let t0 = Instant::now();
            let (_s, d, _) = PartnershipStore::open(&dir, None)?;
            let t1 = Instant::now();
            let model = d.read()?;
            let t2 = Instant::now();
            std::hint::black_box(&model);
            load_t.push(t1 - t0);
            read_t.push(t2 - t1);
            total_t.push(t2 - t0);
        }
        load_t.sort();
        read_t.sort();
        total_t.sort();
        println!(
            "open (store to typed model): median {:.1} ms (min {:.1}, max {:.1}); of which load {:.1}, typed read {:.1}",
            ms(pct(&total_t, 0.5)),
            ms(total_t[0]),
            ms(total_t[total_t.len() - 1]),
            ms(pct(&load_t, 0.5)),
            ms(pct(&read_t, 0.5))
        );

        // As the node and the command line open it: with this device's identity, so
        // every change's signature is checked (the same run, same machine).
        {
            let mut signed_t = Vec::new();
            let mut check_t = Vec::new();
            for _ in 0..runs {
                let t0 = Instant::now();
                let (s, mut d, _) = PartnershipStore::open(&dir, Some(&pair.id_a))?;
                signed_t.push(t0.elapsed());
                assert!(s.record().unverified.is_empty(), "{:?}", s.record());
                let t = Instant::now();
                std::hint::black_box(d.check_record());
                check_t.push(t.elapsed());
            }
            signed_t.sort();
            check_t.sort();
            println!(
                "open with every signature checked (this device's identity): median {:.1} ms; the check alone {:.1} ms for {n_changes} changes",
                ms(pct(&signed_t, 0.5)),
                ms(pct(&check_t, 0.5))
            );
        }

        // Where load time goes: Automerge alone, with and without re-deriving head hashes.
        {
            let (_s, mut d, _) = PartnershipStore::open(&dir, None)?;
            let bytes = d.automerge_mut().save();
            let mut v = Vec::new();
            let mut u = Vec::new();
            for _ in 0..runs {
                let t = Instant::now();
                std::hint::black_box(cocoach_doc::automerge::AutoCommit::load(&bytes)?);
                v.push(t.elapsed());
                let t = Instant::now();
                std::hint::black_box(cocoach_doc::automerge::AutoCommit::load_unverified_heads(
                    &bytes,
                )?);
                u.push(t.elapsed());
            }
            v.sort();
            u.sort();
            println!(
                "automerge load of the snapshot alone: {:.1} ms verified, {:.1} ms without head verification",
                ms(pct(&v, 0.5)),
                ms(pct(&u, 0.5))
            );
        }

        // The sync protocol alone, in memory: a week apart on both sides, then one
        // exchange from the persisted sync states (no network, no disk).
        {
            use cocoach_doc::automerge::{AutoCommit, sync};
            let (_s, mut d, _) = PartnershipStore::open(&dir, None)?;
            let bytes = d.automerge_mut().save();
            let mut a = AutoCommit::load(&bytes)?;
            let mut b = AutoCommit::load(&bytes)?;
            let (mut sa, mut sb) = (sync::State::new(), sync::State::new());
            cocoach_testkit::sync::sync_pair(&mut a, &mut b, &mut sa, &mut sb, |_| {})
                .map_err(anyhow::Error::msg)?;
            let (pa, pb) = (sa.encode(), sb.encode());
            let mut da = cocoach_doc::PartnershipDoc::from_automerge(a)?;
            let mut db = cocoach_doc::PartnershipDoc::from_automerge(b)?;
            let sid = da
                .read()?
                .sessions
                .last()
                .map(|s| s.id.clone())
                .unwrap_or_default();
            for i in 0..33 {
                da.append_half_text(&sid, Slot::B, HalfText::Notes, &format!("A's line {i}"))?;
                da.commit();
            }
            for i in 0..12 {
                db.append_half_text(&sid, Slot::A, HalfText::Reality, &format!("B's line {i}"))?;
                db.commit();
            }
            let mut sa = sync::State::decode(&pa)?;
            let mut sb = sync::State::decode(&pb)?;
            let t = Instant::now();
            let st = cocoach_testkit::sync::sync_pair(
                da.automerge_mut(),
                db.automerge_mut(),
                &mut sa,
                &mut sb,
                |_| {},
            )
            .map_err(anyhow::Error::msg)?;
            println!(
                "sync protocol alone, a week apart (45 changes), in memory: {:.1} ms, {} messages, {} round trips, {} bytes",
                ms(t.elapsed()),
                st.messages,
                st.round_trips,
                st.bytes
            );
        }

        let (mut store, mut doc, _) = PartnershipStore::open(&dir, None)?;
        let sid = doc
            .read()?
            .sessions
            .last()
            .map(|s| s.id.clone())
            .unwrap_or_default();
        let mut lat = Vec::with_capacity(edits);
        let mut text = doc
            .read()?
            .sessions
            .last()
            .map(|s| s.half(Slot::A).notes.clone())
            .unwrap_or_default();
        for i in 0..edits {
            text.push_str(if i % 10 == 9 { "\n" } else { " word" });
            let t0 = Instant::now();
            doc.set_half_text(&sid, Slot::A, HalfText::Notes, &text)?;
            doc.commit();
            store.save(&mut doc)?;
            lat.push(t0.elapsed());
        }
        lat.sort();
        println!(
            "edit-to-saved (update_text on a note, commit, SQLite commit with fsync), {edits} edits: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            ms(pct(&lat, 0.5)),
            ms(pct(&lat, 0.99)),
            ms(lat[lat.len() - 1])
        );
        let rows = store.change_rows()?;
        drop(store);
        let mut t_rows = Vec::new();
        for _ in 0..runs {
            let t0 = Instant::now();
            let (_s, d, _) = PartnershipStore::open(&dir, None)?;
            std::hint::black_box(d.read()?);
            t_rows.push(t0.elapsed());
        }
        t_rows.sort();
        println!(
            "open with the snapshot plus {rows} change rows not yet compacted: median {:.1} ms",
            ms(pct(&t_rows, 0.5))
        );
    }
    Ok(())
}

/// B's side of the document lock, timing each hold of it.
struct Timed<'a> {
    doc: &'a Mutex<PartnershipDoc>,
    holds: Vec<Duration>,
}

impl Access for &mut Timed<'_> {
    type Doc = PartnershipDoc;
    fn with<T>(&mut self, f: impl FnOnce(&mut PartnershipDoc) -> T) -> T {
        let t = Instant::now();
        let out = f(&mut self
            .doc
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner));
        self.holds.push(t.elapsed());
        out
    }
}

/// A heavy month offline: A writes 300 notes of 100 characters (about 30,000
/// operations) and B receives them in one sync message. Prints how long B took for
/// that message (the old code held the document lock for all of it) and the
/// longest single hold of the lock now (what a local edit on B can wait).
fn large_message(pair: &mut cocoach_testkit::generate::Pair, runs: usize) -> anyhow::Result<()> {
    let pins = [pair.id_a.public(), pair.id_b.public()];
    let bytes = pair.a.automerge_mut().save();
    let sigs = pair.a.all_signatures();
    let (mut whole, mut longest, mut holds) = (Vec::new(), Vec::new(), 0);
    for _ in 0..runs.max(1) {
        let mut a = PartnershipDoc::from_signed(&bytes, sigs.clone(), &pins, &pair.id_a)?;
        let b = Mutex::new(PartnershipDoc::from_signed(
            &bytes,
            sigs.clone(),
            &pins,
            &pair.id_b,
        )?);
        let sid = a
            .read()?
            .sessions
            .last()
            .map(|s| s.id.clone())
            .unwrap_or_default();
        for i in 0..300 {
            let text = format!("{i:>4} {}", "x".repeat(95));
            a.append_half_text(&sid, Slot::A, HalfText::Notes, &text)?;
            a.commit();
        }
        let pid = a.partnership_id().to_string();
        let (mut sa, mut sb) = (SyncSession::new(&pid, None), SyncSession::new(&pid, None));
        let mut timed = Timed {
            doc: &b,
            holds: Vec::new(),
        };
        let mut queue: Vec<(bool, Message)> =
            sa.start(&mut a).into_iter().map(|m| (true, m)).collect();
        let hello = sb.start(
            &mut *timed
                .doc
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        queue.extend(hello.into_iter().map(|m| (false, m)));
        let mut biggest: Option<(Duration, Duration, usize)> = None;
        for _ in 0..200 {
            if queue.is_empty() {
                break;
            }
            let (to_b, m) = queue.remove(0);
            let r = if to_b {
                timed.holds.clear();
                let t = Instant::now();
                let r = sb.receive(&mut timed, m)?;
                let took = t.elapsed();
                let max = timed.holds.iter().copied().max().unwrap_or_default();
                if biggest.is_none_or(|(w, _, _)| took > w) {
                    biggest = Some((took, max, timed.holds.len()));
                }
                r
            } else {
                sa.receive(&mut a, m)?
            };
            queue.extend(r.reply.into_iter().map(|m| (!to_b, m)));
        }
        anyhow::ensure!(
            a.heads()
                == b.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .heads(),
            "the large message did not sync"
        );
        if let Some((w, m, n)) = biggest {
            whole.push(w);
            longest.push(m);
            holds = n;
        }
    }
    whole.sort();
    longest.sort();
    println!(
        "a large message to B (A's 300 notes, ~30,000 operations): B took {:.1} ms for it (the lock was held for all of it before steps); longest hold of the lock now {:.1} ms ({holds} holds); median of {}",
        ms(pct(&whole, 0.5)),
        ms(pct(&longest, 0.5)),
        whole.len()
    );
    Ok(())
}
