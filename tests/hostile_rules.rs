//! Rules that would stop the room: an endless recursive CTE, the form crossed with itself three
//! times, a huge `randomblob`, `printf` with a huge width, and an honest cross-record rule that
//! is O(n²) because no index can answer it. Each is refused when its file is loaded (its trial
//! run on the demo's 2,000 records runs out of its budget, or it makes a value longer than any
//! rule may), stopped in a full check with its flags left as they were, or stops the action
//! whose re-check it would hold up; nothing is written, and other reviewers go on working.
//!
//! The budgets are set small, in proportion to the 2,000 records (the defaults are for census
//! size), through the rule file's `[budget]` and the environment. No assertion is on time.

#![allow(clippy::unwrap_used)]

mod common;

use common::db::{fingerprint, one};
use common::demo::{DEMO, PM_KG, PM_KG_2, TWICE_B};
use common::fixtures::{N101, Outcome, copy_in, livestock, run};
use common::review::{leave, open, refusal, seen};
use common::{SAMPLE_RULES, Scratch, act, demo, hs, rowid};

const ENDLESS: &str = "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) \
                       SELECT count(*) FROM c) > 0";
/// Duplicate names, compared through `trim`, which no index can answer.
const SQUARE: &str = "NOT EXISTS (SELECT 1 FROM G101_1 r2 WHERE trim(r2.unit_name) = \
                      trim(G101_1.unit_name) AND r2.rowid <> G101_1.rowid)";

/// The O(n²) rule eight times over: some seconds on the demo's 2,000 records, so that a
/// budget of one second stops it on an idle machine as on a busy one.
const SQUARE_EIGHT_TIMES: &str = "NOT EXISTS (SELECT 1 FROM (SELECT rowid FROM G101_1 LIMIT 8) k, \
                                  G101_1 r2 WHERE trim(r2.unit_name) = trim(G101_1.unit_name) \
                                  AND r2.rowid <> G101_1.rowid)";

/// A rule file of one rule H1 on G101_1, with `budget` (TOML lines) first.
fn one_rule(budget: &str, check: &str, when: Option<&str>) -> String {
    let when = when.map_or(String::new(), |w| format!("when = \"{w}\"\n"));
    format!(
        "{budget}\n[[rule]]\nid = \"H1\"\nform = \"G101_1\"\nseverity = \"error\"\n\
         title = {{ zh = \"测试\", en = \"Test\" }}\n{when}check = \"{check}\"\n"
    )
}

/// Another reviewer's correction of a seeded R15 defect goes through and resolves its flag.
fn another_reviewer_corrects(ws: &std::path::Path, key: &str) {
    let report = act(ws, "李四", key, |session, record, version| {
        session.correct(record, version, "pm_emit_t", "0.0164", "单位换算错误")
    });
    assert!(
        report
            .resolved
            .iter()
            .any(|(rule, k)| rule == "R15" && k == key),
        "{report:?}"
    );
}

const TIME: &str = "it ran for more than its budget of 50 ms; make it cheaper (a narrower `when`; \
                    for a cross-record rule, a subquery an index can answer), or raise `[budget] \
                    rule_ms` in the rule file (or HUISHEN_RULE_BUDGET_MS)";
const SIZE: &str = "it made a value longer than 16 MiB, the most any rule may make; change it so \
                    that the values it makes stay small";

#[test]
fn every_hostile_rule_is_refused_at_load_and_changes_nothing() {
    let cases = [
        ("endless recursion", ENDLESS, TIME),
        (
            "the form crossed three times",
            "(SELECT count(*) FROM G101_1 a, G101_1 b, G101_1 c) > 0",
            TIME,
        ),
        ("a huge blob", "length(randomblob(900000000)) > 0", SIZE),
        (
            "a huge width",
            "length(printf('%*d', 900000000, 1)) > 0",
            SIZE,
        ),
        ("an O(n²) cross-record rule", SQUARE, TIME),
    ];
    for (what, check, why) in cases {
        let s = Scratch::new();
        let ws = demo(&s);
        s.write(
            "hostile.toml",
            one_rule("[budget]\nrule_ms = 50\n", check, None),
        );
        let before = fingerprint(&ws);
        let got = run(hs(&s).args(["rules", "load", DEMO, "hostile.toml"]));
        let want = format!(
            "error: hostile.toml:5:6: rule H1 (over the 2,000 records of G101_1) was stopped in \
             its trial run: {why}\n"
        );
        assert_eq!(got, Outcome::refused(&want), "{what}");
        assert_eq!(fingerprint(&ws), before, "{what}: nothing is written");
        another_reviewer_corrects(&ws, PM_KG);
    }
}

/// The open flags of a rule, as (record, outcome) in record order.
fn open_flags_of(ws: &std::path::Path, rule: &str) -> String {
    one(
        ws,
        &format!(
            "SELECT coalesce(group_concat(record || ':' || outcome, ' '), '') FROM \
             (SELECT record, outcome FROM flags WHERE rule = '{rule}' AND state = 'open' \
              ORDER BY record)"
        ),
    )
}

#[test]
fn a_rule_past_its_budget_in_a_full_check_is_stopped_reported_and_keeps_its_flags() {
    let s = Scratch::new();
    let ws = demo(&s);
    // The O(n²) rule beside the census rules, loaded and checked under a budget of minutes.
    let census = std::fs::read_to_string(SAMPLE_RULES).unwrap();
    let square = one_rule("", SQUARE_EIGHT_TIMES, None).replace("[[rule]]", "\n[[rule]]");
    s.write("rules.toml", format!("{census}{square}"));
    let generous = |cmd: &mut assert_cmd::Command| {
        cmd.env("HUISHEN_RULE_BUDGET_MS", "600000");
    };
    let mut load = hs(&s);
    generous(load.args(["rules", "load", DEMO, "rules.toml"]));
    load.assert().success();
    let mut check = hs(&s);
    generous(check.args(["check", DEMO]));
    check.assert().success();
    let kept = open_flags_of(&ws, "H1");
    assert!(!kept.is_empty(), "the demo has names used twice");
    let census_flags = open_flags_of(&ws, "R15");

    // Under a second, the full check stops H1 (seconds of work) and goes on with the others
    // (each a few milliseconds, with room for a busy machine).
    let tight = |args: &[&str]| {
        let mut cmd = hs(&s);
        cmd.args(args).env("HUISHEN_RULE_BUDGET_MS", "1000");
        run(&mut cmd)
    };
    let json = tight(&["check", DEMO, "--rule", "H1", "--rule", "R15", "--json"]);
    assert_eq!(json.code, Some(0), "{json:?}");
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        report["over_budget"],
        serde_json::json!([{
            "rule": "H1",
            "why": "ran for more than its budget of 1000 ms",
            "setting": "`[budget] rule_ms` in the rule file (or HUISHEN_RULE_BUDGET_MS)",
        }])
    );
    let ran: Vec<&str> = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(ran, ["R15"]);
    let table = tight(&["check", DEMO]);
    assert!(
        table.stdout.contains(
            "rule H1 was stopped: it ran for more than its budget of 1000 ms; its flags are as \
             they were. Make it cheaper, or raise `[budget] rule_ms` in the rule file (or \
             HUISHEN_RULE_BUDGET_MS)\n"
        ),
        "{table:?}"
    );
    assert_eq!(open_flags_of(&ws, "H1"), kept);
    assert_eq!(open_flags_of(&ws, "R15"), census_flags);
    // A deep verification under the same budget cannot check H1's flags, and says so
    // instead of calling the workspace intact.
    let deep = tight(&["verify", DEMO, "--deep"]);
    assert_eq!(deep.code, Some(1), "{deep:?}");
    assert!(
        deep.stdout
            .contains("flags (deep): the rules run again give the open flags stored, but 1 could not be run again"),
        "{deep:?}"
    );
    assert!(
        deep.stderr.contains(
            "verifies, but --deep could not check the flags of every rule: rule H1 ran for more than its budget of 1000 ms"
        ),
        "{deep:?}"
    );

    // Correcting a name re-checks H1 over the whole form: past the re-check budget of the
    // reviewer's terminal, the correction is refused and nothing is written.
    let mut session = open(&ws, "王五");
    let record = rowid(&ws, TWICE_B);
    let version = seen(&mut session, record);
    let before = fingerprint(&ws);
    let said = refusal(session.correct(record, version, "unit_name", "另一家公司", "企业核实"));
    assert!(
        said.starts_with(
            "nothing was saved: re-checking this change, rule H1 ran for more than its budget of"
        ),
        "{said}"
    );
    assert_eq!(fingerprint(&ws), before);
    leave(&session);
    another_reviewer_corrects(&ws, PM_KG);
}

#[test]
fn an_action_whose_recheck_would_never_end_is_refused_and_writes_nothing() {
    let s = Scratch::new();
    let ws = demo(&s);
    // No record applies at load, so the trial run is quick; a correction makes one apply.
    let census = std::fs::read_to_string(SAMPLE_RULES).unwrap();
    let endless = one_rule(
        "[budget]\nrecheck_ms = 100\n",
        ENDLESS,
        Some("coalesce(pm_emit_t, 0) >= 1000000"),
    );
    s.write("rules.toml", format!("{census}\n{endless}"));
    hs(&s)
        .args(["rules", "load", DEMO, "rules.toml"])
        .assert()
        .success();

    let mut session = open(&ws, "李四");
    let record = rowid(&ws, PM_KG);
    let version = seen(&mut session, record);
    let before = fingerprint(&ws);
    let said = refusal(session.correct(record, version, "pm_emit_t", "2000000", "企业核实"));
    assert_eq!(
        said,
        "nothing was saved: re-checking this change, rule H1 ran for more than its budget of \
         100 ms. Ask the rule leader to make rule H1 cheaper (a cross-record rule with `related` \
         re-checks only the related records) or to raise `[budget] recheck_ms` in the rule file \
         (or HUISHEN_RECHECK_BUDGET_MS)"
    );
    assert_eq!(fingerprint(&ws), before, "nothing is written");
    // The same reviewer's right correction, and another reviewer's, go through.
    let version = seen(&mut session, record);
    session
        .correct(record, version, "pm_emit_t", "0.0164", "单位换算错误")
        .unwrap();
    leave(&session);
    another_reviewer_corrects(&ws, PM_KG_2);
}

#[test]
fn a_hostile_rule_given_to_an_empty_workspace_is_stopped_by_the_first_check() {
    for (name, what) in [
        ("rule-never-ends.toml", "rule X1"),
        ("rule-makes-a-huge-blob.toml", "rule X1"),
        ("score-never-ends.toml", "score S1"),
        ("fix-never-ends.toml", "fix F1"),
    ] {
        let s = Scratch::new();
        livestock(&s, false);
        copy_in(&s, &format!("invalid/rules/{name}"));
        // The records are in: the file is refused over them.
        let got = run(hs(&s).args(["rules", "load", N101, name]));
        assert_eq!(got.code, Some(1), "{got:?}");
        // A workspace made with the rules and no records yet loads it, and the first check
        // after the import stops the rule without flagging a record.
        let s = Scratch::new();
        copy_in(&s, "livestock/schema.toml");
        copy_in(&s, "livestock/n101.csv");
        copy_in(&s, &format!("invalid/rules/{name}"));
        hs(&s)
            .args(["init", N101, "--schema", "schema.toml", "--rules", name])
            .assert()
            .success();
        hs(&s)
            .args(["import", N101, "--form", "N101", "n101.csv"])
            .assert()
            .success();
        let check = run(hs(&s).args(["check", N101]));
        assert_eq!(check.code, Some(0), "{check:?}");
        assert!(
            check.stdout.contains(&format!("{what} was stopped: it ")),
            "{check:?}"
        );
        let flags: i64 = one(&s.path(N101), "SELECT count(*) FROM flags");
        assert_eq!(flags, 0, "{name}");
    }
}

/// Loading a rule file trial-runs its rules without the write lock: while an endless rule
/// uses up a budget of two seconds, a reviewer who waits at most half a second for the lock
/// corrects a record; then the file is refused and nothing of it stays.
#[test]
fn a_trial_run_keeps_no_reviewer_waiting() {
    let s = Scratch::new();
    let ws = demo(&s);
    s.write(
        "slow.toml",
        one_rule("[budget]\nrule_ms = 2000\n", ENDLESS, None),
    );
    let loader = {
        let dir = s.dir.path().to_path_buf();
        std::thread::spawn(move || {
            common::huishen()
                .current_dir(dir)
                .args(["rules", "load", DEMO, "slow.toml"])
                .output()
                .unwrap()
        })
    };
    // Once the trial run is under way, another reviewer acts.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let corrected = std::process::Command::new(env!("CARGO_BIN_EXE_huishen"))
        .args(["apply"])
        .arg(&ws)
        .arg(s.write(
            "fix.csv",
            format!("key,field,value,reason\n{PM_KG},pm_emit_t,0.0164,单位换算错误\n"),
        ))
        .args(["--reviewer", "王五", "--commit"])
        .env("HUISHEN_BUSY_TIMEOUT_MS", "500")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"wangwu-2017\n")?;
            child.wait_with_output()
        })
        .unwrap();
    let loaded = loader.join().unwrap();
    assert!(
        corrected.status.success(),
        "{}",
        String::from_utf8_lossy(&corrected.stderr)
    );
    assert!(!loaded.status.success(), "the endless rule was refused");
    assert!(
        String::from_utf8_lossy(&loaded.stderr).contains("it ran for more than its budget"),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    assert_eq!(one::<i64>(&ws, "SELECT count(*) FROM rule_sets"), 1);
    assert_eq!(one::<i64>(&ws, "SELECT count(*) FROM corrections"), 1);
}
