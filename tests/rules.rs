//! Review rules end to end, on a dataset that is not the industrial census: the livestock
//! fixture (form N101, rules L01-L07) flags exactly the records its README lists; every bad
//! rule file is refused with its place and rule id and loads nothing; a rule that fails at run
//! time for one record is reported without spoiling the others; and re-checking after edits
//! always leaves the flags a full check would give.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{Scratch, correct, edit_text, fingerprint, huishen, open_flag_rows};
use huishen_core::review::Workspace;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/livestock");
const RULES: &str = include_str!("fixtures/livestock/rules.toml");
const README: &str = include_str!("fixtures/livestock/README.md");

/// The workspace every livestock test works on, inside its scratch folder.
const WS: &str = "n101.huishen";

/// (rule, record) of every flag the livestock fixture must raise.
const EXPECTED_FLAGS: &[(&str, &str)] = &[
    ("L01", "N370687007"),
    ("L01", "N371721020"),
    ("L02", "N370724008"),
    ("L02", "N370783009"),
    ("L03", "N370782010"),
    ("L03", "N371721020"),
    ("L04", "N370828011"),
    ("L05", "N370921012"),
    ("L06", "N371083013"),
    ("L06", "N371721020"),
    ("L07", "N371122014"),
    ("L07", "N371321015"),
];

/// The binary, run in the scratch folder so that messages name files as the user typed them.
fn hs(s: &Scratch) -> assert_cmd::Command {
    let mut cmd = huishen();
    cmd.current_dir(s.dir.path());
    cmd
}

/// Copies the livestock fixture into the scratch folder and builds `n101.huishen` from it with
/// the binary: init, import and, with `rules`, loading rules.toml and a first check.
fn livestock(s: &Scratch, rules: bool) -> PathBuf {
    for file in ["schema.toml", "rules.toml", "n101.csv"] {
        std::fs::copy(Path::new(FIXTURE).join(file), s.path(file)).unwrap();
    }
    hs(s)
        .args(["init", WS, "--schema", "schema.toml"])
        .assert()
        .success();
    hs(s)
        .args(["import", WS, "--form", "N101", "n101.csv"])
        .assert()
        .success()
        .stdout(predicates::str::contains("imported 20 records into N101"));
    if rules {
        hs(s)
            .args(["rules", "load", WS, "rules.toml"])
            .assert()
            .success()
            .stdout("loaded 7 rules from rules.toml as rule set 1\n");
        hs(s).args(["check", WS]).assert().success();
    }
    s.path(WS)
}

/// Open flags as (rule, record key), read straight from the workspace file.
fn open_flags(ws: &Path, form: &str, key: &str) -> BTreeSet<(String, String)> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let sql = format!(
        "SELECT f.rule, t.{key} FROM flags f JOIN {form} t ON t.rowid = f.record WHERE f.state = 'open'"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn expected_flags() -> BTreeSet<(String, String)> {
    EXPECTED_FLAGS
        .iter()
        .map(|(r, k)| (r.to_string(), k.to_string()))
        .collect()
}

/// (rule, record) pairs from the table between the README's markers.
fn documented_flags() -> BTreeSet<(String, String)> {
    let start = README.find("<!-- flags:begin -->").expect("begin marker");
    let end = README.find("<!-- flags:end -->").expect("end marker");
    let mut flags = BTreeSet::new();
    for line in README[start..end].lines().filter(|l| l.starts_with("| N")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        for rule in cells[2].split([',', ' ']).filter(|r| !r.is_empty()) {
            flags.insert((rule.to_string(), cells[1].to_string()));
        }
    }
    flags
}

/// A rule summary as the JSON report gives it:
/// (rule, severity, items, passes, fails, missing, not_applicable, errors).
type Counts = (String, String, u64, u64, u64, u64, u64, u64);

fn counts(report: &serde_json::Value) -> Vec<Counts> {
    report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_u64().unwrap();
            (
                r["rule"].as_str().unwrap().to_string(),
                r["severity"].as_str().unwrap().to_string(),
                n("items"),
                n("passes"),
                n("fails"),
                n("missing"),
                n("not_applicable"),
                n("errors"),
            )
        })
        .collect()
}

fn row(rule: &str, severity: &str, n: [u64; 6]) -> Counts {
    (
        rule.into(),
        severity.into(),
        n[0],
        n[1],
        n[2],
        n[3],
        n[4],
        n[5],
    )
}

fn check_json(s: &Scratch) -> serde_json::Value {
    check_json_of(s, WS)
}

fn check_json_of(s: &Scratch, ws: &str) -> serde_json::Value {
    let out = hs(s).args(["check", ws, "--json"]).assert().success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

// ---------------------------------------------------------------------------------------
// 1. The livestock dataset
// ---------------------------------------------------------------------------------------

#[test]
fn the_livestock_rules_flag_exactly_the_documented_records() {
    let s = Scratch::new();
    let ws = livestock(&s, false);
    hs(&s)
        .args(["rules", "load", WS, "rules.toml"])
        .assert()
        .success()
        .stdout("loaded 7 rules from rules.toml as rule set 1\n");
    let report = check_json(&s);

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
        "README.md is out of date"
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
        .args(["check", WS])
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
        .args(["rules", "load", WS, "rules.toml"])
        .assert()
        .success();
    let out = hs(&s).args(["check", WS]).assert().success();
    let table = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let start = README.find("```text\n").unwrap() + "```text\n".len();
    let end = start + README[start..].find("```").unwrap();
    assert_eq!(table, &README[start..end]);
}

#[test]
fn rules_list_shows_the_rules_and_the_fields_they_read() {
    let s = Scratch::new();
    livestock(&s, true);
    let out = hs(&s).args(["rules", "list", WS]).assert().success();
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
fn an_edit_rechecks_the_records_that_share_the_related_value() {
    let s = Scratch::new();
    let ws = livestock(&s, true);

    // The branch farm gets its own credit code: both L07 flags resolve.
    let report = correct(
        &ws,
        "N101",
        "N371321015",
        "credit_code",
        "93371321MAMNKQKRE7",
    );
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(report.opened, pairs(&[]));
    assert_eq!(
        report.resolved,
        pairs(&[("L07", "N371122014"), ("L07", "N371321015")])
    );

    // Another farm takes the parent's code: a new duplicate pair.
    let report = correct(
        &ws,
        "N101",
        "N370126001",
        "credit_code",
        "91371122MABHYNWETA",
    );
    assert_eq!(
        report.opened,
        pairs(&[("L07", "N370126001"), ("L07", "N371122014")])
    );
    assert_eq!(report.resolved, pairs(&[]));

    // A record-only rule: only the edited record moves.
    let report = correct(&ws, "N101", "N370921012", "sewage_gen_t", "650");
    assert_eq!(report.opened, pairs(&[]));
    assert_eq!(report.resolved, pairs(&[("L05", "N370921012")]));

    let mut w = Workspace::open(&ws).unwrap();
    let full = w.check(&[], &mut |_, _, _| {}).unwrap();
    assert_eq!((full.opened, full.resolved), (0, 0));
}

// ---------------------------------------------------------------------------------------
// 2. Bad rule files
// ---------------------------------------------------------------------------------------

/// One rule of form `form` reading `check`, with `extra` lines after it; `id` stands on line 2,
/// column 6 of the snippet.
fn rule(id: &str, form: &str, check: &str, extra: &str) -> String {
    format!(
        "[[rule]]\nid = \"{id}\"\nform = \"{form}\"\nseverity = \"error\"\n\
         title = {{ zh = \"测试规则\", en = \"Test rule\" }}\ncheck = '''{check}'''\n{extra}"
    )
}

/// What `rules list` says, with its exit status.
fn rules_list(s: &Scratch) -> (bool, String, String) {
    let out = hs(s).args(["rules", "list", WS]).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes `source` as bad.toml, loads it into a livestock workspace (with the fixture's rules
/// in force and checked, or with no rules yet), expects it to be refused with exactly
/// `expected` on standard error, and checks that nothing changed.
fn refused(with_rules: bool, source: &str, expected: &str) {
    let s = Scratch::new();
    let ws = livestock(&s, with_rules);
    let before = fingerprint(&ws);
    let list_before = rules_list(&s);
    s.write("bad.toml", source);
    let out = hs(&s)
        .args(["rules", "load", WS, "bad.toml"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(stderr, expected);
    assert!(out.get_output().stdout.is_empty());
    assert!(
        !stderr.contains("SQLITE") && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert_eq!(fingerprint(&ws), before, "the workspace changed");
    let list_after = rules_list(&s);
    assert_eq!(list_after, list_before);
    if with_rules {
        assert!(
            list_after.1.starts_with("rule set 1:\nL01 "),
            "{list_after:?}"
        );
    } else {
        assert_eq!(
            list_after,
            (
                false,
                String::new(),
                "error: the workspace has no rules yet; load a rule file with \
                 `huishen rules load WORKSPACE FILE`\n"
                    .into()
            )
        );
    }
}

/// The 1-based line of the `n`th (0-based) line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str, n: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(n)
        .map(|(i, _)| i + 1)
        .unwrap()
}

#[test]
fn a_toml_syntax_error_is_located() {
    let source =
        rule("X1", "N101", "stock_end > 0", "").replace("severity = \"error\"", "severity = error");
    refused(
        true,
        &source,
        "error: bad.toml:4:12: string values must be quoted, expected literal string\n",
    );
    let unterminated = "[[rule]]\nid = \"X1\nform = \"N101\"\n";
    refused(
        false,
        unterminated,
        "error: bad.toml:2:9: invalid basic string, expected `\"`\n",
    );
}

#[test]
fn a_duplicate_rule_id_names_both_places() {
    let source = format!("{RULES}\n{}", rule("L03", "N101", "1", ""));
    let first = line_of(&source, "id = \"L03\"", 0);
    let second = line_of(&source, "id = \"L03\"", 1);
    refused(
        true,
        &source,
        &format!(
            "error: bad.toml:{second}:6: rule L03: the id is used twice (first at line {first})\n"
        ),
    );
}

#[test]
fn an_unknown_form_is_refused() {
    refused(
        true,
        &rule("X1", "N102", "stock_end > 0", ""),
        "error: bad.toml:2:6: rule X1: unknown form `N102`; the workspace's forms are N101\n",
    );
}

#[test]
fn an_unknown_field_names_the_rule_and_the_column() {
    // Appended to the good rules: one bad rule refuses the whole file.
    let source = format!("{RULES}\n{}", rule("X1", "N101", "stock_total > 0", ""));
    let line = line_of(&source, "id = \"X1\"", 0);
    refused(
        true,
        &source,
        &format!(
            "error: bad.toml:{line}:6: rule X1 is not valid SQL: no such column: stock_total\n"
        ),
    );
}

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    let source = format!(
        "{}\n{}",
        rule("X1", "N101", "stock_total > 0", ""),
        rule("X2", "N101", "herd_size(stock_end) > 0", "")
    );
    refused(
        false,
        &source,
        "error: bad.toml:2:6: rule X1 is not valid SQL: no such column: stock_total\n\
         bad.toml:9:6: rule X2 is not valid SQL: no such function: herd_size\n",
    );
}

#[test]
fn an_unknown_function_is_refused() {
    refused(
        true,
        &rule("X1", "N101", "herd_size(stock_end) > 0", ""),
        "error: bad.toml:2:6: rule X1 is not valid SQL: no such function: herd_size\n",
    );
}

#[test]
fn a_check_that_is_not_sql_is_refused() {
    refused(
        true,
        &rule("X1", "N101", "stock_end >", ""),
        "error: bad.toml:2:6: rule X1 is not valid SQL: near \")\": syntax error\n",
    );
    refused(
        false,
        &rule(
            "X1",
            "N101",
            "stock_end > 0",
            "when = \"species_code IN\"\n",
        ),
        "error: bad.toml:2:6: rule X1 is not valid SQL: near \")\": syntax error\n",
    );
}

#[test]
fn a_second_statement_is_refused() {
    // As a reviewer might try it: the rest of the statement around the check no longer parses.
    refused(
        true,
        &rule("X1", "N101", "1); DROP TABLE N101; SELECT (1", ""),
        "error: bad.toml:2:6: rule X1 is not valid SQL: near \";\": syntax error\n",
    );
    // Written so that the first statement is complete: the DROP is seen, and refused.
    refused(
        true,
        &rule(
            "X1",
            "N101",
            "1) IS NULL THEN 'x' ELSE 'y' END FROM N101; DROP TABLE N101; SELECT (1",
            "",
        ),
        "error: bad.toml:2:6: rule X1 is refused: it changes the workspace's structure; \
         a rule may only read\n",
    );
    // The same in `when`.
    refused(
        false,
        &rule(
            "X1",
            "N101",
            "1",
            "when = \"1); DELETE FROM flags; SELECT (1\"\n",
        ),
        "error: bad.toml:2:6: rule X1 is refused: it deletes from flags; a rule may only read\n",
    );
}

#[test]
fn load_extension_is_refused() {
    refused(
        true,
        &rule("X1", "N101", "load_extension('x') IS NULL", ""),
        "error: bad.toml:2:6: rule X1 is refused: it calls load_extension; a rule may only read\n",
    );
}

#[test]
fn reading_a_pragma_is_refused() {
    refused(
        true,
        &rule(
            "X1",
            "N101",
            "(SELECT count(*) FROM pragma_table_info('N101')) > 0",
            "",
        ),
        "error: bad.toml:2:6: rule X1 is refused: it reads pragma_table_info, a PRAGMA; \
         a rule may only read\n",
    );
}

#[test]
fn an_attach_smuggled_in_as_a_second_statement_is_refused() {
    let s = Scratch::new();
    let ws = livestock(&s, true);
    let before = fingerprint(&ws);
    s.write(
        "bad.toml",
        rule(
            "X1",
            "N101",
            "1) IS NULL THEN 'x' ELSE 'y' END FROM N101; ATTACH 'evil.db' AS evil; SELECT (1",
            "",
        ),
    );
    hs(&s)
        .args(["rules", "load", WS, "bad.toml"])
        .assert()
        .failure()
        .stderr(
            "error: bad.toml:2:6: rule X1 is refused: it attaches a database; a rule may only read\n",
        );
    assert!(!s.path("evil.db").exists(), "the ATTACH created a file");
    assert_eq!(fingerprint(&ws), before, "the workspace changed");
    // And the same through the shared test helper, without rules in force.
    refused(
        false,
        &rule(
            "X1",
            "N101",
            "1) IS NULL THEN 'x' ELSE 'y' END FROM N101; ATTACH 'evil.db' AS evil; SELECT (1",
            "",
        ),
        "error: bad.toml:2:6: rule X1 is refused: it attaches a database; a rule may only read\n",
    );
}

#[test]
fn a_missing_parameter_is_refused() {
    refused(
        true,
        &rule("X1", "N101", "stock_end > $nope", ""),
        "error: bad.toml:2:6: rule X1 is refused: it uses $nope, which [params] does not define\n",
    );
    refused(
        false,
        &rule("X1", "N101", "stock_end > ?", ""),
        "error: bad.toml:2:6: rule X1 is refused: it uses `?`; name parameters instead, as $name\n",
    );
}

#[test]
fn a_missing_parameter_with_a_leading_underscore_is_refused() {
    refused(
        true,
        &rule("X1", "N101", "stock_end > $_nope", ""),
        "error: bad.toml:2:6: rule X1 is refused: it uses $_nope, which [params] does not define\n",
    );
}

#[test]
fn a_hostile_related_on_a_cross_record_rule_is_refused() {
    let check = "NOT EXISTS (SELECT 1 FROM N101 o WHERE o.credit_code = N101.credit_code AND o.rowid <> N101.rowid)";
    refused(
        true,
        &rule(
            "X1",
            "N101",
            check,
            "related = \"credit_code)); DROP TABLE N101; --\"\n",
        ),
        "error: bad.toml:2:6: rule X1: related must be one expression: no `;`, no comments, \
         balanced parentheses\n",
    );
    refused(
        true,
        &rule(
            "X1",
            "N101",
            check,
            "related = \"region_name(region_code)\"\n",
        ),
        "error: bad.toml:2:6: rule X1: related calls region_name(); it is indexed, so it may use \
         only SQLite's own functions\n",
    );
}

#[test]
fn a_hostile_related_on_a_record_rule_is_refused() {
    refused(
        true,
        &rule(
            "X1",
            "N101",
            "stock_end > 0",
            "related = \"credit_code)); DROP TABLE N101; --\"\n",
        ),
        "error: bad.toml:2:6: rule X1: related must be one expression: no `;`, no comments, \
         balanced parentheses\n",
    );
}

#[test]
fn init_with_a_broken_rule_file_leaves_no_workspace() {
    for (name, source) in [
        (
            "toml.toml",
            rule("X1", "N101", "1", "").replace("severity = \"error\"", "severity = error"),
        ),
        ("sql.toml", rule("X1", "N101", "stock_total > 0", "")),
        (
            "hostile.toml",
            rule("X1", "N101", "load_extension('x') IS NULL", ""),
        ),
    ] {
        let s = Scratch::new();
        std::fs::copy(
            Path::new(FIXTURE).join("schema.toml"),
            s.path("schema.toml"),
        )
        .unwrap();
        s.write(name, &source);
        let out = hs(&s)
            .args(["init", WS, "--schema", "schema.toml", "--rules", name])
            .assert()
            .failure();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.starts_with(&format!("error: {name}:")), "{stderr}");
        assert!(
            !stderr.contains("SQLITE") && !stderr.contains("panicked"),
            "{stderr}"
        );
        let mut left: Vec<String> = std::fs::read_dir(s.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected = vec![name.to_string(), "schema.toml".to_string()];
        expected.sort();
        assert_eq!(left, expected, "{name}: init left files behind");
    }
}

#[test]
fn loading_the_same_file_twice_changes_nothing() {
    let s = Scratch::new();
    let ws = livestock(&s, true);
    let before = fingerprint(&ws);
    hs(&s)
        .args(["rules", "load", WS, "rules.toml"])
        .assert()
        .success()
        .stdout("rules.toml is rule set 1 already; nothing changed\n");
    // The same text under another name is the same rule set.
    s.write("copy.toml", RULES);
    hs(&s)
        .args(["rules", "load", WS, "copy.toml"])
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
    let changed = RULES.replace("pig_min_sold = 500", "pig_min_sold = 300");
    assert_ne!(changed, RULES);
    s.write("rules-2.toml", &changed);
    hs(&s)
        .args(["rules", "load", WS, "rules-2.toml"])
        .assert()
        .success()
        .stdout("loaded 7 rules from rules-2.toml as rule set 2\n");
    assert!(rules_list(&s).1.starts_with("rule set 2:\nL01 "));
    let report = check_json(&s);
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

// ---------------------------------------------------------------------------------------
// Run-time errors
// ---------------------------------------------------------------------------------------

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

    let report = check_json_of(&s, "t.huishen");
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
    let full = w.check(&[], &mut |_, _, _| {}).unwrap();
    assert_eq!((full.opened, full.resolved), (0, 0));
    assert!(full.runtime_errors.is_empty());
}

#[test]
fn a_null_pattern_is_missing_not_an_error() {
    let s = Scratch::new();
    patterns(&s, "编号,名称,格式\nA1,abc,^a\nA5,abc,\n");
    let report = check_json_of(&s, "t.huishen");
    assert_eq!(report["runtime_errors"], serde_json::json!([]));
    assert_eq!(counts(&report)[0], row("P1", "error", [2, 1, 0, 1, 0, 0]));
}

// ---------------------------------------------------------------------------------------
// Rules that read another form
// ---------------------------------------------------------------------------------------

const TWO_FORMS: &str = r#"
[[form]]
name = "FARM"
label = { zh = "养殖场", en = "Farms" }
key = "id"

[[form.field]]
name = "id"
label = { zh = "编号", en = "ID" }
type = "text"
required = true

[[form.field]]
name = "licence"
label = { zh = "许可证号", en = "Licence" }
type = "code"

[[form]]
name = "REG"
label = { zh = "许可证登记", en = "Licence register" }
key = "id"

[[form.field]]
name = "id"
label = { zh = "编号", en = "ID" }
type = "text"
required = true

[[form.field]]
name = "licence"
label = { zh = "许可证号", en = "Licence" }
type = "code"
"#;

const TWO_FORM_RULES: &str = r#"
[[rule]]
id = "F1"
form = "FARM"
severity = "error"
title = { zh = "许可证未登记", en = "Licence not in the register" }
check = "licence IN (SELECT r.licence FROM REG r)"
"#;

#[test]
fn an_edit_of_one_form_rechecks_the_rules_of_another_form_that_read_it() {
    let s = Scratch::new();
    s.write("schema.toml", TWO_FORMS);
    s.write("rules.toml", TWO_FORM_RULES);
    s.write("farm.csv", "id,licence\nf1,X\nf2,Y\n");
    s.write("reg.csv", "id,licence\nr1,X\n");
    hs(&s)
        .args([
            "init",
            "two.huishen",
            "--schema",
            "schema.toml",
            "--rules",
            "rules.toml",
        ])
        .assert()
        .success();
    for (form, file) in [("FARM", "farm.csv"), ("REG", "reg.csv")] {
        hs(&s)
            .args(["import", "two.huishen", "--form", form, file])
            .assert()
            .success();
    }
    hs(&s).args(["check", "two.huishen"]).assert().success();
    let ws = s.path("two.huishen");
    assert_eq!(
        open_flags(&ws, "FARM", "id"),
        BTreeSet::from([("F1".to_string(), "f2".to_string())])
    );
    // The register's only licence becomes Y: f1 fails now and f2 passes.
    correct(&ws, "REG", "r1", "licence", "Y");
    assert_eq!(
        open_flags(&ws, "FARM", "id"),
        BTreeSet::from([("F1".to_string(), "f1".to_string())]),
        "the re-check left the flags stale"
    );
}

// ---------------------------------------------------------------------------------------
// 3. Re-checks after random edits leave the flags a full check would give
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Integer,
    Real,
}

/// The fields the edits touch: every field a rule reads (record_id, the key, stays).
const EDITABLE: &[(&str, Kind)] = &[
    ("credit_code", Kind::Text),
    ("species_code", Kind::Text),
    ("stock_end", Kind::Integer),
    ("output_year", Kind::Integer),
    ("cleaning_method_code", Kind::Text),
    ("manure_gen_t", Kind::Real),
    ("manure_used_t", Kind::Real),
    ("sewage_gen_t", Kind::Real),
    ("sewage_used_t", Kind::Real),
    ("land_mu", Kind::Real),
];

#[derive(Debug, Clone)]
enum NewValue {
    /// The value the same field holds in another record (so duplicates appear and vanish).
    FromRecord(usize),
    Null,
    /// One of five changes of the current value.
    Perturb(usize),
}

#[derive(Debug, Clone)]
struct Edit {
    record: usize,
    field: usize,
    value: NewValue,
}

fn an_edit() -> impl Strategy<Value = Edit> {
    // The credit code, which L07 compares across records, is edited more often.
    let field = prop_oneof![2 => Just(0usize), 5 => 0..EDITABLE.len()];
    let value = prop_oneof![
        3 => (0..20usize).prop_map(NewValue::FromRecord),
        1 => Just(NewValue::Null),
        2 => (0..5usize).prop_map(NewValue::Perturb),
    ];
    (0..20usize, field, value).prop_map(|(record, field, value)| Edit {
        record,
        field,
        value,
    })
}

fn perturb(kind: Kind, current: &rusqlite::types::Value, k: usize) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match kind {
        Kind::Integer => {
            let x = match current {
                Sql::Integer(i) => *i,
                _ => 0,
            };
            Sql::Integer([x + 1, x - 1, 0, x * 1000, -x][k])
        }
        Kind::Real => {
            let x = match current {
                Sql::Real(x) => *x,
                Sql::Integer(i) => *i as f64,
                _ => 0.0,
            };
            Sql::Real([x * 1000.0, x / 1000.0, 0.0, x + 0.5, -x][k])
        }
        Kind::Text => Sql::Text(["1", "2", "3", "9", ""][k].to_string()),
    }
}

#[test]
fn rechecks_after_random_edits_leave_the_flags_a_full_check_gives() {
    use rusqlite::types::Value as Sql;

    let s = Scratch::new();
    let template = livestock(&s, true);
    assert!(
        !s.path(&format!("{WS}-wal")).exists(),
        "the template must be whole in one file to be copied"
    );
    let keys: Vec<String> = {
        let conn = rusqlite::Connection::open(&template).unwrap();
        let mut stmt = conn
            .prepare("SELECT record_id FROM N101 ORDER BY rowid")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(keys.len(), 20);

    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let case = std::cell::Cell::new(0);
    runner
        .run(&prop::collection::vec(an_edit(), 1..=6), |edits| {
            case.set(case.get() + 1);
            let path = s.path(&format!("case-{}.huishen", case.get()));
            std::fs::copy(&template, &path).unwrap();
            let conn = rusqlite::Connection::open(&path).unwrap();
            let mut ws = Workspace::open(&path).unwrap();
            for edit in &edits {
                let (field, kind) = EDITABLE[edit.field];
                let value_of = |record: usize| -> Sql {
                    conn.query_row(
                        &format!("SELECT {field} FROM N101 WHERE record_id = ?1"),
                        [&keys[record]],
                        |r| r.get(0),
                    )
                    .unwrap()
                };
                let new = match edit.value {
                    NewValue::FromRecord(other) => value_of(other),
                    NewValue::Null => Sql::Null,
                    NewValue::Perturb(k) => perturb(kind, &value_of(edit.record), k),
                };
                correct(&path, "N101", &keys[edit.record], field, &edit_text(&new));
            }
            let before = open_flag_rows(&path, "N101", "record_id");
            let report = ws.check(&[], &mut |_, _, _| {}).unwrap();
            prop_assert!(report.runtime_errors.is_empty());
            prop_assert_eq!(
                (report.opened, report.resolved),
                (0, 0),
                "the full check after the edits opened or resolved flags"
            );
            prop_assert_eq!(open_flag_rows(&path, "N101", "record_id"), before);
            drop(ws);
            drop(conn);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            Ok(())
        })
        .unwrap();
}
