//! Ids of the records in the shared document, one type each, so a session id can
//! never be passed where an action id is meant.
//!
//! In the document they are plain strings (map keys and scalar values), which is
//! how they stay: the types exist only in Rust.

use std::fmt;
use std::ops::Deref;

use crate::DocError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(String);

        impl $name {
            /// An id as stored in the document (or typed by the user, already
            /// resolved). Not checked: ids from a newer build may look different.
            pub fn from_stored(s: impl Into<String>) -> $name {
                $name(s.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&$name> for automerge::Prop {
            fn from(id: &$name) -> automerge::Prop {
                automerge::Prop::Map(id.0.clone())
            }
        }

        impl From<&$name> for automerge::ScalarValue {
            fn from(id: &$name) -> automerge::ScalarValue {
                automerge::ScalarValue::Str(id.0.as_str().into())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

id_type!(
    /// A session record's id: 12 lowercase hex characters.
    SessionId
);
id_type!(
    /// An action's id: 12 lowercase hex characters.
    ActionId
);
id_type!(
    /// The partnership's id: 32 lowercase hex characters, the same on both devices.
    PartnershipId
);
id_type!(
    /// A question of the shared deck: 12 lowercase hex characters.
    QuestionId
);

impl SessionId {
    pub(crate) fn random() -> Result<SessionId, DocError> {
        Ok(SessionId(crate::types::new_id()?))
    }
}

impl ActionId {
    pub(crate) fn random() -> Result<ActionId, DocError> {
        Ok(ActionId(crate::types::new_id()?))
    }
}

impl QuestionId {
    pub(crate) fn random() -> Result<QuestionId, DocError> {
        Ok(QuestionId(crate::types::new_id()?))
    }
}
