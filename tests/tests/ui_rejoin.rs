//! Re-pairing from the window, in Dutch: Bo's laptop is lost and his backup had no
//! device key. The restored window opens on the Partner screen and says why it
//! cannot edit or sync; Ana makes a re-pairing invite on her Partner screen; Bo
//! pastes it, both compare the code, and Bo's window is a partner again: connected,
//! with Ana's edit made meanwhile, and its own edits reach Ana.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod ui_rig;

use cocoach_i18n::{Lang, Tr, tr};
use cocoach_store::DataDir;
use cocoach_store::backup::{BackupOptions, RestoreOptions, backup, restore};
use cocoach_ui::CocoachUi;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ui_rig::{Rig, confirm_codes, paired_in, shows, type_into, until};

/// The window's latest view holds this ground rule (the rules are text boxes).
fn has_rule(h: &Harness<'_, CocoachUi>, rule: &str) -> bool {
    h.state().view.as_ref().is_some_and(|v| {
        v.partnership
            .as_ref()
            .is_some_and(|p| p.contract.ground_rules.iter().any(|r| r == rule))
    })
}

#[test]
fn a_window_restored_without_its_key_re_pairs_through_the_partner_screen() {
    let lang = Lang::Nl;
    let tr = Tr::get(lang);
    let mut rig = Rig::new();
    let (mut a, b) = paired_in(&mut rig, lang);
    // Bo's backup, without the device key; then his laptop is gone.
    let spare = tempfile::tempdir().unwrap();
    let file = spare.path().join("bo.cocoach");
    backup(&rig.dir(1), &file, BackupOptions::default()).unwrap();
    drop(b);
    a.state_mut()
        .edit(cocoach_i18n::key!("edit-add-ground-rule"), |d| {
            d.add_ground_rule("Ana: terwijl Bo weg was")
        });

    let fresh = tempfile::tempdir().unwrap();
    restore(
        &DataDir::new(fresh.path()),
        &file,
        RestoreOptions::default(),
    )
    .unwrap();
    let mut n = rig.window_over(fresh, lang);
    let explain = tr!(tr, "pairing-rejoin-explain");
    until(&mut n, "the restored window on its Partner screen", |h| {
        shows(h, &explain)
    });
    assert!(
        shows(&n, &tr!(tr, "status-needs-rejoin")),
        "the status bar says it"
    );
    // Every other screen says it, with a way to the Partner screen.
    let contract = tr!(tr, "screen-contract");
    n.query_all_by_label_contains(&contract)
        .find(|x| x.accesskit_node().role() == Role::Button)
        .expect("the Contract screen in the side bar")
        .click();
    let banner = tr!(tr, "pairing-rejoin-banner");
    until(&mut n, "the banner", |h| shows(h, &banner));
    n.get_by_label(&tr!(tr, "pairing-rejoin-go")).click();
    until(&mut n, "back on the Partner screen", |h| shows(h, &explain));
    assert!(
        n.query_by_label(&tr!(tr, "pairing-invite-partner"))
            .is_none(),
        "no invite for a new partner on a restored device"
    );

    // Ana: Partner screen → a re-pairing invite.
    let partner = tr!(tr, "screen-partner");
    a.query_all_by_label_contains(&partner)
        .find(|x| x.accesskit_node().role() == Role::Button)
        .expect("the Partner screen in the side bar")
        .click();
    let make = tr!(tr, "pairing-rejoin-invite");
    until(&mut a, "the re-pairing button", |h| shows(h, &make));
    a.get_by_label(&make).click();
    until(&mut a, "the invite", |h| {
        h.query_by_label(&tr!(tr, "pairing-qr-name")).is_some()
    });
    let ticket = a
        .get_by_label(&tr!(tr, "pairing-invite"))
        .value()
        .expect("the invite text");

    type_into(
        &mut n,
        &tr!(tr, "pairing-rejoin-invite-from-partner"),
        &ticket,
    );
    n.get_by_label(&tr!(tr, "pairing-rejoin")).click();
    confirm_codes(&mut a, &mut n, &tr);
    // No false alarm on the restored device (its place names its old key).
    assert!(
        !shows(&n, &tr!(tr, "notice-tampered", what = "")[..20]),
        "a tampering notice on the restored window"
    );

    let connected = tr!(tr, "status-connected", partner = "Ana Müller");
    until(&mut n, "Bo connected again", |h| shows(h, &connected));
    until(&mut n, "Ana's edit on Bo's window", |h| {
        has_rule(h, "Ana: terwijl Bo weg was")
    });
    assert!(!shows(&n, &banner), "the banner is gone");
    assert!(!shows(&n, &tr!(tr, "status-needs-rejoin")));
    n.state_mut()
        .edit(cocoach_i18n::key!("edit-add-ground-rule"), |d| {
            d.add_ground_rule("Bo: vanaf de nieuwe computer")
        });
    until(&mut a, "Bo's edit on Ana's window", |h| {
        has_rule(h, "Bo: vanaf de nieuwe computer")
    });
}
