//! `huishen init` and `huishen import` end to end on the tiny form (id, name required; count,
//! amount, flag): good rows are stored typed, headers may be names or labels in any order,
//! GBK and UTF-8 with BOM are read, bad rows can be set aside, every import is logged; and a
//! file that is missing, locked, not a workspace or from a newer huishen is refused with a
//! clear message that changes nothing. (Bad CSV files are in invalid_csv.rs, bad schemas in
//! invalid_schemas.rs.)

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::fixtures::{TINY, copy_in, fixture, tiny};
use common::{Scratch, fingerprint, hs, stored_rows};
use sha2::Digest;

/// `huishen import t.huishen --form T FILE` in the scratch folder.
fn import(s: &Scratch, file: &str) -> assert_cmd::Command {
    let mut cmd = hs(s);
    cmd.args(["import", TINY, "--form", "T", file]);
    cmd
}

#[test]
fn good_rows_are_stored_typed_with_nulls_for_empty_cells() {
    let s = Scratch::new();
    let ws = tiny(&s);
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
    let s = Scratch::new();
    let ws = tiny(&s);
    s.write("en.csv", "Amount,name,ID\n7.25,烟台三厂,B1\n");
    import(&s, "en.csv")
        .assert()
        .success()
        .stdout(predicates::str::contains("imported 1 records into T"));
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
    let s = Scratch::new();
    let ws = tiny(&s);
    let (gbk, _, _) = encoding_rs::GBK.encode("编号,名称\nC1,淄博市张店区某化工有限公司\n");
    s.write("gbk.csv", &gbk);
    import(&s, "gbk.csv")
        .assert()
        .success()
        .stdout(predicates::str::contains("gb18030"));
    let rows = stored_rows(&ws, "T");
    assert_eq!(rows[2][1].as_deref(), Some("淄博市张店区某化工有限公司"));
}

#[test]
fn utf8_with_bom_is_read() {
    let s = Scratch::new();
    let ws = tiny(&s);
    s.write("bom.csv", "\u{feff}编号,名称\nD1,德州四厂\n");
    import(&s, "bom.csv").assert().success();
    assert_eq!(stored_rows(&ws, "T")[2][0].as_deref(), Some("D1"));
}

#[test]
fn skip_bad_rows_imports_the_good_and_sets_the_bad_aside() {
    let s = Scratch::new();
    let ws = tiny(&s);
    // L2's count is not a number; A1 is in the workspace already.
    copy_in(&s, "tiny/some-bad-rows.csv");
    import(&s, "some-bad-rows.csv")
        .arg("--skip-bad-rows")
        .assert()
        .success()
        .stdout(predicates::str::contains("imported 2 records"))
        .stdout(predicates::str::contains("set aside 2 bad rows"));
    let rejects = std::fs::read_to_string(s.path("some-bad-rows.rejects.csv")).expect("rejects");
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(lines[0], "\u{feff}编号,名称,数量,_line,_reason");
    assert_eq!(lines[1], "L2,乙,二,3,count (数量): is not a number");
    assert!(
        lines[2].starts_with("A1,重复,4,5,\"id (编号): is already in the workspace"),
        "{}",
        lines[2]
    );
    assert_eq!(lines.len(), 3, "{rejects}");
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
fn skip_bad_rows_sets_aside_rows_of_the_wrong_length_at_their_physical_lines() {
    let s = Scratch::new();
    let ws = tiny(&s);
    // CRLF line ends; G2 has a field too few, G3 one too many.
    copy_in(&s, "tiny/ragged-crlf.csv");
    import(&s, "ragged-crlf.csv")
        .arg("--skip-bad-rows")
        .assert()
        .success()
        .stdout(predicates::str::contains("imported 2 records"))
        .stdout(predicates::str::contains("set aside 2 bad rows"));
    let rejects = std::fs::read_to_string(s.path("ragged-crlf.rejects.csv")).expect("rejects");
    let lines: Vec<&str> = rejects.lines().collect();
    // `_line` and `_reason` under their headers; the surplus cell after them.
    assert_eq!(
        lines,
        [
            "\u{feff}编号,名称,数量,_line,_reason",
            "G2,乙,,3,has 2 fields; the header has 3",
            "G3,丙,3,4,has 4 fields; the header has 3,多",
        ]
    );
    let keys: Vec<_> = (stored_rows(&ws, "T").into_iter())
        .filter_map(|r| r[0].clone())
        .collect();
    assert_eq!(keys, ["A1", "A2", "G1", "G4"]);
    let lines: Vec<i64> = rusqlite::Connection::open(&ws)
        .unwrap()
        .prepare("SELECT _line FROM T WHERE id IN ('G1', 'G4') ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        lines,
        [2, 5],
        "each record keeps the physical line it stood on"
    );
}

#[test]
fn every_import_is_logged_with_its_hash() {
    let s = Scratch::new();
    let ws = tiny(&s);
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let (name, sha, rows, by): (String, String, i64, String) = conn
        .query_row(
            "SELECT file_name, file_sha256, rows, imported_by FROM imports",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert!(name.ends_with("good.csv"), "{name}");
    let good = std::fs::read(fixture("tiny/good.csv")).unwrap();
    let expected: String = sha2::Sha256::digest(&good)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    // Imported by the administrator, whose signed event it is.
    assert_eq!((sha, rows, by.as_str()), (expected, 2, common::ADMIN));
}

#[test]
fn a_missing_file_is_named() {
    let s = Scratch::new();
    let ws = tiny(&s);
    let before = fingerprint(&ws);
    import(&s, "nowhere.csv")
        .assert()
        .failure()
        .stdout("")
        .stderr("error: nowhere.csv does not exist; check the path; nothing was imported\n");
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn a_locked_workspace_is_refused_and_unchanged() {
    let s = Scratch::new();
    let ws = tiny(&s);
    let before = fingerprint(&ws);
    s.write("more.csv", "编号,名称\nM1,甲\n");
    let holder = rusqlite::Connection::open(&ws).unwrap();
    holder
        .execute_batch("BEGIN IMMEDIATE; UPDATE T SET name = name;")
        .unwrap();
    import(&s, "more.csv").assert().failure().stdout("").stderr(
        "error: t.huishen is locked by another process that is writing to it (waited 300 ms); \
         nothing was changed. Try again when that work finishes\n",
    );
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn files_that_are_not_workspaces_are_refused_untouched() {
    let s = Scratch::new();
    s.write("data.csv", "编号,名称\nN1,甲\n");
    let text = "这不是数据库 — this is not a database, just text that is long enough. ".repeat(20);
    s.write("notes.txt", &text);
    hs(&s)
        .args(["import", "notes.txt", "--form", "T", "data.csv"])
        .assert()
        .failure()
        .stderr(
            "error: notes.txt is not a huishen workspace (not an SQLite database); nothing was \
             changed. Check the path, or create a workspace with `huishen init`\n",
        );
    assert_eq!(std::fs::read_to_string(s.path("notes.txt")).unwrap(), text);

    let other = s.path("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read(&other).unwrap();
    hs(&s)
        .args(["import", "other.db", "--form", "T", "data.csv"])
        .assert()
        .failure()
        .stderr(
            "error: other.db is not a huishen workspace (an SQLite database, but not one made by \
             huishen); nothing was changed. Check the path, or create a workspace with `huishen init`\n",
        );
    assert_eq!(std::fs::read(&other).unwrap(), before);
    assert_eq!(s.files(), ["data.csv", "notes.txt", "other.db"]);
}

#[test]
fn a_workspace_from_a_newer_huishen_is_refused() {
    let s = Scratch::new();
    let ws = tiny(&s);
    rusqlite::Connection::open(&ws)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let before = fingerprint(&ws);
    s.write("x.csv", "编号,名称\nP1,甲\n");
    import(&s, "x.csv")
        .assert()
        .failure()
        .stderr(predicates::str::starts_with(
            "error: t.huishen was written by a newer huishen (workspace format 99; this huishen \
             reads up to ",
        ))
        .stderr(predicates::str::ends_with(
            "); nothing was changed. Use a newer huishen\n",
        ));
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn an_unknown_form_lists_the_known_ones() {
    let s = Scratch::new();
    let ws = tiny(&s);
    let before = fingerprint(&ws);
    s.write("x.csv", "编号,名称\nQ1,甲\n");
    hs(&s)
        .args(["import", TINY, "--form", "G102", "x.csv"])
        .assert()
        .failure()
        .stderr("error: the workspace has no form `G102`; its forms are: T\n");
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn init_refuses_an_existing_file() {
    let s = Scratch::new();
    let ws = tiny(&s);
    let before = fingerprint(&ws);
    hs(&s)
        .args(["init", TINY, "--schema", "tiny.toml"])
        .assert()
        .failure()
        .stderr(
            "error: t.huishen already exists; a new workspace never overwrites a file. Choose \
             another path, or remove the file if you mean to start over\n",
        );
    assert_eq!(fingerprint(&ws), before);
}
