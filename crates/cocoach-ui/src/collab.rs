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

use cocoach_doc::TextRef;
pub use cocoach_doc::textmerge::{Merged, Splice, diff, merge};
use egui::text::{CCursor, CCursorRange, CharIndex};

/// Typing pause after which the splices are sent.
pub const SEND_AFTER_PAUSE_S: f64 = 0.8;
/// Typing without a pause is sent at least this often.
pub const SEND_AT_LEAST_EVERY_S: f64 = 3.0;

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
