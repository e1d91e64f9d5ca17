//! Actions: mine and my partner's, due soon and overdue standing out, marking done
//! with a celebration, and a small progress view.

use cocoach_api::View;
use cocoach_doc::{Action, ActionId, ActionStatus, Date, Due, Partnership, Slot, TextRef};

use cocoach_i18n::{Tr, key, tr};

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
    let tr = app.tr.clone();
    let today = Date::today();
    ui.heading(tr!(tr, "actions-heading"));
    ui.label(tr!(tr, "actions-intro"));
    crate::conflicts::conflicts_ui(app, ui, &p, view, |about| {
        matches!(about, cocoach_doc::ConflictAbout::Action { .. })
    });
    ui.add_space(6.0);
    add_ui(app, ui, &tr, &p, me, today);
    ui.add_space(10.0);
    for owner in [me, me.other()] {
        let title = if owner == me {
            tr!(tr, "actions-mine")
        } else {
            tr!(tr, "actions-theirs", name = p.name(owner))
        };
        ui.strong(title);
        let open: Vec<&Action> = p
            .actions
            .iter()
            .filter(|a| a.owner == owner && a.status == ActionStatus::Open)
            .collect();
        if open.is_empty() {
            ui.weak(tr!(tr, "actions-none-open"));
        }
        for a in open {
            open_row(app, ui, &tr, a, today);
        }
        ui.add_space(8.0);
    }
    done_ui(ui, &tr, &p, me);
    ui.add_space(10.0);
    progress_ui(ui, &tr, &p, today);
    ui.add_space(10.0);
    patterns_ui(ui, &tr, &p, today);
}

/// What keeps getting in the way, and which actions get done (the model counts).
pub(crate) fn patterns_ui(ui: &mut egui::Ui, tr: &Tr, p: &Partnership, today: Date) {
    ui.strong(tr!(tr, "actions-patterns"));
    let patterns = p.obstacle_patterns();
    if patterns.is_empty() {
        ui.weak(tr!(tr, "actions-patterns-none"));
    }
    for o in patterns.iter().take(8) {
        let line = match o.since {
            Some(d) => tr!(
                tr,
                "actions-pattern-obstacle",
                obstacle = o.obstacle.as_str(),
                n = o.count,
                month = tr.month(i8::try_from(d.month()).unwrap_or(1)),
                year = d.year()
            ),
            None => tr!(
                tr,
                "actions-pattern-obstacle-undated",
                obstacle = o.obstacle.as_str(),
                n = o.count
            ),
        };
        ui.label(line);
    }
    let rates = p.done_by_horizon(today);
    if !rates.is_empty() {
        let parts: Vec<String> = rates
            .iter()
            .map(|r| {
                let (done, settled) = (r.done, r.settled);
                match r.horizon {
                    cocoach_doc::Horizon::Week => {
                        tr!(tr, "actions-done-rate-week", done = done, settled = settled)
                    }
                    cocoach_doc::Horizon::Month => {
                        tr!(
                            tr,
                            "actions-done-rate-month",
                            done = done,
                            settled = settled
                        )
                    }
                    cocoach_doc::Horizon::Longer => {
                        tr!(
                            tr,
                            "actions-done-rate-longer",
                            done = done,
                            settled = settled
                        )
                    }
                }
            })
            .collect();
        ui.label(tr!(tr, "actions-done-rate", rates = parts.join(" · ")));
    }
}

fn add_ui(app: &mut CocoachUi, ui: &mut egui::Ui, tr: &Tr, p: &Partnership, me: Slot, today: Date) {
    let partner = tr!(tr, "actions-for-partner", name = p.name(me.other()));
    let form = &mut app.actions;
    let added = new_action_row(
        tr,
        ui,
        (
            &tr!(tr, "actions-new"),
            &tr!(tr, "actions-new-hint"),
            &tr!(tr, "actions-add"),
        ),
        (&mut form.what, &mut form.due),
        today,
        |ui| {
            ui.radio_value(&mut form.for_partner, false, tr!(tr, "actions-for-me"));
            ui.radio_value(&mut form.for_partner, true, partner);
        },
    );
    if let Some((what, due)) = added {
        let owner = if app.actions.for_partner {
            me.other()
        } else {
            me
        };
        app.edit(key!("edit-add-action"), move |d| {
            d.add_action(owner, &what, Some(due), None).map(|_| ())
        });
    }
}

/// What to do and by when (a week ahead unless changed), then `extra` (who it is
/// for) and the button. Returns what was asked for once the button or Enter adds
/// it with both given; the "what" field is emptied then.
pub(crate) fn new_action_row(
    tr: &Tr,
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
        let d = ui.label(tr!(tr, "actions-by"));
        let date = due.trim().parse::<Date>().ok();
        ui.add(egui::TextEdit::singleline(due).desired_width(100.0))
            .labelled_by(d.id);
        extra(ui);
        let ready = date.is_some() && !what.trim().is_empty();
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let clicked = ui
            .add_enabled(ready, egui::Button::new(button))
            .on_disabled_hover_text(tr!(tr, "actions-add-disabled"))
            .clicked();
        if date.is_none() {
            ui.colored_label(ui.visuals().error_fg_color, tr!(tr, "actions-date-format"));
        }
        match date {
            Some(d) if ready && (clicked || enter) => Some((std::mem::take(what), d)),
            _ => None,
        }
    })
    .inner
}

fn open_row(app: &mut CocoachUi, ui: &mut egui::Ui, tr: &Tr, a: &Action, today: Date) {
    let due = Due::of(a.deadline, today);
    let color = match due {
        Due::Overdue(_) => ui.visuals().error_fg_color,
        Due::Today | Due::Soon(_) => ui.visuals().warn_fg_color,
        _ => ui.visuals().weak_text_color(),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(&a.what);
        let when = a.deadline.map_or_else(
            || due.text(tr),
            |d| {
                tr!(
                    tr,
                    "actions-due-on",
                    due = due.text(tr),
                    date = tr.date(d.civil())
                )
            },
        );
        ui.colored_label(color, when);
        let celebrating = app
            .actions
            .celebrating
            .as_ref()
            .is_some_and(|(id, _)| *id == a.id);
        let mark = tr!(tr, "actions-mark-done", what = a.what.as_str());
        if !celebrating
            && ui
                .small_button(tr!(tr, "actions-done-button"))
                .accessible_name(&mark)
                .on_hover_text(mark)
                .clicked()
        {
            app.actions.celebrating = Some((a.id.clone(), String::new()));
        }
        if ui
            .small_button(tr!(tr, "actions-edit"))
            .accessible_name(tr!(tr, "actions-edit-name", what = a.what.as_str()))
            .clicked()
        {
            let due = a.deadline.map(|d| d.to_string()).unwrap_or_default();
            app.actions.editing = Some((a.id.clone(), due));
        }
        if app.actions.confirm_drop.as_deref() == Some(a.id.as_str()) {
            if ui
                .small_button(tr!(tr, "actions-really-drop"))
                .accessible_name(tr!(tr, "actions-really-drop-name", what = a.what.as_str()))
                .clicked()
            {
                app.actions.confirm_drop = None;
                let id = a.id.clone();
                app.edit(key!("edit-drop-action"), move |d| {
                    d.set_action_status(&id, ActionStatus::Dropped)
                });
            }
            if ui.small_button(tr!(tr, "actions-keep")).clicked() {
                app.actions.confirm_drop = None;
            }
        } else if ui
            .small_button(tr!(tr, "actions-drop"))
            .accessible_name(tr!(tr, "actions-drop-name", what = a.what.as_str()))
            .on_hover_text(tr!(tr, "actions-drop-hover"))
            .clicked()
        {
            app.actions.confirm_drop = Some(a.id.clone());
        }
    });
    if !a.obstacles.is_empty() {
        let obstacles = a.obstacles.join(", ");
        ui.weak(format!(
            "    {}",
            tr!(tr, "actions-in-the-way", obstacles = obstacles)
        ));
    }
    if app
        .actions
        .editing
        .as_ref()
        .is_some_and(|(id, _)| *id == a.id)
    {
        edit_ui(app, ui, tr, a);
    }
    let Some((id, text)) = app.actions.celebrating.as_mut() else {
        return;
    };
    if *id != a.id {
        return;
    }
    let finish = celebration_box(
        tr,
        ui,
        &tr!(tr, "actions-celebrate-label"),
        &tr!(tr, "actions-celebrate-hint"),
        text,
    );
    match finish {
        Some(true) => {
            if let Some((id, text)) = app.actions.celebrating.take() {
                let today = Date::today();
                app.edit(key!("edit-mark-action-done"), move |d| {
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
fn edit_ui(app: &mut CocoachUi, ui: &mut egui::Ui, tr: &Tr, a: &Action) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        let l = ui.label(tr!(tr, "actions-what"));
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
            let l = ui.label(tr!(tr, "actions-deadline"));
            ui.add(egui::TextEdit::singleline(due).desired_width(100.0))
                .labelled_by(l.id);
            let parsed = due.trim().parse::<Date>().ok();
            let valid = parsed.is_some() || due.trim().is_empty();
            if ui
                .add_enabled(valid, egui::Button::new(tr!(tr, "actions-set-deadline")))
                .on_disabled_hover_text(tr!(tr, "actions-deadline-disabled"))
                .clicked()
            {
                let id = a.id.clone();
                app.edit(key!("edit-change-deadline"), move |d| {
                    d.set_action_deadline(&id, parsed)
                });
            }
        });
        obstacle_picks(app, ui, a);
        ui.horizontal(|ui| {
            let l = ui.label(tr!(tr, "actions-obstacle-other"));
            ui.add(
                egui::TextEdit::singleline(&mut app.actions.obstacle)
                    .hint_text(tr!(tr, "actions-obstacle-hint"))
                    .desired_width(240.0),
            )
            .labelled_by(l.id);
            if ui
                .add_enabled(
                    !app.actions.obstacle.trim().is_empty(),
                    egui::Button::new(tr!(tr, "actions-note-it")),
                )
                .clicked()
            {
                let o = std::mem::take(&mut app.actions.obstacle);
                let id = a.id.clone();
                app.edit(key!("edit-note-obstacle"), move |d| d.add_obstacle(&id, &o));
            }
        });
        if ui.button(tr!(tr, "actions-close")).clicked() {
            app.actions.editing = None;
        }
    });
}

/// The line asked for before an action is marked done: `Some(true)` to celebrate
/// and mark it done (only with a line written), `Some(false)` to cancel.
pub(crate) fn celebration_box(
    tr: &Tr,
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
                    egui::Button::new(tr!(tr, "actions-celebrate-done")),
                )
                .clicked()
            {
                finish = Some(true);
            }
            if ui.button(tr!(tr, "actions-cancel")).clicked() {
                finish = Some(false);
            }
        });
    });
    finish
}

/// Quick picks of commonly named obstacles; one already noted is greyed out.
pub(crate) fn obstacle_picks(app: &mut CocoachUi, ui: &mut egui::Ui, a: &Action) {
    let tr = app.tr.clone();
    ui.horizontal_wrapped(|ui| {
        ui.weak(tr!(tr, "actions-obstacles-question"));
        for o in cocoach_doc::common_obstacles(&tr) {
            let noted = a.obstacles.contains(&o);
            if ui
                .add_enabled(!noted, egui::Button::new(&o).small())
                .accessible_name(tr!(
                    tr,
                    "actions-obstacle-name",
                    obstacle = o.as_str(),
                    what = a.what.as_str()
                ))
                .clicked()
            {
                let id = a.id.clone();
                app.edit(key!("edit-note-obstacle"), move |d| d.add_obstacle(&id, &o));
            }
        }
    });
}

fn done_ui(ui: &mut egui::Ui, tr: &Tr, p: &Partnership, me: Slot) {
    let mut done: Vec<&Action> = p
        .actions
        .iter()
        .filter(|a| a.status == ActionStatus::Done)
        .collect();
    if done.is_empty() {
        return;
    }
    done.sort_by_key(|a| std::cmp::Reverse(a.done_on));
    egui::CollapsingHeader::new(tr!(tr, "actions-done-heading", n = done.len()))
        .default_open(true)
        .show(ui, |ui| {
            for a in done.iter().take(50) {
                let who = if a.owner == me {
                    tr!(tr, "actions-done-you")
                } else {
                    p.name(a.owner)
                };
                let on = a.done_on.map(|d| tr.date(d.civil())).unwrap_or_default();
                ui.label(tr!(
                    tr,
                    "actions-done-line",
                    what = a.what.as_str(),
                    who = who,
                    date = on
                ));
                if !a.celebration.is_empty() {
                    let quoted = tr!(tr, "actions-celebration", text = a.celebration.as_str());
                    ui.weak(format!("    {quoted}"));
                }
            }
        });
}

/// Done per month (the last six) and sessions held against the contract.
fn progress_ui(ui: &mut egui::Ui, tr: &Tr, p: &Partnership, today: Date) {
    ui.strong(tr!(tr, "actions-progress"));
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
            ui.label(tr!(
                tr,
                "actions-progress-month",
                month = tr.month(i8::try_from(m).unwrap_or(1)),
                year = y
            ));
            ui.add(
                crate::theme::progress_bar(n as f32 / most as f32)
                    .desired_width(240.0)
                    .text(tr!(tr, "actions-progress-done", n = n)),
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
        Some(e) => tr!(tr, "actions-sessions-held-of", held = held, expected = e),
        None => tr!(tr, "actions-sessions-held", held = held),
    };
    ui.label(line);
}
