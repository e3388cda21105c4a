//! Flags: a rule's verdict on a record, how serious it is, and where it stands.

use std::fmt;

use serde::Deserialize;

use super::words::words;

/// How serious a failing rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed (强制性).
    Error,
    /// Must be fixed or explained (提示性).
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

words! {
    /// What a rule said about a record.
    Outcome {
        /// The check was false.
        Fail = "fail",
        /// The check was NULL: its inputs are absent.
        Missing = "missing",
        /// The check could not be evaluated (a runtime error, e.g. a bad pattern).
        Error = "error",
    }
}

words! {
    /// Where a flag stands.
    FlagState {
        /// Failing now.
        Open = "open",
        /// The rule passes again; the flag is kept as history.
        Resolved = "resolved",
    }
}

/// A flag on a record, with what the rule says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagLine {
    pub rule: String,
    pub severity: Severity,
    pub title_zh: String,
    pub title_en: String,
    pub fields: Vec<String>,
    pub outcome: Outcome,
    pub state: FlagState,
    /// A reviewer explained it (说明): the data is right as it is.
    pub explained: bool,
}

impl FlagLine {
    /// Failing now.
    pub fn is_open(&self) -> bool {
        self.state == FlagState::Open
    }
}

/// An open flag as the workflow sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFlag {
    pub rule: String,
    pub severity: Severity,
    pub explained: bool,
}
