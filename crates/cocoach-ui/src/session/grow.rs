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
        stage_ui(app, ui, p, s, coachee, field, stage, value);
    }
    options_ui(app, ui, p, s, coachee, &h.options);
    stage_ui(app, ui, p, s, coachee, HalfText::Will, Stage::Will, &h.will);
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

/// The question of `stage`'s deck showing, a button for another one, and a way to
/// add your own to the shared deck.
pub(super) fn question_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    p: &Partnership,
    tr: &Tr,
    stage: Stage,
) {
    let deck = p.deck(tr, stage);
    let i = stage.index();
    let Some(card) = deck.get(app.session.deck[i] % deck.len().max(1)).cloned() else {
        return;
    };
    let title = stage.title(tr);
    ui.horizontal_wrapped(|ui| {
        ui.strong(&title);
        ui.label(egui::RichText::new(&card.text).italics());
        if let Some((by, _)) = &card.added {
            ui.weak(tr!(tr, "session-deck-by", name = p.name(*by)));
        }
        if ui
            .small_button(tr!(tr, "session-another-question"))
            .accessible_name(tr!(
                tr,
                "session-another-question-for",
                stage = title.as_str()
            ))
            .clicked()
        {
            app.session.deck[i] += 1;
        }
        let adding = matches!(&app.session.new_question, Some((st, _)) if *st == stage);
        if !adding
            && ui
                .small_button(tr!(tr, "session-deck-add"))
                .accessible_name(tr!(tr, "session-deck-add-for", stage = title.as_str()))
                .clicked()
        {
            app.session.new_question = Some((stage, String::new()));
            app.session.focus_new_question = true;
        }
        // Last in the row, away from the buttons used all the time.
        if let Some((_, id)) = &card.added
            && ui.small_button(tr!(tr, "session-deck-remove")).clicked()
        {
            let id = id.clone();
            app.edit(key!("edit-remove-question"), move |d| {
                d.remove_question(&id)
            });
        }
    });
    let style = p.contract.question_style.trim().to_string();
    let mut done: Option<bool> = None;
    let focus = std::mem::take(&mut app.session.focus_new_question);
    if let Some((st, text)) = app.session.new_question.as_mut()
        && *st == stage
    {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(tr!(tr, "session-deck-add-label", stage = title.as_str()));
            let hint = if style.is_empty() {
                tr!(tr, "session-deck-add-hint-plain")
            } else {
                tr!(tr, "session-deck-add-hint", style = style.as_str())
            };
            let r = ui
                .add(
                    egui::TextEdit::singleline(text)
                        .hint_text(hint)
                        .desired_width(380.0),
                )
                .labelled_by(l.id);
            if focus {
                r.request_focus();
            }
            let entered = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let ready = !text.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(tr!(tr, "session-deck-add-save")))
                .clicked()
                || (entered && ready)
            {
                done = Some(true);
            }
            if ui.button(tr!(tr, "session-deck-add-cancel")).clicked() {
                done = Some(false);
            }
        });
    }
    match done {
        Some(true) => {
            if let Some((st, text)) = app.session.new_question.take() {
                app.edit(key!("edit-add-question"), move |d| {
                    d.add_question(st, &text).map(|_| ())
                });
                // Show the new question: it comes last in the deck.
                app.session.deck[i] = deck.len();
            }
        }
        Some(false) => app.session.new_question = None,
        None => {}
    }
}

/// One GROW stage with notes: its question and its text box.
#[allow(clippy::too_many_arguments)] // one stage's whole context, as its callers hold it
pub(super) fn stage_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    p: &Partnership,
    s: &Session,
    coachee: Slot,
    field: HalfText,
    stage: Stage,
    value: &str,
) {
    let tr = app.tr.clone();
    question_ui(app, ui, p, &tr, stage);
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
    p: &Partnership,
    s: &Session,
    coachee: Slot,
    options: &[String],
) {
    let tr = app.tr.clone();
    question_ui(app, ui, p, &tr, Stage::Options);
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
