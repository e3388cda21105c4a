//! `huishen init` and `huishen import` end to end: every bad input ends in a clear message and
//! leaves the workspace as it was.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::PathBuf;

use common::{Scratch, fingerprint, huishen, stored_rows};
use predicates::prelude::*;

const TINY_SCHEMA: &str = r#"
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
required = true

[[form.field]]
name = "count"
label = { zh = "数量", en = "Count" }
type = "integer"

[[form.field]]
name = "amount"
label = { zh = "金额", en = "Amount" }
type = "real"
unit = { zh = "万元", en = "10k yuan" }

[[form.field]]
name = "flag"
label = { zh = "标志", en = "Flag" }
type = "bool"
"#;

const GOOD: &str = "编号,名称,数量,金额,标志\nA1,济南一厂,3,1.5,是\nA2,青岛二厂,,2,0\n";

/// A workspace for the tiny schema holding GOOD, and its fingerprint.
fn tiny() -> (Scratch, PathBuf, String) {
    let s = Scratch::new();
    let schema = s.write("tiny.toml", TINY_SCHEMA);
    let ws = s.path("t.huishen");
    huishen()
        .args(["init"])
        .arg(&ws)
        .arg("--schema")
        .arg(&schema)
        .assert()
        .success();
    let good = s.write("good.csv", GOOD);
    import(&ws, &good).assert().success();
    let before = fingerprint(&ws);
    (s, ws, before)
}

fn import(ws: &std::path::Path, file: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = huishen();
    cmd.arg("import").arg(ws).arg("--form").arg("T").arg(file);
    cmd
}

/// Imports `bytes` with `extra` arguments, expects failure with every one of `needles` on
/// standard error, and checks that the workspace did not change.
fn refused(name: &str, bytes: &[u8], extra: &[&str], needles: &[&str]) {
    let (s, ws, before) = tiny();
    let file = s.write(name, bytes);
    let out = import(&ws, &file).args(extra).assert().failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    for needle in needles {
        assert!(stderr.contains(needle), "expected {needle:?} in:\n{stderr}");
    }
    assert!(
        !stderr.contains("SQLITE") && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert_eq!(fingerprint(&ws), before, "the workspace changed");
}

#[test]
fn good_rows_are_stored_typed_with_nulls_for_empty_cells() {
    let (_s, ws, _) = tiny();
    let rows = stored_rows(&ws, "T");
    assert_eq!(
        rows,
        vec![
            vec![
                Some("A1".into()),
                Some("济南一厂".into()),
                Some("3".into()),
                Some("1.5".into()),
                Some("1".into())
            ],
            vec![
                Some("A2".into()),
                Some("青岛二厂".into()),
                None,
                Some("2".into()),
                Some("0".into())
            ],
        ]
    );
}

#[test]
fn headers_may_be_names_or_english_labels_in_any_order() {
    let (s, ws, _) = tiny();
    let file = s.write("en.csv", "Amount,name,ID\n7.25,烟台三厂,B1\n");
    import(&ws, &file)
        .assert()
        .success()
        .stdout(predicate::str::contains("imported 1 records into T"));
    let rows = stored_rows(&ws, "T");
    assert_eq!(
        rows[2],
        vec![
            Some("B1".into()),
            Some("烟台三厂".into()),
            None,
            Some("7.25".into()),
            None
        ]
    );
}

#[test]
fn gbk_files_are_detected_and_decoded() {
    let (s, ws, _) = tiny();
    let (gbk, _, _) = encoding_rs::GBK.encode("编号,名称\nC1,淄博市张店区某化工有限公司\n");
    let file = s.write("gbk.csv", &gbk);
    import(&ws, &file)
        .assert()
        .success()
        .stdout(predicate::str::contains("gb18030"));
    let rows = stored_rows(&ws, "T");
    assert_eq!(rows[2][1].as_deref(), Some("淄博市张店区某化工有限公司"));
}

#[test]
fn utf8_with_bom_is_read() {
    let (s, ws, _) = tiny();
    let file = s.write("bom.csv", "\u{feff}编号,名称\nD1,德州四厂\n");
    import(&ws, &file).assert().success();
    assert_eq!(stored_rows(&ws, "T")[2][0].as_deref(), Some("D1"));
}

#[test]
fn wrong_encoding_is_refused_with_line_and_column() {
    let (gbk, _, _) = encoding_rs::GBK.encode("编号,名称\nC1,淄博\n");
    refused(
        "gbk.csv",
        &gbk,
        &["--encoding", "utf-8"],
        &[
            "gbk.csv line 1, column 1: bytes",
            "are not valid UTF-8",
            "--encoding",
            "nothing was imported",
        ],
    );
}

#[test]
fn mixed_encodings_are_refused() {
    let (gbk, _, _) = encoding_rs::GBK.encode("C2,淄博\n");
    let bytes = ["编号,名称\nC1,济南\n".as_bytes(), &gbk].concat();
    refused(
        "mixed.csv",
        &bytes,
        &[],
        &["mixes encodings", "line 1 is UTF-8 but line 3 is not"],
    );
}

#[test]
fn a_ragged_row_is_refused() {
    refused(
        "ragged.csv",
        "编号,名称,数量\nE1,甲,1\nE2,乙\n".as_bytes(),
        &[],
        &[
            "ragged.csv:3: row has 2 fields; the header has 3",
            "1 of 2 rows are bad",
        ],
    );
}

#[test]
fn an_unterminated_quote_is_refused() {
    refused(
        "quote.csv",
        "编号,名称\nF1,\"甲\nF2,乙\nF3,丙\n".as_bytes(),
        &[],
        &[
            "quote.csv",
            "line 2: a quoted field opens here and never closes",
        ],
    );
}

#[test]
fn unknown_headers_and_missing_required_columns_are_listed() {
    refused(
        "header.csv",
        "编号,备注,数 量\nG1,x,1\n".as_bytes(),
        &[],
        &[
            "header.csv:1: the header does not fit form T",
            "column 2 (B) \"备注\" is not a field of T",
            "column 3 (C) \"数 量\" is not a field of T",
            "required column name (名称 / Name) is missing",
            "The fields of T are: id (编号), name (名称)",
        ],
    );
}

#[test]
fn bad_numbers_are_listed_with_place_field_value_and_reason() {
    refused(
        "numbers.csv",
        "编号,名称,数量,金额,标志\nH1,甲,1.5,2,1\nH2,乙,2,1,234,1\nH3,丙,3,abc,2\n".as_bytes(),
        &[],
        &[
            "3 of 3 rows are bad; nothing was imported",
            "numbers.csv:2:3 count (数量): value \"1.5\" is not a whole number",
            "numbers.csv:3: row has 6 fields; the header has 5",
            "numbers.csv:4:4 amount (金额): value \"abc\" is not a number",
            "numbers.csv:4:5 flag (标志): value \"2\" is not yes or no",
            "--skip-bad-rows",
        ],
    );
}

#[test]
fn only_the_first_twenty_bad_rows_are_listed_with_the_total() {
    let mut csv = String::from("编号,名称,数量\n");
    for i in 0..45 {
        csv.push_str(&format!("K{i},名{i},x{i}\n"));
    }
    let (s, ws, before) = tiny();
    let file = s.write("many.csv", &csv);
    let out = import(&ws, &file).assert().failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("45 of 45 rows are bad; nothing was imported. The first 20:"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("is not a number").count(), 20, "{stderr}");
    assert!(
        stderr.contains("many.csv:21:3") && !stderr.contains("many.csv:22:3"),
        "{stderr}"
    );
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn duplicate_keys_name_both_places() {
    refused(
        "dup.csv",
        "编号,名称\nJ1,甲\nJ1,乙\n".as_bytes(),
        &[],
        &[
            "dup.csv:3:1 id (编号): value \"J1\" is a duplicate: the same key stands at line 2 of this file",
        ],
    );
    refused(
        "again.csv",
        "编号,名称\nA2,乙\n".as_bytes(),
        &[],
        &[
            "again.csv:2:1 id (编号): value \"A2\" is already in the workspace (imported from",
            "good.csv, line 3)",
        ],
    );
}

#[test]
fn empty_files_and_header_only_files_are_refused() {
    refused(
        "empty.csv",
        b"",
        &[],
        &["empty.csv is empty; a CSV file needs a header line"],
    );
    refused(
        "header.csv",
        "编号,名称\n".as_bytes(),
        &[],
        &["header.csv has a header but no records"],
    );
}

#[test]
fn a_missing_file_is_named() {
    let (s, ws, before) = tiny();
    import(&ws, &s.path("nowhere.csv"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "nowhere.csv does not exist; check the path",
        ));
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn skip_bad_rows_imports_the_good_and_sets_the_bad_aside() {
    let (s, ws, _) = tiny();
    let file = s.write(
        "part.csv",
        "编号,名称,数量\nL1,甲,1\nL2,乙,二\nL3,丙,3\nA1,重复,4\n",
    );
    import(&ws, &file)
        .arg("--skip-bad-rows")
        .assert()
        .success()
        .stdout(predicate::str::contains("imported 2 records"))
        .stdout(predicate::str::contains("set aside 2 bad rows"));
    let rejects = std::fs::read_to_string(s.path("part.rejects.csv")).expect("rejects file");
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(lines[0], "\u{feff}编号,名称,数量,_line,_reason");
    assert_eq!(lines[1], "L2,乙,二,3,count (数量): is not a number");
    assert!(
        lines[2].starts_with("A1,重复,4,5,\"id (编号): is already in the workspace"),
        "{}",
        lines[2]
    );
    let keys: Vec<_> = stored_rows(&ws, "T")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(
        keys,
        [Some("A1"), Some("A2"), Some("L1"), Some("L3")].map(|k| k.map(String::from))
    );
}

#[test]
fn every_import_is_logged_with_its_hash() {
    let (s, ws, _) = tiny();
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let (name, sha, rows, by): (String, String, i64, String) = conn
        .query_row(
            "SELECT file_name, file_sha256, rows, imported_by FROM imports",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert!(name.ends_with("good.csv"));
    let expected = sha2::Sha256::digest(GOOD.as_bytes());
    let expected: String = expected.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!((sha, rows, by.as_str()), (expected, 2, "tester"));
    drop(s);
}

use sha2::Digest;

#[test]
fn a_locked_workspace_is_refused_and_unchanged() {
    let (s, ws, before) = tiny();
    let file = s.write("more.csv", "编号,名称\nM1,甲\n");
    let holder = rusqlite::Connection::open(&ws).unwrap();
    holder
        .execute_batch("BEGIN IMMEDIATE; UPDATE T SET name = name;")
        .unwrap();
    import(&ws, &file).assert().failure().stderr(
        predicate::str::contains("is locked by another process")
            .and(predicate::str::contains("Try again")),
    );
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn files_that_are_not_workspaces_are_refused_untouched() {
    let s = Scratch::new();
    let file = s.write("data.csv", "编号,名称\nN1,甲\n");
    let text = s.write(
        "notes.txt",
        "这不是数据库 — this is not a database, just text that is long enough. ".repeat(20),
    );
    huishen()
        .arg("import")
        .arg(&text)
        .arg("--form")
        .arg("T")
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "is not a huishen workspace (not an SQLite database)",
        ));
    assert_eq!(
        std::fs::read(&text).unwrap(),
        "这不是数据库 — this is not a database, just text that is long enough. "
            .repeat(20)
            .into_bytes()
    );

    let other = s.path("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read(&other).unwrap();
    huishen()
        .arg("import")
        .arg(&other)
        .arg("--form")
        .arg("T")
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "is not a huishen workspace (an SQLite database, but not one made by huishen)",
        ));
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn a_workspace_from_a_newer_huishen_is_refused() {
    let (s, ws, _) = tiny();
    rusqlite::Connection::open(&ws)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let before = fingerprint(&ws);
    let file = s.write("x.csv", "编号,名称\nP1,甲\n");
    import(&ws, &file)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "was written by a newer huishen (workspace format 99",
        ));
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn an_unknown_form_lists_the_known_ones() {
    let (s, ws, before) = tiny();
    let file = s.write("x.csv", "编号,名称\nQ1,甲\n");
    huishen()
        .arg("import")
        .arg(&ws)
        .arg("--form")
        .arg("G102")
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "the workspace has no form `G102`; its forms are: T",
        ));
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn init_refuses_an_existing_file() {
    let (s, ws, before) = tiny();
    let schema = s.path("tiny.toml");
    huishen()
        .arg("init")
        .arg(&ws)
        .arg("--schema")
        .arg(&schema)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "already exists; `init` creates a new workspace and never overwrites",
        ));
    assert_eq!(fingerprint(&ws), before);
}

fn init_refused(schema: &str, needles: &[&str]) {
    let s = Scratch::new();
    let file = s.write("bad.toml", schema);
    let ws = s.path("w.huishen");
    let out = huishen()
        .arg("init")
        .arg(&ws)
        .arg("--schema")
        .arg(&file)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    for needle in needles {
        assert!(stderr.contains(needle), "expected {needle:?} in:\n{stderr}");
    }
    assert!(!ws.exists(), "a workspace was created");
    let leftovers: Vec<_> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn schema_syntax_errors_name_file_line_and_column() {
    let broken = TINY_SCHEMA.replace("key = \"id\"", "key = \"id");
    init_refused(&broken, &["bad.toml:5:10: invalid basic string"]);
}

#[test]
fn schema_problems_are_all_listed() {
    let bad = TINY_SCHEMA
        .replace("name = \"count\"", "name = \"ID\"")
        .replace("name = \"amount\"", "name = \"amount-10k\"")
        .replace("type = \"bool\"", "type = \"boolean\"");
    init_refused(
        &bad,
        &[
            "bad.toml:33:8: unknown variant `boolean`, expected one of `text`, `integer`, `real`, `code`, `bool`",
        ],
    );
    let bad = TINY_SCHEMA
        .replace("name = \"count\"", "name = \"ID\"")
        .replace("name = \"amount\"", "name = \"amount-10k\"");
    init_refused(
        &bad,
        &[
            "bad.toml:20:8: field `ID` is defined twice in form `T`",
            "bad.toml:25:8: field name `amount-10k` contains `-`",
        ],
    );
}
