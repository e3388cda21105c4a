//! The claim a reviewer's action takes on a record, as the screen sees it: it ends a short
//! grace after the reviewer moves on to other records, and a reviewer whose claim another
//! took over is told who.

use super::msg::Effect;
use super::{App, CLAIM_GRACE_TICKS, Held};
use crate::tui::i18n::say;
use huishen_core::review::RecordDetail;

impl App {
    /// The record on screen is claimed: the reviewer acted on it.
    pub(super) fn hold(&mut self) {
        if let Some(row) = self.selected() {
            self.held = Some(Held {
                record: row.record,
                away: 0,
            });
        }
    }

    /// One tick: the claim ends once the reviewer has been on other records for the grace.
    pub(super) fn claim_tick(&mut self) -> Option<Effect> {
        let here = self.selected().map(|r| r.record);
        let held = self.held.as_mut()?;
        if here == Some(held.record) {
            held.away = 0;
            return None;
        }
        held.away += 1;
        if held.away < CLAIM_GRACE_TICKS {
            return None;
        }
        self.held = None;
        Some(Effect::Release)
    }

    /// A read of the record on screen: if another reviewer now holds the record this
    /// reviewer had claimed, they took it over, and the reviewer is told by whom.
    pub(super) fn displaced(&mut self, record: Option<&RecordDetail>) {
        let (Some(held), Some(record)) = (self.held, record) else {
            return;
        };
        if self.selected().map(|r| r.record) != Some(held.record) {
            return;
        }
        if let Some(claim) = &record.claimed_by {
            self.message = Some(say::taken_over_by(self.lang, &claim.reviewer));
            self.held = None;
        }
    }
}
