//! The review screen: a ratatui application over one workspace.
//!
//! `app` holds the one model and changes only through actions; `views` draw it; `keymap`
//! turns keys into actions; `run` owns the terminal and the event loop.

pub mod action;
pub mod app;
pub mod editing;
pub mod i18n;
pub mod keymap;
pub mod layout;
mod navigate;
pub mod theme;
pub mod views;

mod run;

pub use run::{RunOptions, run};
