//! Review rules end to end, on a dataset that is not the industrial census: the livestock
//! fixture (form N101, rules L01-L07) flags exactly the records its README lists, with the
//! check table its README shows; `rules list` names the fields each rule reads; loading the
//! same file twice changes nothing, and a changed file is a new rule set whose flags carry it.
//! (Bad rule files are in invalid_rule_files.rs, re-checks in rechecks.rs, rules that fail at
//! run time in rule_run_time_errors.rs.)

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::collections::BTreeSet;

use common::fixtures::{
    LIVESTOCK_README, LIVESTOCK_RULES, N101, check_json, counts, expected_flags, livestock,
    open_flags, row, rules_list,
};
use common::{Scratch, fingerprint, hs};

/// (rule, record) pairs from the table between the LIVESTOCK_README's markers.
fn documented_flags() -> BTreeSet<(String, String)> {
    let start = LIVESTOCK_README
        .find("<!-- flags:begin -->")
        .expect("begin marker");
    let end = LIVESTOCK_README
        .find("<!-- flags:end -->")
        .expect("end marker");
    let mut flags = BTreeSet::new();
    for line in LIVESTOCK_README[start..end]
        .lines()
        .filter(|l| l.starts_with("| N"))
    {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        for rule in cells[2].split([',', ' ']).filter(|r| !r.is_empty()) {
            flags.insert((rule.to_string(), cells[1].to_string()));
        }
    }
    flags
}

#[test]
fn the_livestock_rules_flag_exactly_the_documented_records() {
    let s = Scratch::new();
    let ws = livestock(&s, false);
    hs(&s)
        .args(["rules", "load", N101, "rules.toml"])
        .assert()
        .success()
        .stdout("loaded 7 rules from rules.toml as rule set 1\n");
    let report = check_json(&s, N101);

    assert_eq!(report["rule_set"], 1);
    assert_eq!(report["opened"], 12);
    assert_eq!(report["resolved"], 0);
    assert_eq!(report["runtime_errors"], serde_json::json!([]));
    assert_eq!(
        counts(&report),
        vec![
            //                       items passes fails missing n/a errors
            row("L01", "error", [20, 17, 2, 0, 1, 0]),
            row("L02", "error", [20, 18, 2, 0, 0, 0]),
            row("L03", "error", [20, 18, 2, 0, 0, 0]),
            row("L04", "warning", [20, 18, 1, 0, 1, 0]),
            row("L05", "warning", [20, 4, 1, 0, 15, 0]),
            row("L06", "warning", [20, 17, 2, 0, 1, 0]),
            row("L07", "error", [20, 17, 2, 0, 1, 0]),
        ]
    );
    assert_eq!(open_flags(&ws, "N101", "record_id"), expected_flags());
    assert_eq!(
        documented_flags(),
        expected_flags(),
        "LIVESTOCK_README.md is out of date"
    );

    // Every flag is a plain fail of rule set 1; a second check changes nothing.
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let kinds: Vec<(String, i64, i64)> = conn
        .prepare("SELECT outcome, rule_set, count(*) FROM flags GROUP BY 1, 2")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kinds, vec![("fail".to_string(), 1, 12)]);
    hs(&s)
        .args(["check", N101])
        .assert()
        .success()
        .stdout(predicates::str::ends_with(
            "total                   140       109      12        0     19      0\n\
             rule set 1: 0 flags opened, 0 resolved\n",
        ));
}

#[test]
fn the_readme_shows_the_check_table_the_binary_prints() {
    let s = Scratch::new();
    livestock(&s, false);
    hs(&s)
        .args(["rules", "load", N101, "rules.toml"])
        .assert()
        .success();
    let out = hs(&s).args(["check", N101]).assert().success();
    let table = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let start = LIVESTOCK_README.find("```text\n").unwrap() + "```text\n".len();
    let end = start + LIVESTOCK_README[start..].find("```").unwrap();
    assert_eq!(table, &LIVESTOCK_README[start..end]);
}

#[test]
fn rules_list_shows_the_rules_and_the_fields_they_read() {
    let s = Scratch::new();
    livestock(&s, true);
    let out = hs(&s).args(["rules", "list", N101]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8, "{text}");
    assert_eq!(lines[0], "rule set 1:");
    assert!(
        lines[1].starts_with("L01    error    N101     Below the scale-farm threshold"),
        "{text}"
    );
    assert!(
        lines[1].ends_with("[species_code, stock_end, output_year]"),
        "{text}"
    );
    assert_eq!(
        lines[7],
        "L07    error    N101     Duplicate credit code  [credit_code]"
    );
}

#[test]
fn loading_the_same_file_twice_changes_nothing() {
    let s = Scratch::new();
    let ws = livestock(&s, true);
    let before = fingerprint(&ws);
    hs(&s)
        .args(["rules", "load", N101, "rules.toml"])
        .assert()
        .success()
        .stdout("rules.toml is rule set 1 already; nothing changed\n");
    // The same text under another name is the same rule set.
    s.write("copy.toml", LIVESTOCK_RULES);
    hs(&s)
        .args(["rules", "load", N101, "copy.toml"])
        .assert()
        .success()
        .stdout("copy.toml is rule set 1 already; nothing changed\n");
    assert_eq!(fingerprint(&ws), before, "the workspace changed");
}

#[test]
fn a_changed_file_is_a_new_rule_set_and_later_flags_carry_it() {
    let s = Scratch::new();
    let ws = livestock(&s, true);
    // The county lowers the pig threshold to 300 sold: both L01 flags pass now.
    let changed = LIVESTOCK_RULES.replace("pig_min_sold = 500", "pig_min_sold = 300");
    assert_ne!(changed, LIVESTOCK_RULES);
    s.write("rules-2.toml", &changed);
    hs(&s)
        .args(["rules", "load", N101, "rules-2.toml"])
        .assert()
        .success()
        .stdout("loaded 7 rules from rules-2.toml as rule set 2\n");
    assert!(rules_list(&s, N101).1.starts_with("rule set 2:\nL01 "));
    let report = check_json(&s, N101);
    assert_eq!(report["rule_set"], 2);
    assert_eq!(
        (report["opened"].as_u64(), report["resolved"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(
        counts(&report)[0],
        row("L01", "error", [20, 19, 0, 0, 1, 0])
    );

    let mut expected = expected_flags();
    expected.remove(&("L01".into(), "N370687007".into()));
    expected.remove(&("L01".into(), "N371721020".into()));
    assert_eq!(open_flags(&ws, "N101", "record_id"), expected);

    let conn = rusqlite::Connection::open(&ws).unwrap();
    let by_set: Vec<(String, i64, i64)> = conn
        .prepare("SELECT state, rule_set, count(*) FROM flags GROUP BY 1, 2 ORDER BY 1, 2")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        by_set,
        vec![("open".to_string(), 2, 10), ("resolved".to_string(), 2, 2)]
    );
    let sets: Vec<(i64, String)> = conn
        .prepare("SELECT id, file_name FROM rule_sets ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        sets,
        vec![
            (1, "rules.toml".to_string()),
            (2, "rules-2.toml".to_string())
        ]
    );
}
