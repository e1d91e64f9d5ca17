//! History: who changed what and when, and the shared document as it was after any
//! change. Runs of the same kind of edit by the same partner (typing notes, say)
//! are shown as one line.

use std::sync::Arc;

use cocoach_api::{Command, View};
use cocoach_doc::automerge::ChangeHash;
use cocoach_doc::{HistoryEntry, Partnership};

use crate::CocoachUi;

/// Edits of the same kind by the same partner this close together are one line.
pub const GROUP_WITHIN_MS: i64 = 10 * 60 * 1000;

#[derive(Debug, Default)]
pub(crate) struct HistoryForm {
    pub entries: Option<Arc<Vec<HistoryEntry>>>,
    /// `entries` grouped into lines (computed once per history, not per frame).
    pub groups: Vec<Group>,
    pub waiting: bool,
    /// The change whose document is shown, and that document once it arrived.
    pub at: Option<ChangeHash>,
    pub then: Option<(ChangeHash, Arc<Partnership>)>,
    /// The view that was current when the history was last asked for: a newer
    /// one (a change since) asks again.
    pub asked_view: usize,
}

impl HistoryForm {
    pub fn on_history(&mut self, entries: Arc<Vec<HistoryEntry>>) {
        self.groups = group(&entries);
        self.entries = Some(entries);
        self.waiting = false;
    }
}

/// Consecutive changes with the same author and message, close in time.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Who the signatures credit (`None`: no one).
    pub author: Option<cocoach_doc::DeviceKey>,
    /// What to know about the signatures (migrated, vouched, unverified).
    pub note: Option<&'static str>,
    pub message: String,
    pub first_ms: i64,
    pub last_ms: i64,
    pub count: usize,
    /// The last change of the run: the document "after" this line.
    pub last: ChangeHash,
}

/// Group a history (oldest first) into lines, newest first.
pub fn group(entries: &[HistoryEntry]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for e in entries {
        if let Some(g) = out.last_mut()
            && g.author == e.author
            && g.note == e.authorship.note()
            && g.message == e.message
            && e.time_ms - g.last_ms <= GROUP_WITHIN_MS
        {
            g.last_ms = e.time_ms;
            g.count += 1;
            g.last = e.hash;
            continue;
        }
        out.push(Group {
            author: e.author,
            note: e.authorship.note(),
            message: e.message.clone(),
            first_ms: e.time_ms,
            last_ms: e.time_ms,
            count: 1,
            last: e.hash,
        });
    }
    out.reverse();
    out
}

fn when(ms: i64) -> String {
    cocoach_doc::format_time(ms)
}

pub(crate) fn history_ui(app: &mut CocoachUi, ui: &mut egui::Ui, view: &View) {
    let Some(p) = view.partnership.clone() else {
        return;
    };
    ui.heading("History");
    ui.label("Every change to what you share, by whom and when. Pick one to see everything as it was right after it.");
    let current = app.view.as_ref().map_or(0, |v| Arc::as_ptr(v) as usize);
    if !app.history.waiting && app.history.asked_view != current {
        app.history.asked_view = current;
        ask(app);
    }
    ui.horizontal(|ui| {
        if ui.button("Refresh").clicked() {
            ask(app);
        }
        if app.history.waiting {
            ui.spinner();
            ui.label("Reading the history…");
        }
    });
    if let Some(at) = app.history.at {
        then_ui(app, ui, &p, at);
        return;
    }
    let Some(entries) = app.history.entries.clone() else {
        return;
    };
    let groups = std::mem::take(&mut app.history.groups);
    ui.weak(format!("{} changes", entries.len()));
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y + 6.0;
    egui::ScrollArea::vertical()
        .id_salt("history")
        .max_height(520.0)
        .show_rows(ui, row_h, groups.len(), |ui, range| {
            for g in &groups[range] {
                let who = g
                    .author
                    .as_ref()
                    .and_then(|k| p.slot_of(k))
                    .map_or_else(|| "no one verified".to_string(), |s| p.name(s));
                ui.horizontal(|ui| {
                    ui.monospace(when(g.last_ms));
                    let what = if g.count > 1 {
                        format!("{who}: {} ({} times)", g.message, g.count)
                    } else {
                        format!("{who}: {}", g.message)
                    };
                    ui.label(what);
                    if let Some(note) = g.note {
                        if g.author.is_none() {
                            ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {note}"));
                        } else {
                            ui.weak(format!("({note})"));
                        }
                    }
                    if ui
                        .small_button("As it was")
                        .accessible_name(format!("As it was at {}", when(g.last_ms)))
                        .clicked()
                    {
                        app.history.at = Some(g.last);
                        app.history.then = None;
                        app.send(Command::ViewAt(g.last));
                    }
                });
            }
        });
    app.history.groups = groups;
}

fn ask(app: &mut CocoachUi) {
    if app.send(Command::History) {
        app.history.waiting = true;
    }
}

fn then_ui(app: &mut CocoachUi, ui: &mut egui::Ui, p: &Partnership, at: ChangeHash) {
    if ui.button("Back to the history").clicked() {
        app.history.at = None;
        app.history.then = None;
        return;
    }
    let Some((hash, then)) = app.history.then.clone() else {
        ui.spinner();
        return;
    };
    if hash != at {
        ui.spinner();
        return;
    }
    let time = app
        .history
        .entries
        .as_ref()
        .and_then(|e| e.iter().find(|x| x.hash == at).map(|x| x.time_ms))
        .map(when)
        .unwrap_or_default();
    ui.label(
        egui::RichText::new(format!("As it was at {time} (read only)"))
            .strong()
            .color(ui.visuals().warn_fg_color),
    );
    ui.weak(format!(
        "Then: {} sessions and {} actions; now: {} sessions and {} actions.",
        then.sessions.len(),
        then.actions.len(),
        p.sessions.len(),
        p.actions.len()
    ));
    let text = cocoach_doc::export::markdown(&then);
    egui::ScrollArea::vertical()
        .id_salt("then")
        .max_height(560.0)
        .show(ui, |ui| {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                if let Some(h) = line.strip_prefix("# ") {
                    ui.heading(h);
                } else if let Some(h) = line.strip_prefix("## ") {
                    ui.add_space(6.0);
                    ui.label(egui::RichText::new(h).strong().size(17.0));
                } else if let Some(h) = line.strip_prefix("### ").or(line.strip_prefix("#### ")) {
                    ui.strong(h);
                } else {
                    ui.label(line.replace("**", "").replace('`', ""));
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(n: u8, author: u8, msg: &str, t: i64) -> HistoryEntry {
        let key = cocoach_doc::DeviceKey::from_slice(&[author; 32]);
        HistoryEntry {
            hash: ChangeHash([n; 32]),
            author: key,
            claimed: key,
            authorship: key.map_or(
                cocoach_doc::Authorship::Unverified,
                cocoach_doc::Authorship::Signed,
            ),
            time_ms: t,
            message: msg.into(),
        }
    }

    #[test]
    fn runs_of_typing_are_one_line_newest_first() {
        let min = 60_000;
        let h = [
            e(1, 1, "create", 0),
            e(2, 1, "edit session notes", min),
            e(3, 1, "edit session notes", 2 * min),
            e(4, 2, "edit session notes", 3 * min),
            e(5, 1, "edit session notes", 30 * min),
        ];
        let g = group(&h);
        assert_eq!(g.len(), 4);
        assert_eq!((g[2].count, g[2].last), (2, ChangeHash([3; 32])));
        assert_eq!(g[0].last, ChangeHash([5; 32]));
        assert_eq!(g[3].message, "create");
    }
}
