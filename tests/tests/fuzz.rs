//! Structured mutation fuzzing on stable Rust, replayed in CI. The corpus in
//! `tests/fuzz/corpus` was recorded from real traffic (`cocoach-capture-corpus`):
//! the frames a host sent while pairing and syncing (pairing messages, the Welcome
//! with the document, Hello, Sync, Idle, heartbeats), the invite text and a
//! persisted sync state. Each target replays the corpus as it is, then mutates it
//! — bit flips, special bytes, big length fields, truncation, insertion,
//! duplication, splices — and feeds the result to the code that meets the
//! partner's bytes: the frame decoder (in random chunkings), message decoding, a
//! `SyncSession` after a valid `Hello`, the pairing host and guest, invite
//! decoding, sync-state decoding, and the Welcome document (chunk limits, then
//! Automerge's load, then the typed read). Nothing may panic.
//!
//! Allocations are bounded: a counting allocator measures, per thread, the most
//! bytes each case holds at once beyond what was live when it began, and every
//! target asserts that stays under [`MAX_CASE_BYTES`] (each prints its largest).
//!
//! Fixed seeds plus one fresh seed per run (printed; `SEED=…` replays one);
//! `FUZZ_CASES=n` mutations per target and seed (default 2,000). A longer soak:
//! `FUZZ_CASES=200000 cargo test --release -p cocoach-tests --test fuzz`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::automerge::AutoCommit;
use cocoach_doc::{DeviceKey, PartnershipDoc};
use cocoach_sync::{FrameDecoder, Message, PairingGuest, PairingHost, SyncSession, Ticket};
use cocoach_testkit::{Rng, for_each_seed};

/// Most bytes one fuzz case may hold at once (the recorded document is ~100 KB; a
/// frame is refused above 64 MiB from its header, before any allocation).
const MAX_CASE_BYTES: usize = 64 * 1024 * 1024;

// A counting allocator: every call goes to the system allocator; the counts are
// thread-local, so targets running in parallel do not mix.
#[allow(unsafe_code)]
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    thread_local! {
        static LIVE: Cell<isize> = const { Cell::new(0) };
        static PEAK: Cell<isize> = const { Cell::new(0) };
    }

    pub struct Counting;

    fn add(delta: isize) {
        let _ = LIVE.try_with(|live| {
            let now = live.get() + delta;
            live.set(now);
            let _ = PEAK.try_with(|p| {
                if now > p.get() {
                    p.set(now);
                }
            });
        });
    }

    fn size(n: usize) -> isize {
        isize::try_from(n).unwrap_or(isize::MAX)
    }

    // SAFETY: each method forwards to `System` with the caller's arguments unchanged
    // and only counts sizes afterwards (no allocation, thread-locals with const
    // initialisers).
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                add(size(layout.size()));
            }
            p
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc_zeroed(layout) };
            if !p.is_null() {
                add(size(layout.size()));
            }
            p
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) };
            add(-size(layout.size()));
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                add(size(new_size) - size(layout.size()));
            }
            p
        }
    }

    /// Run `f`; with it, the most bytes it held at once on this thread beyond what
    /// was live when it began.
    pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
        let base = LIVE.with(Cell::get);
        PEAK.with(|p| p.set(base));
        let r = f();
        let peak = PEAK.with(Cell::get);
        (r, usize::try_from(peak - base).unwrap_or(0))
    }
}

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// Runs one fuzz case and keeps the largest peak seen.
fn bounded(largest: &mut usize, f: impl FnOnce()) {
    let ((), peak) = counting::peak_during(f);
    *largest = (*largest).max(peak);
}

fn check_bounded(target: &str, largest: usize) {
    eprintln!("{target}: at most {largest} bytes held at once by one case");
    assert!(
        largest < MAX_CASE_BYTES,
        "{target}: a case held {largest} bytes (at most {MAX_CASE_BYTES})"
    );
}

fn corpus(name: &str) -> Vec<u8> {
    let path = format!("{}/fuzz/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn cases() -> usize {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(2000)
}

/// The frames of the recorded stream.
fn frames() -> Vec<Vec<u8>> {
    let mut d = FrameDecoder::default();
    d.push(&corpus("frames-a.bin"));
    let mut out = Vec::new();
    while let Some(f) = d.next_frame().unwrap() {
        out.push(f);
    }
    assert!(out.len() > 5, "the corpus holds {} frames", out.len());
    out
}

/// One random mutation of `input` (`other` is spliced from).
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let n = b.len();
        match rng.below(8) {
            0 if n > 0 => {
                let i = rng.below(n);
                b[i] ^= 1 << rng.below(8);
            }
            1 if n > 0 => {
                let i = rng.below(n);
                b[i] = [0, 0xff, 0x7f, 0x80, 1][rng.below(5)];
            }
            2 if n >= 8 => {
                // A length or count field made huge.
                let i = rng.below(n - 7);
                let big: [u64; 4] = [u64::MAX, 1 << 40, u64::from(u32::MAX), 1 << 26];
                b[i..i + 8].copy_from_slice(&big[rng.below(4)].to_be_bytes());
            }
            3 if n > 0 => b.truncate(rng.below(n)),
            4 => {
                let i = rng.below(n + 1);
                let extra: Vec<u8> = (0..1 + rng.below(16))
                    .map(|_| rng.below(256) as u8)
                    .collect();
                b.splice(i..i, extra);
            }
            5 if n > 0 => {
                let (i, len) = (rng.below(n), 1 + rng.below(32));
                let end = (i + len).min(n);
                let copy = b[i..end].to_vec();
                b.splice(i..i, copy);
            }
            6 if !other.is_empty() && n > 0 => {
                let (i, j) = (rng.below(n), rng.below(other.len()));
                let len = 1 + rng.below(64);
                let piece = &other[j..(j + len).min(other.len())];
                b.splice(i..(i + piece.len()).min(n), piece.iter().copied());
            }
            _ => {
                // LEB128-style runs of continuation bytes.
                let i = rng.below(n + 1);
                b.splice(i..i, std::iter::repeat_n(0xff, 1 + rng.below(10)));
            }
        }
    }
    b
}

fn ticket() -> Ticket {
    Ticket::decode(String::from_utf8(corpus("ticket.txt")).unwrap().trim()).unwrap()
}

/// The Welcome document of the recorded pairing.
fn welcome_document() -> Vec<u8> {
    frames()
        .into_iter()
        .find_map(|f| match Message::decode(&f) {
            Ok(Message::Welcome { document, .. }) => Some(document),
            _ => None,
        })
        .expect("the corpus holds a Welcome")
}

#[test]
fn frames_and_messages_never_panic() {
    let frames = frames();
    let stream = corpus("frames-a.bin");
    let mut largest = 0;
    for_each_seed("fuzz frames", &[1, 2, 3], |seed| {
        let mut rng = Rng::new(seed);
        for _ in 0..cases() {
            bounded(&mut largest, || {
                // The whole stream, mutated, in random chunks.
                let s = mutate(&mut rng, &stream, &stream);
                let mut d = FrameDecoder::default();
                let mut rest = s.as_slice();
                while !rest.is_empty() {
                    let k = (1 + rng.below(64)).min(rest.len());
                    d.push(&rest[..k]);
                    rest = &rest[k..];
                    while let Ok(Some(f)) = d.next_frame() {
                        let _ = Message::decode(&f);
                    }
                }
                // One frame, mutated.
                let f = &frames[rng.below(frames.len())];
                let _ = Message::decode(&mutate(&mut rng, f, &stream));
            });
        }
    });
    check_bounded("fuzz frames", largest);
}

#[test]
fn a_sync_session_survives_any_message_after_hello() {
    let frames = frames();
    let doc = welcome_document();
    let pid = PartnershipDoc::from_automerge(AutoCommit::load(&doc).unwrap())
        .unwrap()
        .partnership_id()
        .to_string();
    let state = corpus("sync-state.bin");
    let mut largest = 0;
    for_each_seed("fuzz session", &[1, 2, 3], |seed| {
        let mut rng = Rng::new(seed);
        let mut am = PartnershipDoc::from_automerge(AutoCommit::load(&doc).unwrap()).unwrap();
        for case in 0..cases() {
            bounded(&mut largest, || {
                // A persisted state from a damaged disk is replaced, never trusted.
                let persisted = if case % 2 == 0 {
                    mutate(&mut rng, &state, &state)
                } else {
                    state.clone()
                };
                let mut s = SyncSession::new(&pid, Some(&persisted));
                s.start(&mut am);
                let hello = Message::Hello(cocoach_sync::Hello {
                    protocol: cocoach_sync::PROTOCOL_VERSION,
                    partnership_id: pid.clone(),
                    heads: vec![],
                });
                s.receive(&mut am, hello).unwrap();
                for _ in 0..1 + rng.below(4) {
                    let pick = rng.below(frames.len());
                    let f = mutate(&mut rng, &frames[pick], &doc);
                    if let Ok(m) = Message::decode(&f) {
                        if s.receive(&mut am, m).is_err() {
                            break;
                        }
                        let _ = s.tick(&mut am);
                    }
                }
            });
        }
    });
    check_bounded("fuzz session", largest);
}

#[test]
fn pairing_steps_and_invites_never_panic() {
    let frames = frames();
    let t = ticket();
    let text = t.encode();
    let mut largest = 0;
    for_each_seed("fuzz pairing", &[1, 2, 3], |seed| {
        let mut rng = Rng::new(seed);
        for _ in 0..cases() {
            bounded(&mut largest, || {
                let m = mutate(&mut rng, text.as_bytes(), text.as_bytes());
                let _ = Ticket::decode(&String::from_utf8_lossy(&m));
                let mut host = PairingHost::with_nonce(t.clone(), [5; 32]);
                let mut guest =
                    PairingGuest::with_nonce(t.clone(), DeviceKey([9; 32]), "Bo", 0, [6; 32])
                        .unwrap();
                for _ in 0..1 + rng.below(6) {
                    let pick = rng.below(frames.len());
                    let f = mutate(&mut rng, &frames[pick], &frames[0]);
                    if let Ok(msg) = Message::decode(&f) {
                        let who = if rng.below(2) == 0 {
                            DeviceKey([9; 32])
                        } else {
                            DeviceKey([8; 32])
                        };
                        let _ = host.receive(who, msg.clone(), 0);
                        let _ = guest.receive(msg);
                    }
                    if rng.below(4) == 0 {
                        let _ = host.user_confirms(rng.below(2) == 0);
                        let _ = guest.user_confirms(rng.below(2) == 0);
                    }
                }
            });
        }
    });
    check_bounded("fuzz pairing", largest);
}

/// The document a host sends when pairing, damaged or hostile: the chunk limits,
/// then Automerge's load, then the typed read — an error at any step, never a panic.
#[test]
fn a_welcome_document_never_panics_the_guest() {
    let doc = welcome_document();
    let (mut loaded, mut read) = (0, 0);
    let mut largest = 0;
    for_each_seed("fuzz welcome", &[1, 2, 3], |seed| {
        let mut rng = Rng::new(seed);
        for _ in 0..cases() {
            bounded(&mut largest, || {
                let m = mutate(&mut rng, &doc, &doc);
                let mut budget = cocoach_sync::limits::MAX_INFLATED;
                if cocoach_sync::limits::check_chunks(&m, &mut budget).is_err() {
                    return;
                }
                loaded += 1;
                if let Ok(am) = AutoCommit::load(&m)
                    && let Ok(d) = PartnershipDoc::from_automerge(am)
                {
                    read += 1;
                    let _ = d.read();
                    let _ = d.conflicts();
                }
            });
        }
    });
    check_bounded("fuzz welcome", largest);
    eprintln!("fuzz welcome: {loaded} reached Automerge's load, {read} opened");
    assert!(loaded > 0);
}

/// A session after the partner's hello, over the welcome document.
fn session_after_hello() -> (SyncSession, PartnershipDoc) {
    let doc = welcome_document();
    let mut am = PartnershipDoc::from_automerge(AutoCommit::load(&doc).unwrap()).unwrap();
    let pid = am.partnership_id().to_string();
    let mut s = SyncSession::new(&pid, Some(&corpus("sync-state.bin")));
    s.start(&mut am);
    let hello = Message::Hello(cocoach_sync::Hello {
        protocol: cocoach_sync::PROTOCOL_VERSION,
        partnership_id: pid,
        heads: vec![],
    });
    s.receive(&mut am, hello).unwrap();
    (s, am)
}

/// A case the session fuzzer found (fresh seed 17954293156806849202): a change whose
/// op counter passes u32 makes Automerge 0.12 panic while *parsing* it — in our own
/// look at the message before any step, outside the steps' panic guard, so the
/// panic ended the connection's task. Now a refusal like any other.
#[test]
fn a_change_automerge_panics_on_while_parsing_is_refused() {
    let (mut s, mut am) = session_after_hello();
    let m = Message::decode(&corpus("found-op-counter-panic.bin")).unwrap();
    let heads = am.heads();
    let err = s.receive(&mut am, m).expect_err("the change was taken in");
    assert!(err.to_string().contains("a panic, caught"), "{err}");
    assert_eq!(am.heads(), heads);
}

/// A case the session fuzzer found (fresh seed 463807592203665271, case 1549): a
/// 634-byte `Sync` whose one change declares a string of 254 MiB in a 106-byte
/// column; Automerge 0.12 allocates what a string declares before reading it, so
/// parsing the change asked for 254 MiB. Now refused before Automerge parses it.
#[test]
fn a_change_declaring_a_huge_string_is_refused_before_automerge_parses_it() {
    let (mut s, mut am) = session_after_hello();
    let m = Message::decode(&corpus("found-huge-string.bin")).unwrap();
    let heads = am.heads();
    let (r, peak) = counting::peak_during(|| s.receive(&mut am, m));
    let err = r.expect_err("the change was taken in");
    assert!(err.to_string().contains("a string that claims"), "{err}");
    assert!(peak < 16 << 20, "receiving it held {peak} bytes");
    assert_eq!(am.heads(), heads);
}
