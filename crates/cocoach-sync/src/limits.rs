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
/// Most change chunks in one message. A year of weekly sessions is a few thousand
/// changes, and a message that carries more than a third of the document carries
/// the whole document as one chunk instead.
pub const MAX_CHANGES_PER_MESSAGE: usize = 100_000;

/// Why a message was refused, naming the limit.
pub(crate) fn check(m: &sync::Message) -> Result<(), String> {
    for (what, n) in [("heads", m.heads.len()), ("need", m.need.len())] {
        if n > MAX_HASHES {
            return Err(format!("{n} hashes in `{what}` (at most {MAX_HASHES})"));
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
    Ok(())
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

/// A filter as the wire carries it: entries, bits per entry, probes, then the bits.
#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test
pub(crate) fn test_bloom(entries: u32, bits: u32, probes: u32) -> sync::BloomFilter {
    let mut b = Vec::new();
    for v in [entries, bits, probes] {
        leb128::write::unsigned(&mut b, u64::from(v)).unwrap();
    }
    b.resize(
        b.len() + (entries as usize * bits as usize).div_ceil(8),
        0xff,
    );
    sync::BloomFilter::try_from(b.as_slice()).unwrap()
}

/// A message whose only content is one `have` with `bloom`.
#[cfg(test)]
pub(crate) fn with_have(bloom: sync::BloomFilter) -> sync::Message {
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

#[cfg(test)]
mod tests {
    use super::*;
    use test_bloom as bloom;

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
