//! Running a session: a whole one with review, GROW, the deck and the swap; one
//! started on an agreed day with the other partner first; a question added to
//! the shared deck; a partner's typing arriving mid-selection.

use super::*;

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
