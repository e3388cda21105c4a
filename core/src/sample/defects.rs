//! The defects seeded into the sample: one kind per defective record (two records for the
//! cross-record kinds), each made to break exactly the review rules it lists. What each kind
//! is called and which rules it fails is the table in `defects/catalogue.rs`.
//!
//! Three families: a *shaped* kind gets a record drawn to suit it (a coal burner, a discharger, a
//! class of an outlier's division) and is applied here; an *overlaid* kind is laid over a record
//! drawn clean, from the second random stream, when the record fits it (`defects/overlay.rs`);
//! a *slipped* kind, a typing slip that several rules see at once, is laid over a clean record
//! that fits it at a point the third stream draws in every run of records (`defects/slip.rs`).

mod catalogue;
mod overlay;
mod slip;

pub use slip::Slips;

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
    ForeignPrefectureCode,
    SharedCoordinates,
    NameUnderTwoCodes,
    ZeroHours,
    DesulfMisreported,
    CoalWithoutWaste,
    OutputInYuan,
    So2GenNegative,
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
    /// The kinds a record is drawn to suit, in the order of their first schedule round.
    pub const SHAPED: [Kind; 32] = [
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

    /// The kinds laid over a record drawn clean.
    pub const OVERLAID: [Kind; 7] = [
        ForeignPrefectureCode,
        SharedCoordinates,
        NameUnderTwoCodes,
        ZeroHours,
        DesulfMisreported,
        CoalWithoutWaste,
        OutputInYuan,
    ];

    /// The typing slips laid over a clean record at a point drawn in every run of records.
    pub const SLIPPED: [Kind; 1] = [So2GenNegative];

    /// Every kind: the shaped ones, then the overlaid ones, then the slipped ones.
    pub const ALL: [Kind; 40] = {
        let mut all = [MissingCreditCode; 40];
        let mut i = 0;
        while i < Kind::SHAPED.len() {
            all[i] = Kind::SHAPED[i];
            i += 1;
        }
        let mut j = 0;
        while j < Kind::OVERLAID.len() {
            all[i + j] = Kind::OVERLAID[j];
            j += 1;
        }
        let mut k = 0;
        while k < Kind::SLIPPED.len() {
            all[i + j + k] = Kind::SLIPPED[k];
            k += 1;
        }
        all
    };

    /// Whether the kind spans two adjacent records.
    pub fn is_pair(self) -> bool {
        matches!(
            self,
            DuplicateInCounty | SharedAcrossCounties | SharedCoordinates | NameUnderTwoCodes
        )
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

    /// Turns the clean record drawn for a shaped kind into a defective one (an overlaid kind is
    /// laid over by [`Kind::overlay`], a slipped one by [`Kind::slip`]).
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
            ForeignPrefectureCode
            | SharedCoordinates
            | NameUnderTwoCodes
            | ZeroHours
            | DesulfMisreported
            | CoalWithoutWaste
            | OutputInYuan
            | So2GenNegative => {}
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
        let children = crate::sample::objects::ChildKind::ALL;
        let mut rules: Vec<&str> = Kind::ALL.iter().flat_map(|k| k.rules()).copied().collect();
        rules.extend(children.iter().flat_map(|k| k.rules()));
        rules.sort_unstable();
        rules.dedup();
        let set = crate::rules::RuleSet::parse("rules.toml", crate::sample::RULES_TOML)
            .expect("the sample's rules parse");
        let mut expected: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
        expected.sort_unstable();
        assert_eq!(rules, expected, "every rule of the census set has a defect");
    }

    #[test]
    fn every_kind_is_listed_once() {
        for (i, kind) in Kind::ALL.iter().enumerate() {
            assert!(!Kind::ALL[i + 1..].contains(kind), "{kind:?} listed twice");
        }
    }
}
