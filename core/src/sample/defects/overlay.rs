//! The overlaid kinds: laid over a record drawn clean, when it fits, with draws from the second
//! random stream. None touches the SO2, output or industry of a record that R29's peer
//! statistics see (an SO2 emitter with an output), so the seeded outliers keep their peers.

use super::Kind::{self, *};
use crate::sample::plant::Plants;
use crate::sample::record::{Record, decimals::*, q};

/// How far a misreported desulphurisation efficiency is from what the SO2 figures give, in
/// points (X05 allows 5).
const EFFICIENCY_SHIFT: (f64, f64) = (8.0, 20.0);

/// A unit error: yuan entered where 10k yuan are asked.
const YUAN_PER_10K: f64 = 10_000.0;

impl Kind {
    /// Whether the overlaid kind can go on `r`, a clean record; `before` is the record just
    /// before it in the file when that one is clean too, the first of a pair.
    pub fn fits(self, r: &Record, before: Option<&Record>) -> bool {
        match self {
            ForeignPrefectureCode | ZeroHours => true,
            SharedCoordinates | NameUnderTwoCodes => before.is_some(),
            DesulfMisreported => {
                r.desulf.is_some_and(|d| (0.0..=100.0).contains(&d))
                    && r.so2_gen.is_some_and(|g| g > 0.0)
            }
            CoalWithoutWaste => r.coal.is_some_and(|c| c > 0.0),
            // A plant without SO2: a 10,000-fold output among the SO2 emitters would move the
            // peer quartiles of R29.
            OutputInYuan => r.so2_emit.is_none() && r.prev_output.is_some_and(|p| p > 0.0),
            _ => false,
        }
    }

    /// Lays the kind over `r`, the record with this serial; a pair kind copies from `before`,
    /// which then fails the same rule.
    pub fn overlay(
        self,
        r: &mut Record,
        serial: u64,
        before: Option<&Record>,
        plants: &mut Plants,
    ) {
        let rng = &mut plants.overlay;
        match self {
            ForeignPrefectureCode => {
                let prefecture = &r.region[..4];
                let elsewhere: Vec<&'static str> = plants
                    .places
                    .counties
                    .iter()
                    .filter(|p| !p.code.starts_with(prefecture))
                    .map(|p| p.code)
                    .collect();
                let registered = *rng.pick(&elsewhere);
                let mut credit = std::mem::take(&mut r.credit);
                plants.credit_code(&mut credit, serial, registered, r.open_year);
                r.credit = credit;
            }
            SharedCoordinates => {
                if let Some(first) = before {
                    r.lon = first.lon;
                    r.lat = first.lat;
                }
            }
            NameUnderTwoCodes => {
                if let Some(first) = before {
                    r.name.clone_from(&first.name);
                }
            }
            ZeroHours => r.hours = 0.0,
            DesulfMisreported => {
                if let Some(d) = r.desulf {
                    let shift = rng.range(EFFICIENCY_SHIFT.0, EFFICIENCY_SHIFT.1);
                    let reported = if d >= shift { d - shift } else { d + shift };
                    r.desulf = Some(q(reported, EFFICIENCY));
                }
            }
            CoalWithoutWaste => r.waste = Some(0.0),
            OutputInYuan => r.output = q(r.output * YUAN_PER_10K, OUTPUT),
            _ => {}
        }
    }
}
