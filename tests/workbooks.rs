//! Excel in and out: every export kind written as a workbook holds, cell for cell, what its
//! CSV export holds, with codes and keys as text (an all-digit credit code, an industry code
//! with a leading zero) and numbers as numbers; the data sheet imports back into a fresh
//! workspace as the same records; workbooks written by other programs (openpyxl for .xlsx,
//! xlwt for .xls, odfpy for .ods: see `tests/fixtures/xlsx/make.py`) import with their typed
//! cells read as a CSV file would hold them, from the sheet asked for, whatever the file is
//! called.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use calamine::{Data, Reader};
use common::demo::reviewed;
use common::fixtures::{TINY, copy_in, tiny};
use common::{DEMO, Scratch, hs};

/// A workbook's sheets: name and rows of cells.
fn sheets(path: &std::path::Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            (name, rows)
        })
        .collect()
}

/// A CSV export's rows (its BOM dropped).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// A cell as the CSV export writes it.
fn as_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(x) => format!("{x}"),
        Data::Int(i) => i.to_string(),
        other => panic!("an exported cell is text or a number, not {other:?}"),
    }
}

#[test]
fn every_export_kind_as_a_workbook_holds_what_its_csv_holds_with_codes_as_text() {
    let s = Scratch::new();
    reviewed(&s);
    hs(&s)
        .args([
            "export", DEMO, "--what", "all", "--format", "xlsx", "--out", "all.xlsx",
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains("to all.xlsx (Excel)"));
    let book = sheets(&s.path("all.xlsx"));
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "G101_1",
            "G101_1 修改记录",
            "G101_1 标记",
            "G101_1 签字",
            "G101_1 备注"
        ]
    );
    for ((_, rows), what) in book
        .iter()
        .zip(["data", "changes", "flags", "signatures", "notes"])
    {
        let out = hs(&s)
            .args(["export", DEMO, "--what", what])
            .output()
            .unwrap();
        let csv = csv_rows(&String::from_utf8(out.stdout).unwrap());
        assert!(csv.len() > 1, "{what}: the demo has rows of every kind");
        let sheet: Vec<Vec<String>> = (rows.iter())
            .map(|r| {
                let mut cells: Vec<String> = r.iter().map(as_text).collect();
                cells.resize(csv[0].len(), String::new());
                cells
            })
            .collect();
        assert_eq!(sheet, csv, "{what}: the sheet and the CSV export differ");
    }
    // Codes stay text: 18-digit credit codes that are all digits, industry codes with a
    // leading zero, division codes.
    let data = &book[0].1;
    let column = |label: &str| data[0].iter().position(|h| as_text(h) == label).unwrap();
    let (credit, industry, region) = (
        column("统一社会信用代码"),
        column("行业代码"),
        column("区划代码"),
    );
    let mut all_digits = 0;
    let mut leading_zero = 0;
    for row in &data[1..] {
        for col in [credit, industry, region] {
            assert!(
                matches!(row[col], Data::String(_) | Data::Empty),
                "{:?} of {:?} is not text",
                row[col],
                row[0]
            );
        }
        let code = as_text(&row[credit]);
        all_digits += usize::from(code.len() == 18 && code.bytes().all(|b| b.is_ascii_digit()));
        leading_zero += usize::from(as_text(&row[industry]).starts_with('0'));
    }
    assert!(all_digits > 100, "only {all_digits} all-digit credit codes");
    assert!(
        leading_zero > 10,
        "only {leading_zero} industry codes with a leading zero"
    );
    // Numbers are numbers.
    let longitude = column("中心经度");
    assert!((data[1..].iter()).all(|r| matches!(r[longitude], Data::Float(_) | Data::Empty)));
}

#[test]
fn a_data_workbook_imports_back_as_the_same_records() {
    let s = Scratch::new();
    reviewed(&s);
    hs(&s)
        .args([
            "export",
            DEMO,
            "--what",
            "data",
            "--format",
            "xlsx",
            "--out",
            "data.xlsx",
        ])
        .assert()
        .success();
    copy_in(&s, "../../sample-data/shandong-2017/schema.toml");
    hs(&s)
        .args(["init", "back.huishen", "--schema", "schema.toml"])
        .assert()
        .success();
    hs(&s)
        .args(["import", "back.huishen", "data.xlsx", "--form", "G101_1"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "imported 2000 records into G101_1 from data.xlsx (Excel, G101_1, sha256",
        ));
    let export = |ws: &str| {
        let out = hs(&s)
            .args(["export", ws, "--what", "data"])
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    assert!(
        export("back.huishen") == export(DEMO),
        "the re-imported records differ from those exported"
    );
}

/// The tiny form's records as stored, as text (NULL as "∅").
fn stored(ws: &std::path::Path) -> Vec<String> {
    rusqlite::Connection::open(ws)
        .unwrap()
        .prepare(
            "SELECT id || '|' || name || '|' || ifnull(count, '∅') || '|' || ifnull(amount, '∅')
                    || '|' || ifnull(flag, '∅') FROM T ORDER BY _import, _line",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_workbook_from_another_program_imports_its_typed_cells_as_text_would_say_them() {
    let s = Scratch::new();
    let ws = tiny(&s);
    copy_in(&s, "xlsx/t.xlsx");
    hs(&s)
        .args(["import", TINY, "t.xlsx", "--form", "T"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "imported 3 records into T from t.xlsx (Excel, T,",
        ));
    // A number in the text column id is its digits, 7.0 in a whole-number column is 7, TRUE is 1.
    assert_eq!(
        stored(&ws)[2..],
        [
            "X1|济南一厂|3|1.5|1",
            "X2|青岛二厂|∅|2.0|0",
            "1003|淄博三厂|7|0.1|1"
        ]
    );
}

#[test]
fn the_older_excel_format_and_opendocument_import_alike() {
    for (file, read_as) in [("t.xls", "(Excel, T,"), ("t.ods", "(OpenDocument, T,")] {
        let s = Scratch::new();
        let ws = tiny(&s);
        copy_in(&s, &format!("xlsx/{file}"));
        hs(&s)
            .args(["import", TINY, file, "--form", "T"])
            .assert()
            .success()
            .stdout(predicates::str::contains(read_as));
        assert_eq!(
            stored(&ws)[2..],
            ["X1|济南一厂|3|1.5|1", "X2|青岛二厂|∅|2.0|0"],
            "{file}"
        );
    }
}

#[test]
fn the_sheet_is_chosen_by_name_or_number_and_cells_keep_their_letters() {
    let s = Scratch::new();
    let ws = tiny(&s);
    copy_in(&s, "xlsx/two-sheets.xlsx");
    // The first sheet is a cover page: its header names no field.
    hs(&s)
        .args(["import", TINY, "two-sheets.xlsx", "--form", "T"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "column 1 (A) \"说明\" is not a field of T",
        ));
    hs(&s)
        .args([
            "import",
            TINY,
            "two-sheets.xlsx",
            "--form",
            "T",
            "--sheet",
            "数据",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("(Excel, 数据,"));
    assert_eq!(
        stored(&ws).last().map(String::as_str),
        Some("Y1|烟台一厂|1|2.5|1")
    );
    // A table that starts at C3: its rows are 3 and 4, its columns C to G.
    copy_in(&s, "xlsx/offset.xlsx");
    hs(&s)
        .args(["import", TINY, "offset.xlsx", "--form", "T", "--sheet", "1"])
        .assert()
        .success();
    let line: i64 = rusqlite::Connection::open(&ws)
        .unwrap()
        .query_row("SELECT _line FROM T WHERE id = 'Z1'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(line, 4, "a record's line is its row in the sheet");
}

#[test]
fn a_title_above_the_header_is_named_and_header_row_skips_it() {
    let s = Scratch::new();
    let ws = tiny(&s);
    copy_in(&s, "xlsx/titled.xlsx");
    copy_in(&s, "office/titled.csv");
    let en = "Row 1 holds one cell only (\"测试表（2017年）\"), as a title does: if the header \
              stands below it, import again with --header-row and the header's row\n";
    let zh = "第 1 行只有一个单元格（“测试表（2017年）”），像是标题：若表头在它下面，请加 \
              --header-row 表头所在行号 重新导入\n";
    for file in ["titled.xlsx", "titled.csv"] {
        let refused = hs(&s)
            .args(["import", TINY, file, "--form", "T"])
            .output()
            .unwrap();
        let stderr = String::from_utf8(refused.stderr).unwrap();
        assert!(stderr.ends_with(en), "{file}: {stderr}");
        let refused = (hs(&s).env("HUISHEN_LANG", "zh-CN"))
            .args(["import", TINY, file, "--form", "T"])
            .output()
            .unwrap();
        let stderr = String::from_utf8(refused.stderr).unwrap();
        assert!(stderr.ends_with(zh), "{file}: {stderr}");
    }
    hs(&s)
        .args([
            "import",
            TINY,
            "titled.xlsx",
            "--form",
            "T",
            "--header-row",
            "3",
        ])
        .assert()
        .success();
    hs(&s)
        .args([
            "import",
            TINY,
            "titled.csv",
            "--form",
            "T",
            "--header-row",
            "2",
        ])
        .assert()
        .success();
    let lines: Vec<(String, i64)> = rusqlite::Connection::open(&ws)
        .unwrap()
        .prepare("SELECT id, _line FROM T WHERE id LIKE 'H%' ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        lines,
        [("H1".into(), 4), ("H2".into(), 5), ("H3".into(), 3)],
        "each record keeps its row in the sheet and its line in the file"
    );
}

#[test]
fn a_workbook_named_like_a_csv_file_is_read_as_the_workbook_it_is() {
    let s = Scratch::new();
    let ws = tiny(&s);
    copy_in(&s, "xlsx/t.xlsx");
    std::fs::rename(s.path("t.xlsx"), s.path("t.csv")).unwrap();
    hs(&s)
        .args(["import", TINY, "t.csv", "--form", "T"])
        .assert()
        .success()
        .stdout(predicates::str::contains("from t.csv (Excel, T,"));
    assert_eq!(stored(&ws).len(), 5);
}

#[test]
fn an_export_to_a_dash_goes_to_standard_output() {
    let s = Scratch::new();
    reviewed(&s);
    let out = hs(&s)
        .args(["export", DEMO, "--what", "notes", "--out", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("\u{feff}普查对象记录号")
    );
    assert!(!s.path("-").exists(), "no file named -");
}
