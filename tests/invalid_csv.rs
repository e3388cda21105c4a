//! Every bad CSV file is refused with the place of each problem (file:line:column, the field and
//! its labels, the value and why) and what to do, and imports nothing: one file per invalid
//! input under `tests/fixtures/invalid/csv/` (byte for byte: encodings matter), each imported
//! into the tiny form's workspace, which holds two good records. The workspace and the folder
//! (no rejects file, nothing else) stay as they were.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::fixtures::assert_imports_refused;

const HEADERS: &str = "A header names a field by its name, either label or an alias, its unit \
    in brackets after it or not (import --map FILE names the others). The fields of T are: id \
    (编号), name (名称), count (数量), amount (金额), flag (标志)\n";

const FIX_OR_SKIP: &str = "Fix these rows and import again, or import the good rows with \
    --skip-bad-rows (the bad ones then go to a rejects file beside the input)\n";

/// Each fixture, the arguments after it, and what `huishen import` says of it.
fn table() -> Vec<(&'static str, &'static [&'static str], String)> {
    let mut many = String::from(
        "error: forty-five-bad-rows.csv: 45 of 45 rows are bad; nothing was imported. The first 20:\n",
    );
    for i in 0..20 {
        many.push_str(&format!(
            "  forty-five-bad-rows.csv:{}:3 count (数量): value \"x{i}\" is not a number\n",
            i + 2
        ));
    }
    many.push_str(FIX_OR_SKIP);
    vec![
        (
            "gbk-read-as-utf-8.csv",
            &["--encoding", "utf-8"],
            "error: gbk-read-as-utf-8.csv line 1, column 1: bytes B1 are not valid UTF-8; the file \
             was read as UTF-8 as asked; if it is in another encoding, pass --encoding auto, \
             utf-8, gbk or gb18030; nothing was imported\n"
                .into(),
        ),
        (
            "mixed-encodings.csv",
            &[],
            "error: mixed-encodings.csv mixes encodings: line 1 is UTF-8 but line 3 is \
             not. Save the whole file in one encoding (UTF-8 or GBK) and import it again; nothing \
             was imported\n"
                .into(),
        ),
        (
            "ragged-row.csv",
            &[],
            format!(
                "error: ragged-row.csv: 1 of 2 rows are bad; nothing was imported. They are:\n  \
                 ragged-row.csv:3: row has 2 fields; the header has 3\n{FIX_OR_SKIP}"
            ),
        ),
        (
            "unterminated-quote.csv",
            &[],
            "error: unterminated-quote.csv line 2: a quoted field opens here and never closes (an \
             unterminated quote); close it or remove the stray quote; nothing was imported\n"
                .into(),
        ),
        (
            "unknown-headers.csv",
            &[],
            format!(
                "error: unknown-headers.csv:1: the header does not fit form T; nothing was \
                 imported:\n  \
                 column 2 (B) \"备注\" is not a field of T\n  \
                 column 3 (C) \"数 量\" is not a field of T; the nearest is count (数量)\n  \
                 required column name (名称 / Name) is missing\n{HEADERS}"
            ),
        ),
        (
            "bad-values.csv",
            &[],
            format!(
                "error: bad-values.csv: 3 of 3 rows are bad; nothing was imported. They are:\n  \
                 bad-values.csv:2:3 count (数量): value \"1.5\" is not a whole number\n  \
                 bad-values.csv:3: row has 6 fields; the header has 5\n  \
                 bad-values.csv:4:4 amount (金额): value \"abc\" is not a number\n  \
                 bad-values.csv:4:5 flag (标志): value \"2\" is not yes or no (use 1/0, true/false, \
                 yes/no or 是/否)\n{FIX_OR_SKIP}"
            ),
        ),
        // Only the first twenty bad rows are listed, with the total.
        ("forty-five-bad-rows.csv", &[], many),
        (
            "duplicate-key.csv",
            &[],
            format!(
                "error: duplicate-key.csv: 1 of 2 rows are bad; nothing was imported. They are:\n  \
                 duplicate-key.csv:3:1 id (编号): value \"J1\" is a duplicate: the same key stands \
                 at line 2 of this file\n{FIX_OR_SKIP}"
            ),
        ),
        (
            "key-already-imported.csv",
            &[],
            format!(
                "error: key-already-imported.csv: 1 of 1 rows are bad; nothing was imported. They \
                 are:\n  key-already-imported.csv:2:1 id (编号): value \"A2\" is already in the \
                 workspace (imported from good.csv, line 3)\n{FIX_OR_SKIP}"
            ),
        ),
        (
            "empty.csv",
            &[],
            "error: empty.csv is empty; a file to import needs a header line and at least one \
             record; nothing was imported\n"
                .into(),
        ),
        (
            "nul-in-a-cell.csv",
            &[],
            format!(
                "error: nul-in-a-cell.csv: 1 of 1 rows are bad; nothing was imported. They are:\n  \
                 nul-in-a-cell.csv:2:2 name (名称): value \"垦利\\0\\0\\0\" holds a NUL byte \
                 (shown as \\0), which is not text; remove it from the file\n{FIX_OR_SKIP}"
            ),
        ),
        (
            "all-nul.csv",
            &[],
            "error: all-nul.csv is not a text file: its first line holds NUL bytes (it may be a \
             spreadsheet, or text in UTF-16); save it as CSV in UTF-8 or GBK and import that; \
             nothing was imported\n"
                .into(),
        ),
        (
            "semicolon-separated.csv",
            &[],
            format!(
                "error: semicolon-separated.csv:1: the header does not fit form T; nothing was \
                 imported:\n  \
                 column 1 (A) \"编号;名称;数量\" is not a field of T\n  \
                 required column id (编号 / ID) is missing\n  \
                 required column name (名称 / Name) is missing\n{HEADERS}\
                 The header holds `;` between names: if the file is separated by them, import it \
                 again with --delimiter ';'\n"
            ),
        ),
        // A quote where RFC 4180 puts none, at its line and character.
        (
            "bare-quote.csv",
            &[],
            format!(
                "error: bare-quote.csv: 1 of 1 rows are bad; nothing was imported. They are:\n  \
                 bare-quote.csv:2:2 name (名称): value \"济\"南\" has a quote inside a value that \
                 does not start with one (line 2, character 5); put the whole value in quotes and \
                 double each quote inside it (\"\"), or remove the stray quote\n{FIX_OR_SKIP}"
            ),
        ),
        (
            "text-after-quote.csv",
            &[],
            format!(
                "error: text-after-quote.csv: 1 of 1 rows are bad; nothing was imported. They \
                 are:\n  text-after-quote.csv:2:1 id (编号): value \"Q1x\" has text after its \
                 closing quote (line 2, character 5); put the whole value in quotes and double \
                 each quote inside it (\"\"), or remove the stray quote\n{FIX_OR_SKIP}"
            ),
        ),
        // Physical lines, whatever ends them.
        (
            "crlf-bad-row.csv",
            &[],
            format!(
                "error: crlf-bad-row.csv: 1 of 3 rows are bad; nothing was imported. They are:\n  \
                 crlf-bad-row.csv:4:3 count (数量): value \"三\" is not a number\n{FIX_OR_SKIP}"
            ),
        ),
        (
            "cr-bad-row.csv",
            &[],
            format!(
                "error: cr-bad-row.csv: 1 of 2 rows are bad; nothing was imported. They are:\n  \
                 cr-bad-row.csv:3:3 count (数量): value \"二\" is not a number\n{FIX_OR_SKIP}"
            ),
        ),
        (
            "mixed-line-ends-bad-rows.csv",
            &[],
            format!(
                "error: mixed-line-ends-bad-rows.csv: 2 of 4 rows are bad; nothing was imported. \
                 They are:\n  \
                 mixed-line-ends-bad-rows.csv:3:3 count (数量): value \"二\" is not a number\n  \
                 mixed-line-ends-bad-rows.csv:5:3 count (数量): value \"四\" is not a number\n\
                 {FIX_OR_SKIP}"
            ),
        ),
        (
            "multi-line-bad-row.csv",
            &[],
            format!(
                "error: multi-line-bad-row.csv: 1 of 1 rows are bad; nothing was imported. They \
                 are:\n  multi-line-bad-row.csv:2:3 count (数量): value \"x\" is not a number\n\
                 {FIX_OR_SKIP}"
            ),
        ),
        (
            "other-unit.csv",
            &[],
            format!(
                "error: other-unit.csv:1: the header does not fit form T; nothing was imported:\n  \
                 column 3 (C) \"金额(元)\" names field amount (金额) in another unit: the field is \
                 in 万元 (10k yuan); convert the values, or name the column without a unit\n\
                 {HEADERS}"
            ),
        ),
        (
            "value-under-empty-header.csv",
            &[],
            format!(
                "error: value-under-empty-header.csv: 1 of 1 rows are bad; nothing was imported. \
                 They are:\n  value-under-empty-header.csv:2:3 —: value \"多余\" stands under an \
                 empty header; give the column a header, or remove the value\n{FIX_OR_SKIP}"
            ),
        ),
        (
            "header-only.csv",
            &[],
            "error: header-only.csv has a header but no records; nothing was imported\n"
                .into(),
        ),
    ]
}

#[test]
fn every_bad_csv_file_is_refused_with_the_place_of_each_problem_and_imports_nothing() {
    assert_imports_refused("csv", &table());
}

/// The encodings are in the fixtures' bytes, which git must not convert.
#[test]
fn the_encoding_fixtures_hold_the_bytes_they_are_named_for() {
    let bytes = |name: &str| {
        std::fs::read(common::fixtures::fixture(&format!("invalid/csv/{name}"))).unwrap()
    };
    let gbk = bytes("gbk-read-as-utf-8.csv");
    assert!(std::str::from_utf8(&gbk).is_err());
    let (text, _, bad) = encoding_rs::GBK.decode(&gbk);
    assert!(!bad);
    assert_eq!(text, "编号,名称\nC1,淄博\n");
    let mixed = bytes("mixed-encodings.csv");
    let (gbk_line, _, _) = encoding_rs::GBK.encode("C2,淄博\n");
    assert_eq!(
        mixed,
        ["编号,名称\nC1,济南\n".as_bytes(), &gbk_line].concat()
    );
    assert!(bytes("empty.csv").is_empty());
}

/// A file refused as a whole is refused in Chinese for a Chinese user, like a bad row.
#[test]
fn a_file_refused_as_a_whole_is_refused_in_chinese_too() {
    use common::fixtures::{Outcome, TINY, copy_invalid, run, tiny};
    let s = common::Scratch::new();
    tiny(&s);
    for (name, message) in [
        (
            "empty.csv",
            "错误：empty.csv 无法导入：是空的；要导入的文件需要一行表头和至少一条记录；未导入任何内容\n",
        ),
        (
            "all-nul.csv",
            "错误：all-nul.csv 无法导入：不是文本文件：第一行含有 NUL 字节（可能是电子表格，或 UTF-16 \
             文本）；请另存为 UTF-8 或 GBK 编码的 CSV 再导入；未导入任何内容\n",
        ),
        (
            "gbk-read-as-utf-8.csv",
            "错误：gbk-read-as-utf-8.csv 无法导入：第 1 行第 1 列：字节 B1 不是有效的 UTF-8；文件按指定的 \
             UTF-8 读取；若它是别的编码，请用 --encoding auto、utf-8、gbk 或 gb18030；未导入任何内容\n",
        ),
    ] {
        copy_invalid(&s, "csv", name);
        let mut cmd = common::hs(&s);
        cmd.env("HUISHEN_LANG", "zh-CN")
            .args(["import", TINY, "--form", "T", name]);
        if name.starts_with("gbk") {
            cmd.args(["--encoding", "utf-8"]);
        }
        assert_eq!(run(&mut cmd), Outcome::refused(message), "{name}");
    }
}
