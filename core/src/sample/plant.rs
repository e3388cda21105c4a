//! Builds one clean record: a plausible plant of a given class in a given place that passes every
//! review rule. Defects are applied afterwards (`defects.rs`).

use std::collections::HashMap;

use super::industry::{self, Class, ClassPicker};
use super::places::{Place, Places};
use super::profiles::{self, Profile};
use super::record::{Record, decimals, q};
use super::rng::Rng;
use crate::domain::uscc;

/// Characters that trade names (字号) are made of; two of them form one name.
const TRADE: [char; 80] = [
    '鑫', '达', '华', '泰', '恒', '源', '盛', '隆', '鼎', '宏', '丰', '瑞', '祥', '安', '德', '福',
    '兴', '昌', '康', '宇', '光', '明', '金', '宝', '利', '通', '海', '天', '新', '正', '中', '永',
    '嘉', '诚', '信', '和', '顺', '发', '润', '晟', '荣', '辉', '腾', '飞', '远', '博', '创', '联',
    '合', '益', '佳', '美', '洁', '清', '胜', '龙', '凯', '旭', '晨', '阳', '星', '汇', '峰', '岳',
    '鲁', '齐', '泉', '山', '林', '森', '鸿', '骏', '锦', '豪', '立', '威', '振', '景', '东', '方',
];

/// Legal-form endings, used in turn once a place's trade names for one word run out.
const ENDINGS: [&str; 5] = [
    "有限公司",
    "有限责任公司",
    "股份有限公司",
    "集团有限公司",
    "实业有限公司",
];

/// Golden-ratio step: `frac(k·φ)` spreads any run of `k` evenly over [0, 1).
const PHI_FRAC: f64 = 0.618_033_988_749_894_9;

/// Switches that make a record fit a defect that needs, say, a coal burner or a discharger.
/// `None` leaves the choice to chance.
#[derive(Debug, Clone, Copy, Default)]
pub struct Force {
    pub coal: Option<bool>,
    pub desulf: Option<bool>,
    pub treated: Option<bool>,
    pub discharge: Option<bool>,
    /// NOx present (from a gas boiler when there is no coal).
    pub nox: bool,
    /// Process particulate present.
    pub pm: bool,
}

/// The generator's state: the random stream and the few counters that keep records unique and
/// division intensities tight. Its size does not grow with the number of records.
pub struct Plants {
    pub rng: Rng,
    pub places: Places,
    picker: ClassPicker,
    /// Next trade-name index per (short place name, trade word).
    names: HashMap<(usize, &'static str), u32>,
    /// SO2 emitters generated so far per industry division, and where their sequence starts.
    golden: [u32; 100],
    golden_start: f64,
    /// Offsets that make credit-code bodies depend on the seed.
    credit_offsets: (u64, u64),
}

impl Plants {
    pub fn new(seed: u64) -> Plants {
        let mut rng = Rng::new(seed);
        let golden_start = rng.unit();
        let credit_offsets = (rng.next_u64(), rng.next_u64());
        Plants {
            rng,
            places: Places::load(),
            picker: ClassPicker::new(),
            names: HashMap::new(),
            golden: [0; 100],
            golden_start,
            credit_offsets,
        }
    }

    /// A class drawn by weight among those `accept` allows (the first accepted class if the
    /// draws keep missing).
    pub fn class(&mut self, accept: impl Fn(&Class) -> bool) -> &'static Class {
        for _ in 0..1000 {
            let r = self.rng.below(self.picker.total() as usize) as u32;
            let c = self.picker.at(r);
            if accept(c) {
                return c;
            }
        }
        industry::CLASSES
            .iter()
            .find(|c| accept(c))
            .unwrap_or(&industry::CLASSES[0])
    }

    /// A current county-level place, uniformly.
    pub fn county(&mut self) -> Place {
        *self.rng.pick(&self.places.counties)
    }

    /// The next value of a division's evenly spread sequence in [0, 1).
    fn spread_draw(&mut self, division: usize) -> f64 {
        self.golden[division] += 1;
        let x = self.golden_start + f64::from(self.golden[division]) * PHI_FRAC;
        x - x.floor()
    }

    /// The credit code of the plant with this serial: 9 1 · division · organization code · check.
    /// Bodies are a bijection of the serial, so no two records share one by accident.
    pub fn credit_code(&self, out: &mut String, serial: u64, region: &str, open_year: i64) {
        let mut code = [b'0'; 18];
        code[0] = b'9';
        code[1] = b'1';
        code[2..8].copy_from_slice(&region.as_bytes()[..6]);
        if open_year >= 2015 {
            // Codes issued since the reform: MA + 7 symbols.
            const M: u64 = 31u64.pow(7);
            let mut x = (serial.wrapping_mul(1_000_003) + self.credit_offsets.0 % M) % M;
            code[8] = b'M';
            code[9] = b'A';
            for i in (10..17).rev() {
                code[i] = uscc::ALPHABET[(x % 31) as usize];
                x /= 31;
            }
        } else {
            // Older registrations keep their GB 11714 organization code: 8 digits + check.
            const M: u64 = 100_000_000;
            let mut x = (serial.wrapping_mul(48_271) + self.credit_offsets.1 % M) % M;
            let mut body = [b'0'; 8];
            for i in (0..8).rev() {
                body[i] = b'0' + (x % 10) as u8;
                x /= 10;
            }
            code[8..16].copy_from_slice(&body);
            code[16] = uscc::org_check(&body);
        }
        code[17] = uscc::check_char(&code[..17]).unwrap_or(b'0');
        out.clear();
        out.extend(code.iter().map(|&b| b as char));
    }

    /// A unit name unique among all records: place + trade name + trade word + legal form.
    fn unit_name(&mut self, out: &mut String, place: &Place, word: &'static str) {
        let k = self.names.entry((place.name_key, word)).or_insert(0);
        let n = *k as usize;
        *k += 1;
        let cells = TRADE.len() * TRADE.len();
        let salt =
            place.name_key * 977 + word.len() * 131 + word.chars().next().map_or(0, |c| c as usize);
        let t = (n % cells * 2557 + salt) % cells;
        out.clear();
        out.push_str(place.short);
        out.push(TRADE[t / TRADE.len()]);
        out.push(TRADE[t % TRADE.len()]);
        out.push_str(word);
        let round = n / cells;
        if round >= ENDINGS.len() {
            out.push_str(&(round / ENDINGS.len()).to_string());
        }
        out.push_str(ENDINGS[round % ENDINGS.len()]);
    }

    /// Coordinates near `centre`, on a 0.001° grid whose last three decimals encode the serial
    /// (`a` = serial mod 1000 in the latitude, `7b + 3a` mod 1000 in the longitude, `b` the
    /// thousands), so no two of the first million records share a point.
    pub fn coordinates(&mut self, serial: u64, centre: (f64, f64), spread: f64) -> (f64, f64) {
        let lon = centre.0 + spread * (2.0 * self.rng.unit() - 1.0);
        let lat = centre.1 + spread * (2.0 * self.rng.unit() - 1.0);
        let (a, b) = (serial % 1000, (serial / 1000) % 1000);
        let lon = (lon * 1000.0).floor() / 1000.0 + ((7 * b + 3 * a) % 1000) as f64 * 1e-6;
        let lat = (lat * 1000.0).floor() / 1000.0 + a as f64 * 1e-6;
        (q(lon, decimals::DEGREES), q(lat, decimals::DEGREES))
    }

    /// Fills `r` with a clean plant of `class` in `place`.
    pub fn fill(
        &mut self,
        r: &mut Record,
        serial: u64,
        place: &Place,
        class: &'static Class,
        force: Force,
    ) {
        use decimals::*;
        let p = profiles::params(class.profile);
        let rng = &mut self.rng;

        let scale = {
            let total: u32 = p.scale.iter().sum();
            let mut x = rng.below(total as usize) as u32;
            let mut s = 0;
            while x >= p.scale[s] {
                x -= p.scale[s];
                s += 1;
            }
            s as u8 + 1
        };
        let output = match scale {
            1 => rng.skewed(50_000.0, 600_000.0),
            2 => rng.skewed(5_000.0, 50_000.0),
            3 => rng.skewed(500.0, 5_000.0),
            _ => rng.skewed(30.0, 500.0),
        };
        let u = rng.unit();
        let open_year = 2017 - (67.0 * u * u).floor() as i64;

        r.region = place.code;
        r.industry = class.code;
        r.scale = scale;
        r.open_year = open_year;
        r.output = q(output, OUTPUT);
        r.hours = q(rng.range(p.hours.0, p.hours.1), HOURS);

        let coal = force.coal.unwrap_or_else(|| rng.chance(p.coal));
        let process_pm = force.pm || rng.chance(p.pm);
        let gas_nox = !coal && (force.nox || rng.chance(p.gas_nox));
        r.vocs = if industry::voc_relevant(class.code) || rng.chance(p.voc_other) {
            Some(q((r.output * rng.range(p.vocs.0, p.vocs.1)).max(1.0), VOCS))
        } else {
            None
        };
        let emits = coal || process_pm || gas_nox || r.vocs.is_some();
        let treated = force.desulf == Some(true)
            || force.treated.unwrap_or_else(|| emits && rng.chance(0.92));
        let desulf = coal && treated && force.desulf.unwrap_or_else(|| rng.chance(p.desulf));
        let denox = coal && treated && p.denox;

        // SO2 comes from coal only. Its intensity (t per 10k yuan) is drawn evenly within the
        // division's band; generation, coal and sulphur are worked back from it so the sulphur
        // balance holds within ±15 %.
        let mut pm_gen = 0.0;
        let mut waste = 0.0;
        if coal {
            let division = industry::division(class.code);
            let intensity = industry::so2_base(division) * (1.0 + self.spread_draw(division));
            let rng = &mut self.rng;
            let emit = q(intensity * r.output, POLLUTANT);
            let generated = if desulf {
                let eff = rng.range(p.eff.0, p.eff.1);
                let generated = q(emit / (1.0 - eff / 100.0), POLLUTANT);
                r.desulf = Some(q(100.0 * (generated - emit) / generated, EFFICIENCY));
                generated
            } else {
                r.desulf = None;
                emit
            };
            let sulfur = q(rng.range(0.4, 1.3), PERCENT);
            let coal_t = q(generated / (0.016 * sulfur * rng.range(0.85, 1.15)), COAL);
            r.coal = Some(coal_t);
            r.sulfur = Some(sulfur);
            r.so2_gen = Some(generated);
            r.so2_emit = Some(emit);
            let nox = q(coal_t * rng.range(0.004, 0.009), POLLUTANT);
            r.nox_gen = Some(nox);
            r.nox_emit = Some(if denox {
                q(nox * rng.range(0.15, 0.45), POLLUTANT)
            } else {
                nox
            });
            pm_gen += coal_t * rng.range(0.08, 0.2);
            waste += coal_t * rng.range(0.12, 0.25);
            r.prev_so2 = if open_year < 2017 && rng.chance(0.85) {
                Some(q(emit * rng.range(0.6, 1.4), POLLUTANT))
            } else {
                None
            };
        } else {
            r.coal = None;
            r.sulfur = None;
            r.so2_gen = None;
            r.so2_emit = None;
            r.desulf = None;
            r.prev_so2 = None;
            if gas_nox {
                let nox = q(r.output * self.rng.range(0.0002, 0.001), POLLUTANT);
                r.nox_gen = Some(nox);
                r.nox_emit = Some(nox);
            } else {
                r.nox_gen = None;
                r.nox_emit = None;
            }
        }
        let rng = &mut self.rng;
        if process_pm {
            pm_gen += r.output * rng.range(p.pm_rate.0, p.pm_rate.1);
        }
        if pm_gen > 0.0 {
            let generated = q(pm_gen, POLLUTANT);
            r.pm_gen = Some(generated);
            r.pm_emit = Some(if treated {
                q(generated * rng.range(0.002, 0.03), POLLUTANT)
            } else {
                generated
            });
        } else {
            r.pm_gen = None;
            r.pm_emit = None;
        }
        r.gas_treatment = treated;
        r.facilities = if treated {
            let parts = [desulf, denox, r.pm_gen.is_some(), r.vocs.is_some()];
            (parts.iter().filter(|&&b| b).count() as i64).max(1) + rng.int(0, 1)
        } else {
            0
        };

        // Water: every plant takes some; dischargers send it to a river or a treatment plant at
        // a concentration within 5–500 mg/L.
        let mut intake = q((r.output * rng.range(p.water.0, p.water.1)).max(1.0), WATER);
        let discharge = force
            .discharge
            .unwrap_or_else(|| r.output >= 200.0 && rng.chance(p.discharge));
        if discharge {
            let share = rng.range(0.35, 0.85);
            let wastewater = q((intake * share).max(rng.range(2000.0, 6000.0)), WATER);
            intake = intake.max(q(wastewater / share, WATER));
            let cod = q(wastewater * rng.range(p.cod.0, p.cod.1) / 1e6, POLLUTANT);
            let nh3n = q(wastewater * rng.range(p.nh3n.0, p.nh3n.1) / 1e6, POLLUTANT);
            r.wastewater = Some(wastewater);
            r.cod_emit = Some(cod);
            r.cod_gen = Some(q(cod / (1.0 - rng.range(0.5, 0.95)), POLLUTANT));
            r.nh3n_emit = Some(nh3n);
            r.nh3n_gen = Some(q(nh3n / (1.0 - rng.range(0.4, 0.9)), POLLUTANT));
            r.water_body.clear();
            if rng.chance(0.45) {
                r.water_body.push_str(place.short);
                r.water_body.push_str("污水处理厂");
            } else {
                let water = *rng.pick(place.waters);
                r.water_body.push_str(water);
            }
        } else {
            r.wastewater = None;
            r.cod_emit = None;
            r.cod_gen = None;
            r.nh3n_emit = None;
            r.nh3n_gen = None;
            r.water_body.clear();
        }
        r.intake = Some(intake);

        if rng.chance(0.6) || class.profile == Profile::CoalMining {
            waste += r.output * rng.range(p.waste.0, p.waste.1);
        }
        r.waste = (waste > 0.0).then(|| q(waste.max(0.1), WASTE));

        let (lon, lat) = self.coordinates(serial, place.centre, place.spread);
        r.lon = Some(lon);
        r.lat = Some(lat);
        let mut credit = std::mem::take(&mut r.credit);
        self.credit_code(&mut credit, serial, place.code, open_year);
        r.credit = credit;
        let mut name = std::mem::take(&mut r.name);
        self.unit_name(&mut name, place, class.word);
        r.name = name;
    }
}

/// Writes `G` + division code + zero-padded serial into `out`.
pub fn record_id(out: &mut String, region: &str, serial: u64, width: usize) {
    use std::fmt::Write;
    out.clear();
    out.push('G');
    out.push_str(region);
    // Writing to a String cannot fail.
    let _ = write!(out, "{serial:0width$}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_codes_are_valid_and_distinct() {
        let plants = Plants::new(1);
        let mut seen = std::collections::HashSet::new();
        let mut code = String::new();
        for serial in 1..5000 {
            let year = if serial % 2 == 0 { 2016 } else { 2010 };
            plants.credit_code(&mut code, serial, "370102", year);
            assert!(uscc::is_valid(&code), "{code}");
            assert!(code.starts_with("91370102"));
            assert!(seen.insert(code.clone()), "{code} repeated");
        }
    }

    #[test]
    fn unit_names_do_not_repeat() {
        let mut plants = Plants::new(1);
        let place = plants.places.counties[0];
        let mut seen = std::collections::HashSet::new();
        let mut name = String::new();
        for _ in 0..(80 * 80 + 10) {
            plants.unit_name(&mut name, &place, "化工");
            assert!(seen.insert(name.clone()), "{name} repeated");
        }
        assert!(name.ends_with("有限责任公司"), "{name}");
    }

    #[test]
    fn record_ids_are_zero_padded() {
        let mut id = String::new();
        record_id(&mut id, "370102", 123, 7);
        assert_eq!(id, "G3701020000123");
    }
}
