//! Sessions already closed, with their notes.

use cocoach_doc::{Partnership, Session};
use cocoach_i18n::{Tr, tr};

pub(super) fn past_ui(ui: &mut egui::Ui, tr: &Tr, p: &Partnership) {
    let closed: Vec<&Session> = p
        .sessions
        .iter()
        .rev()
        .filter(|s| s.closed_at_ms.is_some())
        .collect();
    if closed.is_empty() {
        return;
    }
    ui.strong(tr!(tr, "session-past-heading", n = closed.len()));
    for s in closed.into_iter().take(100) {
        let date = s
            .date
            .map_or_else(|| tr!(tr, "session-past-undated"), |d| tr.date(d.civil()));
        let n = p
            .actions
            .iter()
            .filter(|a| a.session.as_deref() == Some(s.id.as_str()))
            .count();
        egui::CollapsingHeader::new(tr!(
            tr,
            "session-past-title",
            date = date,
            name = p.name(s.coached_first),
            n = n
        ))
        .id_salt(("past", &s.id))
        .show(ui, |ui| {
            if !s.skip_reason.trim().is_empty() {
                ui.weak(tr!(
                    tr,
                    "session-past-skipped",
                    reason = s.skip_reason.as_str()
                ));
            }
            for coachee in s.coachees() {
                let h = s.half(coachee);
                ui.strong(tr!(
                    tr,
                    "session-coached-by",
                    coachee = p.name(coachee),
                    coach = p.name(coachee.other())
                ));
                for (t, v) in [
                    (tr!(tr, "session-past-review"), &h.review),
                    (super::Stage::Goal.title(tr), &h.goal),
                    (super::Stage::Reality.title(tr), &h.reality),
                    (super::Stage::Will.title(tr), &h.will),
                    (tr!(tr, "session-past-notes"), &h.notes),
                ] {
                    if !v.trim().is_empty() {
                        ui.label(format!("{t}: {v}"));
                    }
                }
                for (i, o) in h.options.iter().enumerate() {
                    ui.label(tr!(tr, "session-past-option", n = i + 1, text = o.as_str()));
                }
                if !h.declined_at_ms.is_empty() {
                    ui.weak(tr!(tr, "session-past-declined", n = h.declined_at_ms.len()));
                }
            }
        });
    }
}
