//! The desktop views, driven headless with egui_kittest (no GPU, no display), each
//! window over a real node on loopback: first run, pairing with both codes, the
//! contract edited and signed by both.
//!
//! One file on purpose (~740 lines): every test drives the same two-window harness
//! defined here, and each test is one whole user journey.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod ui_rig;

use std::time::Duration;

use cocoach_ui::CocoachUi;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ui_rig::{Rig, code_on, shows, type_into, until};

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

fn to_session_screen(h: &mut Harness<'_, CocoachUi>) {
    h.get_by_label_contains("Session  (").click();
    h.step();
}

/// The id of the session running on a window.
fn open_session_id(h: &Harness<'_, CocoachUi>) -> cocoach_doc::SessionId {
    let v = h.state().view.clone().unwrap();
    cocoach_ui::session::open_session(v.partnership.as_ref().unwrap())
        .expect("a running session")
        .id
        .clone()
}

/// A whole session: review of an earlier action, GROW with the question deck and
/// "what else?", a declined topic, the timer's swap moment, and closing only once
/// each partner has an action with a deadline.
#[test]
fn a_whole_session_ends_with_two_actions() {
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);

    // Bo committed to something before this session.
    let due = cocoach_doc::Date::today().add_days(2).unwrap();
    b.state_mut().edit("add an action", move |d| {
        d.add_action(
            cocoach_doc::Slot::B,
            "Ask Kim about her team",
            Some(due),
            None,
        )
        .map(|_| ())
    });
    to_session_screen(&mut a);
    to_session_screen(&mut b);
    // The contract says Ana coaches first: Bo is coached in the first half.
    // English conjugates for the person at the screen: "you coach", "Ana coaches".
    until(&mut a, "the start screen", |h| {
        shows(h, "No session is running.") && shows(h, "Next: you coach first, then Bo")
    });
    until(&mut b, "the partner's start screen", |h| {
        shows(h, "coaches first, then you") && !shows(h, "you coaches")
    });
    a.get_by_label("Start today's session").click();
    a.step();
    for h in [&mut a, &mut b] {
        until(h, "the running session", |h| {
            shows(h, "First half: Bo Lindqvist coached by Ana Müller")
        });
    }
    assert!(shows(&a, "You are coaching Bo Lindqvist"));
    assert!(shows(&b, "Ana Müller is coaching you"));

    // Review first: Bo's earlier action, done, with a celebration.
    until(&mut b, "the action to review", |h| {
        shows(h, "Ask Kim about her team")
    });
    b.get_by_label("Review “Ask Kim about her team”: Done")
        .click();
    b.step();
    b.step();
    type_into(
        &mut b,
        "Done! Celebrate it in a line:",
        "Kim invited me to shadow a day",
    );
    b.get_by_label("Celebrate and mark done").click();
    b.step();
    until(&mut a, "the action done on A", |h| {
        let v = h.state().view.clone().unwrap();
        v.partnership.as_ref().unwrap().actions.iter().any(|x| {
            x.what == "Ask Kim about her team"
                && x.status == cocoach_doc::ActionStatus::Done
                && x.celebration == "Kim invited me to shadow a day"
        })
    });

    // GROW on Ana's window (she coaches): a question from the deck, the goal, two options.
    let goal_deck = cocoach_ui::session::deck(
        &cocoach_i18n::Tr::get(cocoach_i18n::Lang::En),
        cocoach_ui::session::Stage::Goal,
    );
    let first_q = goal_deck[0].as_str();
    assert!(shows(&a, first_q));
    a.get_by_label("Another Goal question").click();
    a.step();
    a.step();
    assert!(shows(&a, &goal_deck[1]) && !shows(&a, first_q));
    type_into(&mut a, "Goal notes", "A first UX job by summer");
    a.get_by_label_contains("What else?").click();
    a.step();
    until(&mut a, "option 1", |h| h.query_by_label("1.").is_some());
    type_into(&mut a, "1.", "Volunteer for a charity's website");
    a.get_by_label_contains("What else?").click();
    a.step();
    until(&mut a, "option 2", |h| h.query_by_label("2.").is_some());
    a.get_by_label("Topic declined").click();
    a.step();
    until(&mut b, "the declined marker on B", |h| {
        shows(h, "declined 1 topic in this half")
    });
    until(&mut b, "A's goal and option on B", |h| {
        h.get_by_label("Goal notes").value().as_deref() == Some("A first UX job by summer")
            && h.get_by_label("1.").value().as_deref() == Some("Volunteer for a charity's website")
    });

    // Bo's action from this session.
    type_into(&mut a, "Action", "Send the portfolio to two studios");
    a.get_by_label("Add for Bo Lindqvist").click();
    a.step();
    until(&mut a, "Bo's action listed", |h| {
        shows(h, "Send the portfolio to two studios —")
    });
    // Closing is not possible yet: Ana has no action.
    assert!(a.query_by_label("Close session").is_none());
    assert!(shows(
        &a,
        "Still without an action with a deadline: Ana Müller"
    ));
    assert!(
        a.get_by_label("Close without actions")
            .accesskit_node()
            .is_disabled()
    );

    // The timer: the half's time runs out and the swap moment shows.
    a.get_by_label("Start timer").click();
    a.step();
    a.step();
    assert!(a.query_by_label("Pause timer").is_some());
    let now = a.ctx.input(|i| i.time);
    a.input_mut().time = Some(now + 4.0 * 3600.0);
    a.step();
    a.step();
    assert!(shows(
        &a,
        "Time to swap: Bo Lindqvist now coaches Ana Müller."
    ));
    a.get_by_label("Swap roles").click();
    a.step();
    a.step();
    assert!(shows(&a, "Bo Lindqvist is coaching you"));

    // Ana's action, then the session closes on both windows — in a window of
    // 1100×760, where the session's actions and close used to fall below the
    // fold (a click on a widget scrolled out of view is ignored, as with a mouse).
    // Ana's half holds a long page of notes, as a real one does.
    let notes: String = (1..=30).map(|i| format!("thought {i}\n")).collect();
    type_into(&mut a, "Other notes", &notes);
    a.set_size(egui::vec2(1100.0, 760.0));
    a.step();
    a.step();
    let r = a.get_by_label("Other notes").rect();
    assert!(r.max.y > 760.0, "the half is longer than the window: {r:?}");
    for label in ["Action", "Add for Ana Müller"] {
        let r = a.get_by_label(label).rect();
        assert!(r.max.y <= 760.0, "{label} is below the fold: {r:?}");
    }
    type_into(&mut a, "Action", "Book a call with a recruiter");
    a.get_by_label("Add for Ana Müller").click();
    a.step();
    until(&mut a, "closing allowed", |h| {
        h.query_by_label("Close session").is_some()
    });
    let r = a.get_by_label("Close session").rect();
    assert!(r.max.y <= 760.0, "Close session is below the fold: {r:?}");
    a.get_by_label("Close session").click();
    a.step();
    for h in [&mut a, &mut b] {
        until(h, "the closed session", |h| {
            shows(h, "No session is running.") && shows(h, "Earlier sessions (1)")
        });
        // The recap: each partner's action with its deadline, and what was
        // celebrated in the review — on both windows.
        assert!(shows(h, "Session closed — well done, both of you."));
        assert!(shows(h, "Ana Müller will:") && shows(h, "Bo Lindqvist will:"));
        assert!(shows(h, "Book a call with a recruiter — by "));
        assert!(shows(h, "Send the portfolio to two studios — by "));
        assert!(shows(
            h,
            "Bo Lindqvist: Ask Kim about her team — “Kim invited me to shadow a day”"
        ));
    }
    a.get_by_label("Dismiss the recap").click();
    a.step();
    a.step();
    assert!(!shows(&a, "Session closed — well done"));
    b.step();
    assert!(
        shows(&b, "Session closed — well done"),
        "dismissed on one window only"
    );
    let v = b.state().view.clone().unwrap();
    let p = v.partnership.as_ref().unwrap();
    let s = &p.sessions[0];
    assert!(s.closed_at_ms.is_some());
    let from_session: Vec<_> = p
        .actions
        .iter()
        .filter(|x| x.session.as_deref() == Some(s.id.as_str()))
        .map(|x| (x.owner, x.what.as_str()))
        .collect();
    assert_eq!(from_session.len(), 2, "{from_session:?}");
    assert_eq!(s.half(cocoach_doc::Slot::B).declined_at_ms.len(), 1);
    assert_eq!(s.half(cocoach_doc::Slot::B).options.len(), 2);
}

/// Before starting, the Session screen says when the rhythm plans the next
/// meeting; the partners pick another day and have the other partner coach first,
/// and the session starts so on both windows.
#[test]
fn a_session_starts_on_the_agreed_day_with_the_other_partner_coaching_first() {
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);
    let today = cocoach_doc::Date::today();
    let term_start = today.add_days(-3).unwrap();
    a.state_mut().edit("set the rhythm", move |d| {
        d.set_contract(cocoach_doc::ContractField::Frequency, "weekly")?;
        d.set_contract(
            cocoach_doc::ContractField::TermStart,
            &term_start.to_string(),
        )
    });
    to_session_screen(&mut a);
    to_session_screen(&mut b);
    let en = cocoach_i18n::Tr::get(cocoach_i18n::Lang::En);
    let next = today.add_days(4).unwrap();
    let line = format!(
        "Next meeting by your contract's rhythm: {}.",
        en.date_with_weekday(next.civil())
    );
    until(&mut a, "the next meeting", |h| shows(h, &line));
    assert!(shows(&a, "Next: you coach first, then Bo Lindqvist"));
    type_into(&mut a, "Date of this session", &next.to_string());
    a.get_by_label("Bo Lindqvist coaches first").click();
    a.step();
    a.step();
    assert!(shows(
        &a,
        "You chose otherwise than the contract's rule (Ana Müller would coach first)."
    ));
    assert!(shows(&a, "Next: Bo Lindqvist coaches first, then you"));
    let button = format!("Start the session of {}", en.date(next.civil()));
    a.get_by_label(&button).click();
    a.step();
    until(
        &mut b,
        "the session on B, on the agreed day, Bo first",
        |h| {
            let v = h.state().view.clone().unwrap();
            let p = v.partnership.as_ref().unwrap();
            p.open_session()
                .is_some_and(|s| s.date == Some(next) && s.coached_first == cocoach_doc::Slot::B)
        },
    );
    // The halves run that way round on Bo's window too.
    assert!(shows(&b, "First half: Ana Müller coached by Bo Lindqvist"));
}

/// The first meeting: offered before any session, each partner tells in turn
/// (seen on the other window), it leads to the contract, and once both signed it
/// the meeting closes without actions (issue 12, item 1).
#[test]
fn the_first_meeting_leads_to_a_signed_contract() {
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);
    to_session_screen(&mut a);
    to_session_screen(&mut b);
    until(&mut a, "the offer", |h| {
        shows(h, "Start with a getting-to-know meeting")
    });
    a.get_by_label("Start the first meeting").click();
    a.step();
    for h in [&mut a, &mut b] {
        until(h, "the first meeting", |h| {
            shows(h, "Getting to know each other") && shows(h, "Bo Lindqvist tells")
        });
    }
    // Not two GROW halves: the getting-to-know prompts.
    assert!(!shows(&a, "GROW"));
    assert!(shows(&a, "Where are you in your career now?"));
    let tab = a.get_by_label("Ana Müller tells");
    tab.click();
    a.step();
    a.step();
    assert!(shows(
        &a,
        "Your turn to tell; Bo Lindqvist listens and asks."
    ));
    type_into(
        &mut a,
        "Notes: Where you are",
        "Eight years in logistics, restless",
    );
    // The text box hands its edit to the node on a later frame of Ana's window.
    until(&mut a, "Ana's situation in A's document", |h| {
        let v = h.state().view.clone().unwrap();
        let p = v.partnership.as_ref().unwrap();
        p.open_session().is_some_and(|s| {
            s.half(cocoach_doc::Slot::A).reality == "Eight years in logistics, restless"
        })
    });
    until(&mut b, "Ana's situation on B", |h| {
        let v = h.state().view.clone().unwrap();
        let p = v.partnership.as_ref().unwrap();
        p.open_session().is_some_and(|s| {
            s.first_meeting
                && s.half(cocoach_doc::Slot::A).reality == "Eight years in logistics, restless"
        })
    });
    // It cannot close yet: the contract is not agreed.
    assert!(shows(
        &a,
        "A first meeting closes once you both signed the contract"
    ));
    assert!(a.query_by_label("Close session").is_none());
    a.get_by_label("Go to the contract").click();
    a.step();
    until(&mut a, "the contract screen", |h| {
        h.query_by_label("Sign the contract").is_some()
    });
    a.get_by_label("Sign the contract").click();
    a.step();
    b.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num4);
    until(&mut b, "A's signature on B", |h| {
        shows(h, "Ana Müller has signed — waiting for you to sign")
    });
    b.get_by_label("Sign the contract").click();
    b.step();
    to_session_screen(&mut a);
    until(&mut a, "the meeting may close", |h| {
        shows(
            h,
            "Your contract is agreed: you can close this meeting without actions.",
        ) && h.query_by_label("Close session").is_some()
    });
    a.get_by_label("Close session").click();
    a.step();
    to_session_screen(&mut b);
    for h in [&mut a, &mut b] {
        until(h, "closed on both", |h| {
            shows(h, "No session is running.") && shows(h, "Earlier sessions (1)")
        });
    }
    // Once held, the next session is a regular one (the offer stays on demand).
    assert!(!shows(&a, "Start with a getting-to-know meeting"));
    assert!(
        a.query_by_label("Start a getting-to-know meeting instead")
            .is_some()
    );
}

/// Ten days before the term ends, the Session screen says so and looks back
/// (sessions held against planned, actions, obstacles, goals then and now); the
/// partners renew it on the contract — a new end date, both sign again — and the
/// review gives way (issue 12, item 3; closing the partnership is still to come).
#[test]
fn a_term_near_its_end_is_reviewed_and_renewed_with_both_signatures() {
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);
    let today = cocoach_doc::Date::today();
    let start = today.add_days(-21).unwrap();
    let end = today.add_days(10).unwrap();
    a.state_mut().edit("a term and a session in it", move |d| {
        use cocoach_doc::ContractField as F;
        d.set_contract(F::Frequency, "weekly")?;
        d.set_contract(F::TermStart, &start.to_string())?;
        d.set_contract(F::TermEnd, &end.to_string())?;
        let s = d.new_session(start)?;
        d.append_half_text(
            &s,
            cocoach_doc::Slot::A,
            cocoach_doc::HalfText::Goal,
            "a first UX job",
        )?;
        let x = d.add_action(cocoach_doc::Slot::A, "Call Jo", Some(start), Some(&s))?;
        d.add_action(cocoach_doc::Slot::B, "Ask Kim", Some(start), Some(&s))?;
        d.add_obstacle(&x, "my network is weak")?;
        d.close_session(&s, "")
    });
    to_session_screen(&mut a);
    to_session_screen(&mut b);
    let en = cocoach_i18n::Tr::get(cocoach_i18n::Lang::En);
    let title = format!(
        "Your term ends on {}: time to look back together.",
        en.date(end.civil())
    );
    until(&mut b, "the review on B", |h| {
        shows(h, &title)
            && shows(h, "Sessions held: 1 of 5 planned.")
            && shows(
                h,
                "Actions set in the term: 0 done, 0 dropped, 2 still open.",
            )
            && shows(h, "What got in the way most: my network is weak × 1.")
            && shows(h, "Ana Müller's goal: “a first UX job”.")
    });
    // Renew: a new end date on the contract, signed by both again.
    until(&mut a, "the review on A", |h| shows(h, &title));
    a.get_by_label("Go to the contract").click();
    a.step();
    let renewed = today.add_days(90).unwrap().to_string();
    until(&mut a, "the contract screen", |h| {
        h.query_by_label("Term ends").is_some()
    });
    a.get_by_label("Term ends").focus();
    a.step();
    a.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    a.get_by_label("Term ends").type_text(&renewed);
    a.key_press(egui::Key::Enter);
    a.step();
    a.step();
    a.get_by_label("Sign the contract").click();
    a.step();
    b.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num4);
    until(&mut b, "A's renewal signed on B", |h| {
        shows(h, "Ana Müller has signed — waiting for you to sign")
    });
    b.get_by_label("Sign the contract").click();
    b.step();
    until(&mut a, "signed by both", |h| {
        shows(h, "Signed by both of you")
    });
    to_session_screen(&mut a);
    until(&mut a, "the review gone", |h| {
        shows(h, "No session is running.") && !shows(h, "time to look back together")
    });
}

/// Bo's laptop is closed while both change where today's session is: when it
/// opens again, both windows show the two places side by side, on the Session
/// screen where the place is; one click keeps one, on both (issue 12, item 6).
#[test]
fn a_session_field_set_differently_while_apart_is_settled_on_the_session_screen() {
    let mut rig = Rig::new();
    let (mut a, b) = paired(&mut rig);
    to_session_screen(&mut a);
    a.get_by_label("Start today's session").click();
    a.step();
    until(&mut a, "the session", |h| shows(h, "First half:"));
    let id = open_session_id(&a);
    until(&mut a, "in sync", |h| {
        shows(h, "Bo Lindqvist has all your changes")
    });
    drop(b);
    until(&mut a, "Bo gone", |h| {
        shows(h, "Bo Lindqvist not reachable")
    });
    let sid = id.clone();
    a.state_mut().edit("move the session", move |d| {
        d.set_session_place(&sid, "the library")
    });
    until(&mut a, "A's place", |h| shows(h, "at the library"));
    // Meanwhile on Bo's closed laptop (the command line would do the same).
    let bo_dir = rig.dir(1);
    let lock = loop {
        match bo_dir.lock() {
            Ok(l) => break l,
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    };
    {
        let device = cocoach_store::DeviceStore::open_or_create(&bo_dir).unwrap();
        let (mut store, mut doc, _) =
            cocoach_store::PartnershipStore::open(&bo_dir, Some(device.identity())).unwrap();
        let sid = id.clone();
        store
            .commit_edit(&mut doc, |d| d.set_session_place(&sid, "Café Zürich"))
            .unwrap();
    }
    drop(lock);
    let dir = rig._dirs.remove(1);
    let mut b = rig.window_over(dir, cocoach_i18n::Lang::En);
    until(&mut b, "Bo's window open again", |h| shows(h, "Session  ("));
    to_session_screen(&mut b);
    let question = "You two set this session's place differently while apart — pick one:";
    for h in [&mut a, &mut b] {
        until(h, "the two places side by side", |h| {
            shows(h, question)
                && h.query_by_label("Keep “the library” for this session's place")
                    .is_some()
                && h.query_by_label("Keep “Café Zürich” for this session's place")
                    .is_some()
        });
    }
    b.get_by_label("Keep “Café Zürich” for this session's place")
        .click();
    b.step();
    for h in [&mut a, &mut b] {
        until(h, "settled on both", |h| {
            !shows(h, question) && shows(h, "at Café Zürich")
        });
    }
}

/// A question Ana adds to the deck during a session reaches Bo's deck, credited
/// to her; Bo can take it out again, and it is gone from Ana's document too.
#[test]
fn a_question_added_to_the_deck_reaches_the_partner() {
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);
    to_session_screen(&mut a);
    to_session_screen(&mut b);
    until(&mut a, "the start screen", |h| {
        shows(h, "No session is running.")
    });
    a.get_by_label("Start today's session").click();
    a.step();
    for h in [&mut a, &mut b] {
        until(h, "the running session", |h| shows(h, "First half:"));
    }
    // The review has its own questions now, and so does each stage.
    assert!(shows(&a, "Did it happen? What exactly did you do?"));
    a.get_by_label("Add a Goal question to the deck").click();
    a.step();
    a.step();
    type_into(
        &mut a,
        "Your own Goal question",
        "What would make you proud?",
    );
    a.get_by_label("Add to the deck").click();
    a.step();
    until(&mut a, "the new question shown on A", |h| {
        shows(h, "What would make you proud?") && shows(h, "added by Ana Müller")
    });
    // Bo goes through the deck until Ana's question comes up.
    until(&mut b, "the question in B's document", |h| {
        let v = h.state().view.clone().unwrap();
        v.partnership.as_ref().unwrap().questions.len() == 1
    });
    let mut turns = 0;
    while !shows(&b, "What would make you proud?") {
        b.get_by_label("Another Goal question").click();
        b.step();
        b.step();
        turns += 1;
        assert!(turns < 20, "Ana's question never comes up on Bo's deck");
    }
    assert!(shows(&b, "added by Ana Müller"));
    b.get_by_label("Remove from the deck").click();
    b.step();
    until(&mut a, "the question gone on A", |h| {
        let v = h.state().view.clone().unwrap();
        v.partnership.as_ref().unwrap().questions.is_empty()
    });
}

/// Ana is typing in the goal (with two characters selected) when Bo's insertion at
/// the start arrives: her text box shows it at once, and her selection still covers
/// the same two characters, so what she types next replaces them, not others.
#[test]
fn a_remote_change_mid_typing_keeps_the_cursor_and_selection() {
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);
    to_session_screen(&mut a);
    to_session_screen(&mut b);
    until(&mut a, "the start screen", |h| {
        h.query_by_label("Start today's session").is_some()
    });
    a.get_by_label("Start today's session").click();
    a.step();
    until(&mut a, "the running session", |h| {
        h.query_by_label("Goal notes").is_some()
    });
    until(&mut b, "the running session on B", |h| {
        h.query_by_label("Goal notes").is_some()
    });

    type_into(&mut a, "Goal notes", "world");
    // Ana pauses: her word reaches Bo (so his edit comes after it, not beside it).
    for _ in 0..5 {
        a.step();
    }
    until(&mut b, "Ana's word on B", |h| {
        h.get_by_label("Goal notes").value().as_deref() == Some("world")
    });
    a.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowLeft);
    a.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowLeft);
    assert!(a.get_by_label("Goal notes").is_focused());
    // Bo types "hello " at the start of the same field.
    let field = cocoach_doc::TextRef::Half {
        session: open_session_id(&b),
        coachee: cocoach_doc::Slot::B,
        field: cocoach_doc::HalfText::Goal,
    };
    b.state_mut()
        .edit("type", move |d| d.splice(&field, 0, 0, "hello "));
    b.step();
    until(&mut a, "Bo's words in Ana's text box", |h| {
        h.get_by_label("Goal notes").value().as_deref() == Some("hello world")
    });
    assert!(a.get_by_label("Goal notes").is_focused(), "still typing");
    // The selection moved with "ld": typing replaces exactly those two characters.
    a.get_by_label("Goal notes").type_text("D");
    a.step();
    assert_eq!(
        a.get_by_label("Goal notes").value().as_deref(),
        Some("hello worD")
    );
    a.key_press(egui::Key::Tab);
    a.step();
    until(&mut b, "the merged text on B", |h| {
        h.get_by_label("Goal notes").value().as_deref() == Some("hello worD")
    });
}

/// A reflection written in the journal is saved and searchable on this device, and
/// is in neither partner's shared document, while a goal typed in the session is.
#[test]
fn a_journal_entry_is_not_in_the_shared_document() {
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);
    to_session_screen(&mut a);
    until(&mut a, "the start screen", |h| {
        h.query_by_label("Start today's session").is_some()
    });
    a.get_by_label("Start today's session").click();
    a.step();
    until(&mut a, "the running session", |h| {
        h.query_by_label("Goal notes").is_some()
    });
    type_into(&mut a, "Goal notes", "Shared goal: a UX role");
    a.key_press(egui::Key::Tab);
    a.step();

    // From the session straight to the journal, about this session.
    a.get_by_label("Write a private reflection on this session")
        .click();
    a.step();
    until(&mut a, "the journal", |h| {
        shows(h, cocoach_ui::journal::PRIVATE_NOTICE)
    });
    let about = a.get_by_label("About").value().unwrap_or_default();
    assert!(about.contains("the session of"), "{about}");
    type_into(&mut a, "New reflection", "I was nervous before calling Kim");
    a.get_by_label("Save privately").click();
    a.step();
    until(&mut a, "the saved reflection", |h| {
        shows(h, "I was nervous before calling Kim") && shows(h, "about the session of")
    });
    // Searchable, by the start of a word; a miss says so.
    type_into(&mut a, "Search", "nerv");
    until(&mut a, "the search hit", |h| {
        shows(h, "I was nervous before calling Kim")
    });
    type_into(&mut a, "Search", " zebra");
    until(&mut a, "no match", |h| shows(h, "No reflection matches."));

    // Bo's journal is empty, and he has Ana's goal (sync works) but not her reflection.
    b.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num3);
    until(&mut b, "B's journal", |h| {
        shows(h, cocoach_ui::journal::PRIVATE_NOTICE) && shows(h, "No reflections yet.")
    });
    until(&mut b, "A's goal on B", |h| {
        h.state().view.as_ref().is_some_and(|v| {
            v.partnership
                .as_ref()
                .is_some_and(|p| format!("{p:?}").contains("Shared goal: a UX role"))
        })
    });

    // Both devices' shared documents, as saved on disk, hold the goal and not the
    // reflection.
    for h in [&mut a, &mut b] {
        h.state_mut().shutdown();
        until(h, "the node stopped", |h| h.state().is_stopped());
    }
    for dir in &rig._dirs {
        let data = cocoach_store::DataDir::new(dir.path());
        let (_, mut doc, _) = cocoach_store::PartnershipStore::open(&data, None).unwrap();
        let all = cocoach_doc::export::markdown(&doc.read().unwrap());
        assert!(all.contains("Shared goal: a UX role"), "control: {all}");
        assert!(!all.contains("nervous"), "the reflection leaked: {all}");
        let raw = doc.automerge_mut().save_nocompress();
        assert!(
            raw.windows(11).any(|w| w == b"Shared goal"),
            "control: the goal's words are findable in the bytes"
        );
        assert!(
            !raw.windows(7).any(|w| w == b"nervous"),
            "the reflection is in the document's bytes"
        );
    }
}

/// History names who changed what, and shows the document as it was before a change.
#[test]
fn history_shows_who_changed_what_and_the_document_as_it_was() {
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);
    b.state_mut().edit("edit the contract", |d| {
        d.set_contract(cocoach_doc::ContractField::Place, "Café Central")
    });
    b.step();
    until(&mut a, "B's change on A", |h| {
        h.state()
            .view
            .as_ref()
            .is_some_and(|v| v.partnership.as_ref().unwrap().contract.place == "Café Central")
    });
    a.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num5);
    until(&mut a, "the history", |h| {
        shows(h, "Bo Lindqvist: edit the contract") && shows(h, "Ana Müller: partner joined")
    });
    // The line before Bo's edit: the document then has no place yet.
    let lines: Vec<String> = a
        .query_all_by_role(Role::Label)
        .filter_map(|n| n.accesskit_node().value())
        .filter(|l| l.contains(": "))
        .collect();
    assert!(
        lines.iter().position(|l| l.contains("edit the contract"))
            < lines.iter().position(|l| l.contains("partner joined")),
        "newest first: {lines:#?}"
    );
    let buttons: Vec<String> = a
        .query_all_by_role(Role::Button)
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| l.starts_with("As it was at"))
        .collect();
    assert!(buttons.len() >= 2, "{buttons:?}");
    a.get_all_by_role(Role::Button)
        .filter(|n| {
            n.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with("As it was at"))
        })
        .nth(1)
        .unwrap()
        .click();
    a.step();
    until(&mut a, "the document as it was", |h| {
        shows(h, "(read only)") && shows(h, "Contract") && shows(h, "How often: fortnightly")
    });
    assert!(!shows(&a, "Café Central"), "the place came later");
    a.get_by_label("Back to the history").click();
    a.step();
    until(&mut a, "the history again", |h| {
        shows(h, "Bo Lindqvist: edit the contract")
    });
}

/// An action's words and deadline can be changed, an obstacle noted, and the action
/// dropped; the partner sees each.
#[test]
fn an_action_is_edited_obstructed_and_dropped() {
    let mut rig = Rig::new();
    let (mut a, mut b) = paired(&mut rig);
    a.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    b.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num2);
    until(&mut a, "the actions screen", |h| {
        shows(h, "No open actions.")
    });
    type_into(&mut a, "New action", "Call Jana");
    a.get_by_label("Add action").click();
    a.step();
    until(&mut a, "the action", |h| shows(h, "Call Jana"));

    a.get_by_label("Edit “Call Jana”").click();
    a.step();
    a.step();
    // Both may type in an action's words: the field is a collaborative one.
    a.get_by_label("What").focus();
    a.step();
    a.key_press(egui::Key::End);
    a.get_by_label("What").type_text(" about the UX team");
    a.step();
    let later = cocoach_doc::Date::today().add_days(12).unwrap().to_string();
    a.get_by_label("Deadline").focus();
    a.step();
    a.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    a.get_by_label("Deadline").type_text(&later);
    a.step();
    a.get_by_label("Set deadline").click();
    a.step();
    a.get_by_label_contains("Obstacle “I don't have enough time” for “Call Jana")
        .click();
    a.step();
    until(&mut b, "the edits on B", |h| {
        shows(h, "Call Jana about the UX team")
            && shows(h, "due in 12 days")
            && shows(h, "In the way: I don't have enough time")
    });

    // Bo names the same obstacle on an action of his: the pattern shows grouped,
    // across both partners, on both windows (issue 12, item 4).
    type_into(&mut b, "New action", "Update my CV");
    b.get_by_label("Add action").click();
    b.step();
    until(&mut b, "Bo's action", |h| shows(h, "Update my CV"));
    b.get_by_label("Edit “Update my CV”").click();
    b.step();
    b.step();
    b.get_by_label_contains("Obstacle “I don't have enough time” for “Update my CV")
        .click();
    b.step();
    let en = cocoach_i18n::Tr::get(cocoach_i18n::Lang::En);
    let week = cocoach_doc::Date::today().add_days(7).unwrap();
    let pattern = format!(
        "I don't have enough time × 2, since {} {}",
        en.month(i8::try_from(week.month()).unwrap()),
        week.year()
    );
    for h in [&mut a, &mut b] {
        until(h, "the obstacle grouped", |h| shows(h, &pattern));
    }
    b.get_by_label("Close").click();
    b.step();

    a.get_by_label("Close").click();
    a.step();
    a.step();
    a.get_by_label("Drop “Call Jana about the UX team”").click();
    a.step();
    a.step();
    a.get_by_label("Really drop “Call Jana about the UX team”")
        .click();
    a.step();
    for h in [&mut a, &mut b] {
        until(h, "the action dropped", |h| {
            !shows(h, "Call Jana about the UX team")
        });
    }
}

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
