//! GROW within one half: the stages with their question deck, options with "What else?".

use cocoach_doc::{HalfText, Partnership, Session, Slot, TextRef};

use crate::CocoachUi;
use crate::collab::FieldSpec;

use super::*;

pub(super) fn half_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    p: &Partnership,
    me: Slot,
    s: &Session,
    coachee: Slot,
) {
    let tr = app.tr.clone();
    let h = s.half(coachee).clone();
    let coach = coachee.other();
    let you_coach = coach == me;
    ui.label(if you_coach {
        tr!(tr, "session-you-coach", name = p.name(coachee))
    } else {
        tr!(tr, "session-coaching-you", name = p.name(coach))
    });
    if !p.contract.question_style.trim().is_empty() {
        ui.weak(tr!(
            tr,
            "session-agreed-style",
            style = p.contract.question_style.trim()
        ));
    }
    let off: Vec<&str> = p
        .contract
        .off_limits
        .iter()
        .filter(|o| o.by == coachee)
        .map(|o| o.topic.as_str())
        .collect();
    if !off.is_empty() {
        ui.weak(tr!(
            tr,
            "session-off-limits",
            name = p.name(coachee),
            topics = off.join(", ")
        ));
    }
    ui.add_space(6.0);
    review_ui(app, ui, p, s, coachee, &h);
    ui.add_space(8.0);
    ui.strong(tr!(tr, "session-grow"));
    let stages = [
        (HalfText::Goal, Stage::Goal, &h.goal),
        (HalfText::Reality, Stage::Reality, &h.reality),
    ];
    for (field, stage, value) in stages {
        stage_ui(app, ui, s, coachee, field, stage, value);
    }
    options_ui(app, ui, s, coachee, &h.options);
    stage_ui(app, ui, s, coachee, HalfText::Will, Stage::Will, &h.will);
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        let declined = h.declined_at_ms.len();
        if ui
            .button(tr!(tr, "session-declined-button"))
            .on_hover_text(tr!(tr, "session-declined-button-hover"))
            .clicked()
        {
            let id = s.id.clone();
            app.edit(key!("edit-mark-declined"), move |d| {
                d.mark_declined(&id, coachee)
            });
        }
        if declined > 0 {
            ui.weak(tr!(
                tr,
                "session-declined",
                name = p.name(coachee),
                n = declined
            ));
        }
    });
    ui.add_space(6.0);
    let l = ui.label(tr!(tr, "session-other-notes"));
    app.text_box(
        ui,
        half_ref(s, coachee, HalfText::Notes),
        &h.notes,
        FieldSpec {
            label_id: l.id,
            multiline: true,
            hint: "",
            width: 560.0,
        },
    );
}

pub(super) fn half_ref(s: &Session, coachee: Slot, field: HalfText) -> TextRef {
    TextRef::Half {
        session: s.id.clone(),
        coachee,
        field,
    }
}

/// The question of `stage`'s deck showing, and a button for another one.
fn question_ui(app: &mut CocoachUi, ui: &mut egui::Ui, tr: &Tr, stage: Stage) {
    let deck = deck(tr, stage);
    let i = stage.index();
    let q = &deck[app.session.deck[i] % deck.len()];
    let title = stage.title(tr);
    ui.horizontal_wrapped(|ui| {
        ui.strong(&title);
        ui.label(egui::RichText::new(q).italics());
        if ui
            .small_button(tr!(tr, "session-another-question"))
            .accessible_name(tr!(tr, "session-another-question-for", stage = title))
            .clicked()
        {
            app.session.deck[i] += 1;
        }
    });
}

/// One GROW stage with notes: its question and its text box.
pub(super) fn stage_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    s: &Session,
    coachee: Slot,
    field: HalfText,
    stage: Stage,
    value: &str,
) {
    let tr = app.tr.clone();
    question_ui(app, ui, &tr, stage);
    let l = ui.label(tr!(tr, "session-stage-notes", stage = stage.title(&tr)));
    app.text_box(
        ui,
        half_ref(s, coachee, field),
        value,
        FieldSpec {
            label_id: l.id,
            multiline: true,
            hint: "",
            width: 560.0,
        },
    );
}

pub(super) fn options_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    s: &Session,
    coachee: Slot,
    options: &[String],
) {
    let tr = app.tr.clone();
    question_ui(app, ui, &tr, Stage::Options);
    let hint = tr!(tr, "session-option-hint");
    let mut remove = None;
    for (i, o) in options.iter().enumerate() {
        ui.horizontal(|ui| {
            let l = ui.label(format!("{}.", i + 1));
            app.text_box(
                ui,
                TextRef::Option {
                    session: s.id.clone(),
                    coachee,
                    index: i,
                },
                o,
                FieldSpec {
                    label_id: l.id,
                    multiline: false,
                    hint: &hint,
                    width: 480.0,
                },
            );
            if ui
                .small_button(tr!(tr, "session-option-remove"))
                .accessible_name(tr!(tr, "session-option-remove-name", n = i + 1))
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    let what_else = app.shortcut(ui, &crate::theme::WHAT_ELSE);
    if ui
        .button(tr!(tr, "session-what-else"))
        .on_hover_text(tr!(
            tr,
            "session-what-else-hover",
            shortcut = ui.ctx().format_shortcut(&crate::theme::WHAT_ELSE)
        ))
        .clicked()
        || what_else
    {
        let id = s.id.clone();
        app.edit(key!("edit-add-option"), move |d| {
            d.add_option(&id, coachee, "").map(|_| ())
        });
    }
    if let Some(i) = remove {
        // Indices after the removed one shift: forget their text boxes.
        for j in i..options.len() {
            app.texts.forget(&TextRef::Option {
                session: s.id.clone(),
                coachee,
                index: j,
            });
        }
        let id = s.id.clone();
        app.edit(key!("edit-remove-option"), move |d| {
            d.remove_option(&id, coachee, i)
        });
    }
}
