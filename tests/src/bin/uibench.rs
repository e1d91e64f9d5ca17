//! Frame times of the desktop views while showing a long partnership.
//!
//! `cargo run --release -p cocoach-tests --bin cocoach-uibench -- [--years 5] [--frames 300] [--write-data DIR]`
//!
//! Builds a generated partnership of `--years` of weekly sessions (plus today's
//! session, open), computes the view the node would publish, and runs every screen
//! of the window for `--frames` frames at 1100×760 in a headless egui context. A
//! frame is the whole CPU side of drawing: layout of every widget (`run_ui`) and
//! tessellation into triangles. The GPU upload is not included (no GPU here).
//! Prints median and p99 per screen and over all screens.
//!
//! `--write-data DIR` also writes Ana's and Bo's data directories for that
//! partnership into `DIR/ana` and `DIR/bo` (for the startup probe:
//! `COCOACH_PROBE_STARTUP=1 cocoach --data-dir DIR/ana`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use cocoach_api::{Command, Event, JournalEntry, JournalLink, NodeLink, SendError, View};
use cocoach_doc::{Date, HistoryEntry, Slot, now_ms};
use cocoach_store::DataDir;
use cocoach_testkit::generate::{HistoryShape, history, prose};
use cocoach_testkit::rng::Rng;
use cocoach_ui::{CocoachUi, Screen};

/// A node stand-in answering from memory: the view, the history and a journal.
struct Fake {
    events: Mutex<VecDeque<Event>>,
    history: Arc<Vec<HistoryEntry>>,
    journal: Vec<JournalEntry>,
}

impl NodeLink for Fake {
    fn send(&self, cmd: Command) -> Result<(), SendError> {
        let ev = match cmd {
            Command::History => Some(Event::History(self.history.clone())),
            Command::JournalList { query } => Some(Event::Journal {
                query,
                entries: self.journal.clone(),
            }),
            _ => None,
        };
        if let (Some(ev), Ok(mut q)) = (ev, self.events.lock()) {
            q.push_back(ev);
        }
        Ok(())
    }

    fn try_event(&mut self) -> Option<Event> {
        self.events.lock().ok()?.pop_front()
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn frame(ctx: &egui::Context, app: &mut CocoachUi, t: f64) -> Duration {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1100.0, 760.0),
        )),
        time: Some(t),
        ..Default::default()
    };
    let start = Instant::now();
    let out = ctx.run_ui(input, |ui| {
        app.logic();
        app.ui(ui);
    });
    let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
    let d = start.elapsed();
    std::hint::black_box(prims);
    d
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(v: &mut [Duration]) -> (f64, f64) {
    v.sort();
    (ms(v[v.len() / 2]), ms(v[(v.len() * 99) / 100]))
}

fn main() -> Result<()> {
    let years: usize = arg("--years").map_or(Ok(5), |s| s.parse())?;
    let frames: usize = arg("--frames").map_or(Ok(300), |s| s.parse())?;
    if let Some(dir) = arg("--write-data") {
        let dir = std::path::PathBuf::from(dir);
        cocoach_tests::seeded_pair(
            years,
            &DataDir::new(dir.join("ana")),
            &DataDir::new(dir.join("bo")),
        )?;
        eprintln!("wrote {}/ana and {}/bo", dir.display(), dir.display());
    }

    let t0 = Instant::now();
    let mut p = history(HistoryShape::years(years), 42)?;
    p.a.new_session(Date::today())?;
    p.a.commit();
    // What the node does to publish a view, and to answer the history screen.
    let t = Instant::now();
    let partnership = p.a.read()?;
    let t_read = t.elapsed();
    let t = Instant::now();
    let conflicts = p.a.conflicts();
    let t_conflicts = t.elapsed();
    let t = Instant::now();
    let entries = Arc::new(p.a.history());
    let t_history = t.elapsed();
    eprintln!(
        "node side: read {:.0} ms, conflicts {:.0} ms, history {:.0} ms",
        ms(t_read),
        ms(t_conflicts),
        ms(t_history)
    );
    let me = p.id_a.public();
    eprintln!(
        "{years}-year partnership: {} sessions, {} actions, {} changes (built in {:.1} s)",
        partnership.sessions.len(),
        partnership.actions.len(),
        entries.len(),
        t0.elapsed().as_secs_f64()
    );
    let mut rng = Rng::new(7);
    let journal = (0..52 * years as i64)
        .map(|i| JournalEntry {
            id: i + 1,
            created_at_ms: now_ms() - i * 7 * 86_400_000,
            updated_at_ms: now_ms() - i * 7 * 86_400_000,
            text: prose(&mut rng, 400),
            link: JournalLink::None,
        })
        .collect();
    let view = View {
        me,
        my_name: "Ana Müller".into(),
        my_slot: partnership.slot_of(&me),
        partnership: Some(partnership),
        conflicts,
        saved: true,
        not_saved: None,
        partner_last_seen_ms: Some(now_ms()),
        applied: 0,
    };
    let fake = Fake {
        events: Mutex::new(VecDeque::from([Event::View(Arc::new(view))])),
        history: entries,
        journal,
    };
    let ctx = egui::Context::default();
    let mut app = CocoachUi::new(Box::new(fake));
    let mut t = 0.0;
    let mut all = Vec::new();
    println!("frame time at 1100x760, {frames} frames per screen (layout + tessellation):");
    for screen in Screen::ALL {
        app.screen = screen;
        for _ in 0..30 {
            t += 1.0 / 60.0;
            frame(&ctx, &mut app, t);
        }
        let mut v: Vec<Duration> = (0..frames)
            .map(|_| {
                t += 1.0 / 60.0;
                frame(&ctx, &mut app, t)
            })
            .collect();
        all.extend_from_slice(&v);
        let (median, p99) = stats(&mut v);
        println!("  {screen:?}: median {median:.2} ms, p99 {p99:.2} ms");
    }
    let (median, p99) = stats(&mut all);
    println!("all screens: median {median:.2} ms, p99 {p99:.2} ms (target p99 <= 8 ms)");
    let slot = app
        .view
        .as_ref()
        .and_then(|v| v.my_slot)
        .context("the view did not arrive")?;
    anyhow::ensure!(slot == Slot::A, "the bench shows Ana's window");
    Ok(())
}
