//! The Shandong sample as census objects: the demo imports each enterprise's boilers (G103_1)
//! and wastewater outlets (G102) under it, the defects seeded in those rows and in their totals
//! are flagged and nothing else of theirs, and a boiler's coal corrected resolves its
//! enterprise's total rule (the README's demo story).

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::collections::BTreeSet;

use common::db::one;
use common::seeded::seeded;
use common::{Scratch, correct, demo, huishen, open_flag_rows};
use predicates::prelude::*;

/// The object of the README's demo story: its fuel coal (32138.7 t) is below its boilers'
/// (38777.9 t), as boiler -02 reports 19917.6 t for 13278.4 t.
const STORY: &str = "G3713020001081";
const STORY_BOILER: &str = "G3713020001081-02";

/// The rules on the rows beneath a record and on their totals.
const OBJECT_RULES: [&str; 9] = [
    "B01", "B02", "B03", "W01", "W02", "P01", "P02", "P03", "P04",
];

fn form_of(rule: &str) -> &'static str {
    match &rule[..1] {
        "B" => "G103_1",
        "W" => "G102",
        _ => "G101_1",
    }
}

#[test]
fn the_demo_opens_on_objects_with_their_boilers_and_outlets() {
    let s = Scratch::new();
    let ws = demo(&s);
    let boilers: i64 = one(&ws, "SELECT count(*) FROM G103_1");
    let outlets: i64 = one(&ws, "SELECT count(*) FROM G102");
    assert_eq!((boilers, outlets), (1750, 2124));
    // Every coal burner has 1-4 boilers and every discharger 1-4 outlets; no one else has any.
    let coal_without_boilers: i64 = one(
        &ws,
        "SELECT count(*) FROM G101_1 p WHERE coalesce(p.fuel_coal_t, 0) > 0 AND NOT EXISTS \
         (SELECT 1 FROM G103_1 b WHERE b.record_id = p.record_id)",
    );
    let boilers_without_coal: i64 = one(
        &ws,
        "SELECT count(*) FROM G103_1 b JOIN G101_1 p ON p.record_id = b.record_id \
         WHERE coalesce(p.fuel_coal_t, 0) <= 0",
    );
    let most: i64 = one(
        &ws,
        "SELECT max(n) FROM (SELECT count(*) AS n FROM G103_1 GROUP BY record_id)",
    );
    assert_eq!((coal_without_boilers, boilers_without_coal), (0, 0));
    assert!((2..=4).contains(&most), "{most} boilers at most");
    let dischargers_without_outlets: i64 = one(
        &ws,
        "SELECT count(*) FROM G101_1 p WHERE coalesce(p.wastewater_t, 0) > 0 AND NOT EXISTS \
         (SELECT 1 FROM G102 o WHERE o.record_id = p.record_id)",
    );
    assert_eq!(dischargers_without_outlets, 0);
    // About two rows beneath each object.
    let per_object = (boilers + outlets) as f64 / 2000.0;
    assert!((1.5..=2.5).contains(&per_object), "{per_object}");
    let story: i64 = one(
        &ws,
        &format!("SELECT count(*) FROM G103_1 WHERE record_id = '{STORY}'"),
    );
    assert_eq!(story, 2);
}

#[test]
fn the_seeded_child_and_total_defects_are_flagged_and_nothing_else() {
    let s = Scratch::new();
    let ws = demo(&s);
    let seeded = seeded();
    for rule in OBJECT_RULES {
        let form = form_of(rule);
        let key = match form {
            "G103_1" => "boiler_id",
            "G102" => "outlet_id",
            _ => "record_id",
        };
        let flagged: BTreeSet<String> = open_flag_rows(&ws, form, key)
            .into_iter()
            .filter(|(_, r, _)| r == rule)
            .map(|(k, ..)| k)
            .collect();
        let expected = seeded.get(rule).cloned().unwrap_or_default();
        assert!(
            expected.len() >= 2,
            "{rule} seeded {} times",
            expected.len()
        );
        assert_eq!(flagged, expected, "{rule}");
    }
    // The story's object fails its total rule alone, and its boilers nothing.
    let own: Vec<String> = open_flag_rows(&ws, "G101_1", "record_id")
        .into_iter()
        .filter(|(k, ..)| k == STORY)
        .map(|(_, r, _)| r)
        .collect();
    assert_eq!(own, ["P01"]);
    let beneath: Vec<_> = open_flag_rows(&ws, "G103_1", "record_id")
        .into_iter()
        .filter(|(k, ..)| k == STORY)
        .collect();
    assert!(beneath.is_empty(), "{beneath:?}");
}

#[test]
fn correcting_a_boiler_s_coal_resolves_its_enterprise_s_total_rule() {
    let s = Scratch::new();
    let ws = demo(&s);
    let report = correct(&ws, "G103_1", STORY_BOILER, "coal_t", "13278.4");
    assert_eq!(report.resolved, [("P01".to_string(), STORY.to_string())]);
    assert!(report.opened.is_empty(), "{:?}", report.opened);
    let left: Vec<_> = open_flag_rows(&ws, "G101_1", "record_id")
        .into_iter()
        .filter(|(k, ..)| k == STORY)
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn the_sample_command_writes_the_child_files_beside_the_records() {
    let s = Scratch::new();
    let out = s.path("g.csv");
    huishen()
        .args(["sample", "--records", "400", "--seed", "9", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("g103_1.csv").and(predicate::str::contains("g102.csv")));
    let boilers = std::fs::read_to_string(s.path("g103_1.csv")).unwrap();
    let outlets = std::fs::read_to_string(s.path("g102.csv")).unwrap();
    assert!(boilers.starts_with("锅炉编号,普查对象记录号,燃料类型,"));
    assert!(outlets.starts_with("排放口编号,普查对象记录号,"));
    assert!(boilers.lines().count() > 100 && outlets.lines().count() > 100);
    // They import under the records they were written with.
    let ws = s.sample_workspace();
    for (form, file) in [
        ("G101_1", "g.csv"),
        ("G103_1", "g103_1.csv"),
        ("G102", "g102.csv"),
    ] {
        huishen()
            .arg("import")
            .arg(&ws)
            .arg("--form")
            .arg(form)
            .arg(s.path(file))
            .assert()
            .success();
    }
    // The same seed writes the same child files.
    let again = s.path("again/g.csv");
    std::fs::create_dir_all(again.parent().unwrap()).unwrap();
    huishen()
        .args(["sample", "--records", "400", "--seed", "9", "--out"])
        .arg(&again)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(s.path("again/g103_1.csv")).unwrap(),
        boilers
    );
}
