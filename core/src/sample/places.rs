//! Where sample plants are: real county-level codes from the reference tables, with approximate
//! prefecture centres for coordinates and the rivers their wastewater goes to.

use crate::reference;

/// A county-level place a record can be registered in.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    /// 6-digit division code written in `region_code` (and inside the credit code).
    pub code: &'static str,
    /// Short name that starts unit names, e.g. 章丘 for 章丘区.
    pub short: &'static str,
    /// Index of `short` among the distinct short names (unit-name counters are per short name).
    pub name_key: usize,
    /// The prefecture's 6-digit code (e.g. 370100), for the prefecture-as-region defect.
    pub prefecture: &'static str,
    /// Centre of the area plants are scattered in, degrees east and north.
    pub centre: (f64, f64),
    /// Half-width of that area in degrees.
    pub spread: f64,
    /// Rivers (and lakes) that take wastewater here.
    pub waters: &'static [&'static str],
}

/// Approximate prefecture centres (°E, °N), keyed by the 4-digit prefix. 3712 is the former
/// 莱芜市, still carried by retired codes.
const CENTRES: [(&str, f64, f64); 17] = [
    ("3701", 117.05, 36.62),
    ("3702", 120.30, 36.20),
    ("3703", 118.05, 36.78),
    ("3704", 117.32, 34.86),
    ("3705", 118.60, 37.42),
    ("3706", 121.05, 37.40),
    ("3707", 119.10, 36.65),
    ("3708", 116.59, 35.41),
    ("3709", 117.09, 36.00),
    ("3710", 122.05, 37.15),
    ("3711", 119.30, 35.50),
    ("3712", 117.66, 36.22),
    ("3713", 118.35, 35.15),
    ("3714", 116.45, 37.35),
    ("3715", 115.98, 36.45),
    ("3716", 117.90, 37.45),
    ("3717", 115.60, 35.25),
];

/// Receiving waters by prefecture prefix.
const WATERS: [(&str, &[&str]); 19] = [
    ("3701", &["小清河", "玉符河", "巨野河", "绣江河", "汇河"]),
    ("3702", &["大沽河", "墨水河", "白沙河", "洋河", "胶河"]),
    ("3703", &["孝妇河", "淄河", "猪龙河", "乌河", "沂河"]),
    ("3704", &["十字河", "薛城大沙河", "峄城大沙河", "京杭运河"]),
    ("3705", &["广利河", "溢洪河", "支脉河", "神仙沟", "小清河"]),
    ("3706", &["夹河", "黄水河", "五龙河", "辛安河", "界河"]),
    ("3707", &["白浪河", "潍河", "弥河", "虞河", "胶莱河"]),
    ("3708", &["泗河", "洸府河", "梁济运河", "白马河", "南四湖"]),
    ("3709", &["大汶河", "泮河", "柴汶河", "东平湖"]),
    ("3710", &["母猪河", "乳山河", "黄垒河", "青龙河"]),
    ("3711", &["傅疃河", "绣针河", "沭河", "巨峰河"]),
    ("3712", &["大汶河", "嬴汶河", "牟汶河"]),
    ("3713", &["沂河", "沭河", "祊河", "涑河", "武河"]),
    ("3714", &["漳卫新河", "马颊河", "德惠新河", "岔河"]),
    ("3715", &["徒骇河", "马颊河", "卫运河", "小运河"]),
    ("3716", &["徒骇河", "秦口河", "潮河", "支脉河"]),
    ("3717", &["万福河", "东鱼河", "洙赵新河", "赵王河"]),
    ("3203", &["复新河", "大沙河", "沿河"]),
    ("3207", &["青口河", "蔷薇河", "龙王河"]),
];

/// Jiangsu counties on the Shandong border (outside the jurisdiction, inside Shandong's
/// coordinate box): code, short name, centre.
const JIANGSU: [(&str, &str, f64, f64); 4] = [
    ("320321", "丰县", 116.60, 34.72),
    ("320322", "沛县", 116.94, 34.74),
    ("320721", "赣榆", 119.13, 34.86),
    ("320722", "东海", 118.77, 34.58),
];

/// Every place a record can come from.
pub struct Places {
    /// The 151 current county-level units (including statistical-only zones).
    pub counties: Vec<Place>,
    /// County-level codes that have been retired (e.g. 371202 莱城区).
    pub retired: Vec<Place>,
    /// Border counties of Jiangsu.
    pub jiangsu: Vec<Place>,
}

fn centre(prefix: &str) -> (f64, f64) {
    CENTRES
        .iter()
        .find(|c| c.0 == prefix)
        .map_or((117.0, 36.4), |c| (c.1, c.2))
}

fn waters(prefix: &str) -> &'static [&'static str] {
    WATERS
        .iter()
        .find(|w| w.0 == prefix)
        .map_or(&["黄河"], |w| w.1)
}

/// The name without its 区/县/市 suffix, unless that would leave one character (莒县 stays).
fn strip_suffix(name: &'static str) -> &'static str {
    match name.strip_suffix(['区', '县', '市']) {
        Some(short) if short.chars().count() >= 2 => short,
        _ => name,
    }
}

impl Places {
    pub fn load() -> Places {
        let prefectures: Vec<reference::Division> = reference::divisions()
            .filter(|d| d.level == "prefecture")
            .collect();
        let prefecture_of = |code: &str| -> (&'static str, &'static str) {
            prefectures
                .iter()
                .find(|p| p.code[..4] == code[..4])
                .map_or(("370000", "山东"), |p| (p.code, strip_suffix(p.name)))
        };
        let mut shorts: Vec<&'static str> = Vec::new();
        let mut key_of = |short: &'static str| match shorts.iter().position(|&s| s == short) {
            Some(i) => i,
            None => {
                shorts.push(short);
                shorts.len() - 1
            }
        };
        let mut place = |code: &'static str, name: &'static str, spread: f64| {
            let (prefecture, prefecture_short) = prefecture_of(code);
            // Statistical-only zones (5th digit 7) and the central districts named 市中/市南/市北
            // take the city's name, as their companies do.
            let short = if code.as_bytes()[4] == b'7' {
                prefecture_short
            } else {
                match strip_suffix(name) {
                    "市中" | "市南" | "市北" => prefecture_short,
                    s => s,
                }
            };
            Place {
                code,
                short,
                name_key: key_of(short),
                prefecture,
                centre: centre(&code[..4]),
                spread,
                waters: waters(&code[..4]),
            }
        };
        let counties: Vec<Place> = reference::divisions()
            .filter(|d| d.level == "county")
            .map(|d| place(d.code, d.name, 0.25))
            .collect();
        let retired: Vec<Place> = reference::retired_divisions()
            .filter(|r| !r.code.ends_with("00"))
            .map(|r| place(r.code, r.name, 0.08))
            .collect();
        let jiangsu = JIANGSU
            .iter()
            .map(|&(code, short, lon, lat)| Place {
                code,
                short,
                name_key: key_of(short),
                prefecture: "",
                centre: (lon, lat),
                spread: 0.05,
                waters: waters(&code[..4]),
            })
            .collect();
        Places {
            counties,
            retired,
            jiangsu,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_cover_shandong_and_stay_in_its_box() {
        let places = Places::load();
        assert_eq!(places.counties.len(), 151);
        let retired: Vec<&str> = places.retired.iter().map(|p| p.code).collect();
        assert_eq!(retired, ["370634", "370684", "371202", "371203", "371523"]);
        for p in places
            .counties
            .iter()
            .chain(&places.retired)
            .chain(&places.jiangsu)
        {
            let (lon, lat) = p.centre;
            assert!(
                lon - p.spread >= 114.8 && lon + p.spread <= 122.7,
                "{}",
                p.code
            );
            assert!(
                lat - p.spread >= 34.4 && lat + p.spread <= 38.4,
                "{}",
                p.code
            );
            assert!(p.short.chars().count() >= 2, "{}", p.code);
        }
        let zhangqiu = places.counties.iter().find(|p| p.code == "370114");
        assert_eq!(
            zhangqiu.map(|p| (p.short, p.prefecture)),
            Some(("章丘", "370100"))
        );
        let zone = places.counties.iter().find(|p| p.code == "370176");
        assert_eq!(zone.map(|p| p.short), Some("济南"));
    }
}
