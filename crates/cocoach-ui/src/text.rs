//! Text fields over single values of the shared document. While the user types, the
//! field shows their text; it is sent when they leave the field, press Enter, or
//! pause for a moment, so a crash loses at most the last second of typing and the
//! history is not one change per keystroke. A change from the partner replaces the
//! text only while the field is not being edited.

use std::collections::HashMap;

/// Pause after which typed text is sent even though the field still has focus.
pub const SEND_AFTER_PAUSE_S: f64 = 1.5;

#[derive(Debug, Default)]
pub(crate) struct Buffers {
    map: HashMap<String, Buf>,
}

#[derive(Debug, Default)]
struct Buf {
    text: String,
    /// The document value the text was last refreshed from (or sent as).
    seen: String,
    /// Time of the last keystroke not yet sent.
    dirty_since: Option<f64>,
}

pub(crate) struct FieldOut {
    /// Text to send to the document, if the user finished (or paused) editing.
    pub send: Option<String>,
}

impl Buffers {
    /// A text field for the document value `value`, keyed by `key` (also its egui id).
    /// `multiline` fields keep Enter for new lines.
    #[allow(clippy::too_many_arguments)] // each is one visible property of the field
    pub fn field(
        &mut self,
        ui: &mut egui::Ui,
        key: &str,
        value: &str,
        label_id: egui::Id,
        multiline: bool,
        hint: &str,
        width: f32,
    ) -> FieldOut {
        let id = ui.make_persistent_id(("field", key));
        let buf = self.map.entry(key.to_string()).or_insert_with(|| Buf {
            text: value.to_string(),
            seen: value.to_string(),
            dirty_since: None,
        });
        let focused = ui.memory(|m| m.has_focus(id));
        if !focused && buf.dirty_since.is_none() && buf.seen != value {
            buf.text = value.to_string();
            buf.seen = value.to_string();
        }
        let edit = if multiline {
            egui::TextEdit::multiline(&mut buf.text).desired_rows(2)
        } else {
            egui::TextEdit::singleline(&mut buf.text)
        };
        let response = ui
            .add(edit.id(id).hint_text(hint).desired_width(width))
            .labelled_by(label_id);
        let now = ui.input(|i| i.time);
        if response.changed() {
            buf.dirty_since = Some(now);
        }
        let paused = buf
            .dirty_since
            .is_some_and(|t| now - t >= SEND_AFTER_PAUSE_S);
        let mut send = None;
        if (response.lost_focus() || paused) && buf.dirty_since.is_some() {
            buf.dirty_since = None;
            if buf.text != value {
                buf.seen = buf.text.clone();
                send = Some(buf.text.clone());
            }
        }
        if buf.dirty_since.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(SEND_AFTER_PAUSE_S));
        }
        FieldOut { send }
    }

    /// Forget a field's text (after the item it edits is removed).
    pub fn forget(&mut self, key: &str) {
        self.map.remove(key);
    }
}

pub(crate) fn big(s: &str) -> egui::RichText {
    egui::RichText::new(s).size(28.0).strong().monospace()
}
