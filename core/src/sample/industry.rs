//! The industries sample plants belong to: GB/T 4754-2017 classes common in Shandong, each with
//! a profile (`profiles.rs`) that decides what the plant burns, discharges and emits.

use super::profiles::Profile;

/// One GB/T 4754-2017 class the generator uses.
pub struct Class {
    pub code: &'static str,
    /// The trade word in unit names, e.g. 化工 in 章丘鑫达化工有限公司.
    pub word: &'static str,
    /// Relative frequency among sample plants.
    pub weight: u32,
    pub profile: Profile,
}

const fn class(code: &'static str, word: &'static str, weight: u32, profile: Profile) -> Class {
    Class {
        code,
        word,
        weight,
        profile,
    }
}

use Profile::*;

/// The classes, all 4-digit codes in divisions 06–46 (mining, manufacturing, power/heat/gas/water).
pub const CLASSES: &[Class] = &[
    class("0610", "煤业", 3, CoalMining),
    class("0711", "石油", 1, OilExtraction),
    class("0810", "矿业", 1, OreMining),
    class("0921", "黄金", 2, OreMining),
    class("1011", "矿业", 2, Quarrying),
    class("1019", "建材", 2, Quarrying),
    class("1312", "面粉", 3, Food),
    class("1331", "油脂", 3, Food),
    class("1351", "食品", 3, Food),
    class("1352", "食品", 3, Food),
    class("1361", "水产", 2, Food),
    class("1371", "果蔬", 2, Food),
    class("1391", "淀粉", 2, Food),
    class("1411", "食品", 2, Food),
    class("1461", "生物", 1, Food),
    class("1495", "生物", 1, Food),
    class("1512", "酒业", 2, Brewing),
    class("1513", "啤酒", 1, Brewing),
    class("1523", "饮品", 1, Brewing),
    class("1711", "纺织", 4, Textile),
    class("1713", "印染", 2, Textile),
    class("1761", "针织", 1, Textile),
    class("1819", "服装", 3, Textile),
    class("1910", "皮革", 1, Tannery),
    class("2021", "木业", 3, Wood),
    class("2022", "木业", 1, Wood),
    class("2110", "家具", 2, Furniture),
    class("2130", "家具", 1, Furniture),
    class("2211", "纸业", 1, Paper),
    class("2221", "纸业", 2, Paper),
    class("2231", "包装", 2, Plastics),
    class("2311", "印务", 1, Printing),
    class("2319", "彩印", 2, Printing),
    class("2511", "石化", 2, Refining),
    class("2521", "焦化", 1, Refining),
    class("2612", "化工", 1, Chemical),
    class("2614", "化工", 2, Chemical),
    class("2621", "化肥", 1, Chemical),
    class("2625", "肥业", 1, Chemical),
    class("2631", "农药", 1, Chemical),
    class("2641", "涂料", 1, Coating),
    class("2642", "油墨", 1, Coating),
    class("2651", "树脂", 1, Chemical),
    class("2662", "化工", 1, Chemical),
    class("2710", "制药", 2, Pharma),
    class("2720", "药业", 1, Pharma),
    class("2740", "药业", 1, Pharma),
    class("2761", "生物", 1, Pharma),
    class("2822", "化纤", 1, Chemical),
    class("2911", "轮胎", 2, Tyre),
    class("2921", "塑业", 2, Plastics),
    class("2927", "塑料", 1, Plastics),
    class("3011", "水泥", 2, Cement),
    class("3021", "建材", 2, BuildingMaterial),
    class("3031", "新型建材", 2, BuildingMaterial),
    class("3041", "玻璃", 1, BuildingMaterial),
    class("3071", "陶瓷", 1, BuildingMaterial),
    class("3110", "钢铁", 1, Steel),
    class("3120", "钢铁", 1, Steel),
    class("3130", "特钢", 2, Steel),
    class("3216", "铝业", 1, NonFerrous),
    class("3252", "铝材", 1, NonFerrous),
    class("3311", "钢构", 2, Machinery),
    class("3411", "锅炉", 1, Machinery),
    class("3441", "泵业", 1, Machinery),
    class("3484", "机械", 2, Machinery),
    class("3511", "矿山机械", 1, Machinery),
    class("3571", "农机", 1, Machinery),
    class("3572", "农业装备", 2, Machinery),
    class("3611", "汽车", 1, Vehicles),
    class("3660", "专用车", 2, Vehicles),
    class("3670", "汽车配件", 3, Vehicles),
    class("3811", "电机", 1, Electronics),
    class("3831", "电缆", 1, Electronics),
    class("3841", "新能源", 1, Electronics),
    class("3982", "电子", 1, Electronics),
    class("4220", "再生资源", 1, Recycling),
    class("4411", "电力", 1, Power),
    class("4412", "热电", 2, Power),
    class("4430", "热力", 2, Heat),
    class("4511", "燃气", 1, GasSupply),
    class("4610", "水务", 1, WaterSupply),
];

/// Industries where VOC emissions are expected (rule R26): divisions 21 furniture, 23 printing,
/// 27 pharmaceuticals and 36 motor vehicles, and these classes.
pub const VOC_DIVISIONS: [&str; 4] = ["21", "23", "27", "36"];
pub const VOC_CLASSES: [&str; 6] = ["2511", "2614", "2641", "2642", "2651", "2911"];

/// Whether R26 expects VOCs from this industry code.
pub fn voc_relevant(code: &str) -> bool {
    VOC_DIVISIONS.iter().any(|d| code.starts_with(d)) || VOC_CLASSES.contains(&code)
}

/// Non-industrial classes that a form sometimes carries by mistake (rule R06): 7211 企业总部管理,
/// 5162 石油及制品批发, 7320 工程和技术研究和试验发展, 5191 再生物资回收与批发.
pub const NON_INDUSTRIAL: [&str; 4] = ["7211", "5162", "7320", "5191"];

/// The division (first two digits) as a number 0–99.
pub fn division(code: &str) -> usize {
    let b = code.as_bytes();
    match b {
        [a, c, ..] if a.is_ascii_digit() && c.is_ascii_digit() => {
            usize::from(a - b'0') * 10 + usize::from(c - b'0')
        }
        _ => 0,
    }
}

/// SO2 emitted per 10k yuan of output at the low end of a division's band (t / 万元). Every
/// SO2 emitter of a division lies within [base, 2·base], so none is a far-out outlier (R29).
pub fn so2_base(division: usize) -> f64 {
    match division {
        44 => 0.005,
        30 => 0.003,
        22 | 25 | 31 => 0.002,
        26 | 32 => 0.0015,
        6..=10 | 17 | 20 | 28 => 0.001,
        _ => 0.0008,
    }
}

/// Cumulative class weights, for weighted picks.
pub struct ClassPicker {
    cumulative: Vec<u32>,
}

impl ClassPicker {
    pub fn new() -> ClassPicker {
        let mut total = 0;
        let cumulative = CLASSES
            .iter()
            .map(|c| {
                total += c.weight;
                total
            })
            .collect();
        ClassPicker { cumulative }
    }

    /// The class for a uniform draw `r` in `0..total()`.
    pub fn at(&self, r: u32) -> &'static Class {
        let i = self.cumulative.partition_point(|&c| c <= r);
        &CLASSES[i.min(CLASSES.len() - 1)]
    }

    pub fn total(&self) -> u32 {
        self.cumulative.last().copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;

    #[test]
    fn every_class_is_an_industrial_class_of_gbt4754() {
        for c in CLASSES {
            let found = reference::industries().find(|i| i.code == c.code);
            assert_eq!(found.map(|i| i.level), Some(4), "{}", c.code);
            assert!((6..=46).contains(&division(c.code)), "{}", c.code);
        }
        for code in VOC_CLASSES {
            assert!(reference::industries().any(|i| i.code == code && i.level == 4));
        }
        for code in NON_INDUSTRIAL {
            assert!(reference::industries().any(|i| i.code == code && i.level == 4));
            assert!(!(6..=46).contains(&division(code)));
        }
    }

    #[test]
    fn picker_reaches_first_and_last_class() {
        let p = ClassPicker::new();
        assert_eq!(p.at(0).code, CLASSES[0].code);
        assert_eq!(p.at(p.total() - 1).code, CLASSES[CLASSES.len() - 1].code);
    }
}
