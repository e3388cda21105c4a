//! Error localisation (错误定位): which fields of a record to change so that its form's rules
//! can all hold, after the Fellegi–Holt principle: change as little as possible, as measured
//! by the total reliability weight of the fields changed.
//!
//! Pure: plain values in, an answer out; no store, no SQL run.
//!
//! - [`read_rule`] reads a rule's `check` and `when` from the SQL parser's syntax tree
//!   (`read/`) and keeps it when it is linear in the record's numeric fields; otherwise it
//!   names the construct that stopped it ([`NotLinear`]), and the rule is left out of
//!   localisation. The reading follows SQLite: a rule holds where its `when` is not true or
//!   its `check` is true, and NULL is neither true nor false.
//! - [`locate`] searches the sets of fields best first: by total weight, then fewer fields,
//!   then the schema's order (`search.rs`, `best.rs`), within a budget of steps. A set is
//!   enough when the rules can all hold with its fields free and every other field at its
//!   value: the rules become a proposition of linear constraints over the free fields
//!   (`formula.rs`, `prop.rs`), whose disjunctions are explored depth first, each conjunction
//!   decided by Fourier–Motzkin elimination (`feasible.rs`).
//!
//! A changed field is a free real number, never NULL: whole-number and yes-or-no fields are
//! relaxed to real ones, so a set found may need a value between two whole numbers (a flag
//! of 0.5), and a set that needs one is taken as enough. A field the rules read that the
//! caller does not list as one that may change keeps its value.

use std::fmt;

mod best;
mod feasible;
mod formula;
mod prop;
mod read;
mod search;

#[cfg(test)]
mod tests;

pub(crate) use read::read_rule;
pub(crate) use search::locate;

/// A rule read linearly: its `check`, its `when` and the fields they read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinearRule {
    pub id: String,
    check: formula::Formula,
    when: Option<formula::Formula>,
    /// The fields the rule reads, each once, in the order it first reads them.
    fields: Vec<String>,
}

/// A rule left out of localisation, and the construct that stopped it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotLinear {
    pub rule: String,
    pub construct: String,
}

impl fmt::Display for NotLinear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: not linear: {}", self.rule, self.construct)
    }
}

/// The fields to change.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located {
    /// The fields, in the order of the schema.
    pub fields: Vec<String>,
    /// Their total weight.
    pub weight: f64,
    /// The linear rules the record fails as it stands.
    pub failing: Vec<String>,
    /// The linear rules taken into account: every one given.
    pub considered: Vec<String>,
}

/// What localisation found for one record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// The record fails no linear rule.
    NothingToLocate,
    Located(Located),
    /// No choice of the candidate fields lets these rules hold together: they contradict
    /// each other, or one of them reads no field that may change. Each of them is needed
    /// for the contradiction, as far as the budget allowed to find out.
    Contradictory {
        rules: Vec<String>,
    },
    /// The search stopped at its budget before it could prove a set the lightest; the
    /// record fails these linear rules.
    OverBudget {
        failing: Vec<String>,
    },
}
