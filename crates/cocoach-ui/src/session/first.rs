//! The first meeting: getting to know each other, not two GROW halves. Each partner
//! in turn tells where they are in their career and what they want to change, and
//! how they like to work and be coached; then both agree the contract. Its notes are
//! a session's own fields (situation in `reality`, wishes in `goal`, how they like
//! to work in `notes`), so the record, the export and history treat it like any
//! session.

use cocoach_doc::{Agreement, HalfText, Partnership, Session, Slot};
use cocoach_i18n::tr;

use crate::CocoachUi;
use crate::collab::FieldSpec;

use super::grow::half_ref;

/// One partner's turn: the prompts, with a text box for each.
pub(super) fn first_half_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    p: &Partnership,
    me: Slot,
    s: &Session,
    teller: Slot,
) {
    let tr = app.tr.clone();
    let h = s.half(teller).clone();
    ui.label(egui::RichText::new(tr!(tr, "first-intro")).strong());
    ui.label(if teller == me {
        tr!(tr, "first-you-tell", name = p.name(teller.other()))
    } else {
        tr!(tr, "first-they-tell", name = p.name(teller))
    });
    ui.weak(tr!(tr, "first-listen"));
    ui.add_space(6.0);
    let fields = [
        (
            HalfText::Reality,
            tr!(tr, "first-situation"),
            tr!(tr, "first-situation-prompt"),
            &h.reality,
        ),
        (
            HalfText::Goal,
            tr!(tr, "first-wishes"),
            tr!(tr, "first-wishes-prompt"),
            &h.goal,
        ),
        (
            HalfText::Notes,
            tr!(tr, "first-style"),
            tr!(tr, "first-style-prompt"),
            &h.notes,
        ),
    ];
    for (field, label, prompt, value) in fields {
        ui.horizontal_wrapped(|ui| {
            ui.strong(&label);
            ui.label(egui::RichText::new(prompt).italics());
        });
        let l = ui.label(tr!(tr, "first-notes", what = label.as_str()));
        app.text_box(
            ui,
            half_ref(s, teller, field),
            value,
            FieldSpec {
                label_id: l.id,
                multiline: true,
                hint: "",
                width: 560.0,
            },
        );
        ui.add_space(4.0);
    }
    ui.add_space(6.0);
    contract_step_ui(app, ui, p, me);
}

/// The meeting's outcome: the contract, agreed and signed by both.
fn contract_step_ui(app: &mut CocoachUi, ui: &mut egui::Ui, p: &Partnership, me: Slot) {
    let tr = app.tr.clone();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.strong(tr!(tr, "first-click"));
        ui.label(tr!(tr, "first-click-body"));
        let signed = p.signatures.agreement() == Agreement::SignedByBoth;
        let (line, good) = p.agreement_text(&tr, Some(me));
        let color = if good {
            ui.visuals().text_color()
        } else {
            ui.visuals().warn_fg_color
        };
        ui.colored_label(color, line);
        if signed {
            ui.label(tr!(tr, "first-signed"));
        } else if ui
            .button(tr!(tr, "first-to-contract"))
            .on_hover_text(ui.ctx().format_shortcut(&crate::theme::screen_shortcut(3)))
            .clicked()
        {
            app.screen = crate::Screen::Contract;
        }
    });
}
