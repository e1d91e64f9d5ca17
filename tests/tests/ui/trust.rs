//! Trust and honesty: a tampering change refused and shown, and the status bar
//! after the partner leaves.

use super::*;

/// A partner's device that sends a change rewriting who the partners are: the
/// honest window refuses it, says so in red until dismissed (once, though the
/// partner's device retries at each reconnect), and the status bar says "Not
/// syncing" for as long as it lasts.
#[test]
fn a_refused_tampering_change_is_shown_in_the_window() {
    use cocoach_doc::automerge::{ObjId, ROOT, ReadDoc, transaction::Transactable};
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);
    // B's device, buggy or hostile, rewrites its own key in the document.
    let third = cocoach_doc::DeviceIdentity::from_seed([0x33; 32]).public();
    assert!(b.state_mut().send(cocoach_node::Command::Edit {
        what: "tamper",
        edit: Box::new(move |d| {
            let am = d.automerge_mut();
            fn get(am: &cocoach_doc::automerge::AutoCommit, o: &ObjId, k: &str) -> ObjId {
                am.get(o, k).unwrap().unwrap().1
            }
            let p = get(am, &ROOT, "partnership");
            let ps = get(am, &p, "partners");
            let slot = get(am, &ps, "b");
            am.put(&slot, "key", third.to_hex())
                .map_err(cocoach_doc::DocError::Automerge)
        }),
    }));
    b.step();
    until(&mut a, "the tamper warning", |h| {
        shows(h, "Refused your partner's latest changes")
    });
    assert!(shows(&a, "partner B's device key"));
    // It stays until dismissed.
    for _ in 0..20 {
        a.step();
    }
    assert!(shows(&a, "Refused your partner's latest changes"));
    // The status bar says it too, and keeps saying it once the notice is
    // dismissed, while B's device keeps retrying.
    assert!(shows(&a, "Not syncing: Bo Lindqvist's changes refused"));
    a.get_by_label("Dismiss").click();
    for _ in 0..100 {
        a.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !shows(&a, "Refused your partner's latest changes"),
        "the notice came back"
    );
    assert!(shows(&a, "Not syncing: Bo Lindqvist's changes refused"));
}

/// The status bar stays honest when the partner goes away: tried as a new user
/// would — pair two windows, close the partner's, edit — the bar used to keep
/// saying "Bo has all your changes". It now counts from the stored sync state.
#[test]
fn after_the_partner_leaves_an_edit_shows_as_not_yet_received() {
    let mut rig = Rig::new();
    let (mut a, b) = paired(&mut rig);
    until(&mut a, "in sync", |h| {
        shows(h, "Bo Lindqvist has all your changes")
    });
    drop(b);
    until(&mut a, "Bo gone", |h| {
        shows(h, "Bo Lindqvist not reachable")
    });
    assert!(
        shows(&a, "Bo Lindqvist has all your changes"),
        "nothing new yet"
    );
    a.state_mut()
        .edit(cocoach_i18n::key!("edit-add-ground-rule"), |d| {
            d.add_ground_rule("written while Bo is away")
        });
    until(&mut a, "the edit counted", |h| {
        shows(h, "1 change not yet received by Bo Lindqvist")
    });
    assert!(!shows(&a, "Bo Lindqvist has all your changes"));
    a.state_mut()
        .edit(cocoach_i18n::key!("edit-add-ground-rule"), |d| {
            d.add_ground_rule("and another")
        });
    until(&mut a, "two counted", |h| {
        shows(h, "2 changes not yet received by Bo Lindqvist")
    });
}
