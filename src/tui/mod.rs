//! The review screen: a ratatui application over one workspace.
//!
//! `app` holds the one model and changes only in its `update`, its effects on the review core
//! running in one place; `views` draw it; `keymap` turns keys into actions (and, in each
//! window over the screen, into that window's commands); `i18n` says everything in English
//! and Chinese; `run` owns the terminal and the event loop.

pub mod action;
pub mod app;
pub mod editing;
pub use crate::i18n;
pub mod keymap;
pub mod layout;
pub mod theme;
pub mod views;

mod run;

pub use run::{RunOptions, run};
