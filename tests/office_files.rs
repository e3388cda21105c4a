//! Files as offices have them: Chinese headers with units in brackets and worded their own way
//! (`二氧化硫排放量(吨)`, `行业类别代码`, `燃料煤含硫量(%)`) in GBK with CRLF line ends, as Excel
//! saves CSV on Chinese Windows, imported without a map; one-off headers named by a `--map`
//! file; the missing-value tokens of the schema and of `--null` read as no value and counted.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::fixtures::{TINY, copy_in, fixture, tiny};
use common::{Scratch, hs};

#[test]
fn office_headers_with_units_import_without_a_map_and_their_missing_values_are_counted() {
    let s = Scratch::new();
    copy_in(&s, "../../sample-data/shandong-2017/schema.toml");
    let file = copy_in(&s, "office/g101_1-office-headers.csv");
    // The fixture is what an office sends: GBK, CRLF, headers with units.
    let bytes = std::fs::read(fixture("office/g101_1-office-headers.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err() && bytes.windows(2).any(|w| w == b"\r\n"));
    hs(&s)
        .args(["init", "o.huishen", "--schema", "schema.toml"])
        .assert()
        .success();
    let out = hs(&s)
        .args(["import", "o.huishen", &file, "--form", "G101_1"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .collect::<Vec<_>>()[1..],
        ["read as no value: “NA” ×2, “—” ×1, “/” ×1, “无” ×1"],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = rusqlite::Connection::open(s.path("o.huishen")).unwrap();
    type Row = (Option<f64>, Option<f64>, Option<String>, String, i64);
    let row = |key: &str| -> Row {
        conn.query_row(
            "SELECT desulf_eff_pct, so2_emit_t, receiving_water, industry_code, _line
             FROM G101_1 WHERE record_id = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap()
    };
    // NA is no value; `行业类别代码` filled industry_code; lines are physical.
    let (desulf, _, _, industry, line) = row("G3705050000001");
    assert_eq!((desulf, industry.as_str(), line), (None, "3071", 2));
    let so2: i64 = conn
        .query_row("SELECT count(so2_emit_t) FROM G101_1", [], |r| r.get(0))
        .unwrap();
    assert!(so2 > 0, "二氧化硫排放量(吨) is so2_emit_t");
    let (_, _, water, _, line) = row("G3714250000004");
    assert_eq!((water, line), (None, 5), "无 is no value");
    let prev: Option<f64> = conn
        .query_row(
            "SELECT prev_so2_emit_t FROM G101_1 WHERE record_id = 'G3701150000003'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(prev, None, "/ under 2016年二氧化硫排放量(吨) is no value");
    let (sulphur, prev): (i64, i64) = conn
        .query_row(
            "SELECT count(coal_sulfur_pct), count(prev_so2_emit_t) FROM G101_1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (sulphur, prev),
        (2, 3),
        "燃料煤含硫量(%) and 2016年二氧化硫排放量(吨) were read"
    );
}

#[test]
fn a_map_file_names_the_headers_a_file_writes_its_own_way() {
    let s = Scratch::new();
    let ws = tiny(&s);
    copy_in(&s, "office/odd-headers.csv");
    copy_in(&s, "office/odd-headers.map.csv");
    // Without the map the headers name no field; the nearest is offered where there is one.
    hs(&s)
        .args(["import", TINY, "odd-headers.csv", "--form", "T"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "column 2 (B) \"ID号\" is not a field of T; the nearest is id (编号)",
        ));
    hs(&s)
        .args(["import", TINY, "odd-headers.csv", "--form", "T", "--map", "odd-headers.map.csv", "--null", "NA"])
        .assert()
        .success()
        .stdout("imported 2 records into T from odd-headers.csv (UTF-8, sha256 4b290401cc18)\nread as no value: “NA” ×1\n");
    let rows: Vec<(String, String, Option<i64>)> = rusqlite::Connection::open(&ws)
        .unwrap()
        .prepare("SELECT id, name, count FROM T WHERE id LIKE 'M%' ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            ("M1".into(), "济南一厂".into(), Some(3)),
            ("M2".into(), "青岛二厂".into(), None)
        ]
    );
}

#[test]
fn a_map_naming_no_field_is_refused_at_its_line() {
    let s = Scratch::new();
    tiny(&s);
    copy_in(&s, "office/odd-headers.csv");
    copy_in(&s, "office/map-names-no-field.csv");
    hs(&s)
        .args([
            "import",
            TINY,
            "odd-headers.csv",
            "--form",
            "T",
            "--map",
            "map-names-no-field.csv",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "error: map-names-no-field.csv:2 \"单位名称\" is not a field of T; name a field by its \
             name or a label; nothing was imported\n",
        );
}

#[test]
fn null_tokens_of_an_import_are_no_value_and_anything_else_is_still_refused() {
    let s = Scratch::new();
    let ws = tiny(&s);
    copy_in(&s, "office/missing-tokens.csv");
    // `-` is not a token the import was given: it is refused, and nothing is stored.
    hs(&s)
        .args([
            "import",
            TINY,
            "missing-tokens.csv",
            "--form",
            "T",
            "--null",
            "NA",
        ])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "missing-tokens.csv:2:4 amount (金额): value \"-\" is not a number",
        ));
    hs(&s)
        .args([
            "import",
            TINY,
            "missing-tokens.csv",
            "--form",
            "T",
            "--null",
            "NA,-",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "read as no value: “NA” ×2, “-” ×2",
        ));
    let nulls: i64 = rusqlite::Connection::open(&ws)
        .unwrap()
        .query_row(
            "SELECT (count(*) - count(count)) + (count(*) - count(amount)) FROM T WHERE id LIKE 'N%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(nulls, 4);
}
