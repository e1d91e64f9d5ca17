//! The record kept between sessions: actions (done with a celebration, edited,
//! obstructed, dropped, patterns), the private journal, and history.

use super::*;

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
