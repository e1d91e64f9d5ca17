//! First run (your name; create or join) and pairing (invite as text and QR code,
//! both verification codes side by side, confirm).

use cocoach_api::{Command, Event, View};

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
    /// Both: the code this device derived, and the partner's name.
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
                let name = if partner_name.trim().is_empty() {
                    "your partner".to_string()
                } else {
                    partner_name
                };
                self.code = Some((code, name));
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
    ui.add_space(12.0);
    ui.heading("Welcome to cocoach");
    ui.label(
        "cocoach keeps one co-coaching partnership: the contract you agree, the notes \
         of every session and the actions you commit to. It lives on your computer and \
         your partner's, and nowhere else.",
    );
    ui.add_space(12.0);
    if app.pairing.code.is_some() || app.pairing.joining {
        codes_ui(app, ui);
        return;
    }
    let name_label = ui.label("Your name");
    let r = ui.add(
        egui::TextEdit::singleline(&mut app.first_run.name)
            .hint_text("e.g. Ana Müller")
            .desired_width(280.0),
    );
    r.labelled_by(name_label.id);
    let has_name = !app.first_run.name.trim().is_empty();
    ui.add_space(12.0);
    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        ui.strong("Start a new partnership");
        ui.label("You will then invite your partner.");
        let create = ui
            .horizontal(|ui| {
                ui.add_enabled(has_name, egui::Button::new("Create partnership"))
                    .on_disabled_hover_text("Enter your name first")
                    .clicked()
            })
            .inner;
        if create {
            let my_name = app.first_run.name.trim().to_string();
            app.send(Command::Create { my_name });
            app.screen = crate::Screen::Pairing;
        }
        let ui = &mut cols[1];
        ui.strong("Join your partner");
        let l = ui.label("Invite from your partner");
        ui.add(
            egui::TextEdit::multiline(&mut app.first_run.ticket)
                .hint_text("Paste the invite text here (it starts with \"cocoach\")")
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id);
        let can_join = has_name && !app.first_run.ticket.trim().is_empty();
        let join = ui
            .horizontal(|ui| {
                ui.add_enabled(can_join, egui::Button::new("Join"))
                    .on_disabled_hover_text("Enter your name and paste the invite")
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
        ui.colored_label(ui.visuals().error_fg_color, format!("Joining failed: {f}"));
    }
}

/// The Partner screen: invite (host) and pairing state.
pub(crate) fn pairing_ui(app: &mut CocoachUi, ui: &mut egui::Ui, view: &View) {
    let Some(p) = &view.partnership else { return };
    ui.heading("Your partner");
    if let Some(slot) = view.partner_slot()
        && p.partner(slot).key.is_some()
    {
        ui.label(format!(
            "You are paired with {}. Your devices sync directly with each other whenever \
             both are online; nothing passes through a server.",
            p.name(slot)
        ));
        if let Some(done) = &app.pairing.done {
            ui.label(format!("Paired with {done} just now."));
        }
        return;
    }
    ui.label(
        "Invite your partner: give them the invite text (by message or mail) or let them \
         scan the code. The invite works once, for 15 minutes.",
    );
    ui.add_space(8.0);
    if app.pairing.code.is_some() {
        codes_ui(app, ui);
        return;
    }
    if let Some(f) = app.pairing.failed.clone() {
        ui.colored_label(ui.visuals().error_fg_color, format!("Pairing failed: {f}"));
    }
    let now = cocoach_doc::now_ms();
    match app.pairing.invite.clone() {
        Some((ticket, expires)) if expires > now => {
            let left = (expires - now + 59_999) / 60_000;
            ui.label(format!(
                "Waiting for your partner to join… (expires in {left} min)"
            ));
            ui.horizontal(|ui| {
                let l = ui.label("Invite");
                let mut shown = ticket.clone();
                ui.add(
                    egui::TextEdit::multiline(&mut shown)
                        .desired_rows(3)
                        .desired_width(420.0)
                        .font(egui::TextStyle::Monospace)
                        .interactive(true),
                )
                .labelled_by(l.id);
                if ui.button("Copy").clicked() {
                    ui.ctx().copy_text(ticket.clone());
                }
            });
            qr_ui(ui, &ticket);
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(10));
        }
        Some(_) => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                "This invite has expired. Make a new one.",
            );
            if ui.button("Make a new invite").clicked() {
                app.send(Command::Invite);
            }
        }
        None => {
            if ui.button("Invite your partner").clicked() {
                app.send(Command::Invite);
            }
        }
    }
}

/// Both codes side by side: the one this device derived and the one the user reads
/// off the partner's screen. Confirm only when they match.
fn codes_ui(app: &mut CocoachUi, ui: &mut egui::Ui) {
    let Some((code, partner)) = app.pairing.code.clone() else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Contacting your partner's device…");
        });
        if let Some(f) = &app.pairing.failed {
            ui.colored_label(ui.visuals().error_fg_color, f);
        }
        return;
    };
    ui.strong(format!("Check that {partner} sees the same code"));
    ui.label(
        "Both screens show a code made from both devices' keys and the invite. Read \
         your partner's code (in person or on the phone) and type it in.",
    );
    ui.add_space(6.0);
    let typed = digits(&app.pairing.typed);
    let ours = digits(&code);
    egui::Grid::new("codes")
        .num_columns(2)
        .spacing([24.0, 6.0])
        .show(ui, |ui| {
            ui.label("Your code");
            let l = ui.label(format!("Code on {partner}'s screen"));
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
        ui.colored_label(
            ui.visuals().error_fg_color,
            "The codes differ. Do not confirm: someone else may be answering your invite. \
             Cancel and make a new invite.",
        );
    }
    if app.pairing.confirmed {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("Waiting for {partner} to confirm…"));
        });
        return;
    }
    ui.horizontal(|ui| {
        if ui
            .add_enabled(matches, egui::Button::new("Codes match — confirm"))
            .on_disabled_hover_text("Type the code from your partner's screen first")
            .clicked()
        {
            app.pairing.confirmed = true;
            app.send(Command::ConfirmPairing(true));
        }
        if ui.button("Cancel").clicked() {
            app.send(Command::ConfirmPairing(false));
            app.pairing = Pairing {
                failed: Some("you cancelled the pairing".into()),
                ..Pairing::default()
            };
        }
    });
}

/// The invite as a QR code, drawn as squares (dark on light in both themes).
fn qr_ui(ui: &mut egui::Ui, ticket: &str) {
    let Ok(code) = qrcode::QrCode::new(ticket.as_bytes()) else {
        return;
    };
    let w = code.width();
    let colors = code.to_colors();
    let module = 4.0;
    let quiet = 4.0 * module;
    let side = w as f32 * module + 2.0 * quiet;
    let (rect, resp) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    resp.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, "QR code of the invite")
    });
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
