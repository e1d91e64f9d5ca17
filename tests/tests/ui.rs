//! The desktop views, driven headless with egui_kittest (no GPU, no display), each
//! window over a real node on loopback: first run, pairing with both codes, the
//! contract edited and signed by both.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::sync::Arc;
use std::time::{Duration, Instant};

use cocoach_node::{NodeConfig, NodeHandle};
use cocoach_store::DataDir;
use cocoach_ui::CocoachUi;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

struct Rig {
    rt: tokio::runtime::Runtime,
    _dirs: Vec<tempfile::TempDir>,
}

impl Rig {
    fn new() -> Rig {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        Rig {
            rt,
            _dirs: Vec::new(),
        }
    }

    fn window(&mut self) -> Harness<'static, CocoachUi> {
        let dir = tempfile::tempdir().unwrap();
        let cfg = NodeConfig {
            data_dir: DataDir::new(dir.path()),
            bind: "127.0.0.1:0".parse().unwrap(),
            mdns: false,
            tap: None,
        };
        self._dirs.push(dir);
        let node = NodeHandle::spawn(self.rt.handle(), cfg, Arc::new(|| {}));
        Harness::builder()
            .with_size([1100.0, 800.0])
            .build_ui_state(
                |ui, app: &mut CocoachUi| {
                    app.logic();
                    app.ui(ui);
                },
                CocoachUi::new(Box::new(node)),
            )
    }
}

/// Step the window until `done` holds (the node answers asynchronously).
fn until(
    h: &mut Harness<'_, CocoachUi>,
    what: &str,
    done: impl Fn(&Harness<'_, CocoachUi>) -> bool,
) {
    let start = Instant::now();
    loop {
        h.step();
        if done(h) {
            h.step();
            return;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let seen: Vec<String> = h
                .query_all_by_role(Role::Label)
                .filter_map(|n| n.accesskit_node().value())
                .collect();
            panic!("timed out waiting for: {what}\non screen: {seen:#?}");
        }
        std::thread::sleep(Duration::from_millis(15));
    }
}

fn shows(h: &Harness<'_, CocoachUi>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

fn type_into(h: &mut Harness<'_, CocoachUi>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.get_by_label(label).type_text(text);
    h.step();
    h.step();
}

/// The verification code on a window: the label that reads "123 456".
fn code_on(h: &Harness<'_, CocoachUi>) -> String {
    h.query_all_by_role(Role::Label)
        .filter_map(|n| n.accesskit_node().value())
        .find(|l| {
            l.len() == 7
                && l.as_bytes()[3] == b' '
                && l.chars().filter(char::is_ascii_digit).count() == 6
        })
        .expect("a verification code on screen")
}

/// First run on two windows, then pairing through the screens.
fn paired(rig: &mut Rig) -> (Harness<'static, CocoachUi>, Harness<'static, CocoachUi>) {
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

#[test]
fn pairing_screen_flow_with_both_codes() {
    let mut rig = Rig::new();
    let (mut a, _b) = paired(&mut rig);
    a.get_by_label_contains("Partner  (").click();
    until(&mut a, "the partner screen", |h| {
        shows(h, "You are paired with Bo Lindqvist")
    });
}

#[test]
fn a_bad_invite_fails_clearly() {
    let mut rig = Rig::new();
    let mut b = rig.window();
    until(&mut b, "the first-run screen", |h| {
        shows(h, "Welcome to cocoach")
    });
    type_into(&mut b, "Your name", "Bo");
    type_into(
        &mut b,
        "Invite from your partner",
        "cocoach-this-is-not-an-invite",
    );
    b.get_by_label("Join").click();
    until(&mut b, "the failure", |h| shows(h, "Joining failed"));
}

#[test]
fn contract_edited_on_one_side_and_signed_by_both() {
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);
    assert!(shows(&a, "Not signed yet"));

    // A fills in the place; it is sent when A leaves the field (Enter).
    type_into(&mut a, "Where we meet", "Café Lindt, Fridays 8:00");
    a.key_press(egui::Key::Enter);
    a.step();
    until(&mut b, "A's place on B's screen", |h| {
        h.get_by_label("Where we meet").value().as_deref() == Some("Café Lindt, Fridays 8:00")
    });

    // B adds a ground rule; A sees it.
    type_into(&mut b, "New rule", "Phones face down");
    b.get_by_label("Add rule").click();
    b.step();
    until(&mut a, "B's rule on A's screen", |h| {
        h.query_all_by_role(Role::TextInput)
            .any(|n| n.value().as_deref() == Some("Phones face down"))
    });

    // A signs; B sees that A waits for them; B signs; both see it signed by both.
    a.get_by_label("Sign the contract").click();
    a.step();
    until(&mut b, "A's signature on B", |h| {
        shows(h, "Ana Müller has signed — waiting for you to sign")
    });
    until(&mut a, "A's own signature", |h| {
        shows(h, "Signed by you — waiting for Bo Lindqvist to sign")
    });
    b.get_by_label("Sign the contract").click();
    b.step();
    until(&mut a, "signed by both on A", |h| {
        shows(h, "Signed by both of you")
    });
    until(&mut b, "signed by both on B", |h| {
        shows(h, "Signed by both of you")
    });

    // Any change afterwards needs both signatures again.
    type_into(&mut b, "Session length (minutes)", "75");
    b.key_press(egui::Key::Enter);
    b.step();
    until(&mut a, "the change on A", |h| {
        shows(h, "Changed since signing")
    });
}

#[test]
fn an_action_marked_done_with_a_celebration_reaches_the_partner() {
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);
    a.get_by_label_contains("Actions  (").click();
    a.step();
    until(&mut a, "the actions screen", |h| {
        shows(h, "No open actions.")
    });

    // A commits to an action for next week (the date field starts a week ahead).
    type_into(&mut a, "New action", "Email Jana about the UX team");
    a.get_by_label("Add action").click();
    a.step();
    until(&mut a, "A's new action", |h| shows(h, "due in 7 days"));

    // And one that is already overdue: it stands out as such.
    type_into(&mut a, "New action", "Update the CV");
    a.get_by_label("by").focus();
    a.step();
    a.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    a.step();
    let yesterday = cocoach_doc::Date::today().add_days(-1).unwrap().to_string();
    a.get_by_label("by").type_text(&yesterday);
    a.step();
    a.get_by_label("Add action").click();
    a.step();
    until(&mut a, "the overdue action", |h| {
        shows(h, "overdue by 1 day")
    });

    // B sees both under A's name.
    b.get_by_label_contains("Actions  (").click();
    b.step();
    until(&mut b, "A's actions on B", |h| {
        shows(h, "Ana Müller's")
            && shows(h, "Email Jana about the UX team")
            && shows(h, "overdue by 1 day")
    });

    // A marks the first done; the celebration is asked for and required.
    a.get_by_label("Mark “Email Jana about the UX team” done")
        .click();
    a.step();
    a.step();
    assert!(
        a.get_by_label("Celebrate and mark done")
            .accesskit_node()
            .is_disabled()
    );
    type_into(
        &mut a,
        "Well done! What went well? A line to celebrate it:",
        "She said yes to a coffee!",
    );
    a.get_by_label("Celebrate and mark done").click();
    a.step();
    until(&mut b, "the celebration on B", |h| {
        shows(h, "Done (1)") && shows(h, "She said yes to a coffee!")
    });
    until(&mut a, "the done list on A", |h| shows(h, "Done (1)"));
}
