//! The coach's question deck (issue 12, item 5): every question of the practice is
//! in it, in both languages, and partners add their own — shared, merged like the
//! notes, kept by older and newer builds alike.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::automerge::transaction::Transactable;
use cocoach_doc::automerge::{ObjType, ReadDoc};
use cocoach_doc::{Slot, Stage, built_in_deck, schema as k};
use cocoach_i18n::{Lang, Tr};
use cocoach_store::{DataDir, PartnershipStore};
use cocoach_testkit::generate::pair;

/// The questions PRODUCT.md names for the review and for each stage of GROW, as
/// words that must appear in the English deck of that stage.
#[test]
fn every_question_of_the_practice_is_in_the_deck() {
    let en = Tr::get(Lang::En);
    let wanted: [(Stage, &[&str]); 5] = [
        (
            Stage::Review,
            &[
                "Did it happen",
                "What went well",
                "What got in the way",
                "differently",
            ],
        ),
        (Stage::Goal, &["take your career", "six months from now"]),
        (
            Stage::Reality,
            &[
                "Where are you",
                "going well, and what less well",
                "skills, knowledge and resources",
            ],
        ),
        (
            Stage::Options,
            &[
                "What else?",
                "no limitations",
                "knew you could not fail",
                "Who could help",
                "find out more",
            ],
        ),
        (
            Stage::Will,
            &[
                "Which of these will you do",
                "smallest step",
                "by when",
                "on track",
                "feel when it is done",
            ],
        ),
    ];
    for (stage, phrases) in wanted {
        let deck = built_in_deck(&en, stage);
        for phrase in phrases {
            assert!(
                deck.iter().any(|q| q.contains(phrase)),
                "{stage:?}: no question with {phrase:?} in {deck:#?}"
            );
        }
    }
}

fn texts(p: &cocoach_doc::Partnership, stage: Stage) -> Vec<(Option<Slot>, String)> {
    let en = Tr::get(Lang::En);
    p.deck(&en, stage)
        .into_iter()
        .filter(|c| c.added.is_some())
        .map(|c| (c.added.map(|(s, _)| s), c.text))
        .collect()
}

#[test]
fn questions_added_on_both_devices_at_once_are_both_kept_and_credited() {
    let mut p = pair(31).unwrap();
    // Neither device has a `questions` map yet: each makes its own, at once.
    p.a.add_question(Stage::Goal, "What would make you proud?")
        .unwrap();
    p.b.add_question(Stage::Goal, "What would your best friend say?")
        .unwrap();
    p.b.add_question(Stage::Will, "Who will you tell?").unwrap();
    p.a.commit();
    p.b.commit();
    p.a.merge_from(&mut p.b).unwrap();
    p.b.merge_from(&mut p.a).unwrap();
    for doc in [&mut p.a, &mut p.b] {
        let read = doc.read().unwrap();
        let mut goal = texts(&read, Stage::Goal);
        goal.sort();
        assert_eq!(
            goal,
            [
                (Some(Slot::A), "What would make you proud?".to_string()),
                (
                    Some(Slot::B),
                    "What would your best friend say?".to_string()
                ),
            ]
        );
        assert_eq!(
            texts(&read, Stage::Will),
            [(Some(Slot::B), "Who will you tell?".to_string())]
        );
        // The built-in questions come first; the partners' own follow.
        let deck = read.deck(&Tr::get(Lang::En), Stage::Goal);
        assert!(deck[0].added.is_none() && deck.last().unwrap().added.is_some());
    }
    // Either partner may take one out; the other device sees it gone.
    let read = p.b.read().unwrap();
    let theirs = read
        .questions
        .iter()
        .find(|q| q.text == "What would make you proud?")
        .unwrap()
        .id
        .clone();
    p.b.remove_question(&theirs).unwrap();
    p.b.commit();
    p.a.merge_from(&mut p.b).unwrap();
    let read = p.a.read().unwrap();
    assert_eq!(
        texts(&read, Stage::Goal),
        [(
            Some(Slot::B),
            "What would your best friend say?".to_string()
        )]
    );
    // Nothing empty, nothing too long.
    assert!(p.a.add_question(Stage::Goal, "   ").is_err());
    assert!(p.a.add_question(Stage::Goal, &"why? ".repeat(100)).is_err());
}

/// The schema-evolution rule for the key this adds: an older document (no
/// `questions`) reads as no questions; questions survive saving, compacting and
/// reopening; a newer build's key inside a question, and a stage word this build
/// does not know, are kept through this build's edits and shown nowhere.
#[test]
fn the_questions_key_round_trips_and_keeps_what_a_newer_build_adds() {
    let mut p = pair(32).unwrap();
    assert!(p.a.read().unwrap().questions.is_empty(), "older: none");
    let id =
        p.a.add_question(Stage::Options, "What would you do with a free year?")
            .unwrap();
    p.a.commit();

    // A newer build on Bo's side: a key of its own in Ana's question, and a
    // question for a stage this build does not know.
    p.b.merge_from(&mut p.a).unwrap();
    let newer = p.b.automerge_mut();
    let place = |slot: Slot| [k::PARTNERSHIP, k::PARTNERS, slot.key()];
    let q = cocoach_tests::map_at(
        newer,
        &[&place(Slot::A)[..], &[k::QUESTIONS, id.as_str()]].concat(),
    );
    newer.put(&q, "tone", "playful").unwrap();
    let place_b = cocoach_tests::map_at(newer, &place(Slot::B));
    let qs_b = newer
        .put_object(&place_b, k::QUESTIONS, ObjType::Map)
        .unwrap();
    let future = newer
        .put_object(&qs_b, "0123456789ab", ObjType::Map)
        .unwrap();
    newer.put(&future, k::STAGE, "closing").unwrap();
    newer
        .put(&future, k::TEXT, "What will you take home?")
        .unwrap();
    p.b.commit();
    p.a.merge_from(&mut p.b).unwrap();

    // This build stores it, edits around it, compacts, reopens.
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let mut doc = p.a;
    let mut store = PartnershipStore::create(&dir, &mut doc).unwrap();
    doc.add_question(Stage::Review, "What surprised you?")
        .unwrap();
    doc.set_partner_name(Slot::A, "Ana M.").unwrap();
    doc.commit();
    store.save(&mut doc).unwrap();
    store.compact(&mut doc).unwrap();
    drop(store);
    let (_, doc, _) = PartnershipStore::open(&dir, Some(&p.id_a)).unwrap();
    let read = doc.read().unwrap();
    let mine: Vec<(Option<Stage>, &str)> = read
        .questions
        .iter()
        .map(|q| (q.stage, q.text.as_str()))
        .collect();
    assert!(mine.contains(&(Some(Stage::Options), "What would you do with a free year?")));
    assert!(mine.contains(&(Some(Stage::Review), "What surprised you?")));
    assert!(
        mine.contains(&(None, "What will you take home?")),
        "kept: {mine:?}"
    );
    for stage in Stage::ALL {
        assert!(
            !texts(&read, stage)
                .iter()
                .any(|(_, t)| t == "What will you take home?"),
            "an unknown stage is shown nowhere"
        );
    }
    // The newer build's own key is still in Ana's question.
    let am = doc.automerge();
    let tone = am
        .get(q_obj(am, &id), "tone")
        .unwrap()
        .map(|(v, _)| v.to_string());
    assert_eq!(tone.as_deref(), Some("\"playful\""));
}

fn q_obj(
    am: &cocoach_doc::automerge::AutoCommit,
    id: &cocoach_doc::QuestionId,
) -> cocoach_doc::automerge::ObjId {
    cocoach_tests::map_at(
        am,
        &[
            k::PARTNERSHIP,
            k::PARTNERS,
            Slot::A.key(),
            k::QUESTIONS,
            id.as_str(),
        ],
    )
}
