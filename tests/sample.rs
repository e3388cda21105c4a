//! The Shandong sample end to end: `demo`, `init` + `import` of the committed files, and the
//! generator on the command line.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::seeded::seeded_flags;
use common::{SAMPLE_CSV, SAMPLE_GBK, Scratch, fingerprint, hs, huishen, stored_rows};
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
    hs(&s)
        .args(["demo", "--workspace", "demo.huishen"])
        .assert()
        .success()
        .stdout(predicate::str::contains("form G101_1 (工业企业基本情况及污染物产排 / Industrial enterprise basics and emissions): 2000 records"))
        .stdout(predicate::str::contains("2021 Shandong divisions"))
        .stdout(predicate::str::contains("1971 GB/T 4754-2017 industries"))
        .stdout(predicate::str::contains(
            "The sample team (log in with `huishen review demo.huishen --reviewer NAME`):\n  \
             张三  县级审核  scope 3701  passphrase zhangsan-2017\n  \
             李四  市级审核  scope 37  passphrase lisi-2017\n  \
             王五  省级审核  scope all of Shandong  passphrase wangwu-2017  administrator (组长)\n",
        ))
        .stdout(predicate::str::contains(format!(
            "rule set 1: {} flags opened, 0 resolved\n\n(standard input or output is not a \
             terminal, so the review screen was not opened)\n",
            seeded_flags()
        )));
    assert_eq!(stored_rows(&ws, "G101_1").len(), 2000);
    // Each member logs in with the passphrase printed (here to apply a batch that changes
    // nothing).
    s.write(
        "same.csv",
        "key,field,value,reason\nG3701150000003,unit_name,济阳凯胜热电有限公司,企业核实\n",
    );
    for (name, passphrase) in [
        ("张三", "zhangsan-2017"),
        ("李四", "lisi-2017"),
        ("王五", "wangwu-2017"),
    ] {
        hs(&s)
            .args(["apply", "demo.huishen", "same.csv", "--reviewer", name])
            .write_stdin(format!("{passphrase}\n"))
            .assert()
            .success()
            .stdout(
                "same.csv:2\tG3701150000003\talready has this value; skipped\n\
                 0 corrections would be written; run again with --commit to write them\n",
            );
    }
    // A second demo into the same file refuses rather than overwriting.
    let before = fingerprint(&ws);
    hs(&s)
        .args(["demo", "--workspace", "demo.huishen"])
        .assert()
        .failure()
        .stdout("")
        .stderr(
            "error: demo.huishen already exists; a new workspace never overwrites a file. Choose \
             another path, or remove the file if you mean to start over\n",
        );
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn demo_uses_only_its_embedded_sample_and_writes_only_the_workspace() {
    let s = Scratch::new();
    // Files of the user's own where the demo goes, named as the sample's are.
    s.write("g101_1.csv", "record_id\nmine\n");
    s.write("rules.toml", "# mine\n");
    hs(&s)
        .args(["demo", "--workspace", "demo.huishen"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "imported 2000 records into G101_1 from sample-data/shandong-2017/g101_1.csv",
        ))
        .stdout(predicate::str::contains(
            "huishen demo workspace: demo.huishen\n",
        ));
    assert_eq!(stored_rows(&s.path("demo.huishen"), "G101_1").len(), 2000);
    assert_eq!(s.read("g101_1.csv"), "record_id\nmine\n");
    assert_eq!(s.read("rules.toml"), "# mine\n");
    let mut files = s.files();
    files.retain(|f| !f.starts_with("demo.huishen"));
    assert_eq!(
        files,
        ["g101_1.csv", "rules.toml"],
        "the demo wrote nothing beside the workspace"
    );
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
