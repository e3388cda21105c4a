//! Review rules (审核规则): boolean SQL expressions that SQLite evaluates over a form's records.
//! This module reads rule files; `store` loads them into a workspace, runs them in a read-only
//! sandbox and keeps their verdicts as flags.

mod budget;
mod dataset;
mod expression;
mod file;
mod selective;

pub use budget::{Budget, BudgetKind};
pub use dataset::{DatasetRule, Scope};
pub use file::{Param, Peers, Quantiles, Rule, RuleFileError, RuleSet};
pub use selective::{Fix, Score};
