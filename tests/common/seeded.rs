//! The seeded defects of the committed sample, as the table between the markers of
//! sample-data/README.md lists them: the records each rule must flag.

use std::collections::{BTreeMap, BTreeSet};

const README: &str = include_str!("../../sample-data/README.md");

/// The rows of the defect table: key, rule ids, description.
fn rows() -> impl Iterator<Item = (&'static str, Vec<&'static str>, &'static str)> {
    let start = README.find("<!-- defects:begin -->").expect("begin marker");
    let end = README.find("<!-- defects:end -->").expect("end marker");
    README[start..end]
        .lines()
        .filter(|l| l.starts_with("| G"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let rules = cells[2].split([',', ' ']).filter(|r| !r.is_empty());
            (cells[1], rules.collect(), cells[3])
        })
}

/// rule id → keys of the records seeded to fail it.
pub fn seeded() -> BTreeMap<String, BTreeSet<String>> {
    let mut by_rule: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (key, rules, _) in rows() {
        for rule in rules {
            by_rule
                .entry(rule.to_string())
                .or_default()
                .insert(key.to_string());
        }
    }
    by_rule
}

/// The census objects seeded with a defect (in the record or a row beneath it, whose key is
/// the record's and a suffix: `G3713020001081-02`) whose division code starts with `prefix`
/// (all of them for ""): the queue lines a full check flags there.
pub fn seeded_in(prefix: &str) -> u64 {
    rows()
        .map(|(key, ..)| key.split('-').next().unwrap_or(key))
        .filter(|key| key[1..].starts_with(prefix))
        .collect::<BTreeSet<_>>()
        .len() as u64
}

/// The census objects seeded with a defect: those a full check flags.
pub fn seeded_records() -> u64 {
    seeded_in("")
}

/// The flags a full check of the sample opens: one per seeded record and rule it fails.
pub fn seeded_flags() -> usize {
    seeded().values().map(BTreeSet::len).sum()
}

/// The keys of the records seeded with the defect of this description, in file order.
pub fn seeded_with(description: &str) -> Vec<&'static str> {
    rows()
        .filter(|(_, _, d)| *d == description)
        .map(|(key, ..)| key)
        .collect()
}
