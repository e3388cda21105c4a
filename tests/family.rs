//! A census object of many forms, on the fixture `tests/fixtures/family/` (its README works
//! every flag by hand): enterprises (E) and their boilers (B, a child form of E). Child rows
//! are imported under their parents and refused without one; rules compare a boiler with its
//! enterprise and an enterprise with the sum of its boilers; the re-check after an edit of
//! either runs those rules on the object alone, and equals a full check.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::Path;

use proptest::prelude::*;

use common::db::sqlite3_ok;
use common::fixtures::{family, family_bare as bare};
use common::{Scratch, correct, hs, open_flag_rows};
use huishen_core::review::{Direction, QueueFilter, Session};

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// The open flags of both forms: (key, rule, outcome).
fn flags(ws: &Path) -> Vec<(String, String, String)> {
    let mut all = open_flag_rows(ws, "E", "id");
    all.extend(open_flag_rows(ws, "B", "boiler_id"));
    all
}

fn flag(key: &str, rule: &str) -> (String, String, String) {
    (key.into(), rule.into(), "fail".into())
}

/// The census objects' queue (form E): (key, errors, warnings) in queue order, counting the
/// flags of each enterprise and of its boilers.
fn queue(ws: &Path) -> Vec<(String, u32, u32)> {
    let session = Session::observe(ws, common::ADMIN, Some("E")).unwrap();
    let rows = session
        .window(&QueueFilter::default(), None, Direction::Forward, 50)
        .unwrap();
    rows.into_iter()
        .map(|r| (r.key, r.errors, r.warnings))
        .collect()
}

fn line(key: &str, errors: u32, warnings: u32) -> (String, u32, u32) {
    (key.into(), errors, warnings)
}

fn rows(ws: &Path, form: &str) -> i64 {
    common::db::one(ws, &format!("SELECT count(*) FROM \"{form}\""))
}

#[test]
fn child_rows_are_refused_before_their_parents_without_one_and_twice() {
    let s = Scratch::new();
    let ws = bare(&s);
    // Boilers before any enterprise: one clear message, nothing imported.
    let first = hs(&s)
        .args(["import", "w.huishen", "--form", "B", "b.csv"])
        .assert()
        .failure();
    assert_eq!(
        stderr(&first),
        "error: the rows of B belong to records of E, and the workspace has none yet: import E \
         first (`huishen import WORKSPACE --form E FILE`), then this file\n"
    );
    assert_eq!(rows(&ws, "B"), 0);
    hs(&s)
        .args(["import", "w.huishen", "--form", "E", "e.csv"])
        .assert()
        .success();
    // A boiler of an enterprise the workspace does not have: its line and column, and
    // nothing of the file imported.
    let orphan = hs(&s)
        .args(["import", "w.huishen", "--form", "B", "b-orphan.csv"])
        .assert()
        .failure();
    let err = stderr(&orphan);
    assert!(
        err.contains(
            "b-orphan.csv:3:2 enterprise_id (所属普查对象): value \"E9\" names a record of E \
             that is not in the workspace: import that record first, or correct the key"
        ),
        "{err}"
    );
    assert_eq!(rows(&ws, "B"), 0);
    // A row without its parent's key says so.
    let empty = hs(&s)
        .args(["import", "w.huishen", "--form", "B", "b-no-parent-key.csv"])
        .assert()
        .failure();
    assert!(
        stderr(&empty).contains(
            "b-no-parent-key.csv:3:2 enterprise_id (所属普查对象): value \"\" is empty: the row \
             needs the key of its E record"
        ),
        "{}",
        stderr(&empty)
    );
    assert_eq!(rows(&ws, "B"), 0);
    // Set aside with --skip-bad-rows: the good row in, the orphan in the rejects file.
    hs(&s)
        .args([
            "import",
            "w.huishen",
            "--form",
            "B",
            "b-orphan.csv",
            "--skip-bad-rows",
        ])
        .assert()
        .success();
    assert_eq!(rows(&ws, "B"), 1);
    let rejects = std::fs::read_to_string(s.path("b-orphan.rejects.csv")).unwrap();
    assert!(rejects.contains("E9-1,E9"), "{rejects}");
    // The boilers' file, then the same file again: every row already there, nothing added.
    hs(&s)
        .args(["import", "w.huishen", "--form", "B", "b.csv"])
        .assert()
        .success();
    let twice = hs(&s)
        .args(["import", "w.huishen", "--form", "B", "b.csv"])
        .assert()
        .failure();
    assert!(
        stderr(&twice).contains("b.csv:2:1 boiler_id (锅炉编号): value \"E1-1\" is already in the workspace (imported from b.csv, line 2)"),
        "{}",
        stderr(&twice)
    );
    assert_eq!(rows(&ws, "B"), 6);
}

#[test]
fn rules_compare_a_boiler_with_its_enterprise_and_an_enterprise_with_its_boilers() {
    let s = Scratch::new();
    let ws = family(&s);
    assert_eq!(
        flags(&ws),
        [
            flag("E1", "E01"),
            flag("E2", "E01"),
            flag("E3", "E02"),
            flag("E2-1", "B02"),
            flag("E3-1", "B01"),
        ]
    );
    // The queue lists census objects, each counting its own flags and its boilers'.
    assert_eq!(
        queue(&ws),
        [line("E1", 1, 0), line("E2", 2, 0), line("E3", 1, 1)]
    );
    // Filtered by a boiler's rule, the queue lists the objects whose boilers it flags.
    let session = Session::observe(&ws, common::ADMIN, Some("E")).unwrap();
    let b02 = QueueFilter {
        rule: Some("B02".into()),
        ..QueueFilter::default()
    };
    let listed = session.window(&b02, None, Direction::Forward, 10).unwrap();
    assert_eq!(
        listed.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["E2"]
    );
    assert_eq!(session.count(&b02).unwrap(), 1);
    drop(session);
    // A boiler's coal corrected: its enterprise's total rule resolves.
    let report = correct(&ws, "B", "E1-2", "coal_t", "35");
    assert_eq!(report.resolved, [("E01".to_string(), "E1".to_string())]);
    // An enterprise's fuel coal corrected: its boiler's rule resolves.
    let report = correct(&ws, "E", "E2", "fuel_coal_t", "60");
    assert_eq!(
        report.resolved,
        [
            ("B02".to_string(), "E2-1".to_string()),
            ("E01".to_string(), "E2".to_string())
        ]
    );
    assert_eq!(flags(&ws), [flag("E3", "E02"), flag("E3-1", "B01")]);
    // A boiler moved to another enterprise takes its flag along: E3's SO2 no longer falls
    // short of its (now no) boilers'; E1's boilers burn 110 t again, and E1 counts the
    // moved boiler's error too.
    correct(&ws, "B", "E3-1", "enterprise_id", "E1");
    assert_eq!(flags(&ws), [flag("E1", "E01"), flag("E3-1", "B01")]);
    assert_eq!(
        queue(&ws),
        [line("E1", 2, 0), line("E2", 0, 0), line("E3", 0, 0)]
    );
}

#[test]
fn a_child_edit_re_checks_its_own_object_and_nothing_more() {
    let s = Scratch::new();
    let ws = family(&s);
    // E2's flag of E01 taken away behind huishen's back: a re-check that ran E01 over every
    // enterprise would open it again; one that runs on E1 alone leaves it so.
    sqlite3_ok(
        &ws,
        "DELETE FROM flags WHERE rule = 'E01' AND record = (SELECT rowid FROM E WHERE id = 'E2');",
    );
    correct(&ws, "B", "E1-2", "coal_t", "35");
    assert_eq!(
        flags(&ws),
        [flag("E3", "E02"), flag("E2-1", "B02"), flag("E3-1", "B01")]
    );
    // The same for a parent's edit and its boilers' rule B02: E2-1's flag of B02, taken
    // away, stays away when E1's fuel coal changes.
    sqlite3_ok(
        &ws,
        "DELETE FROM flags WHERE rule = 'B02' AND record = (SELECT rowid FROM B WHERE boiler_id = 'E2-1');",
    );
    correct(&ws, "E", "E1", "fuel_coal_t", "20");
    assert_eq!(
        flags(&ws),
        [
            flag("E1", "E01"),
            flag("E3", "E02"),
            flag("E1-1", "B02"),
            flag("E1-2", "B02"),
            flag("E3-1", "B01"),
        ]
    );
}

/// One edit: (form, key, field, value).
fn edit() -> impl Strategy<Value = (&'static str, &'static str, &'static str, String)> {
    let number = (0u32..120).prop_map(|n| n.to_string());
    prop_oneof![
        (
            prop::sample::select(vec!["E1-1", "E1-2", "E1-3", "E2-1", "E3-1"]),
            prop::sample::select(vec!["coal_t", "so2_emit_t", "sulphur_pct"]),
            number.clone()
        )
            .prop_map(|(k, f, v)| ("B", k, f, v)),
        (
            prop::sample::select(vec!["E1-1", "E1-2", "E1-3", "E2-1", "E3-1"]),
            prop::sample::select(vec!["E1", "E2", "E3"]),
        )
            .prop_map(|(k, parent)| ("B", k, "enterprise_id", parent.to_string())),
        (
            prop::sample::select(vec!["E1", "E2", "E3"]),
            prop::sample::select(vec!["fuel_coal_t", "so2_emit_t"]),
            number
        )
            .prop_map(|(k, f, v)| ("E", k, f, v)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn re_checks_after_random_child_and_parent_edits_equal_a_full_check(
        edits in prop::collection::vec(edit(), 1..6)
    ) {
        let s = Scratch::new();
        let ws = family(&s);
        for (form, key, field, value) in &edits {
            correct(&ws, form, key, field, value);
        }
        let copy = s.path("copy.huishen");
        sqlite3_ok(&ws, &format!("VACUUM INTO '{}';", copy.display()));
        hs(&s).args(["check", "copy.huishen"]).assert().success();
        prop_assert_eq!(flags(&ws), flags(&copy), "after {:?}", edits);
        prop_assert_eq!(queue(&ws), queue(&copy), "after {:?}", edits);
    }
}

#[test]
fn a_child_form_exports_with_its_parent_key_and_parent_fields_on_request() {
    let s = Scratch::new();
    family(&s);
    let plain = hs(&s)
        .args(["export", "w.huishen", "--what", "data", "--form", "B"])
        .args(["--headers", "names"])
        .assert()
        .success();
    // CSV for Excel starts with a byte order mark.
    let text = String::from_utf8_lossy(&plain.get_output().stdout).into_owned();
    let text = text.trim_start_matches('\u{feff}');
    assert!(
        text.starts_with("boiler_id,enterprise_id,coal_t,sulphur_pct,so2_emit_t\nE1-1,E1,60,1,1\n"),
        "{text}"
    );
    // `status` counts the rows beneath the census objects.
    let status = hs(&s).args(["status", "w.huishen"]).assert().success();
    let text = String::from_utf8_lossy(&status.get_output().stdout).into_owned();
    assert!(
        text.contains("E: 3 records, as of ")
            && text.contains(
                "\n  and 5 rows of B (Boilers) beneath them, whose flags count on their census \
                 objects\n"
            ),
        "{text}"
    );
    // `status --by rule` counts the rules of the boilers' form beside the enterprises'.
    let by_rule = hs(&s)
        .args(["status", "w.huishen", "--by", "rule", "--json"])
        .assert()
        .success();
    let rules: serde_json::Value = serde_json::from_slice(&by_rule.get_output().stdout).unwrap();
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap_or_else(|| panic!("{rules}"))
        .iter()
        .filter_map(|r| r["rule"].as_str())
        .collect();
    assert!(
        ["B01", "B02", "E01", "E02"].iter().all(|r| ids.contains(r)),
        "{ids:?}"
    );
    // The report counts census objects and the rows beneath them.
    let report = hs(&s)
        .args(["report", "w.huishen", "--format", "md", "--lang", "en"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&report.get_output().stdout).into_owned();
    assert!(
        text.contains("| Census objects | 3 |\n| Boilers (rows) | 5 |\n"),
        "{text}"
    );
    // One flat table for an office: each boiler with its enterprise's division and coal.
    let flat = hs(&s)
        .args(["export", "w.huishen", "--what", "data", "--form", "B"])
        .args(["--headers", "names", "--with-parent", "region,fuel_coal_t"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&flat.get_output().stdout).into_owned();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "boiler_id,enterprise_id,coal_t,sulphur_pct,so2_emit_t,E.region,E.fuel_coal_t"
    );
    assert_eq!(lines[5], "E3-1,E3,10,2,2,3702,30");
    // Asked of a form without a parent, or for a field the parent lacks: refused, nothing
    // written.
    let refused = hs(&s)
        .args(["export", "w.huishen", "--what", "data", "--form", "E"])
        .args(["--with-parent", "region"])
        .assert()
        .failure();
    assert!(
        stderr(&refused).contains("E is not a child form: name a child form with --form"),
        "{}",
        stderr(&refused)
    );
    let refused = hs(&s)
        .args(["export", "w.huishen", "--what", "data", "--form", "B"])
        .args(["--with-parent", "unit_name"])
        .assert()
        .failure();
    assert!(
        stderr(&refused).contains(
            "--with-parent: `unit_name` is not a field of E, the parent form of B; its fields \
             are id, region, fuel_coal_t, so2_emit_t"
        ),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn each_form_exported_imports_again_into_a_fresh_workspace_unchanged() {
    let s = Scratch::new();
    family(&s);
    let export = |ws: &str, form: &str, out: &str| {
        hs(&s)
            .args(["export", ws, "--what", "data", "--form", form])
            .args(["--headers", "names", "--out", out])
            .assert()
            .success();
        std::fs::read(s.path(out)).unwrap()
    };
    let enterprises = export("w.huishen", "E", "e-out.csv");
    let boilers = export("w.huishen", "B", "b-out.csv");
    hs(&s)
        .args(["init", "again.huishen", "--schema", "schema.toml"])
        .assert()
        .success();
    for (form, file) in [("E", "e-out.csv"), ("B", "b-out.csv")] {
        hs(&s)
            .args(["import", "again.huishen", "--form", form, file])
            .assert()
            .success();
    }
    assert_eq!(rows(&s.path("again.huishen"), "B"), 5);
    assert_eq!(export("again.huishen", "E", "e-again.csv"), enterprises);
    assert_eq!(export("again.huishen", "B", "b-again.csv"), boilers);
}
