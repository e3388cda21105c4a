//! The Shandong sample end to end: `demo`, `init` + `import` of the committed files, and the
//! generator on the command line.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::{SAMPLE_CSV, SAMPLE_GBK, Scratch, huishen, stored_rows};
use predicates::prelude::*;

/// Parses a CSV cell the way the sample writes it and compares it with a stored value.
fn same_value(csv: &str, stored: Option<&str>) -> bool {
    match stored {
        None => csv.is_empty(),
        Some(s) if s == csv => true,
        Some(s) => match (csv.parse::<f64>(), s.parse::<f64>()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        },
    }
}

#[test]
fn init_and_import_store_exactly_the_records_of_the_csv() {
    let s = Scratch::new();
    let ws = s.sample_workspace();
    huishen()
        .arg("import")
        .arg(&ws)
        .arg("--form")
        .arg("G101_1")
        .arg(SAMPLE_CSV)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "imported 2000 records into G101_1",
        ));
    let stored = stored_rows(&ws, "G101_1");
    let mut reader = csv::Reader::from_path(SAMPLE_CSV).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(stored.len(), rows.len());
    for (line, (csv_row, db_row)) in rows.iter().zip(&stored).enumerate() {
        assert_eq!(csv_row.len(), db_row.len());
        for (col, (c, d)) in csv_row.iter().zip(db_row).enumerate() {
            assert!(
                same_value(c, d.as_deref()),
                "line {} column {}: csv {c:?}, stored {d:?}",
                line + 2,
                col + 1
            );
        }
    }
}

#[test]
fn the_gbk_slice_imports_as_the_same_records() {
    let s = Scratch::new();
    let ws = s.sample_workspace();
    huishen()
        .arg("import")
        .arg(&ws)
        .arg("--form")
        .arg("G101_1")
        .arg(SAMPLE_GBK)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("imported 200 records")
                .and(predicate::str::contains("gb18030")),
        );
    let gbk = stored_rows(&ws, "G101_1");
    let s2 = Scratch::new();
    let ws2 = s2.sample_workspace();
    huishen()
        .arg("import")
        .arg(&ws2)
        .arg("--form")
        .arg("G101_1")
        .arg(SAMPLE_CSV)
        .assert()
        .success();
    let utf8 = stored_rows(&ws2, "G101_1");
    assert_eq!(gbk[..], utf8[..200]);
}

#[test]
fn demo_builds_the_sample_workspace_and_says_what_it_holds() {
    let s = Scratch::new();
    let ws = s.path("demo.huishen");
    huishen()
        .arg("demo").arg("--workspace").arg(&ws)
        .assert()
        .success()
        .stdout(predicate::str::contains("form G101_1 (工业企业基本情况及污染物产排 / Industrial enterprise basics and emissions): 2000 records"))
        .stdout(predicate::str::contains("2021 Shandong divisions"))
        .stdout(predicate::str::contains("1971 GB/T 4754-2017 industries"));
    assert_eq!(stored_rows(&ws, "G101_1").len(), 2000);
    // A second demo into the same file refuses rather than overwriting.
    huishen()
        .arg("demo")
        .arg("--workspace")
        .arg(&ws)
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn the_generator_is_deterministic_by_seed() {
    let s = Scratch::new();
    let run = |seed: &str, name: &str| {
        let out = s.path(name);
        huishen()
            .args(["sample", "--records", "300", "--seed", seed, "--out"])
            .arg(&out)
            .assert()
            .success()
            .stderr(predicate::str::contains("generated 300 records"));
        std::fs::read(out).unwrap()
    };
    let a = run("7", "a.csv");
    assert_eq!(a, run("7", "b.csv"));
    assert_ne!(a, run("8", "c.csv"));
    // The generated file imports cleanly into the sample schema.
    let ws = s.sample_workspace();
    huishen()
        .arg("import")
        .arg(&ws)
        .arg("--form")
        .arg("G101_1")
        .arg(s.path("a.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("imported 300 records"));
}
