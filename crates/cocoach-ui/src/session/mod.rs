//! The session runner: start a session, coach each other in two timed halves with a
//! clear swap moment, and close it with committed actions.
//!
//! Each half belongs to one coachee: first the actions they committed to last time
//! (done? what went well? what got in the way?), then GROW — goal, reality, options
//! ("what else?"), will — with a deck of questions for the coach, a way to mark that
//! the coachee declined a topic (only the moment is kept, never the topic), and the
//! actions they commit to. A session closes only with at least one action with a
//! deadline for each partner, or with a reason written down for skipping them.

mod first;
mod grow;
mod past;
mod review;

use grow::*;
use past::*;
use review::*;

use cocoach_api::View;
use cocoach_doc::{ActionId, Date, Partnership, Session, SessionId, Slot};

use cocoach_i18n::{Tr, key, tr};

use crate::CocoachUi;

/// Minutes of a whole session when neither the session nor the contract says.
pub const DEFAULT_SESSION_MINUTES: u64 = 60;

pub use cocoach_doc::Stage;

/// The coach's built-in question deck for one stage (the model's, in `tr`'s language).
pub fn deck(tr: &Tr, stage: Stage) -> Vec<String> {
    cocoach_doc::built_in_deck(tr, stage)
}

#[derive(Debug, Default)]
pub(crate) struct SessionForm {
    /// The half shown (0 = first coachee, 1 = second), for the open session.
    pub half: usize,
    /// Seconds each half's timer has run, and when the running one was started.
    pub elapsed: [f64; 2],
    pub running: Option<(usize, f64)>,
    /// Which question of each stage's deck is showing (by [`Stage::index`]).
    pub deck: [usize; 5],
    /// A question being written for the deck: its stage and text.
    pub new_question: Option<(Stage, String)>,
    /// The field for a new question just opened: give it the keyboard.
    pub focus_new_question: bool,
    /// Before a session starts: its date as typed (empty: today) and who coaches
    /// first if the partners chose otherwise than the contract's rule.
    pub start_date: String,
    pub start_coach: Option<Slot>,
    /// New action for the coachee of the half shown.
    pub what: String,
    pub due: String,
    pub skip_reason: String,
    /// An action under review being marked done, and its celebration line.
    pub celebrating: Option<(ActionId, String)>,
    /// The session these timers belong to.
    pub session: SessionId,
    /// The closed session whose recap was dismissed in this window.
    pub recap_dismissed: Option<SessionId>,
}

impl SessionForm {
    fn elapsed(&self, half: usize, now: f64) -> f64 {
        let running = match self.running {
            Some((h, since)) if h == half => now - since,
            _ => 0.0,
        };
        self.elapsed[half] + running
    }

    fn start(&mut self, half: usize, now: f64) {
        self.pause(now);
        self.running = Some((half, now));
    }

    fn pause(&mut self, now: f64) {
        if let Some((h, since)) = self.running.take() {
            self.elapsed[h] += now - since;
        }
    }
}

/// The session in progress (the model's rule: the newest one not closed yet).
pub fn open_session(p: &Partnership) -> Option<&Session> {
    p.open_session()
}

pub(crate) fn session_ui(app: &mut CocoachUi, ui: &mut egui::Ui, view: &View) {
    let Some(p) = view.partnership.clone() else {
        return;
    };
    let Some(me) = view.my_slot else { return };
    let tr = app.tr.clone();
    ui.heading(tr!(tr, "session-heading"));
    match open_session(&p).cloned() {
        Some(s) => {
            // What the two set differently about this session, where it is.
            let id = s.id.clone();
            crate::conflicts::conflicts_ui(app, ui, &p, view, |about| match about {
                cocoach_doc::ConflictAbout::Session { id: sid, .. }
                | cocoach_doc::ConflictAbout::Review { session: sid, .. } => *sid == id,
                _ => false,
            });
            run_ui(app, ui, &p, me, &s)
        }
        None => start_ui(app, ui, &p, me),
    }
    ui.add_space(12.0);
    past_ui(ui, &tr, &p);
}

/// The moment a session closes: what each partner will do, by when, and what was
/// celebrated (the model's [`Partnership::current_recap`] decides when it shows).
fn recap_ui(app: &mut CocoachUi, ui: &mut egui::Ui, p: &Partnership, r: &cocoach_doc::Recap<'_>) {
    let tr = app.tr.clone();
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            ui.label(
                egui::RichText::new(tr!(tr, "session-recap-title"))
                    .strong()
                    .size(16.0),
            );
            for (who, actions) in &r.committed {
                ui.strong(tr!(tr, "session-recap-will", name = p.name(*who)));
                if actions.is_empty() {
                    ui.weak(format!("  {}", tr!(tr, "session-recap-none")));
                }
                for a in actions {
                    let line = match a.deadline {
                        Some(d) => tr!(
                            tr,
                            "session-recap-action",
                            what = a.what.as_str(),
                            date = tr.date(d.civil())
                        ),
                        None => tr!(tr, "session-recap-action-undated", what = a.what.as_str()),
                    };
                    ui.label(format!("  • {line}"));
                }
            }
            if !r.session.skip_reason.trim().is_empty() {
                ui.weak(tr!(
                    tr,
                    "session-recap-skipped",
                    reason = r.session.skip_reason.trim()
                ));
            }
            if !r.celebrated.is_empty() {
                ui.strong(tr!(tr, "session-recap-celebrated"));
                for a in &r.celebrated {
                    let line = if a.celebration.trim().is_empty() {
                        tr!(
                            tr,
                            "session-recap-celebration-plain",
                            name = p.name(a.owner),
                            what = a.what.as_str()
                        )
                    } else {
                        tr!(
                            tr,
                            "session-recap-celebration",
                            name = p.name(a.owner),
                            what = a.what.as_str(),
                            text = a.celebration.trim()
                        )
                    };
                    ui.label(format!("  🎉 {line}"));
                }
            }
            if ui.button(tr!(tr, "session-recap-dismiss")).clicked() {
                app.session.recap_dismissed = Some(r.session.id.clone());
            }
        });
}

/// Near the end of the contract's term: look back together, then renew, adjust
/// or close (the model's [`Partnership::term_review`] counts).
fn term_review_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    p: &Partnership,
    r: &cocoach_doc::TermReview<'_>,
) {
    let tr = app.tr.clone();
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            let title = match r.end {
                Some(end) => tr!(tr, "term-ending-on", date = tr.date(end.civil())),
                None => tr!(tr, "term-ending"),
            };
            ui.label(egui::RichText::new(title).strong().size(16.0));
            ui.label(tr!(tr, "term-look-back"));
            ui.label(match r.planned {
                Some(n) => tr!(tr, "term-held-of", held = r.held, planned = n),
                None => tr!(tr, "term-held", held = r.held),
            });
            ui.label(tr!(
                tr,
                "term-actions",
                done = r.done,
                dropped = r.dropped,
                open = r.open
            ));
            if !r.obstacles.is_empty() {
                let list: Vec<String> = r
                    .obstacles
                    .iter()
                    .map(|o| format!("{} × {}", o.obstacle, o.count))
                    .collect();
                ui.label(tr!(tr, "term-obstacles", list = list.join(", ")));
            }
            for (slot, (then, now)) in [Slot::A, Slot::B].into_iter().zip(r.goals) {
                match (then, now) {
                    (Some(t), Some(n)) if t != n => ui.label(tr!(
                        tr,
                        "term-goal-then-now",
                        name = p.name(slot),
                        then = t,
                        now = n
                    )),
                    (Some(t), _) => {
                        ui.label(tr!(tr, "term-goal-same", name = p.name(slot), goal = t))
                    }
                    _ => ui.weak(tr!(tr, "term-goal-none", name = p.name(slot))),
                };
            }
            ui.label(tr!(tr, "term-next"));
            if ui.button(tr!(tr, "term-to-contract")).clicked() {
                app.screen = crate::Screen::Contract;
            }
        });
}

fn start_ui(app: &mut CocoachUi, ui: &mut egui::Ui, p: &Partnership, me: Slot) {
    let tr = app.tr.clone();
    if let Some(r) = p.current_recap(cocoach_doc::now_ms())
        && app.session.recap_dismissed.as_ref() != Some(&r.session.id)
    {
        recap_ui(app, ui, p, &r);
        ui.add_space(8.0);
    }
    let today = Date::today();
    let who = |s: Slot| {
        if s == me {
            tr!(tr, "session-you")
        } else {
            p.name(s)
        }
    };
    if p.term_ending(today)
        && let Some(r) = p.term_review(today)
    {
        term_review_ui(app, ui, p, &r);
        ui.add_space(8.0);
    }
    ui.label(tr!(tr, "session-none-running"));
    if p.first_meeting_due() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.strong(tr!(tr, "first-offer-title"));
            ui.label(tr!(tr, "first-offer-body"));
            if ui.button(tr!(tr, "first-start")).clicked() {
                let today = Date::today();
                app.edit(key!("edit-start-first-meeting"), move |d| {
                    d.new_first_meeting(today).map(|_| ())
                });
            }
        });
        ui.add_space(6.0);
    }
    ui.label(p.next_meeting_text(&tr, today));
    // The date and who coaches first, as the contract's rule has them, or as the
    // partners agree otherwise before they start.
    let typed = app.session.start_date.trim();
    let date = if typed.is_empty() {
        Some(today)
    } else {
        typed.parse::<Date>().ok()
    };
    let rule = p.next_coach_first(date.unwrap_or(today));
    let coach = app.session.start_coach.unwrap_or(rule);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(tr!(tr, "session-start-date"));
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut app.session.start_date)
                    .hint_text(today.to_string())
                    .desired_width(100.0),
            )
            .labelled_by(l.id);
        if date.is_none() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                tr!(tr, "session-start-date-bad"),
            );
        }
        r.on_hover_text(tr!(tr, "session-start-date-hover"));
        ui.add_space(12.0);
        ui.label(tr!(tr, "session-start-coach"));
        for s in [Slot::A, Slot::B] {
            let b = ui
                .add(egui::Button::new(p.name(s)).selected(coach == s))
                .accessible_name(tr!(tr, "session-start-coach-name", name = p.name(s)));
            if b.clicked() {
                app.session.start_coach = (s != rule).then_some(s);
            }
        }
    });
    let minutes = p
        .contract
        .session_minutes
        .unwrap_or(DEFAULT_SESSION_MINUTES);
    let place = p.contract.place.trim();
    // English conjugates: "you coach", "Bo coaches".
    let first_is_you = if coach == me { "yes" } else { "no" };
    ui.label(if place.is_empty() {
        tr!(
            tr,
            "session-next",
            first = who(coach),
            first_is_you = first_is_you,
            second = who(coach.other()),
            minutes = minutes / 2
        )
    } else {
        tr!(
            tr,
            "session-next-at",
            first = who(coach),
            first_is_you = first_is_you,
            second = who(coach.other()),
            minutes = minutes / 2,
            place = place
        )
    });
    if coach == rule {
        ui.weak(match p.contract.turns {
            cocoach_doc::Turns::Alternate => tr!(tr, "session-turns-alternate"),
            cocoach_doc::Turns::Same => tr!(tr, "session-turns-same"),
        });
    } else {
        ui.weak(tr!(tr, "session-start-coach-changed", name = p.name(rule)));
    }
    ui.add_space(6.0);
    let label = match date {
        Some(d) if d != today => tr!(tr, "session-start-on", date = tr.date(d.civil())),
        _ => tr!(tr, "session-start"),
    };
    let start = ui
        .add_enabled(date.is_some(), egui::Button::new(label))
        .on_hover_text(tr!(
            tr,
            "session-start-hover",
            shortcut = ui.ctx().format_shortcut(&crate::theme::START_SESSION)
        ))
        .clicked()
        || app.shortcut(ui, &crate::theme::START_SESSION);
    if !p.first_meeting_due()
        && ui
            .small_button(tr!(tr, "first-start-later"))
            .on_hover_text(tr!(tr, "first-start-later-hover"))
            .clicked()
        && let Some(date) = date
    {
        app.edit(key!("edit-start-first-meeting"), move |d| {
            d.new_first_meeting(date).map(|_| ())
        });
    }
    if start && let Some(date) = date {
        let chosen = app.session.start_coach;
        app.edit(key!("edit-start-session"), move |d| {
            let id = d.new_session(date)?;
            match chosen {
                Some(c) => d.set_session_coached_first(&id, c),
                None => Ok(()),
            }
        });
    }
}

/// The form belongs to the open session `s` (a new session starts a new form).
fn ensure_form(app: &mut CocoachUi, s: &Session) {
    if app.session.session != s.id {
        app.session = crate::session::SessionForm {
            session: s.id.clone(),
            ..Default::default()
        };
    }
}

/// The open session's new actions and its close, docked at the bottom of the
/// screen below the scrolling half, so the moment of committing and closing stays
/// in reach at any window height (at 1100×760 it fell below the fold).
pub(crate) fn dock_ui(app: &mut CocoachUi, ui: &mut egui::Ui, view: &View) {
    let Some(p) = view.partnership.clone() else {
        return;
    };
    let Some(me) = view.my_slot else { return };
    let Some(s) = open_session(&p).cloned() else {
        return;
    };
    ensure_form(app, &s);
    let coachee = s.coachees()[app.session.half.min(1)];
    egui::Panel::bottom(ui.scope_id().with("session-dock")).show(ui, |ui| {
        ui.add_space(4.0);
        new_actions_ui(app, ui, &p, &s, coachee);
        ui.add_space(4.0);
        close_ui(app, ui, &p, &s, me);
        ui.add_space(2.0);
    });
}

fn run_ui(app: &mut CocoachUi, ui: &mut egui::Ui, p: &Partnership, me: Slot, s: &Session) {
    let tr = app.tr.clone();
    ensure_form(app, s);
    let order = s.coachees();
    let date = s.date.map_or_else(String::new, |d| tr.date(d.civil()));
    let place = s.place.trim();
    ui.label(if place.is_empty() {
        tr!(tr, "session-of", date = date)
    } else {
        tr!(tr, "session-of-at", date = date, place = place)
    });
    if ui
        .small_button(tr!(tr, "session-reflect"))
        .on_hover_text(tr!(tr, "session-reflect-hover"))
        .clicked()
    {
        app.journal.link = Some(cocoach_api::JournalLink::Session(s.id.to_string()));
        app.screen = crate::Screen::Journal;
    }
    if !s.first_meeting && p.signatures.agreement() != cocoach_doc::Agreement::SignedByBoth {
        ui.colored_label(ui.visuals().warn_fg_color, tr!(tr, "session-unsigned"));
    }
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        for (i, coachee) in order.into_iter().enumerate() {
            let (coachee_name, coach_name) = (p.name(coachee), p.name(coachee.other()));
            let label = if s.first_meeting {
                tr!(tr, "first-half-tab", name = coachee_name)
            } else if i == 0 {
                tr!(
                    tr,
                    "session-half-first",
                    coachee = coachee_name,
                    coach = coach_name
                )
            } else {
                tr!(
                    tr,
                    "session-half-second",
                    coachee = coachee_name,
                    coach = coach_name
                )
            };
            if ui.selectable_label(app.session.half == i, label).clicked() {
                app.session.half = i;
            }
        }
    });
    timer_ui(app, ui, p, s, order);
    ui.separator();
    let half = app.session.half.min(1);
    let coachee = order[half];
    if s.first_meeting {
        first::first_half_ui(app, ui, p, me, s, coachee);
    } else {
        half_ui(app, ui, p, me, s, coachee);
    }
}

fn timer_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    p: &Partnership,
    s: &Session,
    order: [Slot; 2],
) {
    let tr = app.tr.clone();
    let total = s
        .planned_minutes
        .or(p.contract.session_minutes)
        .unwrap_or(DEFAULT_SESSION_MINUTES);
    let half_s = (total as f64 * 60.0 / 2.0).max(60.0);
    let now = ui.input(|i| i.time);
    let half = app.session.half.min(1);
    let elapsed = app.session.elapsed(half, now);
    let left = (half_s - elapsed).max(0.0);
    let running = matches!(app.session.running, Some((h, _)) if h == half);
    ui.horizontal(|ui| {
        let secs = left.ceil() as u64;
        ui.label(
            egui::RichText::new(format!("{}:{:02}", secs / 60, secs % 60))
                .monospace()
                .size(22.0),
        );
        ui.label(tr!(
            tr,
            "session-time-left",
            name = p.name(order[half]),
            minutes = (half_s / 60.0).round()
        ));
        ui.add(crate::theme::progress_bar((elapsed / half_s).min(1.0) as f32).desired_width(160.0));
        let label = if running {
            tr!(tr, "session-timer-pause")
        } else if elapsed > 0.0 {
            tr!(tr, "session-timer-resume")
        } else {
            tr!(tr, "session-timer-start")
        };
        let toggle = app.shortcut(ui, &crate::theme::TIMER);
        if ui
            .button(label)
            .on_hover_text(ui.ctx().format_shortcut(&crate::theme::TIMER))
            .clicked()
            || toggle
        {
            if running {
                app.session.pause(now);
            } else {
                app.session.start(half, now);
            }
        }
    });
    if running {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(500));
    }
    if elapsed >= half_s {
        let swap = half == 0;
        egui::Frame::group(ui.style())
            .fill(ui.visuals().faint_bg_color)
            .show(ui, |ui| {
                if swap {
                    ui.label(
                        egui::RichText::new(tr!(
                            tr,
                            "session-swap-time",
                            coach = p.name(order[0]),
                            coachee = p.name(order[1])
                        ))
                        .strong()
                        .color(ui.visuals().warn_fg_color),
                    );
                    if ui.button(tr!(tr, "session-swap")).clicked() {
                        app.session.pause(now);
                        app.session.half = 1;
                        app.session.start(1, now);
                    }
                } else {
                    ui.label(
                        egui::RichText::new(tr!(tr, "session-time-up"))
                            .strong()
                            .color(ui.visuals().warn_fg_color),
                    );
                }
            });
    }
}

fn new_actions_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    p: &Partnership,
    s: &Session,
    coachee: Slot,
) {
    let tr = app.tr.clone();
    ui.strong(tr!(tr, "session-new-actions", name = p.name(coachee)));
    for a in p
        .actions
        .iter()
        .filter(|a| a.owner == coachee && a.session.as_deref() == Some(s.id.as_str()))
    {
        let due = a.deadline.map_or_else(
            || tr!(tr, "due-none"),
            |d| tr!(tr, "session-by", date = tr.date(d.civil())),
        );
        ui.label(format!("{} — {due}", a.what));
    }
    let label = tr!(tr, "session-action");
    let hint = tr!(tr, "session-action-hint");
    let button = tr!(tr, "session-add-for", name = p.name(coachee));
    let added = crate::actions::new_action_row(
        &tr,
        ui,
        (&label, &hint, &button),
        (&mut app.session.what, &mut app.session.due),
        Date::today(),
        |_| {},
    );
    if let Some((what, due)) = added {
        let sid = s.id.clone();
        app.edit(key!("edit-add-action"), move |d| {
            d.add_action(coachee, &what, Some(due), Some(&sid))
                .map(|_| ())
        });
    }
}

fn close_ui(app: &mut CocoachUi, ui: &mut egui::Ui, p: &Partnership, s: &Session, me: Slot) {
    let tr = app.tr.clone();
    let missing = p.missing_actions(&s.id);
    if missing.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.strong(tr!(tr, "session-close-heading"));
            ui.label(tr!(tr, "session-close-ready"));
            if ui.button(tr!(tr, "session-close")).clicked() {
                let id = s.id.clone();
                app.edit(key!("edit-close-session"), move |d| {
                    d.close_session(&id, "")
                });
            }
        });
        return;
    }
    ui.strong(tr!(tr, "session-close-heading"));
    let who = missing
        .iter()
        .map(|s| p.name(*s))
        .reduce(|a, b| tr!(tr, "session-names-and", a = a, b = b))
        .unwrap_or_default();
    ui.label(match missing.as_slice() {
        _ if s.first_meeting => tr!(tr, "first-close-needs"),
        [one] if *one == me => tr!(tr, "session-close-missing-yours", who = who),
        [one] => tr!(
            tr,
            "session-close-missing-theirs",
            who = who,
            name = p.name(*one)
        ),
        _ => tr!(tr, "session-close-missing-each", who = who),
    });
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(tr!(tr, "session-skip-reason"));
        ui.add(
            egui::TextEdit::singleline(&mut app.session.skip_reason)
                .hint_text(tr!(tr, "session-skip-reason-hint"))
                .desired_width(320.0),
        )
        .labelled_by(l.id);
        let ready = !app.session.skip_reason.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new(tr!(tr, "session-close-without")))
            .on_disabled_hover_text(tr!(tr, "session-close-without-disabled"))
            .clicked()
        {
            let reason = std::mem::take(&mut app.session.skip_reason);
            let id = s.id.clone();
            app.edit(key!("edit-close-session"), move |d| {
                d.close_session(&id, &reason)
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_counts_only_while_running() {
        let mut f = SessionForm::default();
        f.start(0, 10.0);
        assert_eq!(f.elapsed(0, 70.0), 60.0);
        f.pause(70.0);
        assert_eq!(f.elapsed(0, 500.0), 60.0);
        f.start(1, 500.0);
        assert_eq!(f.elapsed(0, 600.0), 60.0);
        assert_eq!(f.elapsed(1, 600.0), 100.0);
    }

    #[test]
    fn the_deck_has_the_same_questions_in_both_languages() {
        use cocoach_i18n::Lang;
        let en = Tr::get(Lang::En);
        assert_eq!(
            deck(&en, Stage::Goal)[0],
            "What would you like to walk away with from this conversation?"
        );
        let nl = Tr::get(Lang::Nl);
        for stage in Stage::ALL {
            let (e, n) = (deck(&en, stage), deck(&nl, stage));
            assert!(e.len() >= 5 && e.len() == n.len(), "{stage:?}");
            for (e, n) in e.iter().zip(&n) {
                assert!(!e.starts_with("session-") && !n.starts_with("session-"));
                assert_ne!(e, n, "{stage:?}: translated");
            }
        }
        assert_eq!(
            deck(&nl, Stage::Goal)[0],
            "Wat wil je uit dit gesprek meenemen?"
        );
    }

    #[test]
    fn declined_topics_are_counted_in_words() {
        use cocoach_i18n::Lang;
        let en = Tr::get(Lang::En);
        assert_eq!(
            tr!(en, "session-declined", name = "Bo", n = 1),
            "Bo declined 1 topic in this half; nothing about it is written down."
        );
        assert_eq!(
            tr!(en, "session-declined", name = "Bo", n = 2),
            "Bo declined 2 topics in this half; nothing about them is written down."
        );
        assert_eq!(
            tr!(en, "session-time-left", name = "Bo", minutes = 30.0),
            "left of Bo's 30 minutes"
        );
        let nl = Tr::get(Lang::Nl);
        assert_eq!(
            tr!(
                nl,
                "session-past-title",
                date = "1 maart 2026",
                name = "Bo",
                n = 1
            ),
            "1 maart 2026 — Bo coachte eerst, 1 actie"
        );
    }
}
