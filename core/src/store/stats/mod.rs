//! The figures of a review in progress, for the dashboard and `huishen status`: how far the
//! review has come overall, per prefecture and per reviewer's scope, what each reviewer did
//! today, what became of each rule's flags, and signatures per hour. All of it is read in one
//! read transaction, so the figures agree with each other. The words are defined at [`Stats`].

use serde::Serialize;

use crate::domain::Localized;
use crate::domain::Severity;

mod pace;
mod read;

pub use pace::{Pace, ScoreProgress};

/// How far the review of a set of flagged records has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tally {
    pub flagged: u64,
    pub signed: u64,
    pub ready: u64,
    pub open: u64,
    /// signed / flagged in per cent, rounded to one decimal; 100 when nothing is flagged.
    pub progress_pct: f64,
}

impl Tally {
    fn new(flagged: u64, signed: u64, open: u64) -> Tally {
        let progress_pct = if flagged == 0 {
            100.0
        } else {
            (signed as f64 * 1000.0 / flagged as f64).round() / 10.0
        };
        Tally {
            flagged,
            signed,
            ready: flagged.saturating_sub(signed + open),
            open,
            progress_pct,
        }
    }

    /// Whether less than `pct` per cent of the flagged records are signed (exactly, not
    /// rounded). Nothing flagged is never behind.
    pub fn behind(&self, pct: f64) -> bool {
        self.flagged > 0 && (self.signed as f64) * 100.0 < pct * self.flagged as f64
    }
}

/// One prefecture: the first four digits of the records' division codes + "00".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionStats {
    pub code: String,
    /// From the division table, or the 2019 list for a retired code; `None` for a code of
    /// another province.
    pub name: Option<String>,
    #[serde(flatten)]
    pub tally: Tally,
}

/// One reviewer: what they did today, and how far the records of their scope have come.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewerStats {
    pub name: String,
    pub role: String,
    /// The division-code prefix they act in; empty for everywhere.
    pub scope: String,
    /// Records they signed since `since` (sign events, each record once).
    pub signed_today: u64,
    /// Corrections they made since `since` (correct events).
    pub corrections_today: u64,
    /// Explanations they wrote since `since` (explain events).
    pub explanations_today: u64,
    /// The flagged records whose division code starts with their scope: a reviewer's
    /// progress is the progress of their scope.
    pub in_scope: Tally,
}

/// What became of one rule's flags, counted in records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleStats {
    pub rule: String,
    pub severity: Severity,
    pub title: Localized,
    /// Open flags of the rule (explained ones included).
    pub failing_now: u64,
    /// Records the rule flagged at the first check, that is on the data as imported: flags
    /// first seen before the form's first correction (every flag while nothing is corrected).
    pub at_first_check: u64,
    /// Records whose flag of the rule is resolved (and not open again) and that carry a
    /// standing correction.
    pub corrected: u64,
    /// Open flags of the rule with a standing explanation (说明).
    pub explained: u64,
}

/// Everything the dashboard and `huishen status` show about one form.
///
/// The words, as they are counted here (one form at a time):
/// - a record is *flagged* when any rule ever flagged it: it is in `queue`;
/// - it is *signed* when it is locked (`record_state.locked = 1`);
/// - it is *open* when it is not signed and has an open flag that is an error or a warning
///   without a standing explanation;
/// - it is *ready* when it is flagged, not open and not signed.
///
/// Signed, ready and open split the flagged records: a locked record counts as signed even
/// when a later check opened a flag on it. Progress is signed / flagged. A prefecture is the
/// first four digits of the division code + "00"; a reviewer's work today is their sign,
/// correct and explain events since `since`; the per-rule counts are defined at
/// [`RuleStats`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub form: String,
    /// When the figures were read (UTC, ISO 8601).
    pub as_of: String,
    /// Where "today" starts for the reviewers' work (UTC, ISO 8601).
    pub since: String,
    /// Records of the form.
    pub records: u64,
    pub overall: Tally,
    /// Prefectures by code.
    pub prefectures: Vec<RegionStats>,
    /// Every registered reviewer, by name.
    pub reviewers: Vec<ReviewerStats>,
    /// The rules in force for the form, in rule-file order.
    pub rules: Vec<RuleStats>,
    /// The dataset rules in force for the form, in rule-file order: their verdicts on the
    /// data as it stands.
    pub datasets: Vec<crate::store::rule_engine::DatasetVerdicts>,
    /// Sign events in each of the 24 hours before `as_of`, oldest first: the last number
    /// counts the 60 minutes up to `as_of`.
    pub signatures_per_hour: Vec<u64>,
    /// The audit trail's newest event as (id, hash), for a witness to keep (none before the
    /// first event).
    pub head: Option<(i64, String)>,
    /// The fingerprint of the trail's root key, for a paper copy to pin the trail to it.
    pub root: Option<String>,
    /// Selective review: how much of the flagged records' total score is signed off.
    pub scores: ScoreProgress,
    /// The team's pace and the finish it projects.
    pub pace: Pace,
}
