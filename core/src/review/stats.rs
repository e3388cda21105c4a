//! The figures of the review in progress: the dashboard on screen and `huishen status` on the
//! command line both read them here, so that they show the same numbers.
//!
//! What the words mean is written at [`Stats`]: flagged, signed, ready and open records,
//! progress (signed / flagged), prefectures, a reviewer's work today and scope, and per rule
//! failing now, at the first check, corrected and explained.

use super::Session;
use crate::error::Result;
pub use crate::store::{Pace, RegionStats, ReviewerStats, RuleStats, ScoreProgress, Stats, Tally};

/// The prefectures and the reviewers (by the progress of their scope) with less than `pct`
/// per cent of their flagged records signed.
pub fn behind(stats: &Stats, pct: f64) -> (Vec<&RegionStats>, Vec<&ReviewerStats>) {
    (
        stats
            .prefectures
            .iter()
            .filter(|p| p.tally.behind(pct))
            .collect(),
        stats
            .reviewers
            .iter()
            .filter(|r| r.in_scope.behind(pct))
            .collect(),
    )
}

/// `2025-06-01T09:30:12.345Z` as `2025-06-01 09:30 UTC`.
pub fn minute(at: &str) -> String {
    match (at.get(..10), at.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => at.to_string(),
    }
}

impl Session {
    /// The figures of the session's form for the dashboard; "today" starts at `since`, or at
    /// the start of today in the computer's time zone when `None`.
    pub fn figures(&self, since: Option<&str>) -> Result<Stats> {
        self.ws.stats(&self.form.name, since)
    }
}
