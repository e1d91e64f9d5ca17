//! Sessions already closed, with their notes.

use cocoach_doc::{Partnership, Session};

pub(super) fn past_ui(ui: &mut egui::Ui, p: &Partnership) {
    let closed: Vec<&Session> = p
        .sessions
        .iter()
        .rev()
        .filter(|s| s.closed_at_ms.is_some())
        .collect();
    if closed.is_empty() {
        return;
    }
    ui.strong(format!("Earlier sessions ({})", closed.len()));
    for s in closed.into_iter().take(100) {
        let date = s.date.map_or_else(|| "undated".into(), |d| d.to_string());
        let n = p
            .actions
            .iter()
            .filter(|a| a.session.as_deref() == Some(s.id.as_str()))
            .count();
        egui::CollapsingHeader::new(format!(
            "{date} — {} coached first, {n} action{}",
            p.name(s.coached_first),
            if n == 1 { "" } else { "s" }
        ))
        .id_salt(("past", &s.id))
        .show(ui, |ui| {
            if !s.skip_reason.trim().is_empty() {
                ui.weak(format!("Closed without actions: {}", s.skip_reason));
            }
            for coachee in s.coachees() {
                let h = s.half(coachee);
                ui.strong(format!(
                    "{} coached by {}",
                    p.name(coachee),
                    p.name(coachee.other())
                ));
                for (t, v) in [
                    ("Review", &h.review),
                    ("Goal", &h.goal),
                    ("Reality", &h.reality),
                    ("Will", &h.will),
                    ("Notes", &h.notes),
                ] {
                    if !v.trim().is_empty() {
                        ui.label(format!("{t}: {v}"));
                    }
                }
                for (i, o) in h.options.iter().enumerate() {
                    ui.label(format!("Option {}: {o}", i + 1));
                }
                if !h.declined_at_ms.is_empty() {
                    ui.weak(format!("Declined topics: {}", h.declined_at_ms.len()));
                }
            }
        });
    }
}
