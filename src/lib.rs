//! huishen (会审): a terminal workstation for the joint review of flagged census and survey
//! records. This crate is the screen ([`tui`]) and the command line ([`cli`]); both reach a
//! workspace only through the review core, `huishen_core`, whose storage engine is private.

pub mod cells;
pub mod cli;
pub mod i18n;
pub mod tui;
