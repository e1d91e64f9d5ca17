//! The desktop views, driven headless with egui_kittest (no GPU, no display), each
//! window over a real node on loopback: first run, pairing with both codes, the
//! contract edited and signed by both.
//!
//! Each test is one whole user journey over the same two-window harness: the
//! helpers that bring both windows to a paired start live here, the rig itself in
//! `ui_rig/`, and the journeys in a file per concern: `pairing.rs`, `session.rs`,
//! `term.rs` (the practice over the term), `records.rs` (actions, journal,
//! history) and `trust.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

#[path = "../ui_rig/mod.rs"]
mod ui_rig;

mod pairing;
mod records;
mod session;
mod term;
mod trust;

use std::time::Duration;

use cocoach_ui::CocoachUi;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ui_rig::{Rig, code_on, shows, type_into, until};

/// First run on two windows, then pairing through the screens.
pub(crate) fn paired(rig: &mut Rig) -> (Harness<'static, CocoachUi>, Harness<'static, CocoachUi>) {
    let mut a = rig.window();
    let mut b = rig.window();
    until(&mut a, "the first-run screen", |h| {
        shows(h, "Welcome to cocoach")
    });
    until(&mut b, "the first-run screen", |h| {
        shows(h, "Welcome to cocoach")
    });

    // A starts a partnership; the Create button waits for a name.
    assert!(
        a.get_by_label("Create partnership")
            .accesskit_node()
            .is_disabled()
    );
    type_into(&mut a, "Your name", "Ana Müller");
    a.get_by_label("Create partnership").click();
    until(&mut a, "the Partner screen", |h| {
        shows(h, "Invite your partner")
    });
    a.get_by_role_and_label(Role::Button, "Invite your partner")
        .click();
    until(&mut a, "the invite", |h| {
        shows(h, "Waiting for your partner to join")
    });
    assert!(
        a.query_by_label("QR code of the invite").is_some(),
        "the invite as a QR code"
    );
    let ticket = a.get_by_label("Invite").value().expect("the invite text");
    assert!(ticket.starts_with("cocoach"), "{ticket}");

    // B joins with the pasted invite.
    type_into(&mut b, "Your name", "Bo Lindqvist");
    type_into(&mut b, "Invite from your partner", &ticket);
    b.get_by_label("Join").click();
    until(&mut b, "B's code", |h| {
        shows(h, "Check that your partner sees the same code")
    });
    until(&mut a, "A's code", |h| {
        shows(h, "Check that Bo Lindqvist sees the same code")
    });
    let (code_a, code_b) = (code_on(&a), code_on(&b));
    assert_eq!(code_a, code_b, "both windows derive the same code");

    // A mistyped code is caught and confirming is impossible.
    type_into(&mut a, "Code on Bo Lindqvist's screen", "000 000");
    assert!(shows(&a, "The codes differ"));
    assert!(
        a.get_by_label("Codes match — confirm")
            .accesskit_node()
            .is_disabled()
    );
    a.get_by_label("Code on Bo Lindqvist's screen").focus();
    a.step();
    for _ in 0..7 {
        a.key_press(egui::Key::Backspace);
    }
    a.step();
    type_into(&mut a, "Code on Bo Lindqvist's screen", &code_b);
    assert!(!shows(&a, "The codes differ"));
    type_into(&mut b, "Code on your partner's screen", &code_a);
    a.get_by_label("Codes match — confirm").click();
    b.get_by_label("Codes match — confirm").click();
    a.step();
    b.step();
    until(&mut b, "B's contract", |h| {
        shows(h, "Our contract") && shows(h, "Connected to Ana Müller")
    });
    until(&mut a, "A connected", |h| {
        shows(h, "Connected to Bo Lindqvist")
    });
    (a, b)
}

pub(crate) fn to_session_screen(h: &mut Harness<'_, CocoachUi>) {
    h.get_by_label_contains("Session  (").click();
    h.step();
}

/// The id of the session running on a window.
pub(crate) fn open_session_id(h: &Harness<'_, CocoachUi>) -> cocoach_doc::SessionId {
    let v = h.state().view.clone().unwrap();
    cocoach_ui::session::open_session(v.partnership.as_ref().unwrap())
        .expect("a running session")
        .id
        .clone()
}
