//! Fields the partners set differently while apart, shown where they are: every
//! value side by side, one click keeps it. Nothing is picked silently. The contract
//! has its own box (`contract.rs`, signing waits on it); this is the same for a
//! session's fields, the review of an action, an action's fields and the names.

use cocoach_api::View;
use cocoach_doc::{ActionField, Conflict, ConflictAbout, Partnership, SessionField, Slot};
use cocoach_i18n::{Tr, key, tr};

use crate::CocoachUi;

/// The field's name, as the sentence "… was set differently while apart" needs it.
pub(crate) fn field_name(tr: &Tr, p: &Partnership, about: &ConflictAbout) -> String {
    match about {
        ConflictAbout::PartnerName(s) => tr!(tr, "conflict-field-name", name = p.name(*s)),
        ConflictAbout::Session { field, .. } => match field {
            SessionField::Date => tr!(tr, "conflict-field-session-date"),
            SessionField::Place => tr!(tr, "conflict-field-session-place"),
            SessionField::Minutes => tr!(tr, "conflict-field-session-minutes"),
            SessionField::CoachedFirst => tr!(tr, "conflict-field-session-coached-first"),
            SessionField::SkipReason => tr!(tr, "conflict-field-session-skip-reason"),
        },
        ConflictAbout::Review { action, .. } => {
            let what = p
                .action(action.as_str())
                .map(|a| a.what.clone())
                .unwrap_or_default();
            tr!(tr, "conflict-field-review", what = what)
        }
        ConflictAbout::Action { id, field } => {
            let what = p
                .action(id.as_str())
                .map(|a| a.what.clone())
                .unwrap_or_default();
            match field {
                ActionField::Owner => tr!(tr, "conflict-field-action-owner", what = what),
                ActionField::Deadline => tr!(tr, "conflict-field-action-deadline", what = what),
                ActionField::Status => tr!(tr, "conflict-field-action-status", what = what),
                ActionField::DoneOn => tr!(tr, "conflict-field-action-done-on", what = what),
                ActionField::Session => tr!(tr, "conflict-field-action-session", what = what),
            }
        }
        ConflictAbout::ContractTerm(_) | ConflictAbout::GroundRule(_) => about.name(),
    }
}

/// One stored value as a person reads it: a partner's name for a slot, a date in
/// words, a status in the reader's language; anything unknown as stored.
pub(crate) fn value_text(tr: &Tr, p: &Partnership, about: &ConflictAbout, v: &str) -> String {
    if v.trim().is_empty() || v == "(empty)" {
        return tr!(tr, "contract-conflict-empty");
    }
    let date = |v: &str| {
        v.parse::<cocoach_doc::Date>()
            .map(|d| tr.date(d.civil()))
            .unwrap_or_else(|_| v.to_string())
    };
    match about {
        ConflictAbout::Session {
            field: SessionField::CoachedFirst,
            ..
        }
        | ConflictAbout::Action {
            field: ActionField::Owner,
            ..
        } => Slot::parse(v).map_or_else(|| v.to_string(), |s| p.name(s)),
        ConflictAbout::Session {
            field: SessionField::Date,
            ..
        }
        | ConflictAbout::Action {
            field: ActionField::Deadline | ActionField::DoneOn,
            ..
        } => date(v),
        ConflictAbout::Action {
            field: ActionField::Status,
            ..
        } => match v {
            "open" => tr!(tr, "conflict-status-open"),
            "done" => tr!(tr, "conflict-status-done"),
            "dropped" => tr!(tr, "conflict-status-dropped"),
            other => other.to_string(),
        },
        ConflictAbout::Review { .. } => match v {
            "done" => tr!(tr, "session-review-done"),
            "partly" => tr!(tr, "session-review-partly"),
            "not done" => tr!(tr, "session-review-not-yet"),
            other => other.to_string(),
        },
        ConflictAbout::Action {
            field: ActionField::Session,
            ..
        } => p.session(v).and_then(|s| s.date).map_or_else(
            || v.to_string(),
            |d| tr!(tr, "conflict-session-of", date = tr.date(d.civil())),
        ),
        _ => v.to_string(),
    }
}

/// Every conflict of `view` that `here` picks, in a box where it is shown.
pub(crate) fn conflicts_ui(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    p: &Partnership,
    view: &View,
    here: impl Fn(&ConflictAbout) -> bool,
) {
    let list: Vec<Conflict> = view
        .conflicts
        .iter()
        .filter(|k| here(&k.about))
        .cloned()
        .collect();
    if list.is_empty() {
        return;
    }
    let tr = app.tr.clone();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        for k in list {
            let name = field_name(&tr, p, &k.about);
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    tr!(tr, "conflict-set-differently", field = name.as_str()),
                );
                keep_buttons(app, ui, &tr, &k, &name, key!("edit-settle-conflict"), |v| {
                    value_text(&tr, p, &k.about, v)
                });
            });
        }
    });
}

/// One *Keep “…”* button per value of `k` (`shown` renders a stored value for
/// `name`, the field); a click keeps it, as the edit `what`.
pub(crate) fn keep_buttons(
    app: &mut CocoachUi,
    ui: &mut egui::Ui,
    tr: &Tr,
    k: &Conflict,
    name: &str,
    what: &'static str,
    shown: impl Fn(&str) -> String,
) {
    for (i, v) in k.values.iter().enumerate() {
        let shown = shown(v);
        let value = shown.as_str();
        if ui
            .button(tr!(tr, "contract-conflict-keep", value = value))
            .accessible_name(tr!(
                tr,
                "contract-conflict-keep-for",
                value = value,
                name = name
            ))
            .on_hover_text(tr!(tr, "contract-conflict-use", value = value, name = name))
            .clicked()
        {
            let k = k.clone();
            app.edit(what, move |d| d.resolve_conflict(&k, i));
        }
    }
}
