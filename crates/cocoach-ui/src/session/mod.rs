//! The session runner: start a session, coach each other in two timed halves with a
//! clear swap moment, and close it with committed actions.
//!
//! Each half belongs to one coachee: first the actions they committed to last time
//! (done? what went well? what got in the way?), then GROW — goal, reality, options
//! ("what else?"), will — with a deck of questions for the coach, a way to mark that
//! the coachee declined a topic (only the moment is kept, never the topic), and the
//! actions they commit to. A session closes only with at least one action with a
//! deadline for each partner, or with a reason written down for skipping them.

mod grow;
mod past;
mod review;

use grow::*;
use past::*;
use review::*;

use cocoach_api::View;
use cocoach_doc::{ActionId, Date, Partnership, Session, SessionId, Slot};

use crate::CocoachUi;

/// Minutes of a whole session when neither the session nor the contract says.
pub const DEFAULT_SESSION_MINUTES: u64 = 60;

/// The coach's question deck, in our own words, per GROW stage.
pub const GOAL_QUESTIONS: &[&str] = &[
    "What would you like to walk away with from this conversation?",
    "If this goes really well, what will be different a month from now?",
    "Which part of your career change matters most to you today?",
    "How will you know you have moved forward?",
];
pub const REALITY_QUESTIONS: &[&str] = &[
    "Where are you with this right now, in one sentence?",
    "What have you already tried, and what happened?",
    "Who else is involved, and what do they make of it?",
    "From 1 to 10, how close are you? Why that number and not a lower one?",
];
pub const OPTIONS_QUESTIONS: &[&str] = &[
    "What could you do? Nothing is too small or too wild.",
    "What would you try if you knew you could not fail?",
    "What would someone you admire do in your place?",
    "Who could help you with this?",
];
pub const WILL_QUESTIONS: &[&str] = &[
    "Which of these will you do, and by when?",
    "What might get in the way, and what will you do then?",
    "From 1 to 10, how committed are you? What would make it a 10?",
    "How will I know you have done it?",
];

#[derive(Debug, Default)]
pub(crate) struct SessionForm {
    /// The half shown (0 = first coachee, 1 = second), for the open session.
    pub half: usize,
    /// Seconds each half's timer has run, and when the running one was started.
    pub elapsed: [f64; 2],
    pub running: Option<(usize, f64)>,
    /// Which question of each stage's deck is showing.
    pub deck: [usize; 4],
    /// New action for the coachee of the half shown.
    pub what: String,
    pub due: String,
    pub skip_reason: String,
    /// An action under review being marked done, and its celebration line.
    pub celebrating: Option<(ActionId, String)>,
    /// The session these timers belong to.
    pub session: SessionId,
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
    ui.heading("Session");
    match open_session(&p).cloned() {
        Some(s) => run_ui(app, ui, &p, me, &s),
        None => start_ui(app, ui, &p, me),
    }
    ui.add_space(12.0);
    past_ui(ui, &p);
}

fn start_ui(app: &mut CocoachUi, ui: &mut egui::Ui, p: &Partnership, me: Slot) {
    let coach = p.next_coach_first(Date::today());
    let who = |s: Slot| {
        if s == me {
            "you".to_string()
        } else {
            p.name(s)
        }
    };
    ui.label("No session is running.");
    let minutes = p
        .contract
        .session_minutes
        .unwrap_or(DEFAULT_SESSION_MINUTES);
    ui.label(format!(
        "Next: {} coaches first, then {} — {} minutes each{}.",
        who(coach),
        who(coach.other()),
        minutes / 2,
        if p.contract.place.trim().is_empty() {
            String::new()
        } else {
            format!(", at {}", p.contract.place.trim())
        }
    ));
    ui.weak(match p.contract.turns {
        cocoach_doc::Turns::Alternate => "Your contract says you take turns coaching first.",
        cocoach_doc::Turns::Same => "Your contract says the same partner always coaches first.",
    });
    ui.add_space(6.0);
    if ui
        .button("Start today's session")
        .on_hover_text(format!(
            "Start ({})",
            ui.ctx().format_shortcut(&crate::theme::START_SESSION)
        ))
        .clicked()
        || app.shortcut(ui, &crate::theme::START_SESSION)
    {
        let today = Date::today();
        app.edit("start a session", move |d| d.new_session(today).map(|_| ()));
    }
}

fn run_ui(app: &mut CocoachUi, ui: &mut egui::Ui, p: &Partnership, me: Slot, s: &Session) {
    if app.session.session != s.id {
        app.session = crate::session::SessionForm {
            session: s.id.clone(),
            ..Default::default()
        };
    }
    let order = s.coachees();
    let name = |slot: Slot| {
        if slot == me {
            "you".to_string()
        } else {
            p.name(slot)
        }
    };
    let date = s.date.map_or_else(String::new, |d| d.to_string());
    ui.label(format!(
        "Session of {date}{}",
        if s.place.trim().is_empty() {
            String::new()
        } else {
            format!(" at {}", s.place.trim())
        }
    ));
    if ui
        .small_button("Write a private reflection on this session")
        .on_hover_text("Opens your journal, which stays on this device")
        .clicked()
    {
        app.journal.link = Some(cocoach_api::JournalLink::Session(s.id.to_string()));
        app.screen = crate::Screen::Journal;
    }
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        for (i, coachee) in order.into_iter().enumerate() {
            let label = format!(
                "{} half: {} coached by {}",
                if i == 0 { "First" } else { "Second" },
                p.name(coachee),
                p.name(coachee.other())
            );
            if ui.selectable_label(app.session.half == i, label).clicked() {
                app.session.half = i;
            }
        }
    });
    timer_ui(app, ui, p, s, order);
    ui.separator();
    let half = app.session.half.min(1);
    let coachee = order[half];
    half_ui(app, ui, p, me, s, coachee);
    ui.separator();
    close_ui(app, ui, p, s, &name);
}

fn timer_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    p: &Partnership,
    s: &Session,
    order: [Slot; 2],
) {
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
        ui.label(format!(
            "left of {}'s {} minutes",
            p.name(order[half]),
            (half_s / 60.0).round()
        ));
        ui.add(egui::ProgressBar::new((elapsed / half_s).min(1.0) as f32).desired_width(160.0));
        let label = if running {
            "Pause timer"
        } else if elapsed > 0.0 {
            "Resume timer"
        } else {
            "Start timer"
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
                        egui::RichText::new(format!(
                            "Time to swap: {} now coaches {}.",
                            p.name(order[0]),
                            p.name(order[1])
                        ))
                        .strong()
                        .color(ui.visuals().warn_fg_color),
                    );
                    if ui.button("Swap roles").clicked() {
                        app.session.pause(now);
                        app.session.half = 1;
                        app.session.start(1, now);
                    }
                } else {
                    ui.label(
                        egui::RichText::new(
                            "Time is up: agree on actions, then close the session.",
                        )
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
    ui.strong(format!("{}'s actions from this session", p.name(coachee)));
    for a in p
        .actions
        .iter()
        .filter(|a| a.owner == coachee && a.session.as_deref() == Some(s.id.as_str()))
    {
        let due = a
            .deadline
            .map_or("no deadline".into(), |d| format!("by {d}"));
        ui.label(format!("{} — {due}", a.what));
    }
    let button = format!("Add for {}", p.name(coachee));
    let added = crate::actions::new_action_row(
        ui,
        ("Action", "one concrete step", &button),
        (&mut app.session.what, &mut app.session.due),
        Date::today(),
        |_| {},
    );
    if let Some((what, due)) = added {
        let sid = s.id.clone();
        app.edit("add an action", move |d| {
            d.add_action(coachee, &what, Some(due), Some(&sid))
                .map(|_| ())
        });
    }
}

fn close_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    p: &Partnership,
    s: &Session,
    name: &dyn Fn(Slot) -> String,
) {
    let missing = p.missing_actions(&s.id);
    ui.strong("Close the session");
    if missing.is_empty() {
        ui.label("Each of you has an action with a deadline.");
        if ui.button("Close session").clicked() {
            let id = s.id.clone();
            app.edit("close the session", move |d| d.close_session(&id, ""));
        }
        return;
    }
    let who: Vec<String> = missing.iter().map(|s| p.name(*s)).collect();
    ui.label(format!(
        "Still without an action with a deadline: {}. Add one in {} half, or say why you skip it.",
        who.join(" and "),
        if missing.len() == 1 {
            match name(missing[0]).as_str() {
                "you" => "your".to_string(),
                n => format!("{n}'s"),
            }
        } else {
            "each".into()
        }
    ));
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Reason to close without");
        ui.add(
            egui::TextEdit::singleline(&mut app.session.skip_reason)
                .hint_text("e.g. we only agreed the contract today")
                .desired_width(320.0),
        )
        .labelled_by(l.id);
        let ready = !app.session.skip_reason.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new("Close without actions"))
            .on_disabled_hover_text("Write the reason first")
            .clicked()
        {
            let reason = std::mem::take(&mut app.session.skip_reason);
            let id = s.id.clone();
            app.edit("close the session", move |d| d.close_session(&id, &reason));
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
}
