//! The census rule set on the Shandong sample: every rule flags exactly the records that
//! sample-data/README.md lists for it, and nothing else.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{SAMPLE_CSV, SAMPLE_RULES, SAMPLE_SCHEMA, Scratch, huishen};

const README: &str = include_str!("../sample-data/README.md");

/// rule id → keys, from the defect table between the README's markers.
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let start = README.find("<!-- defects:begin -->").expect("begin marker");
    let end = README.find("<!-- defects:end -->").expect("end marker");
    let mut by_rule: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in README[start..end].lines().filter(|l| l.starts_with("| G")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        for rule in cells[2].split([',', ' ']).filter(|r| !r.is_empty()) {
            by_rule
                .entry(rule.to_string())
                .or_default()
                .insert(cells[1].to_string());
        }
    }
    by_rule
}

#[test]
fn every_rule_flags_exactly_the_documented_records() {
    let s = Scratch::new();
    let ws = s.path("census.huishen");
    huishen()
        .arg("init")
        .arg(&ws)
        .arg("--schema")
        .arg(SAMPLE_SCHEMA)
        .arg("--rules")
        .arg(SAMPLE_RULES)
        .assert()
        .success();
    huishen()
        .arg("import")
        .arg(&ws)
        .arg("--form")
        .arg("G101_1")
        .arg(SAMPLE_CSV)
        .assert()
        .success();
    let out = huishen()
        .arg("check")
        .arg(&ws)
        .arg("--json")
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();

    let conn = rusqlite::Connection::open(&ws).unwrap();
    let mut flagged: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT f.rule, t.record_id FROM flags f JOIN G101_1 t ON t.rowid = f.record WHERE f.state = 'open'")
        .unwrap();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (rule, key) = row.unwrap();
        flagged.entry(rule).or_default().insert(key);
    }

    let documented = documented();
    let rules = report["rules"].as_array().unwrap();
    assert!(
        rules.len() >= 30,
        "the census rule set has {} rules",
        rules.len()
    );
    for summary in rules {
        let id = summary["rule"].as_str().unwrap();
        let want = documented.get(id).cloned().unwrap_or_default();
        let got = flagged.get(id).cloned().unwrap_or_default();
        assert_eq!(
            got, want,
            "rule {id}: flagged records differ from sample-data/README.md"
        );
        let counted = summary["fails"].as_u64().unwrap() + summary["missing"].as_u64().unwrap();
        assert_eq!(counted as usize, want.len(), "rule {id}: counts");
        assert_eq!(summary["errors"].as_u64(), Some(0), "rule {id}");
        if id.starts_with('R') {
            assert!(
                !want.is_empty(),
                "rule {id} has no seeded defect in the sample"
            );
        }
    }
    for rule in documented.keys() {
        assert!(
            rules.iter().any(|r| r["rule"] == rule.as_str()),
            "README names rule {rule}, which rules.toml lacks"
        );
    }
}
