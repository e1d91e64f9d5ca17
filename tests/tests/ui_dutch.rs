//! A whole session in Dutch, on two windows over real nodes: pairing, the session
//! started, the deck's questions, GROW notes, an action each, the swap moment and
//! closing — every line the window shows in Dutch, with dates and plurals the Dutch
//! way, and none of the window's English messages left on screen.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod ui_rig;

use cocoach_i18n::{Lang, Tr, tr};
use cocoach_ui::CocoachUi;
use cocoach_ui::session::{Stage, deck};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ui_rig::{Rig, paired_in, shows, type_into, until};

/// Everything the window shows as text (labels, buttons, field values).
fn on_screen(h: &Harness<'_, CocoachUi>) -> Vec<String> {
    [Role::Label, Role::Button, Role::CheckBox, Role::Link]
        .into_iter()
        .flat_map(|r| {
            h.query_all_by_role(r)
                .filter_map(|n| n.accesskit_node().value().or(n.accesskit_node().label()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// English messages of the window (without arguments) that read differently in
/// Dutch: none of them may be on a Dutch screen.
fn english_left(h: &Harness<'_, CocoachUi>) -> Vec<String> {
    let (en, nl) = (Tr::get(Lang::En), Tr::get(Lang::Nl));
    let english: Vec<String> = en
        .ids()
        .into_iter()
        .map(|id| (en.t(&id), nl.t(&id)))
        .filter(|(e, n)| e != n && !e.contains('{') && e.len() > 3)
        .map(|(e, _)| e)
        .collect();
    on_screen(h)
        .into_iter()
        .filter(|s| english.iter().any(|e| e == s))
        .collect()
}

fn click(h: &mut Harness<'_, CocoachUi>, label: &str) {
    h.get_by_label(label).click();
    h.step();
    h.step();
}

#[test]
fn a_whole_session_in_dutch() {
    let nl = Tr::get(Lang::Nl);
    let mut rig = Rig::new();
    let (mut a, mut b) = paired_in(&mut rig, Lang::Nl);
    for h in [&mut a, &mut b] {
        h.get_by_label_contains("Sessie  (").click();
        h.step();
    }
    until(&mut a, "the start screen", |h| {
        shows(h, "Er loopt geen sessie.")
    });
    assert!(
        english_left(&a).is_empty(),
        "English on A: {:?}",
        english_left(&a)
    );
    click(&mut a, "Sessie van vandaag starten");
    for h in [&mut a, &mut b] {
        until(h, "the running session", |h| {
            shows(h, "Eerste helft: Bo Lindqvist, gecoacht door Ana Müller")
        });
    }
    assert!(shows(
        &a,
        "Je coacht Bo Lindqvist. Vraag, luister, geef geen advies."
    ));
    assert!(shows(&b, "Ana Müller coacht jou."));

    // The deck speaks Dutch, and "another question" moves on.
    let goal = deck(&nl, Stage::Goal);
    let english_goal = deck(&Tr::get(Lang::En), Stage::Goal);
    assert_ne!(goal[0], english_goal[0]);
    assert!(shows(&a, &goal[0]), "{}", goal[0]);
    click(&mut a, "Andere vraag bij Doel");
    assert!(shows(&a, &goal[1]) && !shows(&a, &goal[0]));
    type_into(
        &mut a,
        "Notities bij Doel",
        "Een eerste UX-baan voor de zomer",
    );

    // Bo's action, due in a week: the deadline reads the Dutch way.
    type_into(&mut a, "Actie", "Portfolio naar twee studio's sturen");
    until(&mut b, "the goal on B", |h| {
        h.get_by_label("Notities bij Doel").value().as_deref()
            == Some("Een eerste UX-baan voor de zomer")
    });
    click(&mut a, "Toevoegen voor Bo Lindqvist");
    let in_a_week = cocoach_doc::Date::today().add_days(7).unwrap().civil();
    let line = format!(
        "Portfolio naar twee studio's sturen — uiterlijk {}",
        nl.date(in_a_week)
    );
    assert!(
        nl.date(in_a_week) != Tr::get(Lang::En).date(in_a_week),
        "a Dutch month name"
    );
    until(&mut a, "Bo's action listed", |h| shows(h, &line));
    assert!(shows(&a, "Nog zonder actie met een deadline: Ana Müller"));

    // The timer runs out: the swap moment, in Dutch.
    click(&mut a, "Timer starten");
    let now = a.ctx.input(|i| i.time);
    a.input_mut().time = Some(now + 4.0 * 3600.0);
    a.step();
    a.step();
    assert!(shows(
        &a,
        "Tijd om te wisselen: Bo Lindqvist coacht nu Ana Müller."
    ));
    click(&mut a, "Rollen wisselen");
    assert!(shows(&a, "Bo Lindqvist coacht jou."));

    type_into(&mut a, "Actie", "Een recruiter bellen");
    click(&mut a, "Toevoegen voor Ana Müller");
    until(&mut a, "closing allowed", |h| {
        h.query_by_label("Sessie afsluiten").is_some()
    });
    assert!(shows(
        &a,
        "Jullie hebben allebei een actie met een deadline."
    ));
    assert!(
        english_left(&a).is_empty(),
        "English on A: {:?}",
        english_left(&a)
    );
    assert!(
        english_left(&b).is_empty(),
        "English on B: {:?}",
        english_left(&b)
    );
    click(&mut a, "Sessie afsluiten");
    for h in [&mut a, &mut b] {
        until(h, "the closed session", |h| {
            shows(h, "Er loopt geen sessie.") && shows(h, "Eerdere sessies (1)")
        });
    }
    // The status bar and the side bar too.
    assert!(shows(&a, "Opgeslagen op dit apparaat"));
    assert!(shows(&a, "Verbonden met Bo Lindqvist"));
    assert!(shows(&b, "Acties  ("));
    assert!(
        english_left(&b).is_empty(),
        "English on B: {:?}",
        english_left(&b)
    );
    let p = b.state().view.clone().unwrap();
    let p = p.partnership.as_ref().unwrap();
    assert_eq!(p.sessions.len(), 1);
    assert_eq!(p.actions.len(), 2);
    // The defaults were written in the creator's language.
    assert_eq!(p.contract.ground_rules[0], "Wees bemoedigend en uitdagend.");
    let _ = tr!(nl, "screen-session");
}

/// The language picker switches the whole window at once.
#[test]
fn the_language_picker_switches_the_window_to_dutch_and_back() {
    let mut rig = Rig::new();
    let mut a = rig.window();
    until(&mut a, "the first-run screen", |h| {
        shows(h, "Welcome to cocoach")
    });
    type_into(&mut a, "Your name", "Ana Müller");
    click(&mut a, "Create partnership");
    until(&mut a, "the Partner screen", |h| {
        shows(h, "Invite your partner")
    });
    a.get_by_label("Language").click();
    a.step();
    a.step();
    a.get_by_label("Nederlands").click();
    a.step();
    a.step();
    until(&mut a, "the window in Dutch", |h| {
        shows(h, "Nodig je partner uit") && shows(h, "Taal")
    });
    assert!(!shows(&a, "Invite your partner"));
    assert_eq!(a.state().lang(), Lang::Nl);
    a.get_by_label("Taal").click();
    a.step();
    a.step();
    a.get_by_label("English").click();
    a.step();
    a.step();
    until(&mut a, "the window in English", |h| {
        shows(h, "Invite your partner")
    });
}
