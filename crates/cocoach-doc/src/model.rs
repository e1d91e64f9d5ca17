//! Plain Rust structs read out of the shared document. They carry no Automerge
//! types, so views and exporters can use them freely.

use crate::ids::{ActionId, PartnershipId, QuestionId, SessionId};
use crate::time::Date;
use crate::types::{DeviceKey, Slot};

#[derive(Debug, Clone, PartialEq)]
pub struct Partnership {
    pub id: PartnershipId,
    /// Always both slots, in order A, B. B has no key until the partner has joined.
    pub partners: [Partner; 2],
    pub created_by: Slot,
    pub contract: Contract,
    pub signatures: ContractSignatures,
    /// Ordered by date, then creation time.
    pub sessions: Vec<Session>,
    /// Ordered by deadline (none last), then creation time.
    pub actions: Vec<Action>,
    /// The partners' own questions for the deck, oldest first.
    pub questions: Vec<Question>,
}

impl Partnership {
    pub fn partner(&self, slot: Slot) -> &Partner {
        match slot {
            Slot::A => &self.partners[0],
            Slot::B => &self.partners[1],
        }
    }

    pub fn slot_of(&self, key: &DeviceKey) -> Option<Slot> {
        Slot::BOTH
            .into_iter()
            .find(|s| self.partner(*s).key.as_ref() == Some(key))
    }

    /// The slot whose partner holds `key` now or held it before a re-pairing (for
    /// crediting what that key did).
    pub fn slot_of_any(&self, key: &DeviceKey) -> Option<Slot> {
        self.slot_of(key).or_else(|| {
            Slot::BOTH
                .into_iter()
                .find(|s| self.partner(*s).earlier_keys.contains(key))
        })
    }

    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    pub fn action(&self, id: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.id == id)
    }

    /// Display name of a slot, with a fallback for a partner who has not joined yet.
    pub fn name(&self, slot: Slot) -> String {
        let p = self.partner(slot);
        if p.name.trim().is_empty() {
            match slot {
                Slot::A => "Partner A".into(),
                Slot::B => "Partner B".into(),
            }
        } else {
            p.name.clone()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Partner {
    pub name: String,
    pub key: Option<DeviceKey>,
    /// Keys this partner's place named before a re-pairing, oldest first.
    pub earlier_keys: Vec<DeviceKey>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frequency {
    Weekly,
    Fortnightly,
    Monthly,
    /// Anything else the partners wrote ("every third Tuesday").
    Other(String),
}

impl Frequency {
    pub fn as_str(&self) -> &str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Fortnightly => "fortnightly",
            Frequency::Monthly => "monthly",
            Frequency::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> Frequency {
        match s.trim().to_ascii_lowercase().as_str() {
            "weekly" => Frequency::Weekly,
            "fortnightly" | "biweekly" => Frequency::Fortnightly,
            "monthly" => Frequency::Monthly,
            _ => Frequency::Other(s.trim().to_string()),
        }
    }

    /// Days between meetings, where that is defined.
    pub fn interval_days(&self) -> Option<i64> {
        match self {
            Frequency::Weekly => Some(7),
            Frequency::Fortnightly => Some(14),
            Frequency::Monthly => Some(30),
            Frequency::Other(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turns {
    /// Who coaches first swaps every session.
    Alternate,
    /// The same partner always coaches first.
    Same,
}

impl Turns {
    pub fn as_str(self) -> &'static str {
        match self {
            Turns::Alternate => "alternate",
            Turns::Same => "same",
        }
    }
    pub fn parse(s: &str) -> Option<Turns> {
        match s.trim() {
            "alternate" => Some(Turns::Alternate),
            "same" => Some(Turns::Same),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Term {
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub sessions: Option<u64>,
}

/// A time of day, `HH:MM` on a 24-hour clock, in the partners' local time (the
/// contract's `meeting_time`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MeetingTime {
    hour: u8,
    minute: u8,
}

impl MeetingTime {
    pub fn new(hour: u8, minute: u8) -> Option<MeetingTime> {
        (hour < 24 && minute < 60).then_some(MeetingTime { hour, minute })
    }
    pub fn hour(self) -> u8 {
        self.hour
    }
    pub fn minute(self) -> u8 {
        self.minute
    }

    /// `HH:MM` or `H:MM` (as typed; `19:00`, `9:30`). Nothing else: no seconds, no
    /// am/pm, so what one partner types the other reads the same way.
    pub fn parse(s: &str) -> Option<MeetingTime> {
        let (h, m) = s.trim().split_once(':')?;
        let digits = |t: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(h, 1..=2) || !digits(m, 2..=2) {
            return None;
        }
        MeetingTime::new(h.parse().ok()?, m.parse().ok()?)
    }
}

impl std::fmt::Display for MeetingTime {
    /// The stored form, `HH:MM`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffLimits {
    /// Who said the topic is off limits.
    pub by: Slot,
    pub topic: String,
}

/// The agreement between the partners. Every term is a single value; a term set
/// differently by both partners while apart is reported by `PartnershipDoc::conflicts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub frequency: Option<Frequency>,
    pub place: String,
    pub session_minutes: Option<u64>,
    pub term: Term,
    /// When the partners meet, in their local time; `None`: by agreement each time.
    /// A scheduling detail outside the signed terms (see [`crate::contract_hash`]).
    pub meeting_time: Option<MeetingTime>,
    pub coaches_first: Slot,
    pub turns: Turns,
    pub question_style: String,
    pub ground_rules: Vec<String>,
    pub off_limits: Vec<OffLimits>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureState {
    NotSigned,
    /// A valid signature over the contract as it is now.
    Signed {
        at_ms: i64,
    },
    /// A valid signature over an earlier version: the contract changed since.
    Outdated {
        at_ms: i64,
    },
    /// Signature bytes that do not verify (or a partner with no key).
    Invalid,
    /// A valid signature older than one this device has already seen in this
    /// partner's place: an earlier signature was put back. Reads as not signed,
    /// with a warning.
    RolledBack {
        at_ms: i64,
    },
}

impl SignatureState {
    pub fn is_current(self) -> bool {
        matches!(self, SignatureState::Signed { .. })
    }
}

/// The newest contract signature this device has seen in one partner's place
/// (kept on this device only: `contract_seen` in `partnership.sqlite3`). A
/// signature older than it reads as [`SignatureState::RolledBack`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenSignature {
    pub version: u64,
    pub hash: [u8; 32],
}

impl SeenSignature {
    /// Whether a signature of `version` over `hash` is older than this one.
    pub fn is_newer_than(&self, version: u64, hash: &[u8; 32]) -> bool {
        version < self.version || (version == self.version && *hash != self.hash)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractSignatures {
    pub a: SignatureState,
    pub b: SignatureState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// Both partners signed this exact contract.
    SignedByBoth,
    /// One partner signed this exact contract; the other has not (yet).
    SignedBy(Slot),
    /// At least one signature is for an earlier version: both must sign again.
    ChangedSinceSigning,
    NotSigned,
}

impl ContractSignatures {
    pub fn get(&self, slot: Slot) -> SignatureState {
        match slot {
            Slot::A => self.a,
            Slot::B => self.b,
        }
    }

    pub fn agreement(&self) -> Agreement {
        use SignatureState::{Outdated, Signed};
        match (self.a, self.b) {
            (Signed { .. }, Signed { .. }) => Agreement::SignedByBoth,
            (Outdated { .. }, _) | (_, Outdated { .. }) => Agreement::ChangedSinceSigning,
            (Signed { .. }, _) => Agreement::SignedBy(Slot::A),
            (_, Signed { .. }) => Agreement::SignedBy(Slot::B),
            _ => Agreement::NotSigned,
        }
    }

    /// The partner in whose place an older signature was put back, if any.
    pub fn rolled_back(&self) -> Option<Slot> {
        [Slot::A, Slot::B]
            .into_iter()
            .find(|s| matches!(self.get(*s), SignatureState::RolledBack { .. }))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub date: Option<Date>,
    pub place: String,
    pub planned_minutes: Option<u64>,
    pub coached_first: Slot,
    pub created_by: Option<Slot>,
    pub created_at_ms: i64,
    /// Index 0: A is the coachee; index 1: B is the coachee.
    pub halves: [Half; 2],
    pub closed_at_ms: Option<i64>,
    /// Why the session closed without an action for each partner, if it did.
    pub skip_reason: String,
    /// The getting-to-know meeting, not two GROW halves (the `kind` key).
    pub first_meeting: bool,
}

impl Session {
    /// The half in which `coachee` is coached.
    pub fn half(&self, coachee: Slot) -> &Half {
        match coachee {
            Slot::A => &self.halves[0],
            Slot::B => &self.halves[1],
        }
    }
}

/// One coachee's half of a session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Half {
    /// Review of the coachee's earlier actions: what went well, what got in the way.
    pub review: String,
    /// Outcome recorded for each earlier action reviewed (action id, outcome).
    pub reviewed: Vec<(ActionId, ReviewOutcome)>,
    pub goal: String,
    pub reality: String,
    pub options: Vec<String>,
    pub will: String,
    pub notes: String,
    /// Times a topic was declined. Marker only: the topic itself is never written down.
    pub declined_at_ms: Vec<i64>,
}

/// How an earlier action went, as the coachee says in the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewOutcome {
    Done,
    Partly,
    NotDone,
    /// A word this version does not know (written by a newer one): kept as it is.
    Other(String),
}

impl ReviewOutcome {
    /// The stored word (the schema: never renamed).
    pub fn as_str(&self) -> &str {
        match self {
            ReviewOutcome::Done => "done",
            ReviewOutcome::Partly => "partly",
            ReviewOutcome::NotDone => "not done",
            ReviewOutcome::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> ReviewOutcome {
        match s {
            "done" => ReviewOutcome::Done,
            "partly" => ReviewOutcome::Partly,
            "not done" => ReviewOutcome::NotDone,
            other => ReviewOutcome::Other(other.to_string()),
        }
    }

    /// It did not (fully) happen: the obstacles are worth naming.
    pub fn fell_short(&self) -> bool {
        matches!(self, ReviewOutcome::Partly | ReviewOutcome::NotDone)
    }
}

impl std::fmt::Display for ReviewOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStatus {
    Open,
    Done,
    Dropped,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }
    pub fn parse(s: &str) -> Option<ActionStatus> {
        match s {
            "open" => Some(ActionStatus::Open),
            "done" => Some(ActionStatus::Done),
            "dropped" => Some(ActionStatus::Dropped),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: ActionId,
    pub owner: Slot,
    pub what: String,
    pub deadline: Option<Date>,
    pub status: ActionStatus,
    pub session: Option<SessionId>,
    pub obstacles: Vec<String>,
    pub done_on: Option<Date>,
    pub celebration: String,
    pub created_at_ms: i64,
}

/// Where in a half a question is asked: the review of last time's actions, then
/// the four stages of GROW.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    Review,
    Goal,
    Reality,
    Options,
    Will,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Review,
        Stage::Goal,
        Stage::Reality,
        Stage::Options,
        Stage::Will,
    ];

    /// The stored word (the schema: never renamed).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Review => "review",
            Stage::Goal => "goal",
            Stage::Reality => "reality",
            Stage::Options => "options",
            Stage::Will => "will",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Its place in [`Stage::ALL`].
    pub fn index(self) -> usize {
        match self {
            Stage::Review => 0,
            Stage::Goal => 1,
            Stage::Reality => 2,
            Stage::Options => 3,
            Stage::Will => 4,
        }
    }
}

/// A question a partner added to the shared deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: QuestionId,
    /// Who added it (whose place in the document holds it).
    pub by: Slot,
    /// `None`: a stage word this build does not know (a newer build's); kept, not shown.
    pub stage: Option<Stage>,
    pub text: String,
    pub created_at_ms: i64,
}
