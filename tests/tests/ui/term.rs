//! The practice over the term: the first meeting leading to the signed contract,
//! the term's review and its renewal, and a session field set differently while
//! apart, settled where it is shown.

use super::*;

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
