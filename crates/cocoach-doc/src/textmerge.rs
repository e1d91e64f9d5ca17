//! Merging text typed at the same time on two devices, as plain splices.
//!
//! A collaborative text box records every keystroke as a character [`Splice`]
//! ("insert 'x' at 12"), never "the text is now …". When the partner's change
//! arrives while the user is still typing, the unsent splices are carried over it
//! ([`rebase`], [`merge`]) so the box shows exactly what the document will hold
//! once [`crate::PartnershipDoc::apply_splices`] applies the same splices there.
//! Positions count Unicode code points, the unit of Automerge and egui alike.
//!
//! Pure functions: no egui and no document state, so the UI and the node agree by
//! construction.

/// At `pos` (in chars), delete `del` chars and insert `ins`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub pos: usize,
    pub del: usize,
    pub ins: String,
}

impl Splice {
    /// Length of the inserted text in chars.
    pub fn ins_len(&self) -> usize {
        self.ins.chars().count()
    }

    /// Apply to `s`, clamping positions to its length.
    pub fn apply(&self, s: &str) -> String {
        let n = s.chars().count();
        let pos = self.pos.min(n);
        let end = (pos + self.del).min(n);
        let mut out: String = s.chars().take(pos).collect();
        out.push_str(&self.ins);
        out.extend(s.chars().skip(end));
        out
    }

    /// Where a position (a cursor) in the text before this splice is after it.
    /// A cursor exactly where text is inserted stays before the insertion.
    pub fn map_cursor(&self, p: usize) -> usize {
        let end = self.pos + self.del;
        if p <= self.pos {
            p
        } else if p >= end {
            p + self.ins_len() - self.del
        } else {
            self.pos + self.ins_len()
        }
    }
}

/// The single splice that turns `old` into `new` (common prefix and suffix kept),
/// or `None` if they are equal.
pub fn diff(old: &str, new: &str) -> Option<Splice> {
    if old == new {
        return None;
    }
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    Some(Splice {
        pos: prefix,
        del: a.len() - prefix - suffix,
        ins: b[prefix..b.len() - suffix].iter().collect(),
    })
}

/// `a` and `b` were both made on the same text; return `a` as it applies after `b`.
/// Where both insert at the same place, `a_first` says whose text comes first.
/// Text that both delete is deleted once; text `b` inserted inside a range `a`
/// deletes is deleted too (the user replaced that whole range).
pub fn transform(a: &Splice, b: &Splice, a_first: bool) -> Splice {
    let (bs, be, bins) = (b.pos, b.pos + b.del, b.ins_len());
    let shift = |p: usize| p + bins - b.del;
    if a.del == 0 {
        let p = a.pos;
        let pos = if p < bs || (p == bs && (b.del > 0 || a_first)) {
            p
        } else if p >= be {
            shift(p)
        } else {
            bs + bins
        };
        return Splice {
            pos,
            del: 0,
            ins: a.ins.clone(),
        };
    }
    let (as_, ae) = (a.pos, a.pos + a.del);
    let start = if as_ < bs || (as_ == bs && b.del > 0) {
        as_
    } else if as_ >= be {
        shift(as_)
    } else {
        bs + bins
    };
    let end = if ae <= bs {
        ae
    } else if ae >= be {
        shift(ae)
    } else {
        bs
    };
    Splice {
        pos: start,
        del: end.saturating_sub(start),
        ins: a.ins.clone(),
    }
}

/// Carry local splices (made one after another on `base`) over a remote splice made
/// on `base`. Returns the local splices as they apply after the remote one, and the
/// remote splice as it applies after the local ones.
pub fn rebase(local: &[Splice], remote: &Splice) -> (Vec<Splice>, Splice) {
    let mut r = remote.clone();
    let mut out = Vec::with_capacity(local.len());
    for op in local {
        out.push(transform(op, &r, true));
        r = transform(&r, op, false);
    }
    (out, r)
}

/// Local splices made one after another on `base`, carried over the document's
/// newer value `value`: the text the document will hold once they are applied there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    /// The local splices as they apply to `value`.
    pub ops: Vec<Splice>,
    /// How the text box's old text became `text` (to carry the cursor).
    pub shift: Option<Splice>,
}

/// Merge a newer document value into a text box holding `text` = `ops` applied to
/// `base`. The result is exactly what the document will hold after
/// [`apply_to_doc`] runs with the same splices.
pub fn merge(base: &str, text: &str, ops: &[Splice], value: &str) -> Merged {
    let Some(remote) = diff(base, value) else {
        return Merged {
            text: text.to_string(),
            ops: ops.to_vec(),
            shift: None,
        };
    };
    let (ops, r) = rebase(ops, &remote);
    let merged = ops.iter().fold(value.to_string(), |t, op| op.apply(&t));
    // Where both sides replaced overlapping text the transformed remote splice may
    // not reproduce the document's result: then the plain difference moves the cursor.
    let shift = if r.apply(text) == merged {
        Some(r)
    } else {
        diff(text, &merged)
    };
    Merged {
        text: merged,
        ops,
        shift,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(pos: usize, del: usize, ins: &str) -> Splice {
        Splice {
            pos,
            del,
            ins: ins.into(),
        }
    }

    fn apply_all(text: &str, ops: &[Splice]) -> String {
        ops.iter().fold(text.to_string(), |t, op| op.apply(&t))
    }

    #[test]
    fn diff_finds_the_changed_middle() {
        assert_eq!(
            diff("hello world", "hello brave world"),
            Some(s(6, 0, "brave "))
        );
        assert_eq!(diff("abc", "ac"), Some(s(1, 1, "")));
        assert_eq!(diff("aaa", "aa"), Some(s(2, 1, "")));
        assert_eq!(diff("héllo", "hallo"), Some(s(1, 1, "a")));
        assert_eq!(diff("same", "same"), None);
    }

    #[test]
    fn both_orders_give_the_same_text() {
        // local: typed "!" at the end; remote: inserted "hello " at the start.
        let base = "world";
        let local = [s(5, 0, "!")];
        let remote = s(0, 0, "hello ");
        let (l2, r2) = rebase(&local, &remote);
        let a = apply_all(&remote.apply(base), &l2);
        let b = r2.apply(&apply_all(base, &local));
        assert_eq!(a, "hello world!");
        assert_eq!(a, b);
    }

    /// Found by the random test (SEED=129611): typing inside one's own insertion
    /// while the partner's (empty) edit arrives.
    #[test]
    fn typing_inside_own_insertion_survives_a_merge() {
        let m = merge("a", "aYXY", &[s(1, 0, "YY"), s(2, 0, "X")], "a");
        assert_eq!(m.text, "aYXY");
        let m = merge("a", "aYXY", &[s(1, 0, "YY"), s(2, 0, "X")], "Ra");
        assert_eq!(m.text, "RaYXY");
    }

    #[test]
    fn cursor_moves_with_text_inserted_before_it() {
        let r = s(0, 0, "hello ");
        assert_eq!(r.map_cursor(5), 11);
        assert_eq!(r.map_cursor(0), 0);
        let d = s(2, 3, "");
        assert_eq!(d.map_cursor(4), 2);
        assert_eq!(d.map_cursor(7), 4);
    }

    /// Random local typing and a random partner edit on the same field: the text box
    /// after merging equals the document after the node applies the local splices
    /// there, and text only one side inserted is never lost. Runs the fixed seeds
    /// (129611 found the case kept as its own test above) and one fresh seed, 300
    /// rounds each; `SEED=…` replays one.
    #[test]
    fn random_concurrent_edits_converge_with_the_document() {
        cocoach_testkit::for_each_seed("textmerge", &[129611, 1, 2], concurrent_edits);
    }

    fn concurrent_edits(seed: u64) {
        use crate::{Date, DeviceIdentity, PartnershipDoc, TextRef};
        let mut x = seed | 1;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % (n as u64 + 1)) as usize
        };
        let id = DeviceIdentity::from_seed([7; 32]);
        let mut doc = PartnershipDoc::create("Ana", &id).unwrap();
        let session = doc.new_session(Date::new(2026, 11, 22).unwrap()).unwrap();
        doc.commit();
        let field = TextRef::Half {
            session,
            coachee: crate::Slot::A,
            field: crate::HalfText::Goal,
        };
        for round in 0..300 {
            let base: String = (0..next(12)).map(|i| (b'a' + i as u8) as char).collect();
            let mut local = Vec::new();
            let mut text = base.clone();
            for _ in 0..=next(3) {
                let n = text.chars().count();
                let pos = next(n);
                let op = s(pos, next(n - pos).min(2), ["", "X", "YY"][next(2)]);
                text = op.apply(&text);
                local.push(op);
            }
            let n = base.chars().count();
            let pos = next(n);
            let remote = s(pos, next(n - pos), ["", "R", "QQ"][next(2)]);
            let value = remote.apply(&base);
            let case = format!(
                "seed {seed} round {round}: base {base:?} local {local:?} remote {remote:?}"
            );

            // The document holds the partner's version; the node applies ours to it.
            let len = doc.text_of(&field).unwrap().chars().count();
            doc.splice(&field, 0, len, &value).unwrap();
            doc.apply_splices(&field, &base, &local).unwrap();
            let in_doc = doc.text_of(&field).unwrap();

            let m = merge(&base, &text, &local, &value);
            assert_eq!(m.text, in_doc, "{case}");
            if let Some(shift) = &m.shift {
                assert_eq!(shift.apply(&text), m.text, "{case}");
            }
            if remote.del == 0 && local.iter().all(|o| o.del == 0) {
                // Only insertions: both sides' whole texts survive, in order.
                let within = |part: &str| {
                    let mut rest = m.text.chars();
                    part.chars().all(|c| rest.any(|x| x == c))
                };
                assert!(within(&value) && within(&text), "{case}: {:?}", m.text);
            }
        }
    }
}
