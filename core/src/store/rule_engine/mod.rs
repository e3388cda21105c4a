//! The rule engine: loading a rule set, the full check and the re-check after an edit, with
//! the peers figures, indexes, sandbox, SQL functions and dependency analysis they need. It
//! lives inside the store because it speaks SQL; rule expressions are data handed to it.
//!
//! Its files form floors, and each imports only from the floors below it:
//!
//! 1. `vocabulary`: the words all of them share (stored rule, reach, the rule set in force
//!    and what its rules read, the verdict statement, parameter binding, text tests on SQL).
//! 2. `budget` (how long rule statements may run and how large a value they may make),
//!    `sandbox` (the authorizer rules are prepared under, with their budget), `functions`
//!    (the SQL functions rules may call), `depends` (what each rule reads) and `links`
//!    (which rules read another form of their census object only through the parent link).
//! 3. `evaluate` (running one rule over some records), `fused` (the record rules of
//!    one form in one pass), `dataset` (the dataset rules, one verdict per form or group,
//!    computed when asked for), `merge` (its verdicts into flags),
//!    `active` (the rule set in force, read back) and `figures` (what one rule reads and
//!    computes on one record, to show why it flagged it, with `sides`: its check's
//!    comparisons read from its text).
//! 4. `peers`: the figures of each peers group.
//! 5. `check` (every rule over every record, its verdicts computed by `parallel` on two
//!    connections) and the re-check: `scope` (where one rule must
//!    run again) under `recheck` (one edit, re-checked).
//! 6. Loading a file: `vet` (each rule prepared and judged), `trial` (each rule run once on
//!    the data under its budget) and `indexes`, under `load`, which also makes the peers
//!    tables (and brings those of a workspace made by an older huishen up to date).
//!
//! Of the rest of the store it uses only the workspace handle, `forms` (quoting, key text)
//! and `queue`, which a check and a re-check keep in step with the flags.

mod active;
mod budget;
mod check;
mod dataset;
mod deep;
mod depends;
mod due;
mod evaluate;
mod figures;
mod functions;
mod fused;
mod indexes;
mod links;
mod load;
mod merge;
mod parallel;
mod peers;
mod pieces;
mod recheck;
mod rescore;
mod room;
mod run;
mod sandbox;
mod scope;
mod selective;
mod settle;
mod sides;
mod trial;
mod vet;
mod vocabulary;
mod what_if;

pub use check::{CheckReport, RuleSummary};
pub use dataset::{DatasetFigure, DatasetVerdicts, GroupVerdict};
pub use deep::deep;
pub use evaluate::RuntimeError;
pub use figures::{Comparison, Figure, LinkedRows, PeerStats, PeersFigures};
pub use load::LoadReport;
pub use recheck::RecheckReport;
pub use vocabulary::{ActiveRules, StoredRule};

pub(super) use dataset::evaluate_all;
pub(super) use functions::register as register_functions;
pub(super) use recheck::{Env, update_field};
pub(super) use sandbox::{Sandbox, plain_sql_error};
pub(super) use what_if::what_if;
