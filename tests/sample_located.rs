//! Error localisation on the Shandong sample: the records seeded with SO2 generated entered
//! with a minus sign fail three linear rules at once (R10, R13, R20), and `huishen locate`
//! names the one field seeded wrong, so2_gen_t, as the change that satisfies them all; the
//! sulphur balance they also fail (R21, a product of fields) is left out as not linear. The
//! README's demo paragraph names one of them, and the review screen marks its field so.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::collections::BTreeSet;

use common::screen::{chars, key, screen};
use common::seeded::{seeded, seeded_with};
use common::{ADMIN, ADMIN_PASSPHRASE, DEMO, Scratch, demo, hs};
use huishen::tui::i18n::Lang;
use ratatui::crossterm::event::KeyCode;

/// The seeded defect, as the sample's README describes it.
const MINUS_SO2_GEN: &str = "SO2 generated entered with a minus sign";

/// The field the defect puts wrong.
const FIELD: &str = "so2_gen_t";

/// The rules the sample's README lists for a record.
fn seeded_rules(key: &str) -> BTreeSet<String> {
    seeded()
        .into_iter()
        .filter(|(_, keys)| keys.contains(key))
        .map(|(rule, _)| rule)
        .collect()
}

#[test]
fn a_record_failing_three_linear_rules_is_located_at_the_one_field_seeded_wrong() {
    let s = Scratch::new();
    demo(&s);
    let keys = seeded_with(MINUS_SO2_GEN);
    assert!(keys.len() >= 2, "seeded {} times: {keys:?}", keys.len());

    let out = hs(&s).args(["locate", DEMO, "--json"]).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let left_out: BTreeSet<String> = json["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap().to_string())
        .collect();
    let records = json["records"].as_array().unwrap();
    for key in &keys {
        let record = records
            .iter()
            .find(|r| r["key"] == *key)
            .unwrap_or_else(|| panic!("{key} is not among the located records"));
        // The linear rules it fails: those seeded for it that localisation does not leave out.
        let linear: Vec<String> = seeded_rules(key)
            .into_iter()
            .filter(|rule| !left_out.contains(rule))
            .collect();
        assert!(linear.len() >= 3, "{key} fails the linear rules {linear:?}");
        assert_eq!(record["outcome"], "located", "{key}: {record}");
        assert_eq!(record["fields"], serde_json::json!([FIELD]), "{key}");
        assert_eq!(record["failing"], serde_json::json!(linear), "{key}");
    }
    assert!(
        left_out.contains("R21"),
        "the sulphur balance is not linear"
    );

    let out = hs(&s).args(["locate", DEMO]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for key in &keys {
        let line = format!("{key}\tchange {FIELD}\t(weight 1)\tto satisfy R10, R13, R20\n");
        assert!(text.contains(&line), "{line:?} not in:\n{text}");
    }
}

#[test]
fn the_record_the_readme_names_shows_its_located_field_on_screen() {
    let readme = include_str!("../README.md");
    let keys = seeded_with(MINUS_SO2_GEN);
    let named = keys.iter().find(|key| readme.contains(**key));
    let named = named.unwrap_or_else(|| panic!("README.md names none of {keys:?}"));
    let line = "⌖ to satisfy R10, R13, R20 change: SO2 generated";
    assert!(readme.contains(line), "README.md does not quote {line:?}");

    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = common::screen::app_on(&ws, (ADMIN, ADMIN_PASSPHRASE), None, Lang::En, (120, 40));
    key(&mut app, KeyCode::Char('/'));
    chars(&mut app, named);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.selected().unwrap().key, *named);
    let shown = screen(&app);
    assert!(shown.contains(line), "{shown}");
}
