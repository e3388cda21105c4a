//! The review screen.

pub mod action;
pub mod i18n;
pub mod keymap;
