//! Dataset rules (`scope = "form"` or `scope = "group"`): one verdict on a form, or on each
//! group of its records, from an aggregate check, on the livestock farms of
//! `tests/fixtures/livestock` with the rules of `tests/fixtures/datasets/dataset-rules.toml`
//! (whose comments work out each verdict by hand). Each verdict counts as one item in the
//! check, `--fail-on` counts a failing group as it counts a failing record, `status`, the
//! report and `rules list` show them, a correction moves them at once, and a dataset rule
//! changed in the workspace file is caught by `verify`.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::sqlite3_ok;
use common::fixtures::{N101, copy_in, livestock};
use common::review::correct;
use common::{Scratch, hs};
use serde_json::Value;

/// The livestock workspace without its own rules, with the dataset rules loaded.
fn with_dataset_rules(s: &Scratch) -> std::path::PathBuf {
    let ws = livestock(s, false);
    copy_in(s, "datasets/dataset-rules.toml");
    hs(s)
        .args(["rules", "load", N101, "dataset-rules.toml"])
        .assert()
        .success()
        .stdout("loaded 4 rules from dataset-rules.toml as rule set 1\n");
    ws
}

fn json_of(s: &Scratch, args: &[&str]) -> Value {
    let out = hs(s).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A rule's verdicts in the `datasets` of a check or status: (items, passes, fails, missing)
/// and the groups that do not pass, each with its records, outcome and figures.
fn verdicts(figures: &Value, rule: &str) -> ((u64, u64, u64, u64), Vec<String>) {
    let d = (figures["datasets"].as_array().unwrap().iter())
        .find(|d| d["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {figures}"));
    let n = |k: &str| d[k].as_u64().unwrap();
    let groups = (d["failing"].as_array().unwrap().iter())
        .map(|g| {
            let figures: Vec<String> = (g["figures"].as_array().unwrap().iter())
                .map(|f| format!("{} = {}", f["expr"].as_str().unwrap(), f["value"]))
                .collect();
            format!(
                "{} {} {} [{}]",
                g["group"],
                g["records"],
                g["outcome"].as_str().unwrap(),
                figures.join("; ")
            )
        })
        .collect();
    ((n("items"), n("passes"), n("fails"), n("missing")), groups)
}

#[test]
fn a_check_gives_one_verdict_per_group_or_form_with_its_figures() {
    let s = Scratch::new();
    with_dataset_rules(&s);
    let report = json_of(&s, &["check", N101, "--format", "json"]);
    assert_eq!(
        verdicts(&report, "D1"),
        (
            (16, 14, 2, 0),
            vec![
                "\"3707\" 3 fail [sum(manure_used_t) = \"2180\"; sum(manure_gen_t) = \"2100\"]"
                    .to_string(),
                "\"3717\" 1 fail [sum(manure_used_t) = \"200\"; sum(manure_gen_t) = \"180\"]"
                    .to_string(),
            ]
        )
    );
    assert_eq!(
        verdicts(&report, "D2"),
        (
            (1, 0, 1, 0),
            vec![
                "null 19 fail [count(DISTINCT credit_code) = \"18\"; count(credit_code) = \"19\"]"
                    .to_string()
            ]
        )
    );
    assert_eq!(verdicts(&report, "D3"), ((1, 1, 0, 0), vec![]));
    assert_eq!(
        verdicts(&report, "D4"),
        (
            (5, 4, 0, 1),
            vec![
                "\"5\" 2 missing [avg(CASE WHEN sewage_gen_t > 0 THEN sewage_used_t * 1.0 / sewage_gen_t END) = null; 0.95 = \"0.95\"]"
                    .to_string()
            ]
        )
    );
    // The same as a reviewer reads it: each rule a line of counts, each group it does not
    // pass a line of its figures.
    let out = hs(&s).args(["check", N101]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let from = text.find("dataset rules").unwrap();
    assert_eq!(
        &text[from..],
        "dataset rules (one verdict on a form, or one per group of records)\n\
         D1       warning         16        14       2        0      0      0\n\
         D2       error            1         0       1        0      0      0\n\
         D3       warning          1         1       0        0      0      0\n\
         D4       warning          5         4       0        1      0      0\n\
         \x20 D1 3707 fails (3 records): sum(manure_used_t) = 2180; sum(manure_gen_t) = 2100\n\
         \x20 D1 3717 fails (1 record): sum(manure_used_t) = 200; sum(manure_gen_t) = 180\n\
         \x20 D2 the form fails (19 records): count(DISTINCT credit_code) = 18; count(credit_code) = 19\n\
         \x20 D4 5 is missing (NULL) (2 records): avg(CASE WHEN sewage_gen_t > 0 THEN sewage_used_t * 1.0 / sewage_gen_t END) = NULL; 0.95 = 0.95\n\
         rule set 1: 0 flags opened, 0 resolved\n"
    );
}

#[test]
fn fail_on_counts_a_failing_group_as_a_failing_record() {
    let s = Scratch::new();
    with_dataset_rules(&s);
    hs(&s)
        .args(["check", N101, "--fail-on", "error"])
        .assert()
        .code(4)
        .stderr("error: 1 rules of the --fail-on severity have failing records or groups: D2\n");
    hs(&s)
        .args(["check", N101, "--fail-on", "warning"])
        .assert()
        .code(4)
        .stderr(
            "error: 2 rules of the --fail-on severity have failing records or groups: D1, D2\n",
        );
    // Only the rules asked for.
    hs(&s)
        .args(["check", N101, "--rule", "D3", "--fail-on", "warning"])
        .assert()
        .success();
}

#[test]
fn a_correction_moves_the_verdicts_at_once() {
    let s = Scratch::new();
    let ws = with_dataset_rules(&s);
    hs(&s).args(["check", N101]).assert().success();
    // 1000 t used of the 1100 t N370782010 generates: the prefecture uses 1930 t of 2100 t.
    correct(&ws, "N101", "N370782010", "manure_used_t", "1000");
    let status = json_of(&s, &["status", N101, "--format", "json"]);
    assert_eq!(
        verdicts(&status, "D1"),
        (
            (16, 15, 1, 0),
            vec![
                "\"3717\" 1 fail [sum(manure_used_t) = \"200\"; sum(manure_gen_t) = \"180\"]"
                    .to_string()
            ]
        )
    );
    // The second farm of the shared credit code given its own: no code twice.
    correct(&ws, "N101", "N371321015", "credit_code", "");
    let status = json_of(&s, &["status", N101, "--format", "json"]);
    assert_eq!(verdicts(&status, "D2"), ((1, 1, 0, 0), vec![]));
    // The check says the same.
    let report = json_of(&s, &["check", N101, "--format", "json"]);
    assert_eq!(verdicts(&report, "D1").0, (16, 15, 1, 0));
    assert_eq!(verdicts(&report, "D2").0, (1, 1, 0, 0));
}

#[test]
fn status_the_report_and_rules_list_show_them() {
    let s = Scratch::new();
    with_dataset_rules(&s);
    let out = hs(&s)
        .args(["status", N101, "--by", "rule"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "D1 warning: 2 of 16 failing, 0 missing · A prefecture's manure used must not exceed its manure generated\n\
             \x20 D1 3707 fails (3 records): sum(manure_used_t) = 2180; sum(manure_gen_t) = 2100\n"
        ),
        "{text}"
    );
    let out = hs(&s)
        .args(["status", N101, "--by", "rule"])
        .env("HUISHEN_LANG", "zh-CN")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "D1 提示：16 项中 2 项未通过、0 项缺失 · 地市粪便利用总量不得大于产生总量\n\
             \x20 D1 3707 未通过（3 条记录）：sum(manure_used_t) = 2180；sum(manure_gen_t) = 2100\n"
        ),
        "{text}"
    );
    let out = hs(&s)
        .args(["report", N101, "--format", "md", "--out", "-"])
        .output()
        .unwrap();
    let report = String::from_utf8(out.stdout).unwrap();
    for line in [
        "## 数据集规则 Dataset rules",
        "| D1 | 提示性 Warning | 地市粪便利用总量不得大于产生总量 A prefecture's manure used must not exceed its manure generated | 每组 Per group | substr(region_code, 1, 4) | 16 | 14 | 2 | 0 |",
        "| D1 | 3707 | 3 | 未通过 Failing | sum(manure_used_t) = 2180; sum(manure_gen_t) = 2100 |",
        "| D2 | 全表 The form | 19 | 未通过 Failing | count(DISTINCT credit_code) = 18; count(credit_code) = 19 |",
    ] {
        assert!(report.contains(line), "{line}\nnot in\n{report}");
    }
    hs(&s)
        .args(["rules", "list", N101])
        .assert()
        .success()
        .stdout(
            "rule set 1:\n\
             D1     warning  N101     A prefecture's manure used must not exceed its manure generated  [one verdict per substr(region_code, 1, 4)]\n\
             D2     error    N101     No credit code twice in the form  [one verdict on the form]\n\
             D3     warning  N101     Nine farms in ten or more name their species  [one verdict on the form]\n\
             D4     warning  N101     Each species uses at most 95 % of its sewage on average  [one verdict per species_code]\n",
        );
}

#[test]
fn a_dataset_rule_that_fails_as_it_runs_gives_no_verdict_and_says_why() {
    let s = Scratch::new();
    livestock(&s, false);
    s.write(
        "broken.toml",
        "[[rule]]\nid = \"D9\"\nform = \"N101\"\nscope = \"form\"\nseverity = \"error\"\n\
         title = { zh = \"测试规则\", en = \"Test rule\" }\n\
         check = \"max(regexp('[', farm_name)) = 0\"\n",
    );
    hs(&s)
        .args(["rules", "load", N101, "broken.toml"])
        .assert()
        .success();
    let out = hs(&s).args(["check", N101]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("D9       error            0         0       0        0      0      1\n  D9 gave no verdict: it failed as it ran: "),
        "{text}"
    );
}

#[test]
fn a_form_rule_over_no_records_still_gives_its_one_verdict() {
    let s = Scratch::new();
    livestock(&s, false);
    // No farm keeps elephants (species 9): count(*) is 0, sum NULL.
    s.write(
        "none.toml",
        "[[rule]]\nid = \"D8\"\nform = \"N101\"\nscope = \"form\"\nseverity = \"warning\"\n\
         title = { zh = \"测试规则\", en = \"Test rule\" }\nwhen = \"species_code = '9'\"\n\
         check = \"sum(stock_end) > 0\"\n\n\
         [[rule]]\nid = \"D9\"\nform = \"N101\"\nscope = \"form\"\nseverity = \"warning\"\n\
         title = { zh = \"测试规则\", en = \"Test rule\" }\nwhen = \"species_code = '9'\"\n\
         check = \"count(*) > 0\"\n",
    );
    hs(&s)
        .args(["rules", "load", N101, "none.toml"])
        .assert()
        .success();
    let report = json_of(&s, &["check", N101, "--format", "json"]);
    assert_eq!(
        verdicts(&report, "D8"),
        (
            (1, 0, 0, 1),
            vec!["null 0 missing [sum(stock_end) = null; 0 = \"0\"]".to_string()]
        )
    );
    assert_eq!(
        verdicts(&report, "D9"),
        (
            (1, 0, 1, 0),
            vec!["null 0 fail [count(*) = \"0\"; 0 = \"0\"]".to_string()]
        )
    );
}

#[test]
fn verify_catches_a_dataset_rule_changed_in_the_workspace_file() {
    let s = Scratch::new();
    let ws = with_dataset_rules(&s);
    hs(&s).args(["check", N101]).assert().success();
    hs(&s).args(["verify", N101]).assert().success();
    // D1 rewritten so that every prefecture passes: the dashboard would show no failing group.
    sqlite3_ok(
        &ws,
        "UPDATE rule_sets SET source = replace(source, \
         'sum(manure_used_t) <= sum(manure_gen_t)', 'count(*) >= 0')",
    );
    let status = json_of(&s, &["status", N101, "--format", "json"]);
    assert_eq!(verdicts(&status, "D1").0, (16, 16, 0, 0));
    let out = hs(&s).args(["verify", N101]).output().unwrap();
    assert!(!out.status.success());
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("rule_sets: the source of rule set 1 is not the file that was loaded"),
        "{said}"
    );
}
