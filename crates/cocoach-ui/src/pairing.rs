//! First run (your name; create or join) and pairing (invite as text and QR code,
//! both verification codes side by side, confirm).

use cocoach_api::{Command, Event, View};
use cocoach_i18n::{Tr, tr};

use crate::{CocoachUi, text};

/// The first-run form.
#[derive(Debug, Default)]
pub(crate) struct FirstRun {
    pub name: String,
    pub ticket: String,
}

/// Where a pairing stands, on either side.
#[derive(Debug, Default)]
pub(crate) struct Pairing {
    /// Host: the open invite and when it expires.
    pub invite: Option<(String, i64)>,
    /// Guest: a join is under way.
    pub joining: bool,
    /// Both: the code this device derived, and the partner's name (blank while the
    /// guest does not know it yet: it is shown as "your partner").
    pub code: Option<(String, String)>,
    /// What the user typed from the partner's screen.
    pub typed: String,
    /// Confirmation sent; waiting for the other side.
    pub confirmed: bool,
    pub failed: Option<String>,
    /// Paired with this partner.
    pub done: Option<String>,
}

impl Pairing {
    pub fn on_event(&mut self, ev: Event) {
        match ev {
            Event::InviteReady {
                ticket,
                expires_at_ms,
            } => {
                *self = Pairing::default();
                self.invite = Some((ticket, expires_at_ms));
            }
            Event::PairCode { code, partner_name } => {
                // The guest learns the host's name only once paired.
                self.code = Some((code, partner_name));
                self.typed.clear();
                self.confirmed = false;
            }
            Event::PairFailed { reason } => {
                // An invite that failed for one guest is closed: a new one is needed.
                *self = Pairing::default();
                self.failed = Some(reason);
            }
            Event::Paired { partner_name } | Event::Joined { partner_name } => {
                *self = Pairing::default();
                self.done = Some(partner_name);
            }
            _ => {}
        }
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// First run: no partnership on this device yet.
pub(crate) fn first_run_ui(app: &mut CocoachUi, ui: &mut egui::Ui, _view: &View) {
    let tr = app.tr.clone();
    ui.add_space(12.0);
    ui.heading(tr!(tr, "pairing-welcome"));
    ui.label(tr!(tr, "pairing-welcome-body"));
    ui.add_space(12.0);
    if app.pairing.code.is_some() || app.pairing.joining {
        codes_ui(app, ui);
        return;
    }
    let name_label = ui.label(tr!(tr, "pairing-your-name"));
    let r = ui.add(
        egui::TextEdit::singleline(&mut app.first_run.name)
            .hint_text(tr!(tr, "pairing-your-name-hint"))
            .desired_width(280.0),
    );
    r.labelled_by(name_label.id);
    let has_name = !app.first_run.name.trim().is_empty();
    ui.add_space(12.0);
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.strong(tr!(tr, "pairing-start-new"));
        ui.label(tr!(tr, "pairing-start-new-body"));
        let create = ui
            .horizontal(|ui| {
                ui.add_enabled(has_name, egui::Button::new(tr!(tr, "pairing-create")))
                    .on_disabled_hover_text(tr!(tr, "pairing-create-needs-name"))
                    .clicked()
            })
            .inner;
        if create {
            let my_name = app.first_run.name.trim().to_string();
            app.send(Command::Create {
                my_name,
                lang: app.lang(),
            });
            app.screen = crate::Screen::Pairing;
        }
        let ui = &mut cols[1];
        ui.strong(tr!(tr, "pairing-join-heading"));
        ticket_box(
            ui,
            &tr,
            cocoach_i18n::key!("pairing-invite-from-partner"),
            &mut app.first_run.ticket,
        );
        let can_join = has_name && !app.first_run.ticket.trim().is_empty();
        let join = ui
            .horizontal(|ui| {
                ui.add_enabled(can_join, egui::Button::new(tr!(tr, "pairing-join")))
                    .on_disabled_hover_text(tr!(tr, "pairing-join-needs"))
                    .clicked()
            })
            .inner;
        if join {
            app.pairing = Pairing {
                joining: true,
                ..Pairing::default()
            };
            let cmd = Command::Join {
                ticket: app.first_run.ticket.trim().to_string(),
                name: app.first_run.name.trim().to_string(),
            };
            app.send(cmd);
        }
    });
    if let Some(f) = &app.pairing.failed {
        ui.add_space(8.0);
        ui.colored_label(
            ui.visuals().error_fg_color,
            tr!(tr, "pairing-join-failed", reason = tr.id_or_text(f)),
        );
    }
    // A new computer: the partnership from a backup instead.
    if app.desk.is_some() {
        ui.add_space(16.0);
        ui.separator();
        crate::files::restore_ui(app, ui, false);
    }
}

/// The Partner screen: invite (host) and pairing state; re-pairing a partner's
/// device restored without its key, from either side.
pub(crate) fn pairing_ui(app: &mut CocoachUi, ui: &mut egui::Ui, view: &View) {
    let Some(p) = &view.partnership else { return };
    let tr = app.tr.clone();
    ui.heading(tr!(tr, "pairing-heading"));
    crate::conflicts::conflicts_ui(app, ui, p, view, |about| {
        matches!(about, cocoach_doc::ConflictAbout::PartnerName(_))
    });
    if view.my_slot.is_none() {
        rejoin_ui(app, ui);
        return;
    }
    let paired = view
        .partner_slot()
        .is_some_and(|slot| p.partner(slot).key.is_some());
    if let Some(slot) = view.partner_slot()
        && paired
    {
        ui.label(tr!(tr, "pairing-paired-with", partner = p.name(slot)));
        if let Some(done) = &app.pairing.done {
            ui.label(tr!(tr, "pairing-paired-just-now", partner = done.as_str()));
        }
        ui.add_space(16.0);
        ui.strong(tr!(
            tr,
            "pairing-rejoin-host-heading",
            partner = p.name(slot)
        ));
        ui.label(tr!(
            tr,
            "pairing-rejoin-host-explain",
            partner = p.name(slot)
        ));
        ui.add_space(6.0);
        if app.pairing.invite.is_none() && app.pairing.code.is_none() {
            if let Some(f) = app.pairing.failed.clone() {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    tr!(tr, "pairing-failed", reason = tr.id_or_text(&f)),
                );
            }
            if ui.button(tr!(tr, "pairing-rejoin-invite")).clicked() {
                app.send(Command::InviteRejoin);
            }
            return;
        }
    } else {
        ui.label(tr!(tr, "pairing-invite-explain"));
        ui.add_space(8.0);
    }
    if app.pairing.code.is_some() {
        codes_ui(app, ui);
        return;
    }
    if let Some(f) = app.pairing.failed.clone() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            tr!(tr, "pairing-failed", reason = tr.id_or_text(&f)),
        );
    }
    let invite = if paired {
        Command::InviteRejoin
    } else {
        Command::Invite
    };
    let now = cocoach_doc::now_ms();
    match app.pairing.invite.clone() {
        Some((ticket, expires)) if expires > now => {
            let left = (expires - now + 59_999) / 60_000;
            ui.label(tr!(tr, "pairing-waiting-join", n = left));
            ui.horizontal(|ui| {
                let l = ui.label(tr!(tr, "pairing-invite"));
                let mut shown = ticket.clone();
                ui.add(
                    egui::TextEdit::multiline(&mut shown)
                        .desired_rows(3)
                        .desired_width(420.0)
                        .font(egui::TextStyle::Monospace)
                        .interactive(true),
                )
                .labelled_by(l.id);
                if ui.button(tr!(tr, "pairing-copy")).clicked() {
                    ui.ctx().copy_text(ticket.clone());
                }
            });
            qr_ui(ui, &tr, &ticket);
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(10));
        }
        Some(_) => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                tr!(tr, "pairing-invite-expired"),
            );
            if ui.button(tr!(tr, "pairing-new-invite")).clicked() {
                app.send(invite);
            }
        }
        None => {
            if ui.button(tr!(tr, "pairing-invite-partner")).clicked() {
                app.send(invite);
            }
        }
    }
}

/// The labelled box the partner's invite is pasted into (`label`: a message id).
fn ticket_box(ui: &mut egui::Ui, tr: &Tr, label: &str, ticket: &mut String) {
    let l = ui.label(tr.t(label));
    ui.add(
        egui::TextEdit::multiline(ticket)
            .hint_text(tr!(tr, "pairing-invite-hint"))
            .desired_rows(3)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l.id);
}

/// This device holds the partnership but is not one of the two partners: it was
/// restored from a backup without its key. Re-pair with the partner's invite.
fn rejoin_ui(app: &mut CocoachUi, ui: &mut egui::Ui) {
    let tr = app.tr.clone();
    ui.label(tr!(tr, "pairing-rejoin-explain"));
    ui.add_space(8.0);
    if app.pairing.code.is_some() || app.pairing.joining {
        codes_ui(app, ui);
        return;
    }
    ticket_box(
        ui,
        &tr,
        cocoach_i18n::key!("pairing-rejoin-invite-from-partner"),
        &mut app.first_run.ticket,
    );
    let can = !app.first_run.ticket.trim().is_empty();
    let go = ui
        .add_enabled(can, egui::Button::new(tr!(tr, "pairing-rejoin")))
        .on_disabled_hover_text(tr!(tr, "pairing-rejoin-needs"))
        .clicked();
    if go {
        app.pairing = Pairing {
            joining: true,
            ..Pairing::default()
        };
        let ticket = app.first_run.ticket.trim().to_string();
        app.send(Command::Rejoin { ticket });
    }
    if let Some(f) = &app.pairing.failed {
        ui.add_space(8.0);
        ui.colored_label(
            ui.visuals().error_fg_color,
            tr!(tr, "pairing-join-failed", reason = tr.id_or_text(f)),
        );
    }
}

/// Both codes side by side: the one this device derived and the one the user reads
/// off the partner's screen. Confirm only when they match.
fn codes_ui(app: &mut CocoachUi, ui: &mut egui::Ui) {
    let tr = app.tr.clone();
    let Some((code, partner)) = app.pairing.code.clone() else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(tr!(tr, "pairing-contacting"));
        });
        if let Some(f) = &app.pairing.failed {
            ui.colored_label(ui.visuals().error_fg_color, tr.id_or_text(f));
        }
        return;
    };
    let partner = if partner.trim().is_empty() {
        tr!(tr, "your-partner")
    } else {
        partner
    };
    ui.strong(tr!(tr, "pairing-check-code", partner = partner.as_str()));
    ui.label(tr!(tr, "pairing-check-code-explain"));
    ui.add_space(6.0);
    let typed = digits(&app.pairing.typed);
    let ours = digits(&code);
    egui::Grid::new("codes")
        .num_columns(2)
        .spacing([24.0, 6.0])
        .show(ui, |ui| {
            ui.label(tr!(tr, "pairing-your-code"));
            let l = ui.label(tr!(tr, "pairing-their-code", partner = partner.as_str()));
            ui.end_row();
            ui.label(text::big(&code));
            ui.add(
                egui::TextEdit::singleline(&mut app.pairing.typed)
                    .hint_text("123 456")
                    .desired_width(120.0)
                    .font(egui::TextStyle::Heading),
            )
            .labelled_by(l.id);
            ui.end_row();
        });
    let complete = typed.len() == 6;
    let matches = complete && typed == ours;
    if complete && !matches {
        ui.colored_label(ui.visuals().error_fg_color, tr!(tr, "pairing-codes-differ"));
    }
    if app.pairing.confirmed {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(tr!(
                tr,
                "pairing-waiting-confirm",
                partner = partner.as_str()
            ));
        });
        return;
    }
    ui.horizontal(|ui| {
        if ui
            .add_enabled(matches, egui::Button::new(tr!(tr, "pairing-confirm")))
            .on_disabled_hover_text(tr!(tr, "pairing-confirm-needs-code"))
            .clicked()
        {
            app.pairing.confirmed = true;
            app.send(Command::ConfirmPairing(true));
        }
        if ui.button(tr!(tr, "pairing-cancel")).clicked() {
            app.send(Command::ConfirmPairing(false));
            app.pairing = Pairing {
                failed: Some(tr!(tr, "pairing-you-cancelled")),
                ..Pairing::default()
            };
        }
    });
}

/// The invite as a QR code, drawn as squares (dark on light in both themes).
fn qr_ui(ui: &mut egui::Ui, tr: &Tr, ticket: &str) {
    let Ok(code) = qrcode::QrCode::new(ticket.as_bytes()) else {
        return;
    };
    let w = code.width();
    let colors = code.to_colors();
    let module = 4.0;
    let quiet = 4.0 * module;
    let side = w as f32 * module + 2.0 * quiet;
    let (rect, resp) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    let name = tr!(tr, "pairing-qr-name");
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &name));
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, egui::Color32::WHITE);
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            let min = rect.min + egui::vec2(quiet + x * module, quiet + y * module);
            painter.rect_filled(
                egui::Rect::from_min_size(min, egui::vec2(module, module)),
                0.0,
                egui::Color32::BLACK,
            );
        }
    }
}
