//! The private journal: reflections that stay on this device, optionally about a
//! session or an action, searchable. It is read and written through the node's
//! journal commands (its own SQLite file), never through the shared document, and
//! every journal screen says so.

use cocoach_api::{Command, JournalEntry, JournalLink, View};
use cocoach_doc::{Date, Partnership};
use cocoach_i18n::{Tr, tr};

use crate::CocoachUi;

#[derive(Debug, Default)]
pub(crate) struct JournalForm {
    /// The new reflection being written and what it is about.
    pub text: String,
    pub link: Option<JournalLink>,
    pub query: String,
    /// The query the shown entries answer, and the entries.
    pub shown_query: Option<String>,
    pub entries: Vec<JournalEntry>,
    /// A list was asked for and not answered yet.
    pub waiting: bool,
    /// An entry being edited, and its text.
    pub editing: Option<(i64, String)>,
    /// An entry whose delete button was pressed once.
    pub confirm_delete: Option<i64>,
}

/// Said on every journal screen (this is its English; the window says the message
/// `journal-private-notice` in its own language).
pub const PRIVATE_NOTICE: &str =
    "Private: your journal stays on this device. It is never sent to your partner.";

impl JournalForm {
    pub fn on_list(&mut self, query: String, entries: Vec<JournalEntry>) {
        self.waiting = false;
        self.shown_query = Some(query);
        self.entries = entries;
    }
}

/// Ask the node for the journal as the search box says (on opening the screen, after
/// a change, when the query changes).
pub(crate) fn refresh(app: &mut CocoachUi) {
    let query = app.journal.query.clone();
    if app.send(Command::JournalList { query }) {
        app.journal.waiting = true;
    }
}

pub(crate) fn journal_ui(app: &mut CocoachUi, ui: &mut egui::Ui, view: &View) {
    let Some(p) = view.partnership.clone() else {
        return;
    };
    let tr = app.tr.clone();
    ui.heading(tr!(tr, "journal-heading"));
    private_banner(ui, &tr, &p, view);
    ui.add_space(8.0);
    new_entry_ui(app, ui, &tr, &p);
    ui.add_space(10.0);
    ui.horizontal(|ui| {
        let l = ui.label(tr!(tr, "journal-search"));
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut app.journal.query)
                    .hint_text(tr!(tr, "journal-search-hint"))
                    .desired_width(300.0),
            )
            .labelled_by(l.id);
        if r.changed() {
            refresh(app);
        }
        if app.journal.waiting {
            ui.spinner();
        }
    });
    if app.journal.shown_query.is_none() && !app.journal.waiting {
        refresh(app);
    }
    let entries = app.journal.entries.clone();
    if entries.is_empty() && !app.journal.waiting {
        ui.weak(if app.journal.query.trim().is_empty() {
            tr!(tr, "journal-empty")
        } else {
            tr!(tr, "journal-no-match")
        });
    }
    for (i, e) in entries.iter().enumerate() {
        entry_ui(app, ui, &tr, &p, i + 1, e);
    }
}

fn private_banner(ui: &mut egui::Ui, tr: &Tr, p: &Partnership, view: &View) {
    let partner = view
        .partner_slot()
        .map_or_else(|| tr!(tr, "your-partner"), |s| p.name(s));
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(egui::RichText::new(tr!(tr, "journal-private-notice")).strong());
        ui.weak(tr!(tr, "journal-private-detail", partner = partner));
    });
}

fn link_text(tr: &Tr, p: &Partnership, link: &JournalLink) -> String {
    match link {
        JournalLink::None => tr!(tr, "journal-about-nothing"),
        JournalLink::Session(id) => p.session(id).map_or_else(
            || tr!(tr, "journal-about-a-session"),
            |s| {
                let day = s
                    .date
                    .map_or_else(|| tr!(tr, "journal-unknown-day"), |d| tr.date(d.civil()));
                tr!(tr, "journal-about-session", date = day)
            },
        ),
        JournalLink::Action(id) => p.action(id).map_or_else(
            || tr!(tr, "journal-about-an-action"),
            |a| tr!(tr, "journal-about-action", what = a.what.as_str()),
        ),
    }
}

fn new_entry_ui(app: &mut CocoachUi, ui: &mut egui::Ui, tr: &Tr, p: &Partnership) {
    let l = ui.label(tr!(tr, "journal-new"));
    ui.add(
        egui::TextEdit::multiline(&mut app.journal.text)
            .hint_text(tr!(tr, "journal-new-hint"))
            .desired_rows(3)
            .desired_width(560.0),
    )
    .labelled_by(l.id);
    ui.horizontal_wrapped(|ui| {
        let link = app.journal.link.clone().unwrap_or(JournalLink::None);
        let about = ui.label(tr!(tr, "journal-about"));
        egui::ComboBox::from_id_salt("journal-link")
            .selected_text(link_text(tr, p, &link))
            .width(320.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(
                    &mut app.journal.link,
                    None,
                    tr!(tr, "journal-about-nothing"),
                );
                for s in p.sessions.iter().rev().take(30) {
                    let l = JournalLink::Session(s.id.to_string());
                    let t = link_text(tr, p, &l);
                    ui.selectable_value(&mut app.journal.link, Some(l), t);
                }
                for a in p.actions.iter().take(60) {
                    let l = JournalLink::Action(a.id.to_string());
                    let t = link_text(tr, p, &l);
                    ui.selectable_value(&mut app.journal.link, Some(l), t);
                }
            })
            .response
            .labelled_by(about.id);
        let ready = !app.journal.text.trim().is_empty();
        let save = app.shortcut(ui, &crate::theme::SAVE);
        if ui
            .add_enabled(ready, egui::Button::new(tr!(tr, "journal-save")))
            .on_hover_text(tr!(
                tr,
                "journal-save-hover",
                shortcut = ui.ctx().format_shortcut(&crate::theme::SAVE)
            ))
            .clicked()
            || (save && ready)
        {
            let text = std::mem::take(&mut app.journal.text);
            let link = app.journal.link.take().unwrap_or(JournalLink::None);
            app.send(Command::JournalAdd { text, link });
        }
    });
}

fn entry_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    tr: &Tr,
    p: &Partnership,
    n: usize,
    e: &JournalEntry,
) {
    ui.separator();
    let day = tr.date(Date::local_of(e.created_at_ms).civil());
    ui.horizontal_wrapped(|ui| {
        ui.strong(day);
        if e.link != JournalLink::None {
            ui.weak(tr!(
                tr,
                "journal-entry-about",
                what = link_text(tr, p, &e.link)
            ));
        }
    });
    let editing = app
        .journal
        .editing
        .as_ref()
        .is_some_and(|(id, _)| *id == e.id);
    if editing {
        let mut done = None;
        if let Some((_, text)) = app.journal.editing.as_mut() {
            let l = ui.label(tr!(tr, "journal-edit-label"));
            ui.add(
                egui::TextEdit::multiline(text)
                    .desired_rows(3)
                    .desired_width(560.0),
            )
            .labelled_by(l.id);
            ui.horizontal(|ui| {
                if ui.button(tr!(tr, "journal-save-changes")).clicked() {
                    done = Some(true);
                }
                if ui.button(tr!(tr, "journal-cancel")).clicked() {
                    done = Some(false);
                }
            });
        }
        match done {
            Some(true) => {
                if let Some((id, text)) = app.journal.editing.take() {
                    app.send(Command::JournalUpdate { id, text });
                }
            }
            Some(false) => app.journal.editing = None,
            None => {}
        }
        return;
    }
    ui.label(&e.text);
    ui.horizontal(|ui| {
        if ui
            .small_button(tr!(tr, "journal-edit"))
            .accessible_name(tr!(tr, "journal-edit-name", n = n))
            .clicked()
        {
            app.journal.editing = Some((e.id, e.text.clone()));
        }
        if app.journal.confirm_delete == Some(e.id) {
            if ui
                .small_button(tr!(tr, "journal-really-delete"))
                .accessible_name(tr!(tr, "journal-really-delete-name", n = n))
                .clicked()
            {
                app.journal.confirm_delete = None;
                app.send(Command::JournalDelete { id: e.id });
            }
            if ui.small_button(tr!(tr, "journal-keep")).clicked() {
                app.journal.confirm_delete = None;
            }
        } else if ui
            .small_button(tr!(tr, "journal-delete"))
            .accessible_name(tr!(tr, "journal-delete-name", n = n))
            .clicked()
        {
            app.journal.confirm_delete = Some(e.id);
        }
    });
}

#[cfg(test)]
mod tests {
    use cocoach_i18n::{Lang, Tr};

    #[test]
    fn the_private_notice_is_the_english_of_its_message() {
        assert_eq!(
            Tr::get(Lang::En).t("journal-private-notice"),
            super::PRIVATE_NOTICE
        );
    }
}
