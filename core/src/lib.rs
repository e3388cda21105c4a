//! The review core of huishen (会审): the one door through which the screen, the command line,
//! the examples, the benches and the tests reach a workspace.
//!
//! Public: [`domain`] (the nouns of review as plain types), [`review`] (the workspace and a
//! reviewer's session: everything a caller can do), [`sample`] (the synthetic census sample)
//! and the [`Error`] type. Private: the storage engine (`store`, the only place that speaks
//! SQL, with the rule engine inside it), rule files, import and export, the report and the
//! reference tables; the door re-exports what a caller needs of them.
//!
//! Reaching around the door is a compile error, not a convention:
//!
//! ```compile_fail,E0603
//! // The storage engine is private to the core.
//! use huishen_core::store::Workspace;
//! ```
//!
//! ```
//! // The door: a workspace and a reviewer's session on it.
//! use huishen_core::review::{Session, Workspace};
//! ```

pub mod domain;
mod error;
mod interchange;
mod locate;
mod reference;
mod report;
pub mod review;
mod rules;
pub mod sample;
mod seal;
mod store;

pub use error::{Error, OverBudget, Result};
