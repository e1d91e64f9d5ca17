//! What a sync message from the partner may ask of us, checked before Automerge sees
//! it. Automerge 0.12 trusts its sync input: a Bloom filter with zero bits per entry
//! makes `BloomFilter::get_probes` divide by zero (a panic when we next generate a
//! message), and a huge `num_probes` makes it allocate that many `u32`s (16 GiB for
//! `u32::MAX`: an abort). Every byte from the partner's device is untrusted: a buggy
//! build, a damaged disk or a hostile partner are all refused here with a reason that
//! names the limit, and the connection closes (the caller reconnects).
//!
//! The limits are far above what two honest cocoach devices send: Automerge's own
//! filters use 10 bits per entry and 7 probes, and a message carries the changes of
//! one exchange.

use automerge::sync;

/// Most bits per entry a Bloom filter may use (Automerge uses 10).
pub const MAX_BLOOM_BITS_PER_ENTRY: u64 = 64;
/// Most probes per lookup a Bloom filter may ask for (Automerge uses 7).
pub const MAX_BLOOM_PROBES: u64 = 64;
/// Most `have` entries in one message (Automerge sends at most one).
pub const MAX_HAVES: usize = 16;
/// Most hashes in one message's `heads`, `need` or a `have`'s `last_sync`.
pub const MAX_HASHES: usize = 100_000;
/// Most bytes the changes of one message, or a whole document from the partner,
/// may inflate to. A five-year partnership saves to a few MiB; Automerge inflates
/// compressed chunks with no bound (a megabyte of DEFLATE can become a gigabyte).
pub const MAX_INFLATED: u64 = 256 * 1024 * 1024;
/// Most times the bytes that carry them the changes of one message (or a document)
/// may inflate to. Honest Automerge data inflates about 4 times (a saved 1-year
/// document: 126 KB → 517 KB; its changes one by one: 730 KB → 710 KB); DEFLATE
/// reaches ~1,000 times, so without this a 260 KB message could make Automerge
/// hold 256 MiB.
pub const MAX_INFLATION_RATIO: u64 = 64;
/// A small message may always inflate to this much.
pub const MIN_INFLATED: u64 = 8 * 1024 * 1024;

/// How many bytes `carried` bytes from the partner may inflate to: at most
/// [`MAX_INFLATION_RATIO`] times as many, at least [`MIN_INFLATED`], never past
/// [`MAX_INFLATED`].
pub fn inflation_budget(carried: usize) -> u64 {
    u64::try_from(carried)
        .unwrap_or(u64::MAX)
        .saturating_mul(MAX_INFLATION_RATIO)
        .clamp(MIN_INFLATED, MAX_INFLATED)
}
/// Most change chunks in one message. A year of weekly sessions is a few thousand
/// changes, and a message that carries more than a third of the document carries
/// the whole document as one chunk instead.
pub const MAX_CHANGES_PER_MESSAGE: usize = 100_000;

/// Most operations the document may hold once a message from the partner is
/// applied. A year of weekly sessions holds about 310,000 (measured by
/// `a_message_that_would_grow_the_document_past_its_cap_is_refused`), so this
/// leaves room for some thirty years; a message that would take the document past
/// it is refused whole, naming the limit.
pub const MAX_DOCUMENT_OPS: u64 = 10_000_000;

/// Why a message was refused, naming the limit.
pub(crate) fn check(m: &sync::Message) -> Result<(), String> {
    for (what, n) in [("heads", m.heads.len()), ("need", m.need.len())] {
        if n > MAX_HASHES {
            return Err(format!("{n} hashes in `{what}` (at most {MAX_HASHES})"));
        }
    }
    // Automerge writes every list of hashes sorted, and asserts it (in debug
    // builds) when it writes them again: our sync state holds the partner's
    // heads, so an unsorted list from it would panic us later (found by the
    // session fuzzer, seed 9452955241165833681).
    let lists = [("heads", &m.heads), ("need", &m.need)]
        .into_iter()
        .chain(m.have.iter().map(|h| ("last_sync", &h.last_sync)));
    for (what, hashes) in lists {
        if !hashes.is_sorted() {
            return Err(format!("the hashes in `{what}` are not in order"));
        }
    }
    if m.have.len() > MAX_HAVES {
        return Err(format!(
            "{} `have` entries (at most {MAX_HAVES})",
            m.have.len()
        ));
    }
    for have in &m.have {
        if have.last_sync.len() > MAX_HASHES {
            return Err(format!(
                "{} hashes in `last_sync` (at most {MAX_HASHES})",
                have.last_sync.len()
            ));
        }
        check_bloom(&have.bloom)?;
    }
    if m.changes.len() > MAX_CHANGES_PER_MESSAGE {
        return Err(format!(
            "{} changes in one message (at most {MAX_CHANGES_PER_MESSAGE})",
            m.changes.len()
        ));
    }
    let mut budget = inflation_budget(m.changes.iter().map(<[u8]>::len).sum());
    for entry in m.changes.iter() {
        check_chunks(entry, &mut budget)?;
    }
    Ok(())
}

/// The changes an outgoing message carries, so their signatures can go with them.
#[derive(Debug, PartialEq, Eq)]
pub enum Carried {
    Changes(Vec<automerge::ChangeHash>),
    /// A whole document (Automerge sends one instead of more than a third of it).
    WholeDocument,
}

/// Which changes the chunks of `m` carry (our own message: anything unreadable is
/// skipped; the partner will refuse what comes without a signature).
pub fn carried(m: &sync::Message) -> Carried {
    use sha2::Digest;
    let mut hashes = Vec::new();
    let whole = for_each_chunk(m, |kind, chunk| {
        match kind {
            // An uncompressed change: its hash is SHA-256 of its type, length and
            // body, as Automerge wrote them (no need to parse it).
            1 => hashes.push(automerge::ChangeHash(
                sha2::Sha256::digest(&chunk[8..]).into(),
            )),
            _ => {
                if let Ok(c) = automerge::Change::try_from(chunk) {
                    hashes.push(c.hash());
                }
            }
        }
        Ok(())
    });
    match whole {
        Ok(false) => Carried::Changes(hashes),
        // `for_each_chunk` fails only when `each` does, and it never does here.
        Ok(true) | Err(_) => Carried::WholeDocument,
    }
}

/// About how many operations one step of applying a message from the partner
/// holds. Each step is applied under its own hold of the document's lock, so a
/// local edit waits for one step, never for a whole large message (measured in
/// docs/PERFORMANCE.md, "A large message does not hold up an edit").
pub const STEP_OPS: usize = 2_000;

/// One step of a message from the partner: the message's heads, needs and filters
/// with a run of its changes, and which changes those are.
#[derive(Debug)]
pub(crate) struct Step {
    pub(crate) message: sync::Message,
    pub(crate) carried: Carried,
}

/// What [`incoming`] made of a message from the partner.
#[derive(Debug)]
pub(crate) enum Incoming {
    Steps(Vec<Step>),
    /// It carries a whole document: the session loads it without the lock and
    /// cuts the changes this document lacks into steps ([`steps_of`]).
    WholeDocument(sync::Message),
}

/// [`carried`] for a message from the partner, cut into [`Step`]s of about
/// [`STEP_OPS`] operations, in the message's order (a message without changes is
/// one step with none: its heads and needs still count). A change Automerge 0.12
/// would panic on while applying it is refused first: an `Author` footer on any
/// but an actor's first change (`assert!(change.seq() == 1)` in
/// `change_graph.rs`); honest Automerge writes the footer on the first change only.
pub(crate) fn incoming(m: sync::Message) -> Result<Incoming, String> {
    let mut chunks = Vec::new();
    let whole = for_each_chunk(&m, |_, chunk| {
        // Unreadable: it goes to Automerge, which refuses it in turn. Automerge
        // 0.12 can panic while it parses (an op counter past u32, found by the
        // session fuzzer): that is a refusal too, never a dead connection task.
        let parsed = std::panic::catch_unwind(|| automerge::Change::try_from(chunk))
            .map_err(|_| "a change Automerge fails on (a panic, caught)".to_string())?;
        chunks.push((chunk.to_vec(), parsed.ok()));
        Ok(())
    })?;
    if whole {
        return Ok(Incoming::WholeDocument(m));
    }
    steps_of(&m, chunks).map(Incoming::Steps)
}

/// The `changes` (each as its bytes and, when readable, parsed) in steps with the
/// heads, needs and filters of `m`.
pub(crate) fn steps_of(
    m: &sync::Message,
    changes: impl IntoIterator<Item = (Vec<u8>, Option<automerge::Change>)>,
) -> Result<Vec<Step>, String> {
    let mut steps: Vec<(Vec<Vec<u8>>, Vec<automerge::ChangeHash>)> = vec![Default::default()];
    let mut ops = 0;
    for (bytes, parsed) in changes {
        if let Some(c) = &parsed
            && c.author().is_some()
            && c.seq() != 1
        {
            return Err(format!(
                "a change names its author at sequence number {} (only the first may)",
                c.seq()
            ));
        }
        if ops >= STEP_OPS {
            steps.push(Default::default());
            ops = 0;
        }
        let Some(step) = steps.last_mut() else {
            break;
        };
        step.0.push(bytes);
        if let Some(c) = parsed {
            ops += c.len().max(1);
            step.1.push(c.hash());
        }
    }
    Ok(steps
        .into_iter()
        .map(|(chunks, hashes)| Step {
            message: sync::Message {
                heads: m.heads.clone(),
                need: m.need.clone(),
                have: m.have.clone(),
                changes: chunks.into(),
                flags: m.flags,
                version: m.version.clone(),
            },
            carried: Carried::Changes(hashes),
        })
        .collect())
}

/// Call `each(type, chunk)` for every change chunk of `m`, in order; `true` as soon
/// as one is a whole document (the rest is not walked). An unreadable header ends
/// that entry's walk: the rest of the entry is passed whole as type [`UNREADABLE`]
/// (Automerge refuses it).
fn for_each_chunk(
    m: &sync::Message,
    mut each: impl FnMut(u8, &[u8]) -> Result<(), String>,
) -> Result<bool, String> {
    for entry in m.changes.iter() {
        let mut r = entry;
        while !r.is_empty() {
            let start = r;
            let header = (|| -> Result<(u8, u64), String> {
                take(&mut r, 8)?;
                let kind = take(&mut r, 1)?[0];
                Ok((kind, uleb(&mut r)?))
            })();
            let Ok((kind, len)) = header else {
                each(UNREADABLE, start)?;
                break;
            };
            let Ok(_) = take(&mut r, len) else {
                each(UNREADABLE, start)?;
                break;
            };
            if kind == 0 {
                return Ok(true);
            }
            each(kind, &start[..start.len() - r.len()])?;
        }
    }
    Ok(false)
}

/// The type [`for_each_chunk`] gives the unreadable rest of an entry.
const UNREADABLE: u8 = u8::MAX;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// Bit of a column specification that says the column is DEFLATE-compressed.
const DEFLATE_BIT: u32 = 0b1000;

/// Walk the Automerge chunks in `data` (a document, changes, compressed changes,
/// one after another) and count what they hold once inflated, without inflating
/// into memory: refused past `budget` bytes. The layout is Automerge's binary
/// format (header: magic, checksum, type, LEB128 length; a document's columns each
/// say whether they are deflated). Anything malformed is left for Automerge to
/// refuse, except a chunk type sync never carries.
pub fn check_chunks(data: &[u8], budget: &mut u64) -> Result<(), String> {
    let mut r = data;
    while !r.is_empty() {
        if take(&mut r, 4)? != MAGIC {
            return Err("a chunk that is not Automerge's".into());
        }
        take(&mut r, 4)?; // checksum
        let kind = take(&mut r, 1)?[0];
        let len = uleb(&mut r)?;
        let body = take(&mut r, len)?;
        match kind {
            0 => check_document(body, budget)?,
            1 => {
                charge(budget, body.len() as u64)?;
                check_change_strings(body)?;
            }
            2 => check_change_strings(&inflate_bounded(body, budget)?)?,
            k => return Err(format!("a chunk of type {k}, which sync never carries")),
        }
    }
    Ok(())
}

fn check_document(body: &[u8], budget: &mut u64) -> Result<(), String> {
    let mut r = body;
    for _ in 0..uleb(&mut r)? {
        let n = uleb(&mut r)?;
        take(&mut r, n)?; // an actor id
    }
    let heads = uleb(&mut r)?;
    take(&mut r, heads.saturating_mul(32))?;
    let mut columns = Vec::new();
    for _ in 0..2 {
        // change columns, then op columns: (specification, length)
        for _ in 0..uleb(&mut r)? {
            let spec = uleb(&mut r)?;
            let len = uleb(&mut r)?;
            columns.push((spec, len));
        }
    }
    for (spec, len) in columns {
        let data = take(&mut r, len)?;
        let deflated = spec & u64::from(DEFLATE_BIT) != 0;
        match (deflated, spec & TYPE_BITS == STRING_COLUMN) {
            (true, true) => scan_strings(&inflate_bounded(data, budget)?)?,
            (true, false) => inflate_counted(data, budget)?,
            (false, strings) => {
                charge(budget, data.len() as u64)?;
                if strings {
                    scan_strings(data)?;
                }
            }
        }
    }
    Ok(())
}

/// The low bits of a column specification: its type.
const TYPE_BITS: u64 = 0b111;
/// The type of a column of strings (RLE runs of LEB128 length + UTF-8 bytes).
const STRING_COLUMN: u64 = 5;

/// Automerge 0.12 decodes a string by allocating the length it declares (up to
/// 1 GB, zeroed) before it reads the bytes: a 392-byte change declaring a 254 MiB
/// string made it ask for 254 MiB (found by the session fuzzer). The pages stay
/// untouched on Linux, but where memory is not overcommitted the request itself
/// fails, and Rust aborts. So every string in a change's columns must fit in what
/// is left of its column. The change's header is walked as Automerge writes it; a
/// header that does not parse is left for Automerge to refuse.
fn check_change_strings(body: &[u8]) -> Result<(), String> {
    let Some(columns) = change_columns(body) else {
        return Ok(());
    };
    for (spec, data) in columns {
        if spec & TYPE_BITS == STRING_COLUMN {
            scan_strings(data)?;
        }
    }
    Ok(())
}

/// The op columns of a change chunk's body: (specification, bytes), or `None` if
/// the header does not parse.
fn change_columns(body: &[u8]) -> Option<Vec<(u64, &[u8])>> {
    let mut r = body;
    let deps = uleb(&mut r).ok()?;
    take(&mut r, deps.checked_mul(32)?).ok()?;
    let actor = uleb(&mut r).ok()?;
    take(&mut r, actor).ok()?;
    uleb(&mut r).ok()?; // seq
    uleb(&mut r).ok()?; // start op
    leb128::read::signed(&mut r).ok()?; // time
    let message = uleb(&mut r).ok()?;
    take(&mut r, message).ok()?;
    for _ in 0..uleb(&mut r).ok()? {
        let n = uleb(&mut r).ok()?;
        take(&mut r, n).ok()?;
    }
    let mut meta = Vec::new();
    for _ in 0..uleb(&mut r).ok()? {
        meta.push((uleb(&mut r).ok()?, uleb(&mut r).ok()?));
    }
    let mut columns = Vec::with_capacity(meta.len());
    for (spec, len) in meta {
        columns.push((spec, take(&mut r, len).ok()?));
    }
    Some(columns)
}

/// Every string declared in an RLE column of strings fits in the column. Runs
/// that do not parse are left for Automerge to refuse.
fn scan_strings(column: &[u8]) -> Result<(), String> {
    let mut r = column;
    while !r.is_empty() {
        let Ok(run) = leb128::read::signed(&mut r) else {
            return Ok(());
        };
        let values = match run {
            n if n > 0 => 1,
            0 => {
                if uleb(&mut r).is_err() {
                    return Ok(());
                }
                0
            }
            n => n.unsigned_abs(),
        };
        for _ in 0..values {
            let Ok(len) = uleb(&mut r) else {
                return Ok(());
            };
            if len > r.len() as u64 {
                return Err(format!(
                    "a string that claims {len} bytes in a column of {} bytes",
                    column.len()
                ));
            }
            take(&mut r, len)?;
        }
    }
    Ok(())
}

/// Inflate into memory (to look inside), charged: counted into nowhere first, so a
/// bomb is refused without holding any of it.
fn inflate_bounded(deflated: &[u8], budget: &mut u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    inflate_counted(deflated, &mut budget.clone())?;
    let mut out = Vec::new();
    flate2::bufread::DeflateDecoder::new(deflated)
        .take(*budget + 1)
        .read_to_end(&mut out)
        .map_err(|_| "a compressed chunk that is not valid DEFLATE".to_string())?;
    charge(budget, out.len() as u64)?;
    Ok(out)
}

/// Inflate into nowhere, counting, and stop one byte past the budget.
fn inflate_counted(deflated: &[u8], budget: &mut u64) -> Result<(), String> {
    use std::io::Read;
    let mut d = flate2::bufread::DeflateDecoder::new(deflated).take(*budget + 1);
    let n = std::io::copy(&mut d, &mut std::io::sink())
        .map_err(|_| "a compressed chunk that is not valid DEFLATE".to_string())?;
    charge(budget, n)
}

fn charge(budget: &mut u64, n: u64) -> Result<(), String> {
    match budget.checked_sub(n) {
        Some(left) => {
            *budget = left;
            Ok(())
        }
        None => Err(format!(
            "changes that inflate past their limit ({MAX_INFLATION_RATIO} times their size, \
             at least {} MiB, at most {} MiB)",
            MIN_INFLATED / (1024 * 1024),
            MAX_INFLATED / (1024 * 1024)
        )),
    }
}

fn uleb(r: &mut &[u8]) -> Result<u64, String> {
    leb128::read::unsigned(r).map_err(|_| "a malformed chunk".to_string())
}

fn take<'a>(r: &mut &'a [u8], n: u64) -> Result<&'a [u8], String> {
    let n = usize::try_from(n).map_err(|_| "a malformed chunk".to_string())?;
    if n > r.len() {
        return Err("a truncated chunk".into());
    }
    let (h, t) = r.split_at(n);
    *r = t;
    Ok(h)
}

/// A Bloom filter's parameters, read back from its own encoding (its fields are
/// private): `num_entries`, `num_bits_per_entry`, `num_probes` as LEB128, then the
/// bits. An empty encoding is the empty filter, which matches nothing.
fn check_bloom(bloom: &sync::BloomFilter) -> Result<(), String> {
    let bytes = bloom.to_bytes();
    if bytes.is_empty() {
        return Ok(());
    }
    let mut r = bytes.as_slice();
    let mut next = |what: &str| {
        leb128::read::unsigned(&mut r).map_err(|_| format!("a Bloom filter's {what} is unreadable"))
    };
    let entries = next("entry count")?;
    let bits = next("bits per entry")?;
    let probes = next("probe count")?;
    if entries == 0 {
        return Ok(());
    }
    if bits == 0 || bits > MAX_BLOOM_BITS_PER_ENTRY {
        return Err(format!(
            "a Bloom filter with {bits} bits per entry (1 to {MAX_BLOOM_BITS_PER_ENTRY})"
        ));
    }
    if probes == 0 || probes > MAX_BLOOM_PROBES {
        return Err(format!(
            "a Bloom filter with {probes} probes (1 to {MAX_BLOOM_PROBES})"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cocoach_testkit::hostile::{bloom, with_have, zip_bomb};

    #[test]
    fn honest_documents_and_changes_pass_and_a_bomb_does_not() {
        use automerge::transaction::Transactable;
        let mut doc = automerge::AutoCommit::new();
        let text = doc
            .put_object(automerge::ROOT, "notes", automerge::ObjType::Text)
            .unwrap();
        for i in 0..300 {
            doc.splice_text(&text, 0, 0, &format!("line {i} of a long session note\n"))
                .unwrap();
            doc.commit();
        }
        let mut budget = MAX_INFLATED;
        check_chunks(&doc.save(), &mut budget).unwrap();
        assert!(budget < MAX_INFLATED, "the document's columns were counted");
        let mut budget = MAX_INFLATED;
        for c in doc.get_changes(&[]) {
            check_chunks(c.raw_bytes(), &mut budget).unwrap();
        }
        let mut all = Vec::new();
        for c in doc.get_changes(&[]) {
            all.extend_from_slice(c.raw_bytes());
        }
        check_chunks(&all, &mut MAX_INFLATED.clone()).unwrap();

        let bomb = zip_bomb(300 << 20);
        assert!(bomb.len() < 1 << 20, "{} bytes", bomb.len());
        let err = check_chunks(&bomb, &mut MAX_INFLATED.clone()).unwrap_err();
        assert!(err.contains("256 MiB"), "{err}");
        assert!(check_chunks(&[0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 9, 0], &mut 10).is_err());
    }

    #[test]
    fn hashes_out_of_order_are_refused() {
        let (low, high) = (
            automerge::ChangeHash([1; 32]),
            automerge::ChangeHash([2; 32]),
        );
        let mut m = with_have(bloom(3, 10, 7));
        m.heads = vec![low, high];
        m.need = vec![low, high];
        assert_eq!(check(&m), Ok(()));
        m.need = vec![high, low];
        assert!(check(&m).unwrap_err().contains("`need` are not in order"));
        m.need.clear();
        m.heads = vec![high, low];
        assert!(check(&m).is_err());
        m.heads.clear();
        m.have[0].last_sync = vec![high, low];
        assert!(check(&m).unwrap_err().contains("`last_sync`"));
    }

    #[test]
    fn a_small_message_may_not_inflate_past_its_ratio() {
        // A bomb of 20 MiB: a few KB that honest data could never be.
        let bomb = zip_bomb(20 << 20);
        let mut budget = inflation_budget(bomb.len());
        assert_eq!(budget, MIN_INFLATED, "{} bytes", bomb.len());
        let err = check_chunks(&bomb, &mut budget).unwrap_err();
        assert!(err.contains("64 times"), "{err}");
        // Under the whole cap it passed before.
        assert!(check_chunks(&bomb, &mut MAX_INFLATED.clone()).is_ok());
        assert_eq!(inflation_budget(1 << 20), 64 << 20);
        assert_eq!(inflation_budget(usize::MAX), MAX_INFLATED);
    }

    #[test]
    fn filters_automerge_makes_pass_and_hostile_ones_do_not() {
        assert_eq!(check(&with_have(bloom(3, 10, 7))), Ok(()));
        assert_eq!(check(&with_have(sync::BloomFilter::default())), Ok(()));
        assert_eq!(check(&with_have(bloom(0, 0, 0))), Ok(()), "empty");
        let zero_bits = check(&with_have(bloom(1, 0, 7))).unwrap_err();
        assert!(zero_bits.contains("0 bits per entry"), "{zero_bits}");
        let probes = check(&with_have(bloom(1, 10, u32::MAX))).unwrap_err();
        assert!(probes.contains("4294967295 probes"), "{probes}");
        assert!(check(&with_have(bloom(1, 10, 0))).is_err());
        assert!(check(&with_have(bloom(1, 65, 7))).is_err());
        let mut many = with_have(bloom(3, 10, 7));
        many.have = (0..=MAX_HAVES)
            .map(|_| sync::Have {
                last_sync: vec![],
                bloom: bloom(3, 10, 7),
            })
            .collect();
        assert!(check(&many).unwrap_err().contains("`have` entries"));
    }
}
