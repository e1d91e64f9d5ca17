//! The status bar: only facts the node reported, never guesses.

use cocoach_api::{Event, View};

use cocoach_i18n::{Tr, tr};

use crate::CocoachUi;

/// What the node has told us about the partner and our changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusFacts {
    /// A sync connection with the partner is up.
    pub connected: bool,
    /// Why the last attempt to reach the partner failed (while not connected).
    pub unreachable: Option<String>,
    /// When we last exchanged anything with the partner (ms since the epoch).
    pub last_exchange_ms: Option<i64>,
    /// Our changes the partner has not acknowledged (known once connected).
    pub unacknowledged: Option<usize>,
    /// Both hold the same document right now.
    pub in_sync: bool,
    /// The partner's device keeps sending changes that were refused (what they
    /// would rewrite), until a change of theirs is accepted again.
    pub refused: Option<String>,
}

impl StatusFacts {
    pub fn on_event(&mut self, ev: &Event) {
        match ev {
            Event::Connected => {
                self.connected = true;
                self.unreachable = None;
                self.last_exchange_ms = Some(cocoach_doc::now_ms());
            }
            Event::Disconnected { reason } => {
                self.connected = false;
                self.in_sync = false;
                self.unreachable = Some(reason.clone());
            }
            Event::Unreachable { reason, .. } if !self.connected => {
                self.unreachable = Some(reason.clone());
            }
            Event::Status(s) => {
                self.connected = true;
                self.unreachable = None;
                self.unacknowledged = Some(s.unacknowledged);
                self.in_sync = s.in_sync;
                if s.in_sync {
                    self.refused = None;
                }
                self.last_exchange_ms = Some(cocoach_doc::now_ms());
            }
            Event::DocChanged => {
                self.last_exchange_ms = Some(cocoach_doc::now_ms());
                self.refused = None;
            }
            Event::Tampered { what } => self.refused = Some(what.clone()),
            // Counted from stored facts while no connection is up.
            Event::Unacknowledged(n) if !self.connected => self.unacknowledged = Some(*n),
            _ => {}
        }
    }
}

/// "just now", "5 min ago", "3 h ago", "2 days ago".
pub fn ago(tr: &Tr, ms: i64, now_ms: i64) -> String {
    let s = (now_ms - ms).max(0) / 1000;
    match s {
        0..=44 => tr!(tr, "ago-now"),
        45..=5399 => tr!(tr, "ago-min", n = (s + 30) / 60),
        5400..=129_599 => tr!(tr, "ago-hours", n = (s + 1800) / 3600),
        _ => tr!(tr, "ago-days", n = (s + 43_200) / 86_400),
    }
}

pub(crate) fn status_bar(app: &mut CocoachUi, ui: &mut egui::Ui, view: &View) {
    let st = &app.status;
    let tr = app.tr.clone();
    let now = cocoach_doc::now_ms();
    let partner = view
        .partnership
        .as_ref()
        .zip(view.partner_slot())
        .map(|(p, s)| p.name(s))
        .unwrap_or_else(|| tr!(tr, "your-partner"));
    let mut open_contract = false;
    ui.horizontal(|ui| {
        if let Some(reason) = &view.not_saved {
            // Never "Saved" while the last save failed: the changes wait in memory.
            ui.colored_label(ui.visuals().error_fg_color, tr!(tr, "status-not-saved"))
                .on_hover_text(tr!(tr, "status-not-saved-hover", reason = reason.as_str()));
        } else {
            let saved = if view.saved {
                tr!(tr, "status-saved")
            } else {
                tr!(tr, "status-saving")
            };
            ui.label(saved).on_hover_text(tr!(tr, "status-saved-hover"));
        }
        ui.separator();
        if !app.has_partner() {
            ui.label(tr!(tr, "status-no-partner"));
            return;
        }
        if view.my_slot.is_none() {
            // Restored without its key: the partner's device refuses it until re-paired.
            ui.colored_label(ui.visuals().warn_fg_color, tr!(tr, "status-needs-rejoin"));
            return;
        }
        let (reach, color) = if st.connected {
            (
                tr!(tr, "status-connected", partner = partner.as_str()),
                crate::theme::good(ui),
            )
        } else {
            (
                tr!(tr, "status-unreachable", partner = partner.as_str()),
                ui.visuals().weak_text_color(),
            )
        };
        let r = ui.colored_label(color, reach);
        if let Some(why) = &st.unreachable {
            r.on_hover_text(tr!(tr, "status-unreachable-hover", why = why.as_str()));
        }
        ui.separator();
        let last = st
            .last_exchange_ms
            .or(view.partner_last_seen_ms)
            .map_or_else(|| tr!(tr, "ago-never"), |t| ago(&tr, t, now));
        ui.label(tr!(tr, "status-last-exchange", when = last));
        ui.separator();
        let unseen = match st.unacknowledged {
            Some(0) => tr!(tr, "status-partner-has-all", partner = partner.as_str()),
            Some(n) => tr!(tr, "status-not-received", n = n, partner = partner.as_str()),
            None => tr!(tr, "status-when-connected"),
        };
        ui.label(unseen);
        if let Some(p) = view
            .partnership
            .as_ref()
            .filter(|p| p.signatures.rolled_back().is_some())
        {
            ui.separator();
            let r = ui
                .add(
                    egui::Label::new(
                        egui::RichText::new(tr!(tr, "status-rolled-back"))
                            .color(ui.visuals().error_fg_color),
                    )
                    .sense(egui::Sense::click()),
                )
                .on_hover_text(tr!(
                    tr,
                    "status-rolled-back-hover",
                    agreement = p.agreement_text(&tr, view.my_slot).0
                ));
            open_contract = r.clicked();
        }
        if let Some(what) = &st.refused {
            ui.separator();
            ui.colored_label(
                ui.visuals().error_fg_color,
                tr!(tr, "status-refused", partner = partner.as_str()),
            )
            .on_hover_text(tr!(
                tr,
                "status-refused-hover",
                what = tr.t(what),
                partner = partner.as_str()
            ));
        }
    });
    if !st.connected {
        // Keep "x min ago" current while nothing else happens.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs(30));
    }
    if open_contract {
        app.screen = crate::Screen::Contract;
    }
}

#[cfg(test)]
mod tests {
    use super::ago;
    use cocoach_i18n::{Lang, Tr};

    #[test]
    fn ago_reads_naturally() {
        let now = 1_000_000_000;
        let en = &*Tr::get(Lang::En);
        assert_eq!(ago(en, now - 10_000, now), "just now");
        assert_eq!(ago(en, now - 5 * 60_000, now), "5 min ago");
        assert_eq!(ago(en, now - 3 * 3_600_000, now), "3 h ago");
        assert_eq!(ago(en, now - 2 * 86_400_000, now), "2 days ago");
        assert_eq!(
            ago(en, now + 5_000, now),
            "just now",
            "a clock slightly ahead"
        );
        let nl = &*Tr::get(Lang::Nl);
        assert_eq!(ago(nl, now - 10_000, now), "zojuist");
        assert_eq!(ago(nl, now - 60_000, now), "1 min geleden");
        assert_eq!(ago(nl, now - 86_400_000 * 3 / 2, now), "2 dagen geleden");
    }
}
