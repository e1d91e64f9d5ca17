//! The contract: every term, the signatures, and values set differently while apart.

use cocoach_api::{Command, View};
use cocoach_doc::{ConflictAbout, Contract, ContractField, Frequency, Partnership, Slot, Turns};
use cocoach_i18n::{Tr, key, tr};

use crate::CocoachUi;
use crate::text::Buffers;

#[derive(Debug, Default)]
pub(crate) struct ContractForm {
    pub buffers: Buffers,
    pub new_rule: String,
    pub new_topic: String,
}

pub(crate) fn contract_ui(app: &mut CocoachUi, ui: &mut egui::Ui, view: &View) {
    let Some(p) = view.partnership.clone() else {
        return;
    };
    let tr = app.tr.clone();
    let me = view.my_slot;
    let c = &p.contract;
    ui.heading(tr!(tr, "contract-heading"));
    ui.label(tr!(tr, "contract-intro"));
    // The names head the contract: a name set differently shows here.
    crate::conflicts::conflicts_ui(app, ui, &p, view, |about| {
        matches!(about, ConflictAbout::PartnerName(_))
    });
    ui.add_space(6.0);

    // Signature state, always visible at the top.
    let (line, good) = p.agreement_text(&tr, me);
    let color = if good {
        crate::theme::good(ui)
    } else {
        ui.visuals().warn_fg_color
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.colored_label(color, egui::RichText::new(&line).strong());
            let conflicts = view.conflicts.iter().any(|k| k.about.is_contract());
            let partner_here = p.partners.iter().all(|x| x.key.is_some());
            let mine_current = me.is_some_and(|s| p.signatures.get(s).is_current());
            let can_sign = partner_here && !conflicts && !mine_current;
            let why = if !partner_here {
                tr!(tr, "contract-sign-why-partner")
            } else if conflicts {
                tr!(tr, "contract-sign-why-conflicts")
            } else {
                tr!(tr, "contract-sign-why-signed")
            };
            if ui
                .add_enabled(can_sign, egui::Button::new(tr!(tr, "contract-sign")))
                .on_hover_text(tr!(tr, "contract-sign-hover"))
                .on_disabled_hover_text(why)
                .clicked()
            {
                app.send(Command::SignContract);
            }
        });
        for s in Slot::BOTH {
            let state = p.signature_text(&tr, s);
            let who = if Some(s) == me {
                tr!(tr, "contract-you")
            } else {
                p.name(s)
            };
            ui.small(tr!(tr, "contract-signature-line", who = who, state = state));
        }
    });

    conflicts_ui(app, ui, &tr, view);
    ui.add_space(8.0);

    egui::Grid::new("contract_terms")
        .num_columns(2)
        .spacing([16.0, 8.0])
        .striped(false)
        .show(ui, |ui| {
            frequency_row(app, ui, &tr, c);
            line_row(
                app,
                ui,
                c,
                ContractField::Place,
                &tr!(tr, "contract-place"),
                &tr!(tr, "contract-place-hint"),
                false,
            );
            line_row(
                app,
                ui,
                c,
                ContractField::SessionMinutes,
                &tr!(tr, "contract-minutes"),
                "90",
                false,
            );
            line_row(
                app,
                ui,
                c,
                ContractField::TermStart,
                &tr!(tr, "contract-term-start"),
                &tr!(tr, "contract-date-hint"),
                false,
            );
            line_row(
                app,
                ui,
                c,
                ContractField::TermEnd,
                &tr!(tr, "contract-term-end"),
                &tr!(tr, "contract-date-hint"),
                false,
            );
            line_row(
                app,
                ui,
                c,
                ContractField::TermSessions,
                &tr!(tr, "contract-sessions"),
                &tr!(tr, "contract-sessions-hint"),
                false,
            );
            line_row(
                app,
                ui,
                c,
                ContractField::MeetingTime,
                &tr!(tr, "calendar-meeting-time"),
                &tr!(tr, "calendar-meeting-time-hint"),
                false,
            );
            coaches_first_row(app, ui, &tr, &p);
            turns_row(app, ui, &tr, c);
            line_row(
                app,
                ui,
                c,
                ContractField::QuestionStyle,
                &tr!(tr, "contract-question-style"),
                &tr!(tr, "contract-question-style-hint"),
                true,
            );
        });
    ui.add_space(10.0);
    rules_ui(app, ui, &tr, c);
    ui.add_space(10.0);
    off_limits_ui(app, ui, &tr, &p, me);
}

fn line_row(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    c: &Contract,
    f: ContractField,
    label: &str,
    hint: &str,
    multiline: bool,
) {
    let l = ui.label(label);
    let value = c.term_text(f);
    let out = app
        .contract
        .buffers
        .field(ui, f.key(), &value, l.id, multiline, hint, 320.0);
    ui.end_row();
    if let Some(text) = out.send {
        app.edit(key!("edit-change-contract"), move |d| {
            d.set_contract(f, &text)
        });
    }
}

/// The words a frequency is written with in the document (and typed on the command
/// line), each shown in the reader's language.
const FREQUENCIES: [Frequency; 3] = [
    Frequency::Weekly,
    Frequency::Fortnightly,
    Frequency::Monthly,
];

/// A frequency the way the reader says it; one the partners wrote themselves is
/// their own text.
fn frequency_label(tr: &Tr, f: &Frequency) -> String {
    match f {
        Frequency::Weekly => tr!(tr, "contract-frequency-weekly"),
        Frequency::Fortnightly => tr!(tr, "contract-frequency-fortnightly"),
        Frequency::Monthly => tr!(tr, "contract-frequency-monthly"),
        Frequency::Other(text) => text.clone(),
    }
}

fn frequency_row(app: &mut CocoachUi, ui: &mut egui::Ui, tr: &Tr, c: &Contract) {
    let l = ui.label(tr!(tr, "contract-frequency"));
    let current = c.frequency.clone();
    let shown = current.as_ref().map_or_else(
        || tr!(tr, "contract-frequency-none"),
        |f| match f {
            Frequency::Other(_) => tr!(tr, "contract-frequency-other"),
            f => frequency_label(tr, f),
        },
    );
    ui.horizontal(|ui| {
        let mut pick: Option<String> = None;
        egui::ComboBox::from_id_salt("frequency")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for f in &FREQUENCIES {
                    if ui
                        .selectable_label(
                            current.as_ref().is_some_and(|c| c.as_str() == f.as_str()),
                            frequency_label(tr, f),
                        )
                        .clicked()
                    {
                        pick = Some(f.as_str().to_string());
                    }
                }
                if ui
                    .selectable_label(
                        matches!(current, Some(Frequency::Other(_))),
                        tr!(tr, "contract-frequency-other"),
                    )
                    .clicked()
                {
                    pick = Some(tr!(tr, "contract-frequency-other-start"));
                }
            })
            .response
            .labelled_by(l.id);
        if let Some(f) = pick {
            app.edit(key!("edit-change-contract"), move |d| {
                d.set_contract(ContractField::Frequency, &f)
            });
        }
        if let Some(Frequency::Other(text)) = &current {
            let out = app.contract.buffers.field(
                ui,
                "frequency_other",
                text,
                l.id,
                false,
                &tr!(tr, "contract-frequency-other-hint"),
                200.0,
            );
            if let Some(t) = out.send {
                app.edit(key!("edit-change-contract"), move |d| {
                    d.set_contract(ContractField::Frequency, &t)
                });
            }
        }
    });
    ui.end_row();
}

fn coaches_first_row(app: &mut CocoachUi, ui: &mut egui::Ui, tr: &Tr, p: &Partnership) {
    ui.label(tr!(tr, "contract-coaches-first"));
    ui.horizontal(|ui| {
        for s in Slot::BOTH {
            if ui.radio(p.contract.coaches_first == s, p.name(s)).clicked()
                && p.contract.coaches_first != s
            {
                app.edit(key!("edit-change-contract"), move |d| {
                    d.set_contract(ContractField::CoachesFirst, s.key())
                });
            }
        }
    });
    ui.end_row();
}

fn turns_row(app: &mut CocoachUi, ui: &mut egui::Ui, tr: &Tr, c: &Contract) {
    ui.label(tr!(tr, "contract-turns"));
    ui.horizontal(|ui| {
        for (t, text) in [
            (Turns::Alternate, tr!(tr, "contract-turns-alternate")),
            (Turns::Same, tr!(tr, "contract-turns-same")),
        ] {
            if ui.radio(c.turns == t, text).clicked() && c.turns != t {
                app.edit(key!("edit-change-contract"), move |d| {
                    d.set_contract(ContractField::Turns, t.as_str())
                });
            }
        }
    });
    ui.end_row();
}

fn rules_ui(app: &mut CocoachUi, ui: &mut egui::Ui, tr: &Tr, c: &Contract) {
    ui.strong(tr!(tr, "contract-rules"));
    let mut remove = None;
    for (i, rule) in c.ground_rules.iter().enumerate() {
        ui.horizontal(|ui| {
            let l = ui.label(format!("{}.", i + 1));
            let out =
                app.contract
                    .buffers
                    .field(ui, &format!("rule:{i}"), rule, l.id, false, "", 480.0);
            if let Some(t) = out.send {
                if t.trim().is_empty() {
                    remove = Some(i);
                } else {
                    app.edit(key!("edit-change-ground-rule"), move |d| {
                        d.set_ground_rule(i, &t)
                    });
                }
            }
            let name = tr!(tr, "contract-rule-remove", n = i + 1);
            if ui
                .small_button(tr!(tr, "contract-remove"))
                .accessible_name(&name)
                .on_hover_text(name)
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        for j in i..c.ground_rules.len() {
            app.contract.buffers.forget(&format!("rule:{j}"));
        }
        app.edit(key!("edit-remove-ground-rule"), move |d| {
            d.remove_ground_rule(i)
        });
    }
    if let Some(rule) = add_row(
        ui,
        &mut app.contract.new_rule,
        &tr!(tr, "contract-rule-new"),
        &tr!(tr, "contract-rule-new-hint"),
        &tr!(tr, "contract-rule-add"),
    ) {
        app.edit(key!("edit-add-ground-rule"), move |d| {
            d.add_ground_rule(&rule)
        });
    }
}

fn off_limits_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    tr: &Tr,
    p: &Partnership,
    me: Option<Slot>,
) {
    ui.strong(tr!(tr, "contract-off-limits"));
    ui.small(tr!(tr, "contract-off-limits-intro"));
    let mut remove = None;
    for (i, t) in p.contract.off_limits.iter().enumerate() {
        ui.horizontal(|ui| {
            let who = if Some(t.by) == me {
                tr!(tr, "contract-off-limits-you")
            } else {
                p.name(t.by)
            };
            ui.label(tr!(
                tr,
                "contract-off-limits-item",
                topic = t.topic.as_str(),
                who = who
            ));
            let name = tr!(tr, "contract-off-limits-remove", topic = t.topic.as_str());
            if ui
                .small_button(tr!(tr, "contract-remove"))
                .accessible_name(&name)
                .on_hover_text(name)
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        app.edit(key!("edit-remove-off-limits"), move |d| {
            d.remove_off_limits(i)
        });
    }
    let Some(me) = me else { return };
    if let Some(topic) = add_row(
        ui,
        &mut app.contract.new_topic,
        &tr!(tr, "contract-off-limits-new"),
        &tr!(tr, "contract-off-limits-new-hint"),
        &tr!(tr, "contract-off-limits-add"),
    ) {
        app.edit(key!("edit-add-off-limits"), move |d| {
            d.add_off_limits(me, &topic)
        });
    }
}

/// A labelled field with an Add button; returns the text (and clears the field)
/// when the user presses the button or Enter with something typed.
fn add_row(
    ui: &mut egui::Ui,
    buf: &mut String,
    label: &str,
    hint: &str,
    button: &str,
) -> Option<String> {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        let r = ui
            .add(
                egui::TextEdit::singleline(buf)
                    .hint_text(hint)
                    .desired_width(360.0),
            )
            .labelled_by(l.id);
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let add = ui.button(button).clicked() || enter;
        (add && !buf.trim().is_empty()).then(|| std::mem::take(buf))
    })
    .inner
}

/// The name of a contract term in a sentence ("how often", "ground rule 2").
fn term_name(tr: &Tr, about: &ConflictAbout) -> String {
    match about {
        ConflictAbout::ContractTerm(f) => match f {
            ContractField::Frequency => tr!(tr, "contract-term-frequency"),
            ContractField::Place => tr!(tr, "contract-term-place"),
            ContractField::SessionMinutes => tr!(tr, "contract-term-minutes"),
            ContractField::TermStart => tr!(tr, "contract-term-term-start"),
            ContractField::TermEnd => tr!(tr, "contract-term-term-end"),
            ContractField::TermSessions => tr!(tr, "contract-term-sessions"),
            ContractField::CoachesFirst => tr!(tr, "contract-term-coaches-first"),
            ContractField::Turns => tr!(tr, "contract-term-turns"),
            ContractField::QuestionStyle => tr!(tr, "contract-term-question-style"),
            ContractField::MeetingTime => tr!(tr, "calendar-term-meeting-time"),
        },
        ConflictAbout::GroundRule(i) => tr!(tr, "contract-term-ground-rule", n = i + 1),
        other => other.name(),
    }
}

/// A value set while apart, as shown on its button: the document's word for a
/// frequency or for the turns in the reader's language, anything else as written.
fn conflict_value(tr: &Tr, about: &ConflictAbout, v: &str) -> String {
    if v.is_empty() {
        return tr!(tr, "contract-conflict-empty");
    }
    match about {
        ConflictAbout::ContractTerm(ContractField::Frequency) => {
            match FREQUENCIES.iter().find(|f| f.as_str() == v) {
                Some(f) => frequency_label(tr, f),
                None => v.to_string(),
            }
        }
        ConflictAbout::ContractTerm(ContractField::Turns) => {
            if v == Turns::Alternate.as_str() {
                tr!(tr, "contract-conflict-turns-alternate")
            } else if v == Turns::Same.as_str() {
                tr!(tr, "contract-conflict-turns-same")
            } else {
                v.to_string()
            }
        }
        _ => v.to_string(),
    }
}

/// Terms the partners set differently while apart: every value side by side, one
/// click keeps it. Nothing is picked silently.
fn conflicts_ui(app: &mut CocoachUi, ui: &mut egui::Ui, tr: &Tr, view: &View) {
    let list: Vec<_> = view
        .conflicts
        .iter()
        .filter(|k| k.about.is_contract())
        .cloned()
        .collect();
    if list.is_empty() {
        return;
    }
    ui.add_space(6.0);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            egui::RichText::new(tr!(tr, "contract-conflicts")).strong(),
        );
        for k in list {
            ui.horizontal_wrapped(|ui| {
                let name = term_name(tr, &k.about);
                ui.label(tr!(tr, "contract-conflict-term", name = name.as_str()));
                crate::conflicts::keep_buttons(
                    app,
                    ui,
                    tr,
                    &k,
                    &name,
                    key!("edit-settle-contract-term"),
                    |v| conflict_value(tr, &k.about, v),
                );
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::{FREQUENCIES, conflict_value, frequency_label, term_name};
    use cocoach_doc::{ConflictAbout, ContractField, Frequency, Turns};
    use cocoach_i18n::{Lang, Tr};

    #[test]
    fn english_shows_the_words_the_document_stores() {
        let en = &*Tr::get(Lang::En);
        for f in &FREQUENCIES {
            assert_eq!(frequency_label(en, f), f.as_str());
            assert_eq!(Frequency::parse(&frequency_label(en, f)), *f);
        }
        let turns = ConflictAbout::ContractTerm(ContractField::Turns);
        for t in [Turns::Alternate, Turns::Same] {
            assert_eq!(conflict_value(en, &turns, t.as_str()), t.as_str());
        }
        for f in ContractField::ALL {
            let about = ConflictAbout::ContractTerm(f);
            assert_eq!(term_name(en, &about), about.name());
        }
        let rule = ConflictAbout::GroundRule(1);
        assert_eq!(term_name(en, &rule), rule.name());
    }

    #[test]
    fn dutch_has_its_own_words_and_keeps_the_partners_text() {
        let nl = &*Tr::get(Lang::Nl);
        assert_eq!(frequency_label(nl, &Frequency::Weekly), "wekelijks");
        let other = Frequency::Other("every third Tuesday".into());
        assert_eq!(frequency_label(nl, &other), "every third Tuesday");
        let freq = ConflictAbout::ContractTerm(ContractField::Frequency);
        assert_eq!(conflict_value(nl, &freq, "monthly"), "maandelijks");
        assert_eq!(conflict_value(nl, &freq, "om de week"), "om de week");
        assert_eq!(conflict_value(nl, &freq, ""), "(leeg)");
        assert_eq!(term_name(nl, &ConflictAbout::GroundRule(2)), "spelregel 3");
    }
}
