//! The coach's question deck: the questions built in, per stage, and the
//! partners' own (shared in the document, `doc/deck.rs`).

use crate::ids::QuestionId;
use crate::model::{Partnership, Stage};
use crate::types::Slot;
use cocoach_i18n::{Tr, tr};

/// The coach's questions built into the deck, by stage: every question of the
/// practice (the review, then GROW), in our own words. Message ids, in the order
/// the deck shows them.
const BUILT_IN_DECK: [&[&str]; 5] = [
    &[
        cocoach_i18n::key!("session-deck-review-1"),
        cocoach_i18n::key!("session-deck-review-2"),
        cocoach_i18n::key!("session-deck-review-3"),
        cocoach_i18n::key!("session-deck-review-4"),
        cocoach_i18n::key!("session-deck-review-5"),
    ],
    &[
        cocoach_i18n::key!("session-deck-goal-1"),
        cocoach_i18n::key!("session-deck-goal-5"),
        cocoach_i18n::key!("session-deck-goal-6"),
        cocoach_i18n::key!("session-deck-goal-2"),
        cocoach_i18n::key!("session-deck-goal-3"),
        cocoach_i18n::key!("session-deck-goal-4"),
    ],
    &[
        cocoach_i18n::key!("session-deck-reality-1"),
        cocoach_i18n::key!("session-deck-reality-5"),
        cocoach_i18n::key!("session-deck-reality-6"),
        cocoach_i18n::key!("session-deck-reality-2"),
        cocoach_i18n::key!("session-deck-reality-3"),
        cocoach_i18n::key!("session-deck-reality-4"),
    ],
    &[
        cocoach_i18n::key!("session-deck-options-1"),
        cocoach_i18n::key!("session-deck-options-5"),
        cocoach_i18n::key!("session-deck-options-6"),
        cocoach_i18n::key!("session-deck-options-2"),
        cocoach_i18n::key!("session-deck-options-4"),
        cocoach_i18n::key!("session-deck-options-7"),
        cocoach_i18n::key!("session-deck-options-3"),
    ],
    &[
        cocoach_i18n::key!("session-deck-will-1"),
        cocoach_i18n::key!("session-deck-will-5"),
        cocoach_i18n::key!("session-deck-will-6"),
        cocoach_i18n::key!("session-deck-will-7"),
        cocoach_i18n::key!("session-deck-will-2"),
        cocoach_i18n::key!("session-deck-will-3"),
        cocoach_i18n::key!("session-deck-will-4"),
    ],
];

/// The questions built into the deck for `stage`, in `tr`'s language.
pub fn built_in_deck(tr: &Tr, stage: Stage) -> Vec<String> {
    BUILT_IN_DECK[stage.index()]
        .iter()
        .map(|id| tr.t(id))
        .collect()
}

impl Stage {
    /// The stage's name, as a heading.
    pub fn title(self, tr: &Tr) -> String {
        match self {
            Stage::Review => tr!(tr, "session-stage-review"),
            Stage::Goal => tr!(tr, "session-stage-goal"),
            Stage::Reality => tr!(tr, "session-stage-reality"),
            Stage::Options => tr!(tr, "session-stage-options"),
            Stage::Will => tr!(tr, "session-stage-will"),
        }
    }
}

/// One question of the deck as the coach sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub text: String,
    /// A partner's own question: who added it, and its id (to remove it).
    pub added: Option<(Slot, QuestionId)>,
}

impl Partnership {
    /// The deck for `stage`: the built-in questions, then the partners' own, oldest
    /// first.
    pub fn deck(&self, tr: &Tr, stage: Stage) -> Vec<Card> {
        let built_in = built_in_deck(tr, stage)
            .into_iter()
            .map(|text| Card { text, added: None });
        let own = self
            .questions
            .iter()
            .filter(|q| q.stage == Some(stage))
            .map(|q| Card {
                // A partner's build may have stored more than ours lets anyone
                // write: shown cut, kept whole.
                text: if q.text.chars().count() > crate::MAX_QUESTION_CHARS {
                    let cut: String = q.text.chars().take(crate::MAX_QUESTION_CHARS).collect();
                    format!("{cut}…")
                } else {
                    q.text.clone()
                },
                added: Some((q.by, q.id.clone())),
            });
        built_in.chain(own).collect()
    }
}
