//! The 2016 values of a finished record, drawn from the second random stream.
//!
//! The 2016 output comes from the economic statistics: most plants opened before 2017 have one,
//! within 0.8–1.25 times the 2017 output, so R31 (a more than threefold change) passes. A coal
//! burner's 2016 SO2 (environmental statistics) is drawn with its coal (`fill.rs`); a plant
//! without SO2 that has a 2016 output reported 0 SO2 for 2016.

use super::Plants;
use crate::sample::record::{Record, decimals::OUTPUT, q};

/// Chance that a plant opened before 2017 has a 2016 output (about 85 % of all plants, as one
/// in eight opened in 2017).
const PREV_OUTPUT_CHANCE: f64 = 0.98;

/// The 2016 output is the 2017 output times a factor in this range.
const PREV_OUTPUT_FACTOR: (f64, f64) = (0.8, 1.25);

impl Plants {
    /// Sets the 2016 output of `r` and, for a plant without SO2, its 2016 SO2. Called once a
    /// record's own defect, if any, is applied, so a defect that changes the output (R29's
    /// output too small) changes it in both years.
    pub fn previous_period(&mut self, r: &mut Record) {
        let rng = &mut self.overlay;
        r.prev_output = if r.open_year < 2017 && rng.chance(PREV_OUTPUT_CHANCE) {
            let factor = rng.range(PREV_OUTPUT_FACTOR.0, PREV_OUTPUT_FACTOR.1);
            Some(q(r.output * factor, OUTPUT))
        } else {
            None
        };
        if r.so2_emit.is_none() && r.prev_output.is_some() {
            r.prev_so2 = Some(0.0);
        }
    }
}
