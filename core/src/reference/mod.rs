//! Reference tables embedded in the binary: Shandong administrative divisions and the
//! GB/T 4754-2017 industry classification (provenance in `sample-data/reference/README.md`).
//!
//! Every workspace gets them as the tables `regions` and `industries`; the sample generator
//! draws real codes from them.

const DIVISIONS_CSV: &str = include_str!("../../../sample-data/reference/shandong_divisions.csv");
const INDUSTRIES_CSV: &str = include_str!("../../../sample-data/reference/industry_gbt4754.csv");
const MCA_2019_TSV: &str =
    include_str!("../../../sample-data/reference/gb2260_mca_201904_shandong.tsv");

/// One administrative division (province, prefecture, county or township).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Division {
    pub code: &'static str,
    pub name: &'static str,
    /// `province`, `prefecture`, `county` or `township`.
    pub level: &'static str,
    /// Empty for the province.
    pub parent: &'static str,
}

/// One entry of GB/T 4754-2017: section (level 1, a letter), division (2 digits),
/// group (3 digits) or class (4 digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Industry {
    pub code: &'static str,
    pub name: &'static str,
    pub level: u8,
}

/// A division code from the 2019 GB/T 2260 list that no longer exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetiredDivision {
    pub code: &'static str,
    pub name: &'static str,
}

/// All Shandong divisions, in file order (province first).
pub fn divisions() -> impl Iterator<Item = Division> {
    DIVISIONS_CSV
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut parts = line.split(',');
            let mut next = || parts.next().unwrap_or("");
            Division {
                code: next(),
                name: next(),
                level: next(),
                parent: next(),
            }
        })
}

/// The division with this code, looked up in a table built on first use.
pub fn division(code: &str) -> Option<Division> {
    static MAP: std::sync::OnceLock<std::collections::HashMap<&'static str, Division>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| divisions().map(|d| (d.code, d)).collect())
        .get(code)
        .copied()
}

/// Whether `code` is a division code of another province than the one the reference table
/// names (a six-digit code the table does not hold, with another province's first two digits).
pub fn outside_province(code: &str) -> bool {
    code.len() == 6
        && code.bytes().all(|b| b.is_ascii_digit())
        && divisions()
            .next()
            .is_some_and(|province| province.code[..2] != code[..2])
}

/// All GB/T 4754-2017 entries, in file order.
pub fn industries() -> impl Iterator<Item = Industry> {
    INDUSTRIES_CSV
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut parts = line.split(',');
            let code = parts.next().unwrap_or("");
            let name = parts.next().unwrap_or("");
            let level = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
            Industry { code, name, level }
        })
}

/// Codes in the 2019 GB/T 2260 list for Shandong that the current division table no longer has
/// (e.g. 371200 莱芜市, merged into 济南 in 2019).
pub fn retired_divisions() -> impl Iterator<Item = RetiredDivision> {
    MCA_2019_TSV
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&'static str> = line.split('\t').collect();
            match cols.as_slice() {
                [_, _, code, name] => Some(RetiredDivision { code, name }),
                _ => None,
            }
        })
        .filter(|r| !divisions().any(|d| d.code == r.code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisions_have_the_published_counts() {
        let count = |level| divisions().filter(|d| d.level == level).count();
        assert_eq!(count("province"), 1);
        assert_eq!(count("prefecture"), 16);
        assert_eq!(count("county"), 151);
        assert_eq!(count("township"), 1853);
    }

    #[test]
    fn industries_have_the_published_counts() {
        let count = |level| industries().filter(|i| i.level == level).count();
        assert_eq!(
            (count(1), count(2), count(3), count(4)),
            (20, 97, 473, 1381)
        );
    }

    #[test]
    fn retired_codes_include_laiwu_and_changdao() {
        let retired: Vec<&str> = retired_divisions().map(|r| r.code).collect();
        for code in ["371200", "370634", "370684", "371523"] {
            assert!(retired.contains(&code), "{code} missing from {retired:?}");
        }
        assert!(!retired.contains(&"370102"));
    }
}
