//! What a buggy or hostile partner device can send, built as it would arrive: Bloom
//! filters with any parameters, and compressed chunks that inflate far beyond their
//! size. Shared by the sync unit tests and the integration tests.

use automerge::sync;

/// A Bloom filter as the wire carries it: entries, bits per entry and probes as
/// LEB128, then the bits (all set).
pub fn bloom(entries: u32, bits: u32, probes: u32) -> sync::BloomFilter {
    let mut b = Vec::new();
    for v in [entries, bits, probes] {
        // Writing to a Vec cannot fail.
        let _ = leb128::write::unsigned(&mut b, u64::from(v));
    }
    b.resize(
        b.len() + (entries as usize * bits as usize).div_ceil(8),
        0xff,
    );
    sync::BloomFilter::try_from(b.as_slice()).unwrap_or_default()
}

/// A sync message whose only content is one `have` with `bloom`.
pub fn with_have(bloom: sync::BloomFilter) -> sync::Message {
    sync::Message {
        heads: vec![],
        need: vec![],
        have: vec![sync::Have {
            last_sync: vec![],
            bloom,
        }],
        changes: sync::ChunkList::empty(),
        flags: None,
        version: sync::MessageVersion::V1,
    }
}

/// A compressed change chunk whose DEFLATE data inflates to `zeros` zero bytes (a
/// multiple of 1 MiB); its checksum is wrong, which Automerge notices only after
/// inflating it all.
pub fn zip_bomb(zeros: usize) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let block = vec![0u8; 1 << 20];
    for _ in 0..zeros / block.len() {
        // Writing to a Vec cannot fail.
        let _ = e.write_all(&block);
    }
    let deflated = e.finish().unwrap_or_default();
    let mut chunk = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 2];
    let _ = leb128::write::unsigned(&mut chunk, deflated.len() as u64);
    chunk.extend_from_slice(&deflated);
    chunk
}

/// A sync message carrying [`zip_bomb`]`(zeros)` as its only change.
pub fn bomb_message(zeros: usize) -> sync::Message {
    sync::Message {
        heads: vec![],
        need: vec![],
        have: vec![],
        changes: sync::ChunkList::from(vec![zip_bomb(zeros)]),
        flags: None,
        version: sync::MessageVersion::V1,
    }
}

/// An uncompressed change chunk (`Change::raw_bytes`) with its body rewritten by
/// `edit`, its length and checksum made right again: a change only a hand-made
/// encoder would write, that Automerge still parses.
pub fn rewrite_change(raw: &[u8], edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    use sha2::Digest;
    let mut r = &raw[9..];
    let len = leb128::read::unsigned(&mut r).unwrap_or(0) as usize;
    let mut body = r[..len.min(r.len())].to_vec();
    edit(&mut body);
    let mut header = vec![raw[8]];
    leb128::write::unsigned(&mut header, body.len() as u64).unwrap_or(0);
    let mut h = sha2::Sha256::new();
    h.update(&header);
    h.update(&body);
    let hash = h.finalize();
    let mut out = raw[..4].to_vec();
    out.extend_from_slice(&hash[..4]);
    out.extend_from_slice(&header);
    out.extend_from_slice(&body);
    out
}

/// [`rewrite_change`]: an `Author` footer appended to a change (honest Automerge
/// writes it on an actor's first change only).
pub fn with_author_footer(raw: &[u8], author: &[u8]) -> Vec<u8> {
    rewrite_change(raw, |body| {
        body.push(1);
        leb128::write::unsigned(body, author.len() as u64).unwrap_or(0);
        body.extend_from_slice(author);
    })
}

/// [`rewrite_change`]: the change's dependencies replaced by `deps`.
pub fn with_deps(raw: &[u8], deps: &[automerge::ChangeHash]) -> Vec<u8> {
    rewrite_change(raw, |body| {
        let mut r = body.as_slice();
        let n = leb128::read::unsigned(&mut r).unwrap_or(0) as usize;
        let rest = r[(n * 32).min(r.len())..].to_vec();
        let mut sorted = deps.to_vec();
        sorted.sort();
        let mut b = Vec::new();
        leb128::write::unsigned(&mut b, sorted.len() as u64).unwrap_or(0);
        for d in &sorted {
            b.extend_from_slice(&d.0);
        }
        b.extend_from_slice(&rest);
        *body = b;
    })
}

/// A sync message carrying `changes` (raw chunks) and nothing else.
pub fn changes_message(changes: Vec<Vec<u8>>) -> sync::Message {
    sync::Message {
        heads: vec![],
        need: vec![],
        have: vec![],
        changes: sync::ChunkList::from(changes),
        flags: None,
        version: sync::MessageVersion::V1,
    }
}

/// The contract signature bytes in `slot`'s place of `doc` (empty if none).
pub fn contract_signature_bytes(
    doc: &cocoach_doc::PartnershipDoc,
    slot: cocoach_doc::Slot,
) -> Vec<u8> {
    use automerge::{ROOT, ReadDoc, ScalarValue, Value};
    let am = doc.automerge();
    let Ok(Some((_, sigs))) = am.get(ROOT, "signatures") else {
        return Vec::new();
    };
    match am.get(&sigs, slot.key()) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Bytes(b) => b.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// What a hostile partner device does to roll the contract back: through Automerge
/// directly, in one change its own device signs, it puts the place back to `place`
/// and copies the two old signatures (A's, B's) into their places.
pub fn roll_back_contract(
    doc: &mut cocoach_doc::PartnershipDoc,
    place: &str,
    old: [&[u8]; 2],
) -> Result<(), automerge::AutomergeError> {
    use automerge::transaction::Transactable;
    use automerge::{ObjType, ROOT, ScalarValue};
    let am = doc.automerge_mut();
    let contract = match automerge::ReadDoc::get(am, ROOT, "contract")? {
        Some((_, id)) => id,
        None => am.put_object(ROOT, "contract", ObjType::Map)?,
    };
    am.put(&contract, "place", place)?;
    let sigs = match automerge::ReadDoc::get(am, ROOT, "signatures")? {
        Some((_, id)) => id,
        None => am.put_object(ROOT, "signatures", ObjType::Map)?,
    };
    am.put(&sigs, "a", ScalarValue::Bytes(old[0].to_vec()))?;
    am.put(&sigs, "b", ScalarValue::Bytes(old[1].to_vec()))?;
    doc.commit();
    Ok(())
}
