//! The figures of selective review and of the team's pace: how much of the total score of the
//! flagged records has been signed off, how many records at or above a threshold are left,
//! how fast the team signs records off, and when it will finish at that pace.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::read::TIME;
use crate::error::Result;
use crate::store::err;

/// How far the review of the records that matter most has come.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreProgress {
    /// Flagged records with a score; without one (no score function, or it cannot be scored).
    pub scored: u64,
    pub unscored: u64,
    /// Sum of the flagged records' scores, and of those signed off.
    pub total: f64,
    pub reviewed: f64,
    /// reviewed / total, in per cent (0 when there is no score).
    pub reviewed_pct: f64,
    /// Flagged records at or above a threshold, and of them those not yet signed off.
    pub high: u64,
    pub high_left: u64,
    /// Open proposals of fix rules on records not signed off.
    pub proposals: u64,
    /// Groups whose scores or proposals an edit moved and that are being computed again: until
    /// they are, those records' figures are the ones from before that edit.
    pub due: u64,
}

/// The team's pace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pace {
    /// Records signed off (locked) in the 8 hours before the figures were read, per hour.
    pub records_per_hour: f64,
    /// Flagged records not yet signed off, and of them those at or above a threshold.
    pub left: u64,
    pub high_left: u64,
    /// At the pace above: hours until every flagged record, and every high one, is signed
    /// off (`None` when nothing was signed off in those 8 hours).
    pub hours_left: Option<f64>,
    pub high_hours_left: Option<f64>,
    /// When the last flagged record would be signed off at that pace (UTC).
    pub finish: Option<String>,
}

/// How many hours back the pace looks.
pub const PACE_HOURS: f64 = 8.0;

pub(super) fn score_progress(tx: &Transaction<'_>, form: &str) -> Result<ScoreProgress> {
    let context = err("reading the review's figures");
    let row = tx
        .query_row(
            "SELECT count(q.score), count(*) - count(q.score), coalesce(sum(q.score), 0),
                    coalesce(sum(q.score) FILTER (WHERE s.locked = 1), 0),
                    count(*) FILTER (WHERE q.high = 1),
                    count(*) FILTER (WHERE q.high = 1 AND coalesce(s.locked, 0) = 0),
                    coalesce(sum(q.proposals) FILTER (WHERE coalesce(s.locked, 0) = 0), 0)
             FROM queue q LEFT JOIN record_state s ON s.form = q.form AND s.record = q.record
             WHERE q.form = ?1",
            [form],
            |r| {
                Ok(ScoreProgress {
                    scored: r.get(0)?,
                    unscored: r.get(1)?,
                    total: r.get(2)?,
                    reviewed: r.get(3)?,
                    reviewed_pct: 0.0,
                    high: r.get(4)?,
                    high_left: r.get(5)?,
                    proposals: r.get(6)?,
                    due: 0,
                })
            },
        )
        .map_err(&context)?;
    let due = tx
        .query_row(
            "SELECT count(*) FROM refresh_due WHERE form = ?1",
            [form],
            |r| r.get(0),
        )
        .map_err(&context)?;
    Ok(ScoreProgress {
        due,
        reviewed_pct: if row.total > 0.0 {
            (row.reviewed / row.total * 1000.0).round() / 10.0
        } else {
            0.0
        },
        ..row
    })
}

pub(super) fn pace(
    tx: &Transaction<'_>,
    form: &str,
    as_of: &str,
    left: u64,
    high_left: u64,
) -> Result<Pace> {
    let context = err("reading the review's figures");
    // A record is signed off by the signature event that locked it.
    let locked: u64 = tx
        .query_row(
            &format!(
                "SELECT count(*) FROM events
                 WHERE form = ?1 AND kind = 'sign' AND json_extract(payload, '$.locks') = 1
                   AND at > strftime({TIME}, ?2, '-{PACE_HOURS} hours')"
            ),
            params![form, as_of],
            |r| r.get(0),
        )
        .map_err(&context)?;
    let rate = locked as f64 / PACE_HOURS;
    let hours = |n: u64| (rate > 0.0).then(|| n as f64 / rate);
    let hours_left = hours(left);
    let finish = match hours_left {
        Some(h) => tx
            .query_row(
                &format!("SELECT strftime({TIME}, ?1, ?2)"),
                params![as_of, format!("+{} minutes", (h * 60.0).round() as i64)],
                |r| r.get(0),
            )
            .optional()
            .map_err(&context)?
            .flatten(),
        None => None,
    };
    Ok(Pace {
        records_per_hour: (rate * 10.0).round() / 10.0,
        left,
        high_left,
        hours_left,
        high_hours_left: hours(high_left),
        finish,
    })
}
