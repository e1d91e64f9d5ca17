//! Actions: mine and my partner's, due soon and overdue standing out, marking done
//! with a celebration, and a small progress view.

use cocoach_api::View;
use cocoach_doc::{Action, ActionId, ActionStatus, Date, Due, Partnership, Slot, TextRef};

use crate::CocoachUi;
use crate::collab::FieldSpec;

#[derive(Debug, Default)]
pub(crate) struct ActionsForm {
    pub what: String,
    pub due: String,
    pub for_partner: bool,
    /// The action being marked done, and the celebration typed so far.
    pub celebrating: Option<(ActionId, String)>,
    /// The action being edited, and its deadline as typed.
    pub editing: Option<(ActionId, String)>,
    /// The action whose Drop button was pressed once.
    pub confirm_drop: Option<ActionId>,
    /// An obstacle in the user's own words, for the action being edited.
    pub obstacle: String,
}

pub(crate) fn actions_ui(app: &mut CocoachUi, ui: &mut egui::Ui, view: &View) {
    let Some(p) = view.partnership.clone() else {
        return;
    };
    let Some(me) = view.my_slot else { return };
    let today = Date::today();
    ui.heading("Actions");
    ui.label("What each of you committed to. Marking one done asks what went well: celebrate it.");
    ui.add_space(6.0);
    add_ui(app, ui, &p, me, today);
    ui.add_space(10.0);
    for owner in [me, me.other()] {
        let title = if owner == me {
            "Mine".to_string()
        } else {
            format!("{}'s", p.name(owner))
        };
        ui.strong(title);
        let open: Vec<&Action> = p
            .actions
            .iter()
            .filter(|a| a.owner == owner && a.status == ActionStatus::Open)
            .collect();
        if open.is_empty() {
            ui.weak("No open actions.");
        }
        for a in open {
            open_row(app, ui, a, today);
        }
        ui.add_space(8.0);
    }
    done_ui(ui, &p, me);
    ui.add_space(10.0);
    progress_ui(ui, &p, today);
}

fn add_ui(app: &mut CocoachUi, ui: &mut egui::Ui, p: &Partnership, me: Slot, today: Date) {
    let partner = format!("for {}", p.name(me.other()));
    let form = &mut app.actions;
    let added = new_action_row(
        ui,
        (
            "New action",
            "e.g. Email Jana about the UX team",
            "Add action",
        ),
        (&mut form.what, &mut form.due),
        today,
        |ui| {
            ui.radio_value(&mut form.for_partner, false, "for me");
            ui.radio_value(&mut form.for_partner, true, partner);
        },
    );
    if let Some((what, due)) = added {
        let owner = if app.actions.for_partner {
            me.other()
        } else {
            me
        };
        app.edit("add an action", move |d| {
            d.add_action(owner, &what, Some(due), None).map(|_| ())
        });
    }
}

/// What to do and by when (a week ahead unless changed), then `extra` (who it is
/// for) and the button. Returns what was asked for once the button or Enter adds
/// it with both given; the "what" field is emptied then.
pub(crate) fn new_action_row(
    ui: &mut egui::Ui,
    (label, hint, button): (&str, &str, &str),
    (what, due): (&mut String, &mut String),
    today: Date,
    extra: impl FnOnce(&mut egui::Ui),
) -> Option<(String, Date)> {
    if due.is_empty() {
        *due = today.add_days(7).unwrap_or(today).to_string();
    }
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(label);
        let r = ui
            .add(
                egui::TextEdit::singleline(what)
                    .hint_text(hint)
                    .desired_width(320.0),
            )
            .labelled_by(l.id);
        let d = ui.label("by");
        let date = due.trim().parse::<Date>().ok();
        ui.add(egui::TextEdit::singleline(due).desired_width(100.0))
            .labelled_by(d.id);
        extra(ui);
        let ready = date.is_some() && !what.trim().is_empty();
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let clicked = ui
            .add_enabled(ready, egui::Button::new(button))
            .on_disabled_hover_text("Say what, and a date as YYYY-MM-DD")
            .clicked();
        if date.is_none() {
            ui.colored_label(ui.visuals().error_fg_color, "date as YYYY-MM-DD");
        }
        match date {
            Some(d) if ready && (clicked || enter) => Some((std::mem::take(what), d)),
            _ => None,
        }
    })
    .inner
}

fn open_row(app: &mut CocoachUi, ui: &mut egui::Ui, a: &Action, today: Date) {
    let due = Due::of(a.deadline, today);
    let color = match due {
        Due::Overdue(_) => ui.visuals().error_fg_color,
        Due::Today | Due::Soon(_) => ui.visuals().warn_fg_color,
        _ => ui.visuals().weak_text_color(),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(&a.what);
        let when = a.deadline.map_or_else(
            || due.text(&app.tr),
            |d| format!("{} ({d})", due.text(&app.tr)),
        );
        ui.colored_label(color, when);
        let celebrating = app
            .actions
            .celebrating
            .as_ref()
            .is_some_and(|(id, _)| *id == a.id);
        if !celebrating
            && ui
                .small_button("Done…")
                .accessible_name(format!("Mark “{}” done", a.what))
                .on_hover_text(format!("Mark “{}” done", a.what))
                .clicked()
        {
            app.actions.celebrating = Some((a.id.clone(), String::new()));
        }
        if ui
            .small_button("Edit")
            .accessible_name(format!("Edit “{}”", a.what))
            .clicked()
        {
            let due = a.deadline.map(|d| d.to_string()).unwrap_or_default();
            app.actions.editing = Some((a.id.clone(), due));
        }
        if app.actions.confirm_drop.as_deref() == Some(a.id.as_str()) {
            if ui
                .small_button("Really drop")
                .accessible_name(format!("Really drop “{}”", a.what))
                .clicked()
            {
                app.actions.confirm_drop = None;
                let id = a.id.clone();
                app.edit("drop an action", move |d| {
                    d.set_action_status(&id, ActionStatus::Dropped)
                });
            }
            if ui.small_button("Keep it").clicked() {
                app.actions.confirm_drop = None;
            }
        } else if ui
            .small_button("Drop")
            .accessible_name(format!("Drop “{}”", a.what))
            .on_hover_text("No longer worth doing: remove it from the open list")
            .clicked()
        {
            app.actions.confirm_drop = Some(a.id.clone());
        }
    });
    if !a.obstacles.is_empty() {
        ui.weak(format!("    In the way: {}", a.obstacles.join(", ")));
    }
    if app
        .actions
        .editing
        .as_ref()
        .is_some_and(|(id, _)| *id == a.id)
    {
        edit_ui(app, ui, a);
    }
    let Some((id, text)) = app.actions.celebrating.as_mut() else {
        return;
    };
    if *id != a.id {
        return;
    }
    let finish = celebration_box(
        ui,
        "Well done! What went well? A line to celebrate it:",
        "e.g. She said yes to a coffee!",
        text,
    );
    match finish {
        Some(true) => {
            if let Some((id, text)) = app.actions.celebrating.take() {
                let today = Date::today();
                app.edit("mark an action done", move |d| {
                    d.mark_action_done(&id, today, &text)
                });
            }
        }
        Some(false) => app.actions.celebrating = None,
        None => {}
    }
}

/// Change an action's words (both partners may type), its deadline, and note what
/// gets in the way.
fn edit_ui(app: &mut CocoachUi, ui: &mut egui::Ui, a: &Action) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        let l = ui.label("What");
        app.text_box(
            ui,
            TextRef::ActionWhat(a.id.clone()),
            &a.what,
            FieldSpec {
                label_id: l.id,
                multiline: false,
                hint: "",
                width: 360.0,
            },
        );
        ui.horizontal(|ui| {
            let Some((_, due)) = app.actions.editing.as_mut() else {
                return;
            };
            let l = ui.label("Deadline");
            ui.add(egui::TextEdit::singleline(due).desired_width(100.0))
                .labelled_by(l.id);
            let parsed = due.trim().parse::<Date>().ok();
            let valid = parsed.is_some() || due.trim().is_empty();
            if ui
                .add_enabled(valid, egui::Button::new("Set deadline"))
                .on_disabled_hover_text("A date as YYYY-MM-DD, or empty for none")
                .clicked()
            {
                let id = a.id.clone();
                app.edit("change a deadline", move |d| {
                    d.set_action_deadline(&id, parsed)
                });
            }
        });
        obstacle_picks(app, ui, a);
        ui.horizontal(|ui| {
            let l = ui.label("Something else in the way");
            ui.add(
                egui::TextEdit::singleline(&mut app.actions.obstacle)
                    .hint_text("in a few words")
                    .desired_width(240.0),
            )
            .labelled_by(l.id);
            if ui
                .add_enabled(
                    !app.actions.obstacle.trim().is_empty(),
                    egui::Button::new("Note it"),
                )
                .clicked()
            {
                let o = std::mem::take(&mut app.actions.obstacle);
                let id = a.id.clone();
                app.edit("note an obstacle", move |d| d.add_obstacle(&id, &o));
            }
        });
        if ui.button("Close").clicked() {
            app.actions.editing = None;
        }
    });
}

/// The line asked for before an action is marked done: `Some(true)` to celebrate
/// and mark it done (only with a line written), `Some(false)` to cancel.
pub(crate) fn celebration_box(
    ui: &mut egui::Ui,
    label: &str,
    hint: &str,
    text: &mut String,
) -> Option<bool> {
    let mut finish = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        let l = ui.label(label);
        ui.add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(360.0),
        )
        .labelled_by(l.id);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !text.trim().is_empty(),
                    egui::Button::new("Celebrate and mark done"),
                )
                .clicked()
            {
                finish = Some(true);
            }
            if ui.button("Cancel").clicked() {
                finish = Some(false);
            }
        });
    });
    finish
}

/// Quick picks of commonly named obstacles; one already noted is greyed out.
pub(crate) fn obstacle_picks(app: &mut CocoachUi, ui: &mut egui::Ui, a: &Action) {
    ui.horizontal_wrapped(|ui| {
        ui.weak("What got in the way?");
        for o in cocoach_doc::common_obstacles(&app.tr) {
            let noted = a.obstacles.contains(&o);
            if ui
                .add_enabled(!noted, egui::Button::new(&o).small())
                .accessible_name(format!("Obstacle “{o}” for “{}”", a.what))
                .clicked()
            {
                let id = a.id.clone();
                app.edit("note an obstacle", move |d| d.add_obstacle(&id, &o));
            }
        }
    });
}

fn done_ui(ui: &mut egui::Ui, p: &Partnership, me: Slot) {
    let mut done: Vec<&Action> = p
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Done)
        .collect();
    if done.is_empty() {
        return;
    }
    done.sort_by_key(|a| std::cmp::Reverse(a.done_on));
    egui::CollapsingHeader::new(format!("Done ({})", done.len()))
        .default_open(true)
        .show(ui, |ui| {
            for a in done.iter().take(50) {
                let who = if a.owner == me {
                    "you".to_string()
                } else {
                    p.name(a.owner)
                };
                let on = a.done_on.map(|d| d.to_string()).unwrap_or_default();
                ui.label(format!("{} — {who}, {on}", a.what));
                if !a.celebration.is_empty() {
                    ui.weak(format!("    “{}”", a.celebration));
                }
            }
        });
}

/// Done per month (the last six) and sessions held against the contract.
fn progress_ui(ui: &mut egui::Ui, p: &Partnership, today: Date) {
    ui.strong("Progress");
    let mut months: Vec<(i32, u8)> = Vec::new();
    let (mut y, mut m) = (today.year(), today.month());
    for _ in 0..6 {
        months.push((y, m));
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    months.reverse();
    let counts: Vec<((i32, u8), usize)> = months
        .into_iter()
        .map(|(y, m)| {
            let n = p
                .actions
                .iter()
                .filter(|a| a.done_on.is_some_and(|d| d.year() == y && d.month() == m))
                .count();
            ((y, m), n)
        })
        .collect();
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    egui::Grid::new("progress").num_columns(2).show(ui, |ui| {
        for ((y, m), n) in counts {
            ui.label(format!("{y}-{m:02}"));
            ui.add(
                egui::ProgressBar::new(n as f32 / most as f32)
                    .desired_width(240.0)
                    .text(format!("{n} done")),
            );
            ui.end_row();
        }
    });
    let held = p
        .sessions
        .iter()
        .filter(|s| s.closed_at_ms.is_some())
        .count();
    let expected = p.expected_sessions(today);
    let line = match expected {
        Some(e) => format!("Sessions held: {held} of about {e} the contract plans so far"),
        None => format!("Sessions held: {held}"),
    };
    ui.label(line);
}
