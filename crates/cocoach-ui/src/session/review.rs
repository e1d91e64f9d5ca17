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
    ui.strong("First, last time's actions");
    let list = p.actions_to_review(s, coachee);
    if list.is_empty() {
        ui.weak(format!(
            "{} has no open actions to review.",
            p.name(coachee)
        ));
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
                ui.weak(format!("(by {d})"));
            }
            for (word, label) in [
                (ReviewOutcome::Done, "Done"),
                (ReviewOutcome::Partly, "Partly"),
                (ReviewOutcome::NotDone, "Not yet"),
            ] {
                let chosen = outcome.as_ref() == Some(&word);
                let b = ui
                    .selectable_label(chosen, label)
                    .accessible_name(format!("Review “{}”: {label}", a.what));
                if b.clicked() && !chosen {
                    if word == ReviewOutcome::Done && a.status == ActionStatus::Open {
                        app.session.celebrating = Some((a.id.clone(), String::new()));
                    } else {
                        let (sid, aid) = (s.id.clone(), a.id.clone());
                        app.edit("review an action", move |d| {
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
    let l = ui.label("What went well? What got in the way?");
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
    let Some((id, text)) = app.session.celebrating.as_mut() else {
        return;
    };
    if *id != a.id {
        return;
    }
    let finish = crate::actions::celebration_box(
        ui,
        "Done! Celebrate it in a line:",
        "e.g. I finally sent the email",
        text,
    );
    match finish {
        Some(true) => {
            if let Some((aid, text)) = app.session.celebrating.take() {
                let sid = s.id.clone();
                let today = Date::today();
                app.edit("review an action", move |d| {
                    d.set_review_outcome(&sid, coachee, &aid, &ReviewOutcome::Done)?;
                    d.mark_action_done(&aid, today, &text)
                });
            }
        }
        Some(false) => app.session.celebrating = None,
        None => {}
    }
}
