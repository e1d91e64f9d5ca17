//! History: who changed what and when, and the shared document as it was after any
//! change. Runs of the same kind of edit by the same partner (typing notes, say)
//! are shown as one line.

use std::sync::Arc;

use cocoach_api::{Command, View};
use cocoach_doc::automerge::ChangeHash;
use cocoach_doc::{Authorship, HistoryEntry, Partnership};
use cocoach_i18n::{Tr, key, tr};

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
    /// What to know about the signatures (migrated, vouched, unverified): the id
    /// of a message saying it.
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
            && g.note == note_id(e.authorship)
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
            note: note_id(e.authorship),
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

/// The message saying what a reader should know about a change's signatures beyond
/// its author's name (the window's words for [`Authorship::note`]).
fn note_id(a: Authorship) -> Option<&'static str> {
    match a {
        Authorship::Signed(_) => None,
        Authorship::Migrated(_) => Some(key!("history-note-migrated")),
        Authorship::Vouched { .. } => Some(key!("history-note-vouched")),
        Authorship::Unverified => Some(key!("history-note-unverified")),
    }
}

/// A change's message in the window's language. The message is stored in the shared
/// document in English (cocoach-doc's words for each edit); one this version does not
/// know (from another version of cocoach) is shown as it is.
fn change_text(tr: &Tr, message: &str) -> String {
    match message {
        "create the partnership" => tr!(tr, "history-change-create"),
        "partner joined" => tr!(tr, "history-change-partner-joined"),
        "rename partner" => tr!(tr, "history-change-rename-partner"),
        "edit the contract" => tr!(tr, "history-change-edit-contract"),
        "sign the contract" => tr!(tr, "history-change-sign-contract"),
        "start a session" => tr!(tr, "history-change-start-session"),
        "edit a session" => tr!(tr, "history-change-edit-session"),
        "edit session notes" => tr!(tr, "history-change-edit-session-notes"),
        "close a session" => tr!(tr, "history-change-close-session"),
        "add an option" => tr!(tr, "history-change-add-option"),
        "remove an option" => tr!(tr, "history-change-remove-option"),
        "decline a topic" => tr!(tr, "history-change-decline-topic"),
        "review an action" => tr!(tr, "history-change-review-action"),
        "add an action" => tr!(tr, "history-change-add-action"),
        "edit an action" => tr!(tr, "history-change-edit-action"),
        "complete an action" => tr!(tr, "history-change-complete-action"),
        "change an action's status" => tr!(tr, "history-change-action-status"),
        "celebrate an action" => tr!(tr, "history-change-celebrate-action"),
        "note an obstacle" => tr!(tr, "history-change-note-obstacle"),
        "remove an obstacle" => tr!(tr, "history-change-remove-obstacle"),
        "resolve a conflict" => tr!(tr, "history-change-resolve-conflict"),
        "several edits" => tr!(tr, "history-change-several"),
        "edit" => tr!(tr, "history-change-edit"),
        other => other.to_string(),
    }
}

fn when(ms: i64) -> String {
    cocoach_doc::format_time(ms)
}

pub(crate) fn history_ui(app: &mut CocoachUi, ui: &mut egui::Ui, view: &View) {
    let Some(p) = view.partnership.clone() else {
        return;
    };
    let tr = app.tr.clone();
    ui.heading(tr!(tr, "history-heading"));
    ui.label(tr!(tr, "history-intro"));
    let current = app.view.as_ref().map_or(0, |v| Arc::as_ptr(v) as usize);
    if !app.history.waiting && app.history.asked_view != current {
        app.history.asked_view = current;
        ask(app);
    }
    ui.horizontal(|ui| {
        if ui.button(tr!(tr, "history-refresh")).clicked() {
            ask(app);
        }
        if app.history.waiting {
            ui.spinner();
            ui.label(tr!(tr, "history-reading"));
        }
    });
    if let Some(at) = app.history.at {
        then_ui(app, ui, &tr, &p, at);
        return;
    }
    let Some(entries) = app.history.entries.clone() else {
        return;
    };
    let groups = std::mem::take(&mut app.history.groups);
    ui.weak(tr!(tr, "history-count", n = entries.len()));
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y + 6.0;
    egui::ScrollArea::vertical()
        .id_salt("history")
        .max_height(520.0)
        .show_rows(ui, row_h, groups.len(), |ui, range| {
            for g in &groups[range] {
                let who = g
                    .author
                    .as_ref()
                    .and_then(|k| p.slot_of_any(k))
                    .map_or_else(|| tr!(tr, "history-no-one-verified"), |s| p.name(s));
                ui.horizontal(|ui| {
                    ui.monospace(when(g.last_ms));
                    let change = change_text(&tr, &g.message);
                    let what = if g.count > 1 {
                        tr!(
                            tr,
                            "history-line-repeated",
                            who = who,
                            what = change,
                            n = g.count
                        )
                    } else {
                        tr!(tr, "history-line", who = who, what = change)
                    };
                    ui.label(what);
                    if let Some(note) = g.note.map(|id| tr.t(id)) {
                        if g.author.is_none() {
                            ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {note}"));
                        } else {
                            ui.weak(format!("({note})"));
                        }
                    }
                    if ui
                        .small_button(tr!(tr, "history-as-it-was"))
                        .accessible_name(tr!(tr, "history-as-it-was-at", time = when(g.last_ms)))
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

fn then_ui(app: &mut CocoachUi, ui: &mut egui::Ui, tr: &Tr, p: &Partnership, at: ChangeHash) {
    if ui.button(tr!(tr, "history-back")).clicked() {
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
        egui::RichText::new(tr!(tr, "history-then-title", time = time))
            .strong()
            .color(ui.visuals().warn_fg_color),
    );
    ui.weak(tr!(
        tr,
        "history-then-and-now",
        then_sessions = tr!(tr, "history-n-sessions", n = then.sessions.len()),
        then_actions = tr!(tr, "history-n-actions", n = then.actions.len()),
        now_sessions = tr!(tr, "history-n-sessions", n = p.sessions.len()),
        now_actions = tr!(tr, "history-n-actions", n = p.actions.len())
    ));
    let text = cocoach_doc::export::markdown_in(tr, &then);
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
