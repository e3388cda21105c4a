//! huishen (会审): a terminal workstation for the joint review of flagged census and survey
//! records.
//!
//! The parts, in the order data flows through them:
//! - [`domain`]: the nouns of review as plain types (schema, field types, values);
//! - [`store`]: the workspace, one SQLite file, and the only place that speaks SQL;
//! - [`interchange`]: CSV import (and later export);
//! - [`reference`]: the division and industry tables every workspace carries;
//! - [`sample`]: the synthetic Shandong census sample and the generator for benchmarks;
//! - [`cli`]: the command line.

pub mod cli;
pub mod domain;
pub mod error;
pub mod interchange;
pub mod reference;
pub mod report;
pub mod review;
pub mod rules;
pub mod sample;
pub mod store;
pub mod tui;

pub use error::{Error, Result};
