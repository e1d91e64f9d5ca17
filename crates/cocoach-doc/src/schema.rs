//! Key names of the shared document. This is the on-disk and on-the-wire schema:
//! renaming a key breaks old documents, so every name lives here once.
//!
//! ```text
//! ROOT
//! ├─ schema: u64 (1)
//! ├─ partnership: { id, created_by: "a", partners: { a: {name, key, earlier_keys?, questions?}, b: {…} } }
//! │     questions = { <id>: { stage: "review"|"goal"|"reality"|"options"|"will", text: str,
//! │                   created_at } }   (added later: that partner's own questions for the deck)
//! ├─ contract: { frequency, place, session_minutes, term_start, term_end, term_sessions,
//! │              coaches_first, turns, question_style, ground_rules: [str], off_limits: [{by, topic}],
//! │              meeting_time: "HH:MM"? (added later: absent or empty = by agreement) }
//! ├─ signatures: { a: bytes?, b: bytes? }   (`StoredSignature`: 0x02 ‖ hash 32 ‖ ed25519 sig 64 ‖
//! │     signed-at ms i64 BE ‖ version u64 BE ‖ previous hash 32; older builds wrote the first
//! │     104 bytes after the tag, read as version 0)
//! ├─ sessions: { <id>: { date, place, minutes, coached_first, created_by, created_at, closed_at,
//! │                      skip_reason, kind?: "first_meeting", halves: { a: Half, b: Half } } }
//! │     Half = { review: Text, reviewed: {<action id>: str}, goal: Text, reality: Text,
//! │              options: [Text], will: Text, notes: Text, declined: [timestamp] }
//! └─ actions: { <id>: { owner, what: Text, deadline, status, session, obstacles: [str],
//!                       done_on, celebration: Text, created_at, created_by } }
//! ```
//! Every object is created exactly once, by the replica that creates its parent record,
//! so two partners never race to create the same object (which would hide one of them).

//! ## Partners upgrade on different days
//! The document only grows. A key is added, never renamed, never given another
//! type, never reused for another meaning. A reader ignores every key it does not
//! know and never deletes one (no edit here rewrites a whole record), so a newer
//! build's additions survive an older build's edits, its syncing and its
//! compaction untouched. Values work the same way: a word a build does not know
//! (a new action status, a new review outcome) reads as the nearest known meaning
//! or is kept as it is, and is only replaced by an explicit edit.
//!
//! `schema` records the newest schema the document's creator knew; it refuses
//! nothing. Only `readable_by` can refuse: a build that makes a change an older
//! reader would misread (not merely ignore) sets it to the lowest
//! [`READER_VERSION`] that reads the document correctly. An older build then says
//! so and changes nothing; the bytes stay stored, so nothing is lost and the
//! partnership opens again once it is updated.

pub const SCHEMA: &str = "schema";
pub const SCHEMA_VERSION: u64 = 1;
/// Optional on the root: the lowest reader version that understands the document.
pub const READABLE_BY: &str = "readable_by";
/// The version of the schema this build reads.
pub const READER_VERSION: u64 = 1;

pub const PARTNERSHIP: &str = "partnership";
pub const ID: &str = "id";
pub const CREATED_BY: &str = "created_by";
pub const CREATED_AT: &str = "created_at";
pub const PARTNERS: &str = "partners";
pub const NAME: &str = "name";
pub const KEY: &str = "key";
/// Added later, in a partner's place: the keys it named before a re-pairing, as
/// lowercase hex separated by spaces, oldest first (absent: never re-paired). A
/// scalar, not a list, so no two devices ever race to create an object for it.
pub const EARLIER_KEYS: &str = "earlier_keys";
/// Added later, in a partner's place: the questions that partner added to the
/// shared deck, `{ <id>: { stage, text, created_at } }`. Made by that partner's own
/// device the first time it adds one (only it writes a new key into its own place,
/// so no two devices race to create the map); absent: none. Any device may remove
/// an entry. A stage word this build does not know is kept and not shown.
pub const QUESTIONS: &str = "questions";
pub const STAGE: &str = "stage";
pub const TEXT: &str = "text";

pub const CONTRACT: &str = "contract";
pub const FREQUENCY: &str = "frequency";
pub const PLACE: &str = "place";
pub const SESSION_MINUTES: &str = "session_minutes";
pub const TERM_START: &str = "term_start";
pub const TERM_END: &str = "term_end";
pub const TERM_SESSIONS: &str = "term_sessions";
pub const COACHES_FIRST: &str = "coaches_first";
pub const TURNS: &str = "turns";
pub const QUESTION_STYLE: &str = "question_style";
/// Added after the first release: `"HH:MM"` in the partners' local time, or `""`.
/// Documents written before it have no such key, which reads as "by agreement";
/// a value this build cannot parse reads the same way and is kept until edited.
pub const MEETING_TIME: &str = "meeting_time";
pub const GROUND_RULES: &str = "ground_rules";
pub const OFF_LIMITS: &str = "off_limits";
pub const BY: &str = "by";
pub const TOPIC: &str = "topic";

pub const SIGNATURES: &str = "signatures";

pub const SESSIONS: &str = "sessions";
pub const DATE: &str = "date";
pub const MINUTES: &str = "minutes";
pub const COACHED_FIRST: &str = "coached_first";
pub const CLOSED_AT: &str = "closed_at";
pub const SKIP_REASON: &str = "skip_reason";
/// Added later, on a session: `"first_meeting"` for the getting-to-know meeting
/// (each tells their situation and how they like to work; the contract is agreed
/// in it). Absent, or a word this build does not know: a GROW session.
pub const KIND: &str = "kind";
pub const KIND_FIRST_MEETING: &str = "first_meeting";
pub const HALVES: &str = "halves";
pub const REVIEW: &str = "review";
pub const REVIEWED: &str = "reviewed";
pub const GOAL: &str = "goal";
pub const REALITY: &str = "reality";
pub const OPTIONS: &str = "options";
pub const WILL: &str = "will";
pub const NOTES: &str = "notes";
pub const DECLINED: &str = "declined";

pub const ACTIONS: &str = "actions";
pub const OWNER: &str = "owner";
pub const WHAT: &str = "what";
pub const DEADLINE: &str = "deadline";
pub const STATUS: &str = "status";
pub const SESSION: &str = "session";
pub const OBSTACLES: &str = "obstacles";
pub const DONE_ON: &str = "done_on";
pub const CELEBRATION: &str = "celebration";
