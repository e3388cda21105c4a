//! The census rule set on the Shandong sample: every rule flags exactly the records that
//! sample-data/README.md lists for it, and nothing else.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::seeded::{seeded, seeded_with};
use common::{
    SAMPLE_BOILERS, SAMPLE_CSV, SAMPLE_OUTLETS, SAMPLE_RULES, SAMPLE_SCHEMA, Scratch, huishen,
};

/// A workspace at `ws` with the sample schema, the rules of `rules` and the sample records,
/// checked; returns the check's JSON report.
fn checked_sample(ws: &Path, rules: &Path) -> serde_json::Value {
    huishen()
        .arg("init")
        .arg(ws)
        .arg("--schema")
        .arg(SAMPLE_SCHEMA)
        .arg("--rules")
        .arg(rules)
        .assert()
        .success();
    // The records, then the rows beneath them: the census objects.
    for (form, file) in [
        ("G101_1", SAMPLE_CSV),
        ("G103_1", SAMPLE_BOILERS),
        ("G102", SAMPLE_OUTLETS),
    ] {
        huishen()
            .arg("import")
            .arg(ws)
            .arg("--form")
            .arg(form)
            .arg(file)
            .assert()
            .success();
    }
    let out = huishen()
        .arg("check")
        .arg(ws)
        .arg("--json")
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

/// rule id → keys of the records (and rows beneath them) with an open flag of it.
fn flagged(ws: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut flagged: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (form, key) in [
        ("G101_1", "record_id"),
        ("G103_1", "boiler_id"),
        ("G102", "outlet_id"),
    ] {
        let sql = format!(
            "SELECT f.rule, t.{key} FROM flags f JOIN {form} t ON t.rowid = f.record \
             WHERE f.state = 'open' AND f.form = '{form}'"
        );
        let mut stmt = conn.prepare(&sql).unwrap();
        for row in stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap()
        {
            let (rule, key) = row.unwrap();
            flagged.entry(rule).or_default().insert(key);
        }
    }
    flagged
}

#[test]
fn every_rule_flags_exactly_the_documented_records() {
    let s = Scratch::new();
    let ws = s.path("census.huishen");
    let report = checked_sample(&ws, Path::new(SAMPLE_RULES));
    let flagged = flagged(&ws);

    let documented = seeded();
    let rules = report["rules"].as_array().unwrap();
    let in_file = std::fs::read_to_string(SAMPLE_RULES)
        .unwrap()
        .lines()
        .filter(|l| *l == "[[rule]]")
        .count();
    let datasets = report["datasets"].as_array().unwrap();
    assert_eq!(
        rules.len() + datasets.len(),
        in_file,
        "the check reports every rule of the file"
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
        assert!(
            !want.is_empty(),
            "rule {id} has no seeded defect in the sample"
        );
    }
    for rule in documented.keys() {
        assert!(
            rules.iter().any(|r| r["rule"] == rule.as_str()),
            "README names rule {rule}, which rules.toml lacks"
        );
    }
}

/// The unit-error test, `unit_error(output, 2016 output, 10000, 6500, 13500)`, finds exactly the
/// outputs the sample reports in yuan, the records R31 flags for them.
#[test]
fn the_unit_error_test_finds_exactly_the_outputs_in_yuan() {
    let s = Scratch::new();
    let rules = s.write(
        "unit_error.toml",
        r#"[[rule]]
id = "U01"
form = "G101_1"
severity = "warning"
title = { zh = "工业总产值疑似按元填报", en = "Output probably reported in yuan" }
when = "coalesce(prev_output_value_10k_yuan, 0) > 0"
check = "NOT unit_error(output_value_10k_yuan, prev_output_value_10k_yuan, 10000, 6500, 13500)"
"#,
    );
    let ws = s.path("unit_error.huishen");
    checked_sample(&ws, &rules);
    let in_yuan: BTreeSet<String> = seeded_with("output reported in yuan instead of 10k yuan")
        .into_iter()
        .map(String::from)
        .collect();
    assert!(in_yuan.len() >= 2, "{in_yuan:?}");
    assert_eq!(
        flagged(&ws).get("U01").cloned().unwrap_or_default(),
        in_yuan
    );
    assert_eq!(seeded().get("R31"), Some(&in_yuan));
}
