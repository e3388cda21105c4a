//! Words the workflow's messages share.

use crate::domain::{EventKind, FieldType};

/// An event kind as a noun with its article, for messages.
pub fn action_noun(kind: EventKind) -> (&'static str, &'static str) {
    match kind {
        EventKind::Correct => ("a", "correction"),
        EventKind::Explain => ("an", "explanation"),
        EventKind::Note => ("a", "note"),
        EventKind::Sign => ("a", "signature"),
        EventKind::Reopen => ("a", "reopening"),
        EventKind::Undo => ("an", "undo"),
        EventKind::TakeOver => ("a", "take-over"),
        EventKind::Assign => ("an", "assignment"),
        EventKind::Policy => ("a", "policy change"),
        EventKind::ReviewerAdd => ("an", "enrolment"),
    }
}

/// `2026-11-29T14:03:07.123Z` as `14:03` (UTC), for messages.
pub fn short_time(at: &str) -> &str {
    at.get(11..16).unwrap_or(at)
}

/// What a field of the type holds, for messages.
pub(super) fn type_words(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Text => "text",
        FieldType::Code => "a code",
        FieldType::Integer => "a whole number",
        FieldType::Real => "a number",
        FieldType::Bool => "yes or no (1/0)",
    }
}
