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

/// `2025-06-01T01:30:12.345Z` as `2025-06-01 09:30 CST`, in huishen's zone (see
/// [`crate::domain::time`]).
pub fn minute(at: &str) -> String {
    crate::domain::time::zone().minute(at)
}

/// Where "today" starts for the figures, in the trail's format (UTC): `since` as a person
/// writes it (a day, or a day and a time, in huishen's zone, or a time with its offset), or
/// the last midnight in huishen's zone when `None`.
pub(super) fn today_from(since: Option<&str>) -> Result<String> {
    let zone = crate::domain::time::zone();
    let Some(text) = since else {
        return Ok(zone.today_start());
    };
    zone.utc_of(text).ok_or_else(|| {
        let name = zone.name();
        crate::Error::Declined {
            en: format!(
                "“{text}” is not a time; write a day, 2026-12-01 (from midnight in {name}), a day \
                 and a time in {name}, 2026-12-01 08:00, or a time with its offset, \
                 2026-12-01T08:00:00+08:00"
            ),
            zh: format!(
                "“{text}”不是时间；请写日期 2026-12-01（自 {name} 零时起）、{name} 的日期和时间 \
                 2026-12-01 08:00，或带时差的时间 2026-12-01T08:00:00+08:00"
            ),
        }
    })
}

impl Session {
    /// The figures of the session's form for the dashboard; "today" starts at `since`, or at
    /// the start of today in huishen's zone when `None` (see [`today_from`]).
    pub fn figures(&self, since: Option<&str>) -> Result<Stats> {
        self.ws.stats(&self.form.name, Some(&today_from(since)?))
    }
}
