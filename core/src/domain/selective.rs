//! Selective review as a record shows it: its scores (how much it can move the totals) and the
//! corrections fix rules propose for it.

use super::{Datum, Localized};

/// One score of a record.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordScore {
    pub id: String,
    pub title: Localized,
    /// `None`: the record cannot be scored (no item had a value, a predicted or auxiliary
    /// value and a standardiser), which is never the same as a score of zero.
    pub value: Option<f64>,
    pub threshold: f64,
    /// Each item's field and score (`None` where that item could not be scored).
    pub items: Vec<(String, Option<f64>)>,
}

impl RecordScore {
    /// Whether the record reaches the threshold (`None` when it has no score).
    pub fn high(&self) -> Option<bool> {
        self.value.map(|v| v >= self.threshold)
    }
}

/// One value a proposal would change.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedChange {
    pub field: String,
    pub old: Datum,
    pub new: Datum,
}

/// A correction a fix rule proposes for a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub fix: String,
    pub title: Localized,
    pub reason: Localized,
    pub changes: Vec<ProposedChange>,
    /// Dismissed by a reviewer (while it proposes these same values).
    pub dismissed: bool,
    /// Rules failing now that would pass with the proposed values.
    pub resolves: Vec<String>,
    /// Rules passing now that would fail with them.
    pub opens: Vec<String>,
}

/// Which fields of a record to change so that its linear rules can all hold (error
/// localisation, after Fellegi and Holt).
#[derive(Debug, Clone, PartialEq)]
pub enum Located {
    /// The record fails no linear rule.
    Nothing,
    /// Change these fields (schema order), of this total reliability weight, to satisfy the
    /// failing linear rules without breaking the others.
    Fields {
        fields: Vec<String>,
        weight: f64,
        failing: Vec<String>,
    },
    /// These rules cannot hold together whatever the fields that may change.
    Contradictory { rules: Vec<String> },
    /// The search stopped at its budget before it could prove a set the lightest.
    OverBudget { failing: Vec<String> },
}

/// Localisation of one record, with the rules it left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Localisation {
    pub located: Located,
    /// (rule, the construct that makes it not linear): rules localisation did not read.
    pub left_out: Vec<(String, String)>,
}
