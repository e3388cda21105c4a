//! The dashboard's and `status`'s figures agree with each other: an undone signature or
//! explanation is not counted as work done, in the signatures per hour nor in the day's
//! table.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::Path;

use common::{Scratch, act, demo, huishen};
use serde_json::Value;

/// A record whose only flag is the warning R21.
const KILN: &str = "G3714250000019";

fn figures(ws: &Path) -> Value {
    let out = huishen()
        .args(["status", ws.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// 王五's row of the day's table: signatures, explanations.
fn wangwu(f: &Value) -> (u64, u64) {
    let row = (f["reviewers"].as_array().unwrap().iter())
        .find(|r| r["name"] == "王五")
        .unwrap();
    (
        row["signed_today"].as_u64().unwrap(),
        row["explanations_today"].as_u64().unwrap(),
    )
}

fn signatures_per_hour(f: &Value) -> u64 {
    (f["signatures_per_hour"].as_array().unwrap().iter())
        .map(|n| n.as_u64().unwrap())
        .sum()
}

#[test]
fn undone_signatures_and_explanations_are_not_counted_as_work_done() {
    let s = Scratch::new();
    let ws = demo(&s);
    let before = figures(&ws);
    // An explanation taken back, given again; a signature given and taken back.
    act(&ws, "王五", KILN, |s, r, v| {
        s.explain(r, v, "R21", "水泥窑固硫")
    });
    act(&ws, "王五", KILN, |s, r, v| s.undo(r, v));
    act(&ws, "王五", KILN, |s, r, v| {
        s.explain(r, v, "R21", "水泥窑固硫，企业核实")
    });
    act(&ws, "王五", KILN, |s, r, v| s.sign(r, v));
    act(&ws, "王五", KILN, |s, r, v| s.undo(r, v));
    let after = figures(&ws);
    let (signed, explained) = wangwu(&before);
    assert_eq!(wangwu(&after), (signed, explained + 1));
    assert_eq!(signatures_per_hour(&after), signatures_per_hour(&before));
    // The two tables count the same signatures.
    let today: u64 = (after["reviewers"].as_array().unwrap().iter())
        .map(|r| r["signed_today"].as_u64().unwrap())
        .sum();
    assert_eq!(today, signatures_per_hour(&after));
    // A signature given again counts once more in both.
    act(&ws, "王五", KILN, |s, r, v| s.sign(r, v));
    let again = figures(&ws);
    assert_eq!(wangwu(&again).0, signed + 1);
    assert_eq!(
        signatures_per_hour(&again),
        signatures_per_hour(&before) + 1
    );
}
