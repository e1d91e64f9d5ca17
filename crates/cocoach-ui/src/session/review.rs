//! The start of each half: reviewing the coachee's earlier actions, celebrating what got done.

use cocoach_doc::{
    Action, ActionStatus, Date, HalfText, Partnership, ReviewOutcome, Session, Slot,
};

use crate::CocoachUi;
use crate::collab::FieldSpec;

use super::*;

pub(super) fn review_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    p: &Partnership,
    s: &Session,
    coachee: Slot,
    h: &cocoach_doc::Half,
) {
    let tr = app.tr.clone();
    ui.strong(tr!(tr, "session-review-heading"));
    super::grow::question_ui(app, ui, p, &tr, Stage::Review);
    let list = p.actions_to_review(s, coachee);
    if list.is_empty() {
        ui.weak(tr!(tr, "session-review-none", name = p.name(coachee)));
    }
    for a in list {
        let outcome = h
            .reviewed
            .iter()
            .find(|(id, _)| *id == a.id)
            .map(|(_, o)| o.clone());
        ui.horizontal_wrapped(|ui| {
            ui.label(&a.what);
            if let Some(d) = a.deadline {
                ui.weak(tr!(tr, "session-review-by", date = tr.date(d.civil())));
            }
            for (word, label) in [
                (ReviewOutcome::Done, tr!(tr, "session-review-done")),
                (ReviewOutcome::Partly, tr!(tr, "session-review-partly")),
                (ReviewOutcome::NotDone, tr!(tr, "session-review-not-yet")),
            ] {
                let chosen = outcome.as_ref() == Some(&word);
                // Framed even when not chosen: a plain selectable label read as
                // text, not as three choices (issue 12, item 9).
                let b = ui
                    .add(egui::Button::new(&label).selected(chosen))
                    .accessible_name(tr!(
                        tr,
                        "session-review-name",
                        what = a.what.as_str(),
                        outcome = label
                    ));
                if b.clicked() && !chosen {
                    if word == ReviewOutcome::Done && a.status == ActionStatus::Open {
                        app.session.celebrating = Some((a.id.clone(), String::new()));
                    } else {
                        let (sid, aid) = (s.id.clone(), a.id.clone());
                        app.edit(key!("edit-review-action"), move |d| {
                            d.set_review_outcome(&sid, coachee, &aid, &word)
                        });
                    }
                }
            }
        });
        if outcome.as_ref().is_some_and(ReviewOutcome::fell_short) {
            crate::actions::obstacle_picks(app, ui, a);
        }
        celebrate_ui(app, ui, s, coachee, a);
    }
    let l = ui.label(tr!(tr, "session-review-notes"));
    app.text_box(
        ui,
        half_ref(s, coachee, HalfText::Review),
        &h.review,
        FieldSpec {
            label_id: l.id,
            multiline: true,
            hint: "",
            width: 560.0,
        },
    );
}

pub(super) fn celebrate_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    s: &Session,
    coachee: Slot,
    a: &Action,
) {
    let tr = app.tr.clone();
    let Some((id, text)) = app.session.celebrating.as_mut() else {
        return;
    };
    if *id != a.id {
        return;
    }
    let finish = crate::actions::celebration_box(
        &tr,
        ui,
        &tr!(tr, "session-celebrate"),
        &tr!(tr, "session-celebrate-hint"),
        text,
    );
    match finish {
        Some(true) => {
            if let Some((aid, text)) = app.session.celebrating.take() {
                let sid = s.id.clone();
                let today = Date::today();
                app.edit(key!("edit-review-action"), move |d| {
                    d.set_review_outcome(&sid, coachee, &aid, &ReviewOutcome::Done)?;
                    d.mark_action_done(&aid, today, &text)
                });
            }
        }
        Some(false) => app.session.celebrating = None,
        None => {}
    }
}
