//! The contract: every term, the signatures, and values set differently while apart.

use cocoach_api::{Command, View};
use cocoach_doc::{Contract, ContractField, Frequency, Partnership, Slot, Turns};

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
    let me = view.my_slot;
    let c = &p.contract;
    ui.heading("Our contract");
    ui.label(
        "How you will work together. Agree the terms in your first conversation, then \
         both sign. Change them any time; a change needs both signatures again.",
    );
    ui.add_space(6.0);

    // Signature state, always visible at the top.
    let (line, good) = p.agreement_text(&app.tr, me);
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
                "Your partner needs to join first"
            } else if conflicts {
                "Settle the terms set differently below first"
            } else {
                "You have signed this version"
            };
            if ui
                .add_enabled(can_sign, egui::Button::new("Sign the contract"))
                .on_hover_text(
                    "Records with your device's key that you agree to these terms as they are now",
                )
                .on_disabled_hover_text(why)
                .clicked()
            {
                app.send(Command::SignContract);
            }
        });
        for s in Slot::BOTH {
            let state = p.signature_text(&app.tr, s);
            let who = if Some(s) == me {
                "You".to_string()
            } else {
                p.name(s)
            };
            ui.small(format!("{who}: {state}"));
        }
    });

    conflicts_ui(app, ui, view);
    ui.add_space(8.0);

    egui::Grid::new("contract_terms")
        .num_columns(2)
        .spacing([16.0, 8.0])
        .striped(false)
        .show(ui, |ui| {
            frequency_row(app, ui, c);
            line_row(
                app,
                ui,
                c,
                ContractField::Place,
                "Where we meet",
                "a café, a video call…",
                false,
            );
            line_row(
                app,
                ui,
                c,
                ContractField::SessionMinutes,
                "Session length (minutes)",
                "90",
                false,
            );
            line_row(
                app,
                ui,
                c,
                ContractField::TermStart,
                "Term starts",
                "YYYY-MM-DD",
                false,
            );
            line_row(
                app,
                ui,
                c,
                ContractField::TermEnd,
                "Term ends",
                "YYYY-MM-DD",
                false,
            );
            line_row(
                app,
                ui,
                c,
                ContractField::TermSessions,
                "Number of sessions",
                "e.g. 6",
                false,
            );
            coaches_first_row(app, ui, &p);
            turns_row(app, ui, c);
            line_row(
                app,
                ui,
                c,
                ContractField::QuestionStyle,
                "Question style",
                "e.g. open questions only, no advice unless asked",
                true,
            );
        });
    ui.add_space(10.0);
    rules_ui(app, ui, c);
    ui.add_space(10.0);
    off_limits_ui(app, ui, &p, me);
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
        app.edit("change the contract", move |d| d.set_contract(f, &text));
    }
}

fn frequency_row(app: &mut CocoachUi, ui: &mut egui::Ui, c: &Contract) {
    let l = ui.label("How often");
    let current = c.frequency.clone();
    let shown = current
        .as_ref()
        .map_or("not decided", |f| match f {
            Frequency::Other(_) => "other…",
            f => f.as_str(),
        })
        .to_string();
    ui.horizontal(|ui| {
        let mut pick: Option<&str> = None;
        egui::ComboBox::from_id_salt("frequency")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for f in ["weekly", "fortnightly", "monthly"] {
                    if ui
                        .selectable_label(current.as_ref().is_some_and(|c| c.as_str() == f), f)
                        .clicked()
                    {
                        pick = Some(f);
                    }
                }
                if ui
                    .selectable_label(matches!(current, Some(Frequency::Other(_))), "other…")
                    .clicked()
                {
                    pick = Some("every few weeks");
                }
            })
            .response
            .labelled_by(l.id);
        if let Some(f) = pick {
            let f = f.to_string();
            app.edit("change the contract", move |d| {
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
                "e.g. every third Tuesday",
                200.0,
            );
            if let Some(t) = out.send {
                app.edit("change the contract", move |d| {
                    d.set_contract(ContractField::Frequency, &t)
                });
            }
        }
    });
    ui.end_row();
}

fn coaches_first_row(app: &mut CocoachUi, ui: &mut egui::Ui, p: &Partnership) {
    ui.label("Who coaches first");
    ui.horizontal(|ui| {
        for s in Slot::BOTH {
            if ui.radio(p.contract.coaches_first == s, p.name(s)).clicked()
                && p.contract.coaches_first != s
            {
                app.edit("change the contract", move |d| {
                    d.set_contract(ContractField::CoachesFirst, s.key())
                });
            }
        }
    });
    ui.end_row();
}

fn turns_row(app: &mut CocoachUi, ui: &mut egui::Ui, c: &Contract) {
    ui.label("Turns");
    ui.horizontal(|ui| {
        for (t, text) in [
            (Turns::Alternate, "swap who coaches first each session"),
            (Turns::Same, "always the same order"),
        ] {
            if ui.radio(c.turns == t, text).clicked() && c.turns != t {
                app.edit("change the contract", move |d| {
                    d.set_contract(ContractField::Turns, t.as_str())
                });
            }
        }
    });
    ui.end_row();
}

fn rules_ui(app: &mut CocoachUi, ui: &mut egui::Ui, c: &Contract) {
    ui.strong("Ground rules");
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
                    app.edit("change a ground rule", move |d| d.set_ground_rule(i, &t));
                }
            }
            if ui
                .small_button("Remove")
                .accessible_name(format!("Remove ground rule {}", i + 1))
                .on_hover_text(format!("Remove ground rule {}", i + 1))
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
        app.edit("remove a ground rule", move |d| d.remove_ground_rule(i));
    }
    if let Some(rule) = add_row(
        ui,
        &mut app.contract.new_rule,
        "New rule",
        "e.g. We start and end on time",
        "Add rule",
    ) {
        app.edit("add a ground rule", move |d| d.add_ground_rule(&rule));
    }
}

fn off_limits_ui(app: &mut CocoachUi, ui: &mut egui::Ui, p: &Partnership, me: Option<Slot>) {
    ui.strong("Off-limits topics");
    ui.small("Topics a partner does not want to be coached on. Either of you may add one.");
    let mut remove = None;
    for (i, t) in p.contract.off_limits.iter().enumerate() {
        ui.horizontal(|ui| {
            let who = if Some(t.by) == me {
                "you".to_string()
            } else {
                p.name(t.by)
            };
            ui.label(format!("• {} (for {who})", t.topic));
            if ui
                .small_button("Remove")
                .accessible_name(format!("Remove the off-limits topic {}", t.topic))
                .on_hover_text(format!("Remove the off-limits topic {}", t.topic))
                .clicked()
            {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        app.edit("remove an off-limits topic", move |d| {
            d.remove_off_limits(i)
        });
    }
    let Some(me) = me else { return };
    if let Some(topic) = add_row(
        ui,
        &mut app.contract.new_topic,
        "Off limits for me",
        "e.g. my health",
        "Add topic",
    ) {
        app.edit("add an off-limits topic", move |d| {
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

/// Terms the partners set differently while apart: every value side by side, one
/// click keeps it. Nothing is picked silently.
fn conflicts_ui(app: &mut CocoachUi, ui: &mut egui::Ui, view: &View) {
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
            egui::RichText::new("You two set these differently while apart — pick one:").strong(),
        );
        for k in list {
            ui.horizontal_wrapped(|ui| {
                let name = k.about.name();
                ui.label(format!("{name}:"));
                for (i, v) in k.values.iter().enumerate() {
                    let shown = if v.is_empty() { "(empty)" } else { v.as_str() };
                    if ui
                        .button(format!("Keep “{shown}”"))
                        .accessible_name(format!("Keep “{shown}” for {name}"))
                        .on_hover_text(format!("Use “{shown}” for {name}"))
                        .clicked()
                    {
                        let k = k.clone();
                        app.edit("settle a contract term", move |d| d.resolve_conflict(&k, i));
                    }
                }
            });
        }
    });
}
