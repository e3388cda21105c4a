//! Every bad workbook is refused with the place of each problem (`file:sheet!C5`, the field,
//! the value and why) and what to do, in the user's language, and imports nothing: one file
//! per invalid input under `tests/fixtures/invalid/xlsx/` (written by openpyxl, see
//! `tests/fixtures/xlsx/make.py`), each imported into the tiny form's workspace. The
//! workspace and the folder stay as they were.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::fixtures::{Outcome, TINY, assert_imports_refused, copy_invalid, run, tiny};
use common::{Scratch, hs};

const FIX_OR_SKIP: &str = "Fix these rows and import again, or import the good rows with \
    --skip-bad-rows (the bad ones then go to a rejects file beside the input)\n";

/// Each fixture, the arguments after it, and what `huishen import` says of it.
fn table() -> Vec<(&'static str, &'static [&'static str], String)> {
    vec![
        (
            "bad-cells.xlsx",
            &[],
            format!(
                "error: bad-cells.xlsx: 2 of 2 rows are bad; nothing was imported. They are:\n  \
                 bad-cells.xlsx:T!C2 count (数量): value \"三\" is not a number\n  \
                 bad-cells.xlsx:T!D3 amount (金额): value \"#DIV/0!\" is the spreadsheet error \
                 #DIV/0! (a formula that could not be computed); correct the cell in the workbook \
                 and import it again\n{FIX_OR_SKIP}"
            ),
        ),
        (
            "code-as-number.xlsx",
            &[],
            format!(
                "error: code-as-number.xlsx: 1 of 1 rows are bad; nothing was imported. They \
                 are:\n  code-as-number.xlsx:T!A2 id (编号): value \"913705052945697500\" is \
                 stored in the workbook as a number, and Excel keeps only 15 digits of a number: \
                 a code this long may no longer be the one typed; format the column as text, \
                 type the codes again and import the file again\n{FIX_OR_SKIP}"
            ),
        ),
        (
            "empty-sheet.xlsx",
            &[],
            "error: empty-sheet.xlsx sheet Sheet is empty; a file to import needs a header line \
             and at least one record; nothing was imported\n"
                .into(),
        ),
        (
            "not-a-workbook.xlsx",
            &[],
            "error: not-a-workbook.xlsx looks like an Office file but cannot be read as a \
             workbook (Cannot detect file format); if it is protected by a password, save a copy \
             without one; otherwise save it from Excel as .xlsx, or as CSV in UTF-8; nothing was \
             imported\n"
                .into(),
        ),
    ]
}

/// Copies the tiny workspace of `template` into a fresh scratch folder with fixture `name`.
fn scratch_with(template: &Scratch, name: &str) -> Scratch {
    let s = Scratch::new();
    for file in template.files() {
        std::fs::copy(template.path(&file), s.path(&file)).unwrap();
    }
    copy_invalid(&s, "xlsx", name);
    s
}

#[test]
fn every_bad_workbook_is_refused_with_the_cell_of_each_problem_and_imports_nothing() {
    assert_imports_refused("xlsx", &table());
}

#[test]
fn a_bad_workbook_is_refused_in_chinese_for_a_chinese_user() {
    let template = Scratch::new();
    tiny(&template);
    let s = scratch_with(&template, "bad-cells.xlsx");
    let got = run(hs(&s).env("HUISHEN_LANG", "zh-CN").args([
        "import",
        TINY,
        "--form",
        "T",
        "bad-cells.xlsx",
    ]));
    assert_eq!(
        got,
        Outcome::refused(
            "错误：bad-cells.xlsx：2 行中有 2 行有误，未导入任何内容。它们是：\n  \
             bad-cells.xlsx:T!C2 count (数量)：值“三”不是数字\n  \
             bad-cells.xlsx:T!D3 amount (金额)：值“#DIV/0!”是电子表格的错误值 #DIV/0!（公式未能算出）；\
             请在工作簿中改正该单元格后重新导入\n\
             请修改这些行后重新导入，或用 --skip-bad-rows 只导入好的行（有误的行写入输入文件旁的 rejects 文件）\n"
        )
    );
}

#[test]
fn a_sheet_that_is_not_there_is_refused_with_the_sheets_there_are() {
    let template = Scratch::new();
    tiny(&template);
    let s = scratch_with(&template, "bad-cells.xlsx");
    let got = run(hs(&s).args([
        "import",
        TINY,
        "--form",
        "T",
        "bad-cells.xlsx",
        "--sheet",
        "数据",
    ]));
    assert_eq!(
        got,
        Outcome::refused(
            "error: bad-cells.xlsx has no sheet 数据; its sheets are: 1 T. Name one with --sheet \
             NAME or --sheet NUMBER; nothing was imported\n"
        )
    );
}
