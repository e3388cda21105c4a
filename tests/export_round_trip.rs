//! Exported data imports back to identical values: the reviewed demo workspace in UTF-8 and
//! GBK, with headers as labels, names or English labels; and awkward or random values (commas,
//! quotes, line breaks, Chinese, the extreme numbers, reals to the bit) through the library.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::{Path, PathBuf};

use common::demo::reviewed;
use common::{DEMO, SAMPLE_SCHEMA, Scratch, hs, huishen};
use huishen_core::review::Workspace;
use huishen_core::review::{ExportOptions, Format, Only, OutEncoding, Output, What};
use predicates::prelude::*;
use proptest::strategy::Strategy;
use rusqlite::types::Value as Sql;

/// Every record of a form with its values, by key, as SQLite holds them.
fn values(ws: &Path) -> Vec<Vec<Sql>> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut stmt = conn
        .prepare("SELECT * FROM G101_1 ORDER BY record_id")
        .unwrap();
    let n = stmt.column_count() - 2;
    stmt.query_map([], |row| (0..n).map(|i| row.get(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Imports `file` into a fresh workspace of the sample schema, then compares every value.
fn reimports_identically(s: &Scratch, ws: &Path, file: &str, encoding: &str) {
    let fresh = s.path(&format!("{file}.huishen"));
    huishen()
        .arg("init")
        .arg(&fresh)
        .arg("--schema")
        .arg(SAMPLE_SCHEMA)
        .assert()
        .success();
    hs(s)
        .arg("import")
        .arg(&fresh)
        .args(["--form", "G101_1", "--encoding", encoding, file])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "imported 2000 records into G101_1",
        ));
    let (before, after) = (values(ws), values(&fresh));
    assert_eq!(before.len(), after.len());
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a, b, "a record changed on the way out and in");
    }
    assert!(
        before.iter().any(|r| r.contains(&Sql::Real(0.0164))),
        "the corrected value went out"
    );
}

#[test]
fn data_reimports_identically_in_utf8_and_gbk() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    hs(&s)
        .args(["export", DEMO, "--what", "data", "--out", "utf8.csv"])
        .assert()
        .success()
        .stderr("exported 2000 records of G101_1 to utf8.csv (CSV, UTF-8)\n");
    reimports_identically(&s, &ws, "utf8.csv", "auto");
    hs(&s)
        .args(["export", DEMO, "--what", "data", "--encoding", "gbk"])
        .args(["--out", "gbk.csv"])
        .assert()
        .success()
        .stderr("exported 2000 records of G101_1 to gbk.csv (CSV, GBK)\n");
    let bytes = std::fs::read(s.path("gbk.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "GBK is not UTF-8");
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad);
    assert!(text.starts_with("普查对象记录号,统一社会信用代码,单位详细名称,"));
    reimports_identically(&s, &ws, "gbk.csv", "gbk");
    for headers in ["names", "en"] {
        let file = format!("{headers}.csv");
        hs(&s)
            .args(["export", DEMO, "--what", "data", "--headers", headers])
            .args(["--out", &file])
            .assert()
            .success();
        reimports_identically(&s, &ws, &file, "utf-8");
    }
}

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

[[form.field]]
name = "code"
label = { zh = "代码", en = "Code" }
type = "code"

[[form.field]]
name = "count"
label = { zh = "数量", en = "Count" }
type = "integer"

[[form.field]]
name = "amount"
label = { zh = "金额", en = "Amount" }
type = "real"

[[form.field]]
name = "flag"
label = { zh = "标志", en = "Flag" }
type = "bool"
"#;

/// Every stored value of form T, in import order, in full detail (reals to the bit).
fn tiny_values(ws: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, name, code, count, amount, flag FROM T ORDER BY _import, _line")
        .unwrap();
    stmt.query_map([], |row| {
        let cells: Vec<String> = (0..6)
            .map(|i| match row.get::<_, Sql>(i).unwrap() {
                Sql::Real(x) => format!("Real({:#x})", x.to_bits()),
                other => format!("{other:?}"),
            })
            .collect();
        Ok(cells.join("|"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// A workspace of the tiny schema holding `csv`, made through the library.
fn tiny_workspace(dir: &Path, name: &str, csv: &Path) -> PathBuf {
    let ws = dir.join(name);
    let root = huishen_core::review::NewReviewer {
        name: common::ADMIN,
        role: "组长",
        scope: "",
        admin: true,
        passphrase: common::ADMIN_PASSPHRASE,
    };
    let (mut workspace, by) = Workspace::create_from(&ws, "tiny.toml", TINY_SCHEMA, &root).unwrap();
    let options = huishen_core::review::ImportOptions::new("T", &by);
    workspace.import_csv(csv, &options, &mut |_| {}).unwrap();
    ws
}

/// Exports the data of `ws` through the library and imports it into a fresh workspace.
fn round_trip(dir: &Path, ws: &Path, encoding: OutEncoding, tag: &str) -> PathBuf {
    let file = dir.join(format!("{tag}.csv"));
    let mut reader = Workspace::open(ws).unwrap();
    let mut out = Output::create(Some(&file), false).unwrap();
    let options = ExportOptions {
        what: What::Data,
        form: None,
        format: Format::Csv,
        encoding,
        only: Only::All,
        headers: None,
        with_original: false,
        with_labels: false,
        with_scores: false,
        with_parent: Vec::new(),
    };
    reader.export(&options, &mut out).unwrap();
    out.finish().unwrap();
    tiny_workspace(dir, &format!("{tag}.huishen"), &file)
}

#[test]
fn awkward_values_survive_the_round_trip_exactly() {
    let s = Scratch::new();
    let csv = s.write(
        "awkward.csv",
        "编号,名称,代码,数量,金额,标志\n\
         A1,\"济南,一厂\",0610,9223372036854775807,0.30000000000000004,是\n\
         A2,\"say \"\"hi\"\"\nnext line\",007,-9223372036854775808,1e-7,0\n\
         A3, leading and trailing space ,,,-0.0,\n\
         A4,\"carriage\r\nreturn\",1,0,123456789.12345679,1\n\
         A5,x,2,1,1e300,\n\
         A6,y,3,2,5e-324,\n\
         A7,z,4,3,-2.2250738585072014e-308,1\n",
    );
    let ws = tiny_workspace(s.dir.path(), "in.huishen", &csv);
    let before = tiny_values(&ws);
    assert_eq!(before.len(), 7);
    for (encoding, tag) in [(OutEncoding::Utf8, "utf8"), (OutEncoding::Gbk, "gbk")] {
        let back = round_trip(s.dir.path(), &ws, encoding, tag);
        assert_eq!(tiny_values(&back), before, "{tag}");
    }
    let text = std::fs::read_to_string(s.path("utf8.csv")).unwrap();
    assert!(
        text.contains("A1,\"济南,一厂\",0610,9223372036854775807,0.30000000000000004,1\n"),
        "{text}"
    );
    assert!(
        text.contains("A2,\"say \"\"hi\"\"\nnext line\",007,"),
        "{text}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 24, ..Default::default() })]

    /// Any finite number, whole number, yes/no and text (commas, quotes, line breaks,
    /// Chinese, spaces) comes back exactly.
    #[test]
    fn any_values_survive_the_round_trip_exactly(
        rows in proptest::collection::vec(
            (
                proptest::option::of("[a-z济南, \"\n]{1,8}"),
                proptest::option::of(proptest::num::i64::ANY),
                proptest::option::of(
                    proptest::num::f64::ANY.prop_filter("finite", |x| x.is_finite()),
                ),
                proptest::option::of(proptest::bool::ANY),
            ),
            1..40,
        )
    ) {
        let s = Scratch::new();
        let mut text = String::from("id,name,count,amount,flag\n");
        let quoted = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
        for (i, (name, count, amount, flag)) in rows.iter().enumerate() {
            text.push_str(&format!(
                "K{i},{},{},{},{}\n",
                name.as_deref().map(quoted).unwrap_or_default(),
                count.map(|c| c.to_string()).unwrap_or_default(),
                amount.map(|x| format!("{x:e}")).unwrap_or_default(),
                flag.map(|b| u8::from(b).to_string()).unwrap_or_default(),
            ));
        }
        let csv = s.write("random.csv", text);
        let ws = tiny_workspace(s.dir.path(), "in.huishen", &csv);
        let before = tiny_values(&ws);
        proptest::prop_assert_eq!(before.len(), rows.len());
        for (encoding, tag) in [(OutEncoding::Utf8, "utf8"), (OutEncoding::Gbk, "gbk")] {
            let back = round_trip(s.dir.path(), &ws, encoding, tag);
            proptest::prop_assert_eq!(tiny_values(&back), before.clone());
        }
    }
}
