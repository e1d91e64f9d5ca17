//! First run and pairing through the screens (both codes, a bad invite), and the
//! contract edited on one side and signed by both.

use super::*;

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
    // In words (the node names the refusal by its message id).
    assert!(shows(&b, "this invite is not a cocoach invite"));
    assert!(!shows(&b, "err-bad-invite"));
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
