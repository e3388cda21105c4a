//! Builds one clean record: a plausible plant of a given class in a given place that passes every
//! review rule. Defects are applied afterwards (`defects.rs`). This file holds the generator's
//! state and the plant's identity (credit code, name, coordinates); `plant/fill.rs` draws the
//! rest of the record and `plant/previous.rs` its 2016 values.

mod fill;
mod previous;

use std::collections::HashMap;

use super::industry::{self, Class, ClassPicker};
use super::places::{Place, Places};
use super::record::{decimals, q};
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

/// Mixed into the seed for the second random stream, so that it is unrelated to the first.
const OVERLAY_SALT: u64 = 0x2016_5EED_0F2A_C7E5;

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

/// The generator's state: the random streams and the few counters that keep records unique and
/// division intensities tight. Its size does not grow with the number of records.
pub struct Plants {
    /// The plant, its defect kind if it is drawn to suit one, and the record drawn for it.
    pub rng: Rng,
    /// A second stream, for the 2016 values and the defects laid over clean records: what it
    /// draws never changes what the first stream draws, so the plants, their keys and the
    /// defects drawn with them do not depend on it.
    pub overlay: Rng,
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
            overlay: Rng::new(seed ^ OVERLAY_SALT),
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
