//! The review team: reviewers, the sign-off policy, who works on what.

use super::words::words;
use std::fmt;

/// The fingerprint of a public key (hex): the first 80 bits of its sha256, in groups of four
/// hex digits, short enough to read aloud and compare on paper.
pub fn fingerprint(public_hex: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest: String = Sha256::digest(public_hex.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    digest.as_bytes()[..20]
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A registered reviewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    pub name: String,
    /// The reviewer's role, as the office names it (e.g. 县级审核, 市级审核, 省级审核).
    pub role: String,
    /// The division-code prefix the reviewer may act in; empty: everywhere.
    pub scope: String,
    /// An administrator (组长): enrols reviewers, sets the policy, splits the work, loads
    /// rules, imports and checks.
    pub admin: bool,
    /// Hex of the reviewer's Ed25519 public key; empty for a reviewer enrolled before keys.
    pub public_key: String,
    /// The private key sealed under the passphrase; empty for a reviewer enrolled before keys.
    pub sealed_key: String,
    /// The argon2id PHC string of the passphrase of a reviewer enrolled before keys; empty
    /// since (the sealed key is the proof of the passphrase).
    pub passphrase_hash: String,
}

impl Reviewer {
    /// The public key's fingerprint; empty for a reviewer without a key.
    pub fn fingerprint(&self) -> String {
        if self.public_key.is_empty() {
            String::new()
        } else {
            fingerprint(&self.public_key)
        }
    }

    /// Whether a record of this region lies inside the reviewer's scope.
    pub fn covers(&self, region: &str) -> bool {
        region.starts_with(&self.scope)
    }
}

/// The workspace's sign-off policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Policy {
    pub signatures_required: i64,
    pub distinct_roles: bool,
    pub four_eyes: bool,
    /// Minutes without activity after which a claim on a record lapses.
    pub claim_minutes: i64,
}

/// A reviewer working on a record now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub reviewer: String,
    pub since: String,
    pub last_seen: String,
}

words! {
    /// What a line of a work split gives a reviewer.
    AssignmentKind {
        /// The records of a division (a code prefix).
        Region = "region",
        /// The records a rule flags.
        Rule = "rule",
        /// The records of a form.
        Form = "form",
    }
}

/// One line of a reviewer's work split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub reviewer: String,
    pub kind: AssignmentKind,
    pub value: String,
}
