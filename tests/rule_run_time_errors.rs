//! A rule that cannot be evaluated for one record (an invalid regular expression in its data)
//! is reported with the rule and the record, as an `error` flag, without spoiling the other
//! records or rules; a NULL input is *missing*, not an error.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::PathBuf;

use common::fixtures::{check_json, counts, row};
use common::{Scratch, correct, hs};
use huishen_core::review::Workspace;

const PATTERN_SCHEMA: &str = r#"
[[form]]
name = "T"
label = { zh = "测试表", en = "Test form" }
key = "id"

[[form.field]]
name = "id"
label = { zh = "编号", en = "ID" }
type = "text"
required = true

[[form.field]]
name = "name"
label = { zh = "名称", en = "Name" }
type = "text"

[[form.field]]
name = "pattern"
label = { zh = "格式", en = "Pattern" }
type = "text"
"#;

const PATTERN_RULES: &str = r#"
[[rule]]
id = "P1"
form = "T"
severity = "error"
title = { zh = "名称应符合格式", en = "Name must match its pattern" }
check = "name REGEXP pattern"

[[rule]]
id = "P2"
form = "T"
severity = "warning"
title = { zh = "名称过短", en = "Name too short" }
check = "length(name) >= 3"
"#;

/// A workspace `t.huishen` of the pattern schema and rules holding `csv`.
fn patterns(s: &Scratch, csv: &str) -> PathBuf {
    s.write("schema.toml", PATTERN_SCHEMA);
    s.write("rules.toml", PATTERN_RULES);
    s.write("t.csv", csv);
    hs(s)
        .args([
            "init",
            "t.huishen",
            "--schema",
            "schema.toml",
            "--rules",
            "rules.toml",
        ])
        .assert()
        .success();
    hs(s)
        .args(["import", "t.huishen", "--form", "T", "t.csv"])
        .assert()
        .success();
    s.path("t.huishen")
}

#[test]
fn a_rule_that_fails_at_run_time_for_one_record_spoils_nothing_else() {
    let s = Scratch::new();
    // A1 passes, A2 fails P1, A3 holds an invalid pattern, A4 fails P2.
    let ws = patterns(
        &s,
        "编号,名称,格式\nA1,abc,^a\nA2,xyz,^a\nA3,abc,(\nA4,de,^d\n",
    );
    let out = hs(&s).args(["check", "t.huishen"]).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.starts_with(
            "rule     severity     items    passes   fails  missing    n/a errors\n\
             P1       error            4         2       1        0      0      1\n\
             P2       warning          4         3       1        0      0      0\n\
             total                     8         5       2        0      0      1\n\
             rule P1 could not be evaluated for record A3: invalid regular expression \"(\": \
             unclosed group\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("rule set 1: 3 flags opened, 0 resolved\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("SQLITE"), "{stdout}");
    assert!(out.get_output().stderr.is_empty());

    let report = check_json(&s, "t.huishen");
    assert_eq!(
        counts(&report),
        vec![
            row("P1", "error", [4, 2, 1, 0, 0, 1]),
            row("P2", "warning", [4, 3, 1, 0, 0, 0]),
        ]
    );
    let errors = report["runtime_errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["rule"], "P1");
    assert_eq!(errors[0]["record"], "A3");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid regular expression \"(\": unclosed group"),
        "{report}"
    );

    let conn = rusqlite::Connection::open(&ws).unwrap();
    let flags: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT f.rule, t.id, f.outcome FROM flags f JOIN T t ON t.rowid = f.record
             WHERE f.state = 'open' ORDER BY 1, 2",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let flag = |r: &str, k: &str, o: &str| (r.to_string(), k.to_string(), o.to_string());
    assert_eq!(
        flags,
        vec![
            flag("P1", "A2", "fail"),
            flag("P1", "A3", "error"),
            flag("P2", "A4", "fail"),
        ]
    );

    // Fixing the pattern through the library resolves the error flag.
    let mut w = Workspace::open(&ws).unwrap();
    let report = correct(&ws, "T", "A3", "pattern", "^a");
    assert_eq!(report.resolved, vec![("P1".to_string(), "A3".to_string())]);
    let by = common::review::administrator(&w);
    let full = w.check(&[], &by, &mut |_, _, _| {}).unwrap();
    assert_eq!((full.opened, full.resolved), (0, 0));
    assert!(full.runtime_errors.is_empty());
}

#[test]
fn a_null_pattern_is_missing_not_an_error() {
    let s = Scratch::new();
    patterns(&s, "编号,名称,格式\nA1,abc,^a\nA5,abc,\n");
    let report = check_json(&s, "t.huishen");
    assert_eq!(report["runtime_errors"], serde_json::json!([]));
    assert_eq!(counts(&report)[0], row("P1", "error", [2, 1, 0, 1, 0, 0]));
}
