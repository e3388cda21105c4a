//! The audit trail's events as a record's history shows them, and the record's place in its
//! lifecycle.

use super::words::words;
use std::fmt;

words! {
    /// What an event records.
    EventKind {
        /// A field's new value, with the old one and a reason.
        Correct = "correct",
        /// A warning accepted as correct data (说明).
        Explain = "explain",
        /// Free text on a record.
        Note = "note",
        /// A signature on the record's current values.
        Sign = "sign",
        /// A signed record opened again, voiding its signatures.
        Reopen = "reopen",
        /// A reviewer's own last action taken back.
        Undo = "undo",
        /// A correction a fix rule proposed, dismissed by a reviewer.
        FixDismiss = "fix_dismiss",
        /// A record taken over from the reviewer working on it.
        TakeOver = "takeover",
        /// A change to the work split.
        Assign = "assign",
        /// A change to the sign-off policy.
        Policy = "policy",
        /// A reviewer enrolled, with their public key (the first: the workspace's root).
        ReviewerAdd = "reviewer_add",
        /// A reviewer's role, scope, authority or key (a new passphrase) changed.
        ReviewerChange = "reviewer_change",
        /// A reviewer removed: their key signs nothing from then on.
        ReviewerRemove = "reviewer_remove",
        /// Records imported, with the digest of their values as imported.
        Import = "import",
        /// A rule set loaded as the rules in force.
        RulesLoad = "rules_load",
        /// A full check run by an administrator.
        Check = "check",
        /// A trail written before signing attested as a whole by an administrator.
        Upgrade = "upgrade",
    }
}

impl EventKind {
    /// Whether a reviewer may undo an event of this kind (their own, the last on the record).
    pub fn undoable(self) -> bool {
        matches!(
            self,
            EventKind::Correct
                | EventKind::Explain
                | EventKind::Note
                | EventKind::Sign
                | EventKind::FixDismiss
        )
    }
}

/// One event of a record's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventLine {
    pub id: i64,
    pub at: String,
    pub reviewer: String,
    pub kind: EventKind,
    pub payload: serde_json::Value,
    /// The event that undid or voided this one, if any.
    pub undone_by: Option<i64>,
}

/// A standing signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub event: i64,
    pub reviewer: String,
    pub role: String,
    pub at: String,
}

/// A record's version and lock.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordState {
    pub version: i64,
    pub locked: bool,
    pub changed_by: Option<String>,
    pub changed_at: Option<String>,
}
