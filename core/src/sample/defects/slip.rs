//! The slipped kinds: a typing slip in one figure that several rules read, so that the record
//! fails three or more linear rules at once and error localisation names that one figure to
//! change (a minus sign before SO2 generated fails R10, R13 and R20, and only a new SO2
//! generated satisfies all three).
//!
//! A third random stream draws one point in every run of [`SLIP_EVERY`] records; the next
//! slipped kind goes on the first record at or after that point that is still clean once the
//! overlaid kinds are laid, and fits it. The third stream changes nothing the other two draw,
//! so the plants, their 2016 values and the shaped and overlaid defects stay as they are; only
//! an overlaid pair kind (X02, X03) that would have copied from a slipped record waits for the
//! next clean pair.

use super::Kind::{self, *};
use crate::sample::record::Record;
use crate::sample::rng::Rng;

/// One slip in every run of this many records (about 3 in the 2,000-record sample).
pub const SLIP_EVERY: u64 = 700;

/// Mixed into the seed for the third random stream, so that it is unrelated to the others.
const SLIP_SALT: u64 = 0x5110_7E6A_71FE_0313;

/// Where the slips go: a point drawn in each run of [`SLIP_EVERY`] records, and the slips
/// due at points passed but not yet laid.
pub struct Slips {
    rng: Rng,
    /// The serial of this run's point.
    at: u64,
    /// Slips due and not yet laid.
    owed: u32,
    /// Slips laid so far: the next kind is `SLIPPED[laid % SLIPPED.len()]`.
    laid: usize,
}

impl Slips {
    pub fn new(seed: u64) -> Slips {
        Slips {
            rng: Rng::new(seed ^ SLIP_SALT),
            at: 0,
            owed: 0,
            laid: 0,
        }
    }

    /// The slipped kind due at the record with this serial, if any: called once for every
    /// record, in file order, whether it is clean or not.
    pub fn due(&mut self, serial: u64) -> Option<Kind> {
        if (serial - 1) % SLIP_EVERY == 0 {
            self.at = serial + self.rng.below(SLIP_EVERY as usize) as u64;
        }
        if serial == self.at {
            self.owed += 1;
        }
        (self.owed > 0).then(|| Kind::SLIPPED[self.laid % Kind::SLIPPED.len()])
    }

    /// Counts the kind [`Slips::due`] gave as laid.
    pub fn laid(&mut self) {
        self.owed -= 1;
        self.laid += 1;
    }
}

impl Kind {
    /// Whether the slipped kind can go on `r`, a clean record.
    pub fn slip_fits(self, r: &Record) -> bool {
        match self {
            // A coal burner with SO2: the negated figure fails R10, R13 (emitted above it),
            // R20 (coal burned, SO2 generated not above 0) and R21 (off the sulphur balance);
            // X05 and R18 then pass (X05 reads only a positive SO2 generated).
            So2GenNegative => {
                r.coal.is_some_and(|c| c > 0.0)
                    && r.sulfur.is_some_and(|s| s > 0.0)
                    && r.so2_gen.is_some_and(|g| g > 0.0)
            }
            _ => false,
        }
    }

    /// Lays the slipped kind over `r`. It leaves SO2 emitted and the output as they are, so
    /// R29's peer statistics and score S1 do not move.
    pub fn slip(self, r: &mut Record) {
        if self == So2GenNegative {
            r.so2_gen = r.so2_gen.map(|g| -g);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_slip_is_due_in_every_run_until_it_is_laid() {
        let mut slips = Slips::new(1);
        let mut points = 0;
        for serial in 1..=3 * SLIP_EVERY {
            if slips.due(serial).is_some() {
                points += 1;
                slips.laid();
            }
        }
        assert_eq!(points, 3);
        assert_eq!(slips.laid, 3);
        // A slip not laid at its point stays due.
        let mut slips = Slips::new(1);
        let first = (1..=SLIP_EVERY).find(|&s| slips.due(s).is_some());
        let first = first.expect("a point in the first run");
        if first < SLIP_EVERY {
            assert_eq!(slips.due(first + 1), Some(So2GenNegative));
        }
    }
}
