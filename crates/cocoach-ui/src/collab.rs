//! Prose fields both partners may type in at once (session notes, options, actions).
//!
//! Every keystroke is recorded as a character splice (a [`TextBuffer`] over the
//! field's text), so what is sent to the document is "insert 'x' at 12", not "the
//! text is now …": Automerge merges it with whatever the partner typed meanwhile.
//!
//! A change from the partner that arrives while the user is typing is merged into
//! the text box at once: the user's unsent splices are carried over it, and the
//! cursor and selection move with the text around them (a partner's insertion before
//! the cursor pushes it right instead of leaving it at the old index). egui's undo
//! history is cleared then, since undoing would replace the whole text and wipe the
//! partner's words.
//!
//! Sending happens after a short pause, on leaving the field, or on Enter in a
//! one-line field. A change sent is applied by the node against the document as it
//! is *then*: the splices are carried over any partner change the view had not shown
//! yet, so nothing either partner typed is lost.

use std::collections::HashMap;
use std::ops::Range;

use cocoach_doc::{DocError, PartnershipDoc, TextRef};
use egui::text::{CCursor, CCursorRange, CharIndex};

/// Typing pause after which the splices are sent.
pub const SEND_AFTER_PAUSE_S: f64 = 0.8;
/// Typing without a pause is sent at least this often.
pub const SEND_AT_LEAST_EVERY_S: f64 = 3.0;

/// At `pos` (in chars), delete `del` chars and insert `ins`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub pos: usize,
    pub del: usize,
    pub ins: String,
}

impl Splice {
    fn ins_len(&self) -> usize {
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

/// Apply local splices made on `base` to the document's field as it is now.
pub fn apply_to_doc(
    doc: &mut PartnershipDoc,
    field: &TextRef,
    base: &str,
    ops: &[Splice],
) -> Result<(), DocError> {
    let current = doc.text_of(field)?;
    let ops = match diff(base, &current) {
        Some(remote) => rebase(ops, &remote).0,
        None => ops.to_vec(),
    };
    for op in ops {
        let len = doc.text_of(field)?.chars().count();
        let pos = op.pos.min(len);
        let del = op.del.min(len - pos);
        if del > 0 || !op.ins.is_empty() {
            doc.splice(field, pos, del, &op.ins)?;
        }
    }
    Ok(())
}

/// A text box's buffer that records every edit as a splice.
struct Recording<'a> {
    text: &'a mut String,
    ops: &'a mut Vec<Splice>,
}

impl Recording<'_> {
    fn push(&mut self, s: Splice) {
        // Typing a word: one insertion that grows.
        if let Some(last) = self.ops.last_mut()
            && s.del == 0
            && last.del == 0
            && s.pos == last.pos + last.ins_len()
        {
            last.ins.push_str(&s.ins);
            return;
        }
        self.ops.push(s);
    }
}

impl egui::TextBuffer for Recording<'_> {
    fn is_mutable(&self) -> bool {
        true
    }

    fn as_str(&self) -> &str {
        self.text.as_str()
    }

    fn insert_text(&mut self, text: &str, char_index: CharIndex) -> usize {
        let n = self.text.insert_text(text, char_index);
        if n > 0 {
            self.push(Splice {
                pos: char_index.0,
                del: 0,
                ins: text.to_string(),
            });
        }
        n
    }

    fn delete_char_range(&mut self, char_range: Range<CharIndex>) {
        // egui deletes an empty range before every insertion.
        if char_range.start >= char_range.end {
            return;
        }
        let (pos, del) = (char_range.start.0, char_range.end.0 - char_range.start.0);
        self.text.delete_char_range(char_range);
        self.push(Splice {
            pos,
            del,
            ins: String::new(),
        });
    }

    fn replace_with(&mut self, text: &str) {
        // Undo and redo replace the whole text: send only what differs.
        if let Some(s) = diff(self.text, text) {
            text.clone_into(self.text);
            self.push(s);
        }
    }

    fn type_id(&self) -> std::any::TypeId {
        std::any::TypeId::of::<Recording<'static>>()
    }
}

#[derive(Debug, Default)]
struct Buf {
    /// What the text box shows.
    text: String,
    /// The document's text the splices in `ops` were made on.
    base: String,
    ops: Vec<Splice>,
    /// Time of the first unsent splice, and of the last one.
    first_unsent: Option<f64>,
    last_edit: f64,
    /// Views computed before this many commands had been applied do not yet show
    /// what this field last sent; their value for it is ignored.
    sent_seq: u64,
}

/// What a collaborative field wants sent.
pub(crate) struct Send {
    pub base: String,
    pub ops: Vec<Splice>,
}

/// The collaborative text boxes of one screen, by field.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    map: HashMap<TextRef, Buf>,
}

/// How to draw one collaborative field.
pub(crate) struct FieldSpec<'a> {
    pub label_id: egui::Id,
    pub multiline: bool,
    pub hint: &'a str,
    pub width: f32,
}

impl Texts {
    /// Show the text box for `field`, whose document value (in a view that has
    /// applied `applied` commands) is `value`. Returns splices to send, if due;
    /// the caller sends them as one edit and then calls [`Texts::sent`].
    pub fn field(
        &mut self,
        ui: &mut egui::Ui,
        field: &TextRef,
        value: &str,
        applied: u64,
        spec: FieldSpec<'_>,
    ) -> Option<Send> {
        let id = ui.make_persistent_id(("collab", field));
        let buf = self.map.entry(field.clone()).or_insert_with(|| Buf {
            text: value.to_string(),
            base: value.to_string(),
            ..Buf::default()
        });
        if applied >= buf.sent_seq && buf.base != value {
            let m = merge(&buf.base, &buf.text, &buf.ops, value);
            buf.text = m.text;
            buf.ops = m.ops;
            buf.base = value.to_string();
            if let Some(shift) = m.shift {
                keep_cursor(ui.ctx(), id, &shift);
            }
        }
        let mut edit = Recording {
            text: &mut buf.text,
            ops: &mut buf.ops,
        };
        let widget = if spec.multiline {
            egui::TextEdit::multiline(&mut edit).desired_rows(2)
        } else {
            egui::TextEdit::singleline(&mut edit)
        };
        let response = ui
            .add(widget.id(id).hint_text(spec.hint).desired_width(spec.width))
            .labelled_by(spec.label_id);
        let now = ui.input(|i| i.time);
        if response.changed() {
            buf.first_unsent.get_or_insert(now);
            buf.last_edit = now;
        }
        let first = buf.first_unsent?;
        let due = response.lost_focus()
            || now - buf.last_edit >= SEND_AFTER_PAUSE_S
            || now - first >= SEND_AT_LEAST_EVERY_S;
        if !due {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(SEND_AFTER_PAUSE_S));
            return None;
        }
        buf.first_unsent = None;
        if buf.ops.is_empty() {
            return None;
        }
        Some(Send {
            base: buf.base.clone(),
            ops: std::mem::take(&mut buf.ops),
        })
    }

    /// The splices of `field` were sent as the `seq`-th command: its text is now
    /// the field's expected document value.
    pub fn sent(&mut self, field: &TextRef, seq: u64) {
        if let Some(b) = self.map.get_mut(field) {
            b.base = b.text.clone();
            b.sent_seq = seq;
        }
    }

    /// Sending failed: keep the splices to send again with the next ones.
    pub fn unsent(&mut self, field: &TextRef, send: Send) {
        if let Some(b) = self.map.get_mut(field) {
            let mut ops = send.ops;
            ops.append(&mut b.ops);
            b.ops = ops;
            b.first_unsent.get_or_insert(0.0);
        }
    }

    /// Forget a field (the item it edits is gone).
    pub fn forget(&mut self, field: &TextRef) {
        self.map.remove(field);
    }
}

/// Move the text box's cursor and selection over a splice from the partner.
fn keep_cursor(ctx: &egui::Context, id: egui::Id, r: &Splice) {
    let Some(mut state) = egui::TextEdit::load_state(ctx, id) else {
        return;
    };
    if let Some(range) = state.cursor.char_range() {
        let map = |c: CCursor| CCursor {
            index: CharIndex(r.map_cursor(c.index.0)),
            ..c
        };
        let mut moved = range;
        moved.primary = map(range.primary);
        moved.secondary = map(range.secondary);
        state.cursor.set_char_range(Some(CCursorRange { ..moved }));
    }
    state.clear_undoer();
    egui::TextEdit::store_state(ctx, id, state);
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
    /// there, and text only one side inserted is never lost. A failure found once
    /// is kept as a fixture below.
    #[test]
    fn random_concurrent_edits_converge_with_the_document() {
        use cocoach_doc::{Date, DeviceIdentity, PartnershipDoc};
        let seed = std::env::var("SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| cocoach_doc::now_ms() as u64);
        eprintln!("random_concurrent_edits_converge_with_the_document: SEED={seed}");
        let mut x = seed | 1;
        let mut next = move |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % (n as u64 + 1)) as usize
        };
        let id = DeviceIdentity::from_seed([7; 32]);
        let mut doc = PartnershipDoc::create("Ana", id.public()).unwrap();
        let session = doc.new_session(Date::new(2026, 11, 22).unwrap()).unwrap();
        doc.commit();
        let field = TextRef::Half {
            session,
            coachee: cocoach_doc::Slot::A,
            field: cocoach_doc::HalfText::Goal,
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
            apply_to_doc(&mut doc, &field, &base, &local).unwrap();
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
