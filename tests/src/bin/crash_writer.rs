//! Child process of the crash test: makes edits one after another, saves each, and
//! prints `saved N` only after the SQLite transaction holding it has committed. The
//! parent kills it with SIGKILL at a random moment and checks every printed edit.
//!
//! `crash-writer DIR FIRST_N COMPACT_EVERY`

use std::io::Write;

use anyhow::{Context, Result};
use cocoach_doc::{HalfText, Slot};
use cocoach_store::{DataDir, PartnershipStore};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let dir = DataDir::new(args.get(1).context("DIR")?);
    let mut n: u64 = args.get(2).context("FIRST_N")?.parse()?;
    let compact_every: usize = args.get(3).context("COMPACT_EVERY")?.parse()?;
    let (mut store, mut doc, _) = PartnershipStore::open(&dir, None)?;
    store.set_compact_threshold(compact_every);
    let session = doc
        .read()?
        .sessions
        .first()
        .context("no session")?
        .id
        .clone();
    let mut out = std::io::stdout().lock();
    loop {
        match n % 3 {
            0 => doc.append_half_text(&session, Slot::A, HalfText::Notes, &format!("w{n}"))?,
            1 => {
                doc.add_action(Slot::B, &format!("a{n}"), None, None)?;
            }
            _ => {
                doc.add_option(&session, Slot::B, &format!("o{n}"))?;
            }
        }
        doc.commit();
        store.save(&mut doc)?;
        writeln!(out, "saved {n}")?;
        out.flush()?;
        store.maybe_compact(&mut doc)?;
        n += 1;
    }
}
