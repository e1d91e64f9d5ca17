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
    let h = s.half(coachee).clone();
    let coach = coachee.other();
    let you_coach = coach == me;
    ui.label(if you_coach {
        format!(
            "You are coaching {}. Ask, listen, don't advise.",
            p.name(coachee)
        )
    } else {
        format!("{} is coaching you.", p.name(coach))
    });
    if !p.contract.question_style.trim().is_empty() {
        ui.weak(format!("You agreed: {}", p.contract.question_style.trim()));
    }
    let off: Vec<&str> = p
        .contract
        .off_limits
        .iter()
        .filter(|o| o.by == coachee)
        .map(|o| o.topic.as_str())
        .collect();
    if !off.is_empty() {
        ui.weak(format!(
            "Off limits for {}: {}",
            p.name(coachee),
            off.join(", ")
        ));
    }
    ui.add_space(6.0);
    review_ui(app, ui, p, s, coachee, &h);
    ui.add_space(8.0);
    ui.strong("GROW");
    let stages = [
        (HalfText::Goal, "Goal", GOAL_QUESTIONS, &h.goal),
        (HalfText::Reality, "Reality", REALITY_QUESTIONS, &h.reality),
    ];
    for (i, (field, title, deck, value)) in stages.into_iter().enumerate() {
        stage_ui(app, ui, s, coachee, i, field, title, deck, value);
    }
    options_ui(app, ui, s, coachee, &h.options);
    stage_ui(
        app,
        ui,
        s,
        coachee,
        3,
        HalfText::Will,
        "Will",
        WILL_QUESTIONS,
        &h.will,
    );
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        let declined = h.declined_at_ms.len();
        if ui
            .button("Topic declined")
            .on_hover_text(
                "The coachee would rather not talk about this. Only the moment is \
                 noted, never the topic.",
            )
            .clicked()
        {
            let id = s.id.clone();
            app.edit("mark a topic declined", move |d| {
                d.mark_declined(&id, coachee)
            });
        }
        if declined > 0 {
            ui.weak(format!(
                "{} declined {declined} topic{} in this half; nothing about {} is written down.",
                p.name(coachee),
                if declined == 1 { "" } else { "s" },
                if declined == 1 { "it" } else { "them" },
            ));
        }
    });
    ui.add_space(6.0);
    let l = ui.label("Other notes");
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
    ui.add_space(8.0);
    new_actions_ui(app, ui, p, s, coachee);
}

pub(super) fn half_ref(s: &Session, coachee: Slot, field: HalfText) -> TextRef {
    TextRef::Half {
        session: s.id.clone(),
        coachee,
        field,
    }
}

#[allow(clippy::too_many_arguments)] // one GROW stage: where it is and what it shows
pub(super) fn stage_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    s: &Session,
    coachee: Slot,
    stage: usize,
    field: HalfText,
    title: &str,
    deck: &[&str],
    value: &str,
) {
    let q = deck[app.session.deck[stage] % deck.len()];
    ui.horizontal_wrapped(|ui| {
        ui.strong(title);
        ui.label(egui::RichText::new(q).italics());
        if ui
            .small_button("Another question")
            .accessible_name(format!("Another {title} question"))
            .clicked()
        {
            app.session.deck[stage] += 1;
        }
    });
    let l = ui.label(format!("{title} notes"));
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
    let q = OPTIONS_QUESTIONS[app.session.deck[2] % OPTIONS_QUESTIONS.len()];
    ui.horizontal_wrapped(|ui| {
        ui.strong("Options");
        ui.label(egui::RichText::new(q).italics());
        if ui
            .small_button("Another question")
            .accessible_name("Another Options question")
            .clicked()
        {
            app.session.deck[2] += 1;
        }
    });
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
                    hint: "an option",
                    width: 480.0,
                },
            );
            if ui
                .small_button("Remove")
                .accessible_name(format!("Remove option {}", i + 1))
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    let what_else = app.shortcut(ui, &crate::theme::WHAT_ELSE);
    if ui
        .button("What else?")
        .on_hover_text(format!(
            "Add another option ({})",
            ui.ctx().format_shortcut(&crate::theme::WHAT_ELSE)
        ))
        .clicked()
        || what_else
    {
        let id = s.id.clone();
        app.edit("add an option", move |d| {
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
        app.edit("remove an option", move |d| {
            d.remove_option(&id, coachee, i)
        });
    }
}
