//! What recurs across actions: the obstacles named most, and which actions get
//! done. The pattern is what the coaching works on.

use crate::model::{Action, ActionStatus, Partnership};
use crate::time::Date;
use cocoach_i18n::{Tr, tr};

/// One obstacle as it recurs across actions: the pattern the coaching works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObstaclePattern {
    /// As written on the earliest action naming it (the same words in other case
    /// or spacing count as one).
    pub obstacle: String,
    /// Actions it was named on.
    pub count: usize,
    /// The earliest of those actions' deadlines (or the day it was made).
    pub since: Option<Date>,
    /// Actions per partner (A, B) it was named on.
    pub by: [usize; 2],
}

/// How far ahead an action's deadline was set when it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Horizon {
    /// Due within 7 days of being made: a small step.
    Week,
    /// Within 31 days.
    Month,
    Longer,
}

/// Of the actions with a known outcome at one horizon, how many got done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoneRate {
    pub horizon: Horizon,
    pub done: usize,
    /// Done, dropped, or open past their deadline.
    pub settled: usize,
}

impl Partnership {
    /// Obstacles named on actions, grouped, most frequent first (then the oldest).
    pub fn obstacle_patterns(&self) -> Vec<ObstaclePattern> {
        obstacle_patterns_of(self.actions.iter())
    }

    /// Which actions get done, by how far ahead their deadline was set: of those
    /// settled by `today` (done, dropped, or open past the deadline), how many were
    /// done. Horizons with none settled are left out.
    pub fn done_by_horizon(&self, today: Date) -> Vec<DoneRate> {
        let mut rates = [Horizon::Week, Horizon::Month, Horizon::Longer].map(|horizon| DoneRate {
            horizon,
            done: 0,
            settled: 0,
        });
        for a in &self.actions {
            let Some(deadline) = a.deadline else { continue };
            let made = a.created_at_ms.div_euclid(86_400_000);
            let ahead = deadline.days_since_epoch() - made;
            let horizon = match ahead {
                ..=7 => Horizon::Week,
                8..=31 => Horizon::Month,
                _ => Horizon::Longer,
            };
            let settled = match a.status {
                ActionStatus::Done | ActionStatus::Dropped => true,
                ActionStatus::Open => deadline < today,
            };
            if !settled {
                continue;
            }
            let r = &mut rates[horizon as usize];
            r.settled += 1;
            if a.status == ActionStatus::Done {
                r.done += 1;
            }
        }
        rates.into_iter().filter(|r| r.settled > 0).collect()
    }
}

/// The obstacles offered as quick picks when an action is not done: the excuses a
/// career changer names most often (the career fixer's list), in the reader's
/// language. What is picked is stored as text, as written.
pub fn common_obstacles(tr: &Tr) -> Vec<String> {
    vec![
        tr!(tr, "practice-obstacle-time"),
        tr!(tr, "practice-obstacle-energy"),
        tr!(tr, "practice-obstacle-experience"),
        tr!(tr, "practice-obstacle-certificates"),
        tr!(tr, "practice-obstacle-interview"),
        tr!(tr, "practice-obstacle-network"),
        tr!(tr, "practice-obstacle-sell"),
        tr!(tr, "practice-obstacle-accent"),
        tr!(tr, "practice-obstacle-negotiate"),
        tr!(tr, "practice-obstacle-fear"),
        tr!(tr, "practice-obstacle-money"),
    ]
}

/// [`Partnership::obstacle_patterns`] over some of the actions (a term's, say).
pub(super) fn obstacle_patterns_of<'a>(
    actions: impl Iterator<Item = &'a Action>,
) -> Vec<ObstaclePattern> {
    let mut out: Vec<(String, ObstaclePattern)> = Vec::new();
    for a in actions {
        let when = a
            .deadline
            .or_else(|| Date::from_days_since_epoch(a.created_at_ms.div_euclid(86_400_000)));
        // Each obstacle once per action, however often it was picked.
        let mut seen = std::collections::BTreeSet::new();
        for o in &a.obstacles {
            let key = o
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            if key.is_empty() || !seen.insert(key.clone()) {
                continue;
            }
            let i = match out.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    out.push((
                        key,
                        ObstaclePattern {
                            obstacle: o.trim().to_string(),
                            count: 0,
                            since: None,
                            by: [0, 0],
                        },
                    ));
                    out.len() - 1
                }
            };
            let entry = &mut out[i].1;
            entry.count += 1;
            entry.by[a.owner.index()] += 1;
            entry.since = match (entry.since, when) {
                (Some(s), Some(w)) => Some(s.min(w)),
                (s, w) => s.or(w),
            };
        }
    }
    let mut out: Vec<ObstaclePattern> = out.into_iter().map(|(_, p)| p).collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.since.cmp(&b.since))
            .then(a.obstacle.cmp(&b.obstacle))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Slot;

    #[test]
    fn obstacles_are_grouped_and_small_steps_are_counted_apart() {
        use crate::{DeviceIdentity, PartnershipDoc};
        let a = DeviceIdentity::from_seed([4; 32]);
        let b = DeviceIdentity::from_seed([5; 32]);
        let mut doc = PartnershipDoc::create("Ana", &a).unwrap();
        doc.set_partner_b("Bo", b.public()).unwrap();
        let today = Date::today();
        let soon = today.add_days(3).unwrap();
        let later = today.add_days(40).unwrap();
        let past = today.add_days(-2).unwrap();
        let x = doc
            .add_action(Slot::A, "Call Jo", Some(soon), None)
            .unwrap();
        let y = doc
            .add_action(Slot::B, "Apply at Lumen", Some(later), None)
            .unwrap();
        let z = doc
            .add_action(Slot::A, "Ask Kim", Some(past), None)
            .unwrap();
        for (id, o) in [
            (&x, "I DON'T have enough time"),
            (&x, "i don't  have enough time"),
            (&y, "I don't have enough time"),
            (&y, "my network is weak"),
            (&z, "I don't have enough time"),
        ] {
            doc.add_obstacle(id, o).unwrap();
        }
        let p = doc.read().unwrap();
        let pats = p.obstacle_patterns();
        assert_eq!(pats.len(), 2, "{pats:?}");
        assert_eq!(pats[0].obstacle, "I don't have enough time");
        assert_eq!(pats[0].count, 3, "once per action: {pats:?}");
        assert_eq!(pats[0].by, [2, 1]);
        assert_eq!(pats[0].since, Some(past));
        assert_eq!(
            (pats[1].obstacle.as_str(), pats[1].count),
            ("my network is weak", 1)
        );

        doc.mark_action_done(&x, today, "").unwrap();
        doc.set_action_status(&y, ActionStatus::Dropped).unwrap();
        let p = doc.read().unwrap();
        let rates = p.done_by_horizon(today);
        // Within a week: Call Jo done, Ask Kim past due and open; longer: dropped.
        assert_eq!(
            rates,
            [
                DoneRate {
                    horizon: Horizon::Week,
                    done: 1,
                    settled: 2
                },
                DoneRate {
                    horizon: Horizon::Longer,
                    done: 0,
                    settled: 1
                },
            ]
        );
    }
}
