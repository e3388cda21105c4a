//! The defects seeded into the sample: one kind per defective record (two records for the
//! cross-record kinds), each made to break exactly the review rules it lists. What each kind
//! is called and which rules it fails is the table in `defects/catalogue.rs`; how it is made is
//! here.

mod catalogue;

use super::industry::{self, Class};
use super::plant::{Force, Plants};
use super::profiles;
use super::record::{Record, decimals::*, q};
use crate::domain::uscc;

/// A kind of seeded defect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    MissingCreditCode,
    MissingLongitude,
    LetterO,
    WrongCheck,
    PrefectureRegion,
    RetiredRegion,
    OutsideProvince,
    NonIndustrial,
    Opened2018,
    SwappedCoordinates,
    LeapYearHours,
    NegativeIntake,
    CodOverGenerated,
    Nh3nOverGenerated,
    So2OverGenerated,
    NoxOverGenerated,
    PmInKilograms,
    DesulfTenfold,
    FlagWithoutFacility,
    UntreatedSo2Reduced,
    CoalWithoutSulfur,
    CoalWithoutSo2,
    CementKiln,
    NoReceivingWater,
    CodWithoutWastewater,
    WastewaterOverIntake,
    CodConcentration,
    VocsZero,
    DuplicateInCounty,
    SharedAcrossCounties,
    IntensityOutlier,
    So2Jump,
}

/// Which places a kind's record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    Counties,
    Retired,
    Jiangsu,
}

use Kind::*;

impl Kind {
    pub const ALL: [Kind; 32] = [
        MissingCreditCode,
        MissingLongitude,
        LetterO,
        WrongCheck,
        PrefectureRegion,
        RetiredRegion,
        OutsideProvince,
        NonIndustrial,
        Opened2018,
        SwappedCoordinates,
        LeapYearHours,
        NegativeIntake,
        CodOverGenerated,
        Nh3nOverGenerated,
        So2OverGenerated,
        NoxOverGenerated,
        PmInKilograms,
        DesulfTenfold,
        FlagWithoutFacility,
        UntreatedSo2Reduced,
        CoalWithoutSulfur,
        CoalWithoutSo2,
        CementKiln,
        NoReceivingWater,
        CodWithoutWastewater,
        WastewaterOverIntake,
        CodConcentration,
        VocsZero,
        DuplicateInCounty,
        SharedAcrossCounties,
        IntensityOutlier,
        So2Jump,
    ];

    /// Whether the kind spans two adjacent records.
    pub fn is_pair(self) -> bool {
        matches!(self, DuplicateInCounty | SharedAcrossCounties)
    }

    /// Which places the kind's record is drawn from.
    pub fn pool(self) -> Pool {
        match self {
            RetiredRegion => Pool::Retired,
            OutsideProvince => Pool::Jiangsu,
            _ => Pool::Counties,
        }
    }

    /// What the clean record under the defect must have.
    pub fn force(self) -> Force {
        let coal = Force {
            coal: Some(true),
            ..Force::default()
        };
        let discharger = Force {
            discharge: Some(true),
            ..Force::default()
        };
        match self {
            NonIndustrial => Force {
                coal: Some(false),
                ..Force::default()
            },
            NegativeIntake => Force {
                discharge: Some(false),
                ..Force::default()
            },
            CodOverGenerated | Nh3nOverGenerated | NoReceivingWater | CodWithoutWastewater
            | WastewaterOverIntake | CodConcentration => discharger,
            So2OverGenerated => Force {
                desulf: Some(false),
                ..coal
            },
            DesulfTenfold | UntreatedSo2Reduced => Force {
                desulf: Some(true),
                ..coal
            },
            NoxOverGenerated => Force {
                nox: true,
                ..Force::default()
            },
            PmInKilograms => Force {
                pm: true,
                ..Force::default()
            },
            FlagWithoutFacility => Force {
                treated: Some(true),
                pm: true,
                ..Force::default()
            },
            CoalWithoutSulfur | CoalWithoutSo2 | CementKiln | IntensityOutlier | So2Jump => coal,
            _ => Force::default(),
        }
    }

    /// Whether a class suits the kind (`division` is the one chosen for an outlier).
    pub fn accepts(self, class: &Class, division: usize) -> bool {
        let coal = profiles::params(class.profile).coal > 0.0;
        match self {
            CementKiln => class.code == "3011",
            VocsZero => industry::voc_relevant(class.code),
            IntensityOutlier => coal && industry::division(class.code) == division,
            So2OverGenerated | DesulfTenfold | UntreatedSo2Reduced | CoalWithoutSulfur
            | CoalWithoutSo2 | So2Jump => coal,
            _ => true,
        }
    }

    /// Turns the clean record into a defective one.
    pub fn apply(self, r: &mut Record, plants: &mut Plants) {
        let rng = &mut plants.rng;
        match self {
            MissingCreditCode => r.credit.clear(),
            MissingLongitude => r.lon = None,
            LetterO => {
                let at = r.credit[8..17].find('0').map_or(8, |i| i + 8);
                r.credit.replace_range(at..at + 1, "O");
            }
            WrongCheck => {
                let old = r.credit.as_bytes()[17];
                let old = uscc::ALPHABET.iter().position(|&c| c == old).unwrap_or(0);
                let new = uscc::ALPHABET[(old + 1 + rng.below(30)) % 31] as char;
                r.credit.replace_range(17..18, new.encode_utf8(&mut [0; 4]));
            }
            PrefectureRegion => {
                let place = plants.places.counties.iter().find(|p| p.code == r.region);
                if let Some(place) = place {
                    r.region = place.prefecture;
                }
            }
            RetiredRegion | OutsideProvince | DuplicateInCounty | SharedAcrossCounties => {}
            NonIndustrial => r.industry = *rng.pick(&industry::NON_INDUSTRIAL),
            Opened2018 => {
                r.open_year = 2018;
                r.prev_so2 = None;
            }
            SwappedCoordinates => std::mem::swap(&mut r.lon, &mut r.lat),
            LeapYearHours => r.hours = 8784.0,
            NegativeIntake => r.intake = r.intake.map(|v| -v.max(1.0)),
            CodOverGenerated => {
                r.cod_gen = r.cod_emit.map(|e| q(e * rng.range(0.55, 0.9), POLLUTANT))
            }
            Nh3nOverGenerated => {
                r.nh3n_gen = r.nh3n_emit.map(|e| q(e * rng.range(0.55, 0.9), POLLUTANT));
            }
            So2OverGenerated => {
                r.so2_gen = r.so2_emit.map(|e| q(e * rng.range(0.7, 0.9), POLLUTANT))
            }
            NoxOverGenerated => {
                r.nox_emit = r.nox_gen;
                r.nox_gen = r.nox_gen.map(|g| q(g * rng.range(0.6, 0.9), POLLUTANT));
            }
            PmInKilograms => r.pm_emit = r.pm_emit.map(|e| q(e * 1000.0, POLLUTANT)),
            DesulfTenfold => r.desulf = r.desulf.map(|d| q(d * 10.0, EFFICIENCY)),
            FlagWithoutFacility => r.facilities = 0,
            UntreatedSo2Reduced => {
                r.gas_treatment = false;
                r.facilities = 0;
            }
            CoalWithoutSulfur => r.sulfur = None,
            CoalWithoutSo2 => {
                r.so2_gen = Some(0.0);
                r.so2_emit = Some(0.0);
                r.desulf = None;
                r.prev_so2 = None;
            }
            CementKiln => r.coal = r.coal.map(|c| q(c * rng.range(2.5, 5.0), COAL)),
            NoReceivingWater => r.water_body.clear(),
            CodWithoutWastewater => r.wastewater = None,
            WastewaterOverIntake => {
                r.intake = r.wastewater.map(|w| q(w * rng.range(0.5, 0.83), WATER));
            }
            CodConcentration => {
                if let Some(w) = r.wastewater {
                    let cod = q(w * rng.range(1000.0, 3000.0) / 1e6, POLLUTANT);
                    r.cod_emit = Some(cod);
                    r.cod_gen = Some(q(cod / (1.0 - rng.range(0.5, 0.9)), POLLUTANT));
                }
            }
            VocsZero => r.vocs = Some(0.0),
            IntensityOutlier => r.output = q(r.output / rng.range(15.0, 30.0), OUTPUT),
            So2Jump => r.prev_so2 = r.so2_emit.map(|e| q(e * rng.range(3.5, 5.0), POLLUTANT)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_names_rules_and_descriptions() {
        for kind in Kind::ALL {
            assert!(!kind.rules().is_empty());
            assert!(!kind.description().is_empty() && !kind.description_zh().is_empty());
            assert!(!kind.seeding().is_empty());
        }
        let mut rules: Vec<&str> = Kind::ALL.iter().flat_map(|k| k.rules()).copied().collect();
        rules.sort_unstable();
        rules.dedup();
        let expected: Vec<String> = (1..=30).map(|i| format!("R{i:02}")).collect();
        assert_eq!(rules, expected, "every core rule has a defect");
    }
}
