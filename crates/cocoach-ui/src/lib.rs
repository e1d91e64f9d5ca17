//! The cocoach desktop views, in egui. The views read the node's latest [`View`] and
//! send [`Command`]s; they never touch files or the network themselves, and never wait:
//! everything slow happens in the node, which answers with events.
//!
//! [`CocoachUi`] is the whole window's content; `app/` wraps it in an eframe window and
//! the tests drive it with egui_kittest.

use std::sync::Arc;

use cocoach_api::{Command, Event, NodeLink, View};
use cocoach_doc::{DocError, PartnershipDoc, TextRef};
use cocoach_i18n::{Lang, Tr, tr};

mod actions;
pub mod collab;
mod conflicts;
mod contract;
pub mod files;
pub mod history;
pub mod journal;
mod pairing;
pub mod session;
mod status;
mod text;
pub mod theme;

pub use status::StatusFacts;

/// The screens of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Session,
    Actions,
    Journal,
    Contract,
    History,
    Pairing,
    Files,
}

impl Screen {
    /// In the order of the side bar (and of the Ctrl+number shortcuts).
    pub const ALL: [Screen; 7] = [
        Screen::Session,
        Screen::Actions,
        Screen::Journal,
        Screen::Contract,
        Screen::History,
        Screen::Pairing,
        Screen::Files,
    ];

    fn label(self, tr: &Tr) -> String {
        match self {
            Screen::Session => tr!(tr, "screen-session"),
            Screen::Journal => tr!(tr, "screen-journal"),
            Screen::History => tr!(tr, "screen-history"),
            Screen::Contract => tr!(tr, "screen-contract"),
            Screen::Actions => tr!(tr, "screen-actions"),
            Screen::Pairing => tr!(tr, "screen-partner"),
            Screen::Files => tr!(tr, "screen-files"),
        }
    }
}

/// A message shown at the top of the window until dismissed.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// The whole window: the node's latest view, what the user is in the middle of
/// typing, and the status facts.
pub struct CocoachUi {
    node: Box<dyn NodeLink>,
    /// The words of the window, in the language picked (or the system's).
    pub tr: Arc<Tr>,
    /// The latest document view (`None` until the node has started).
    pub view: Option<Arc<View>>,
    pub screen: Screen,
    pub status: StatusFacts,
    pub notices: Vec<Notice>,
    pub(crate) start_failed: Option<String>,
    pub(crate) stopped: bool,
    pub(crate) first_run: pairing::FirstRun,
    pub(crate) pairing: pairing::Pairing,
    pub(crate) contract: contract::ContractForm,
    pub(crate) actions: actions::ActionsForm,
    pub(crate) session: session::SessionForm,
    pub(crate) journal: journal::JournalForm,
    pub(crate) history: history::HistoryForm,
    /// Shown under the app's name (the demo says whose computer this is).
    pub title: Option<String>,
    /// Keyboard shortcuts act on this content (two side by side: only the one the
    /// user last clicked in).
    pub shortcuts_enabled: bool,
    /// Commands sent so far (compared with `View::applied`).
    pub(crate) sent: u64,
    /// Every collaborative text box, by the field it edits.
    pub(crate) texts: collab::Texts,
    /// File dialogs and file work, lent by the app (`None`: the Files screen says
    /// it is not available here).
    pub(crate) desk: Option<Box<dyn files::Desk>>,
    pub(crate) files: files::FilesForm,
}

impl std::fmt::Debug for CocoachUi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CocoachUi")
            .field("screen", &self.screen)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl CocoachUi {
    pub fn new(node: Box<dyn NodeLink>) -> CocoachUi {
        CocoachUi {
            node,
            tr: Tr::get(Lang::default()),
            view: None,
            screen: Screen::Contract,
            status: StatusFacts::default(),
            notices: Vec::new(),
            start_failed: None,
            stopped: false,
            first_run: pairing::FirstRun::default(),
            pairing: pairing::Pairing::default(),
            contract: contract::ContractForm::default(),
            actions: actions::ActionsForm::default(),
            session: session::SessionForm::default(),
            journal: journal::JournalForm::default(),
            history: history::HistoryForm::default(),
            title: None,
            shortcuts_enabled: true,
            sent: 0,
            texts: collab::Texts::default(),
            desk: None,
            files: files::FilesForm::default(),
        }
    }

    /// Lend the window the app's file dialogs and file work (the Files screen).
    pub fn set_desk(&mut self, desk: Box<dyn files::Desk>) {
        self.desk = Some(desk);
    }

    /// Continue over a new node (after a restore replaced the data it showed): what
    /// the old node said is forgotten; the language, the title, the notices and the
    /// Files screen's results stay.
    pub fn reconnect(&mut self, node: Box<dyn NodeLink>) {
        self.node = node;
        self.view = None;
        self.status = StatusFacts::default();
        self.start_failed = None;
        self.stopped = false;
        self.first_run = pairing::FirstRun::default();
        self.pairing = pairing::Pairing::default();
        self.contract = contract::ContractForm::default();
        self.actions = actions::ActionsForm::default();
        self.session = session::SessionForm::default();
        self.journal = journal::JournalForm::default();
        self.history = history::HistoryForm::default();
        self.sent = 0;
        self.texts = collab::Texts::default();
        self.screen = Screen::Contract;
    }

    /// Speak `lang` from the next frame on.
    pub fn set_lang(&mut self, lang: Lang) {
        self.tr = Tr::get(lang);
    }

    pub fn lang(&self) -> Lang {
        self.tr.lang()
    }

    /// Send a command; a full queue or a stopped node becomes a notice, never a wait.
    pub fn send(&mut self, cmd: Command) -> bool {
        match self.node.send(cmd) {
            Ok(()) => {
                self.sent += 1;
                true
            }
            Err(e) => {
                self.notice(e.to_string(), true);
                false
            }
        }
    }

    /// A text box over a prose field of the shared document that both partners may
    /// type in at once (see [`collab`]).
    pub(crate) fn text_box(
        &mut self,
        ui: &mut egui::Ui,
        field: TextRef,
        value: &str,
        spec: collab::FieldSpec<'_>,
    ) {
        let applied = self.view.as_ref().map_or(0, |v| v.applied);
        let Some(send) = self.texts.field(ui, &field, value, applied, spec) else {
            return;
        };
        let (f, base, ops) = (field.clone(), send.base.clone(), send.ops.clone());
        let ok = self.send(Command::Edit {
            what: cocoach_i18n::key!("edit-save-typing"),
            edit: Box::new(move |doc| doc.apply_splices(&f, &base, &ops)),
        });
        if ok {
            self.texts.sent(&field, self.sent);
        } else {
            self.texts.unsent(&field, send);
        }
    }

    /// Apply an edit to the shared document (saved and sent by the node). `what` is
    /// the id of a message saying what it does ("add an action"), shown if it fails;
    /// write it as `key!("edit-…")`.
    pub fn edit(
        &mut self,
        what: &'static str,
        f: impl FnOnce(&mut PartnershipDoc) -> Result<(), DocError> + Send + 'static,
    ) {
        self.send(Command::Edit {
            what,
            edit: Box::new(f),
        });
    }

    pub fn notice(&mut self, text: impl Into<String>, error: bool) {
        let text = text.into();
        if !self.notices.iter().any(|n| n.text == text) {
            self.notices.push(Notice { text, error });
        }
    }

    /// Drain the node's events (call once per frame, before `ui`).
    pub fn logic(&mut self) {
        while let Some(ev) = self.node.try_event() {
            self.on_event(ev);
        }
        files::poll(self);
    }

    fn on_event(&mut self, ev: Event) {
        let already_refusing = self.status.refused.is_some();
        self.status.on_event(&ev);
        if files::on_event(self, &ev) {
            return;
        }
        match ev {
            Event::View(v) => {
                // Opening a partnership that has no partner yet: start on the Partner screen.
                let first = self
                    .view
                    .as_ref()
                    .is_none_or(|old| old.partnership.is_none());
                // A device restored without its key: there it must re-pair.
                let outsider = v.partnership.is_some() && v.my_slot.is_none();
                if first && v.partnership.is_some() && (!self.has_partner_in(&v) || outsider) {
                    self.screen = Screen::Pairing;
                } else if first
                    && v.partnership.as_ref().is_some_and(|p| {
                        p.signatures.agreement() == cocoach_doc::Agreement::SignedByBoth
                    })
                {
                    // An agreed partnership opens where the work happens.
                    self.screen = Screen::Session;
                }
                self.view = Some(v);
            }
            Event::StartFailed(e) => self.start_failed = Some(e),
            Event::Stopped => self.stopped = true,
            Event::CommandFailed { what, reason } => {
                let what = self.tr.t(&what);
                self.notice(
                    tr!(
                        self.tr,
                        "notice-could-not",
                        what = what,
                        reason = self.tr.id_or_text(&reason)
                    ),
                    true,
                );
            }
            Event::Error(e) => self.notice(e, true),
            // Once per streak: the partner's device retries at every reconnect, and
            // the status bar says it for as long as it lasts.
            Event::Tampered { what } if !already_refusing => {
                let text = tr!(self.tr, "notice-tampered", what = self.tr.t(&what));
                self.notice(text, true);
            }
            // An answer to an older query is dropped: a newer one is on its way.
            Event::Journal { query, entries } if query == self.journal.query => {
                self.journal.on_list(query, entries);
            }
            Event::JournalChanged => journal::refresh(self),
            Event::History(entries) => self.history.on_history(entries),
            Event::ViewAt { at, partnership } => self.history.then = Some((at, partnership)),
            Event::InviteReady { .. }
            | Event::PairCode { .. }
            | Event::PairFailed { .. }
            | Event::Paired { .. }
            | Event::Joined { .. } => {
                let done = matches!(ev, Event::Paired { .. } | Event::Joined { .. });
                self.pairing.on_event(ev);
                if done {
                    self.screen = Screen::Contract;
                }
            }
            _ => {}
        }
    }

    fn has_partner_in(&self, v: &View) -> bool {
        v.partnership
            .as_ref()
            .is_some_and(|p| p.partners.iter().all(|p| p.key.is_some()))
    }

    pub fn has_partner(&self) -> bool {
        self.view.as_ref().is_some_and(|v| self.has_partner_in(v))
    }

    /// Ask the node to save everything and stop (the window is closing).
    pub fn shutdown(&mut self) {
        if let Err(e) = self.node.send(Command::Shutdown) {
            // The node is gone or its queue is full: the window closes regardless,
            // and everything saved so far stays saved.
            tracing::warn!(target: "cocoach::ui", error = %e, "could not ask the node to stop");
        }
    }

    /// The node has stopped after `shutdown`.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// The window's content.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if let Some(e) = &self.start_failed {
            let e = e.clone();
            egui::CentralPanel::default().show(ui, |ui| {
                ui.heading(tr!(self.tr, "start-failed-title"));
                ui.label(e);
                ui.label(tr!(self.tr, "start-failed-body"));
            });
            return;
        }
        let Some(view) = self.view.clone() else {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.centered_and_justified(|ui| {
                    ui.spinner();
                    ui.label(tr!(self.tr, "opening"));
                });
            });
            return;
        };
        if view.partnership.is_none() {
            egui::CentralPanel::default().show(ui, |ui| {
                self.notices_ui(ui);
                pairing::first_run_ui(self, ui, &view);
            });
            return;
        }
        self.shortcuts(ui);
        // Panel ids from this ui's id: two windows' content side by side (the
        // demo) keep apart.
        egui::Panel::bottom(ui.scope_id().with("status")).show(ui, |ui| {
            status::status_bar(self, ui, &view);
        });
        egui::Panel::left(ui.scope_id().with("nav"))
            .resizable(false)
            .default_size(150.0)
            .show(ui, |ui| self.nav(ui));
        egui::CentralPanel::default().show(ui, |ui| {
            self.notices_ui(ui);
            if view.my_slot.is_none() && self.screen != Screen::Pairing {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        tr!(self.tr, "pairing-rejoin-banner"),
                    );
                    if ui.button(tr!(self.tr, "pairing-rejoin-go")).clicked() {
                        self.screen = Screen::Pairing;
                    }
                });
                ui.separator();
            }
            if self.screen == Screen::Session {
                session::dock_ui(self, ui, &view);
            }
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| match self.screen {
                    Screen::Session => session::session_ui(self, ui, &view),
                    Screen::Journal => journal::journal_ui(self, ui, &view),
                    Screen::History => history::history_ui(self, ui, &view),
                    Screen::Contract => contract::contract_ui(self, ui, &view),
                    Screen::Actions => actions::actions_ui(self, ui, &view),
                    Screen::Pairing => pairing::pairing_ui(self, ui, &view),
                    Screen::Files => files::files_ui(self, ui, &view),
                });
        });
    }

    fn nav(&mut self, ui: &mut egui::Ui) {
        ui.add_space(6.0);
        ui.heading("cocoach");
        if let Some(t) = &self.title {
            ui.weak(t);
        }
        ui.add_space(6.0);
        for (i, s) in Screen::ALL.into_iter().enumerate() {
            let shortcut = theme::screen_shortcut(i);
            let label = s.label(&self.tr);
            let text = format!("{label}  ({})", ui.ctx().format_shortcut(&shortcut));
            if ui
                .selectable_label(self.screen == s, text)
                .on_hover_text(tr!(self.tr, "nav-go-to", screen = label))
                .clicked()
            {
                self.screen = s;
            }
        }
        ui.add_space(16.0);
        ui.weak(tr!(self.tr, "nav-theme"));
        theme::preference_buttons(ui, &self.tr);
        ui.add_space(12.0);
        self.language_picker(ui);
    }

    /// The language of the window (remembered by the app between runs).
    pub fn language_picker(&mut self, ui: &mut egui::Ui) {
        let label = ui.weak(tr!(self.tr, "nav-language"));
        let mut lang = self.lang();
        egui::ComboBox::from_id_salt(ui.scope_id().with("lang"))
            .selected_text(lang.native_name())
            .show_ui(ui, |ui| {
                for l in Lang::ALL {
                    ui.selectable_value(&mut lang, l, l.native_name());
                }
            })
            .response
            .labelled_by(label.id);
        if lang != self.lang() {
            self.set_lang(lang);
        }
    }

    /// Whether the shortcut was pressed (and is now used up), if shortcuts act here.
    pub(crate) fn shortcut(&self, ui: &egui::Ui, k: &egui::KeyboardShortcut) -> bool {
        self.shortcuts_enabled && ui.input_mut(|i| i.consume_shortcut(k))
    }

    fn shortcuts(&mut self, ui: &mut egui::Ui) {
        for (i, s) in Screen::ALL.into_iter().enumerate() {
            let k = theme::screen_shortcut(i);
            if self.shortcut(ui, &k) {
                self.screen = s;
            }
        }
    }

    fn notices_ui(&mut self, ui: &mut egui::Ui) {
        let mut dismiss = None;
        for (i, n) in self.notices.iter().enumerate() {
            // The button first and the text wrapped: a long notice must never
            // push "Dismiss" out of the window.
            ui.horizontal_top(|ui| {
                let color = if n.error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                if ui.small_button(tr!(self.tr, "dismiss")).clicked() {
                    dismiss = Some(i);
                }
                ui.add(
                    egui::Label::new(egui::RichText::new(&n.text).color(color))
                        .wrap_mode(egui::TextWrapMode::Wrap),
                );
            });
        }
        if let Some(i) = dismiss {
            self.notices.remove(i);
        }
        if !self.notices.is_empty() {
            ui.separator();
        }
    }
}
