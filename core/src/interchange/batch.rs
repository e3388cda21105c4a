//! Batch-correction files for `huishen apply`: CSV with the columns key, field, value and
//! reason (or 记录号, 指标, 新值, 原因), in any encoding `import` reads.

use std::io::Read;
use std::path::Path;

use super::csv_text::{Lines, Quoting, line_and_column, scan_quotes, stray_reason};
use super::encoding::{DETECT_BYTES, DecodingReader, EncodingChoice, choose};
use crate::error::{Error, Result};

/// One requested correction, with the line it stands on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRow {
    pub line: u64,
    pub key: String,
    pub field: String,
    pub value: String,
    pub reason: String,
}

const COLUMNS: [(&str, &[&str]); 4] = [
    ("key", &["key", "记录号", "record", "record_id"]),
    ("field", &["field", "指标", "字段"]),
    ("value", &["value", "new_value", "新值", "修正值"]),
    ("reason", &["reason", "原因", "修正原因"]),
];

fn problem(file: &Path, (en, zh): (String, String)) -> Error {
    Error::declined(
        format!("{} {en}; nothing was written", file.display()),
        format!("{} {zh}，未写入任何内容", file.display()),
    )
}

/// A row whose cells do not match the header's columns one for one.
fn ragged(path: &Path, line: u64, cells: usize, columns: usize) -> Error {
    Error::declined(
        format!(
            "{}:{line}: the row has {cells} cells but the header has {columns} columns; every row \
             needs exactly one cell per column (quote a value that holds a comma); nothing was written",
            path.display()
        ),
        format!(
            "{}:{line}: 该行有 {cells} 个单元格，而表头有 {columns} 列；每行每列须恰有一个单元格（含逗号的值请加引号），未写入任何内容",
            path.display()
        ),
    )
}

/// Reads a whole batch file (they are small: one line per correction).
pub fn read_batch(path: &Path) -> Result<Vec<BatchRow>> {
    let bytes = std::fs::read(path).map_err(|e| Error::Read {
        path: path.into(),
        reason: e.to_string(),
    })?;
    let prefix = &bytes[..bytes.len().min(DETECT_BYTES)];
    let encoding = choose(EncodingChoice::Auto, prefix, bytes.len() <= DETECT_BYTES)
        .map_err(|e| problem(path, (e.clone(), format!("无法识别编码：{e}"))))?;
    let mut text = String::new();
    DecodingReader::new(&bytes[..], encoding)
        .read_to_string(&mut text)
        .map_err(|e| {
            problem(
                path,
                (format!("cannot be decoded: {e}"), format!("无法解码：{e}")),
            )
        })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| {
            problem(
                path,
                (
                    format!("has no readable header: {e}"),
                    format!("没有可读的表头：{e}"),
                ),
            )
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let mut index = [0usize; 4];
    for (slot, (name, aliases)) in COLUMNS.iter().enumerate() {
        index[slot] = header
            .iter()
            .position(|h| aliases.contains(&h.as_str()))
            .ok_or_else(|| {
                problem(
                    path,
                    (
                        format!(
                            "has no `{name}` column; its header must name key, field, value and reason"
                        ),
                        format!("没有 `{name}` 列；表头须有 key、field、value 和 reason（记录号、指标、新值、原因）"),
                    ),
                )
            })?;
    }
    let records = reader
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            problem(
                path,
                (
                    format!("cannot be read as CSV: {e}"),
                    format!("无法按 CSV 读取：{e}"),
                ),
            )
        })?;
    let lines = Lines::of(text.as_bytes());
    let start_of = |r: &csv::StringRecord| r.position().map_or(0, |p| p.byte() as usize);
    let line_of = |r: &csv::StringRecord| lines.line_of(start_of(r) as u64);
    for (i, record) in records.iter().enumerate() {
        let from = start_of(record);
        let to = records.get(i + 1).map_or(text.len(), start_of);
        let raw = &text.as_bytes()[from..to.max(from)];
        let lead = raw
            .iter()
            .take_while(|b| **b == b'\r' || **b == b'\n')
            .count();
        if let Quoting::Stray {
            offset,
            after_close,
            ..
        } = scan_quotes(&raw[lead..], b',')
        {
            let (lines_before, column) = line_and_column(&raw[lead..], offset);
            let line = lines.line_of((from + lead) as u64) + lines_before;
            let why = stray_reason(after_close, line, column);
            return Err(Error::declined(
                format!(
                    "{}:{line}: the row {why}; nothing was written",
                    path.display()
                ),
                format!(
                    "{}:{line}:{column}: 该行有不合规则的引号；请把整个值放在引号中并把其中的引号写两遍（\"\"），或删去多余的引号，未写入任何内容",
                    path.display()
                ),
            ));
        }
    }
    let open = records.last().map(|r| {
        let from = start_of(r);
        (from, scan_quotes(&text.as_bytes()[from..], b','))
    });
    if let Some((from, Quoting::Open { offset })) = open {
        // The stray quote opens the last record: everything after it was read as one value.
        let line = lines.line_of((from + offset) as u64);
        return Err(Error::declined(
            format!(
                "{}:{line}: a quoted value opens on this line and never closes (an unterminated \
                 quote); close it or remove the stray quote; nothing was written",
                path.display()
            ),
            format!(
                "{}:{line}: 此行有一个引号开始的值没有结束（引号未闭合）；请补上或删去多余的引号，未写入任何内容",
                path.display()
            ),
        ));
    }
    let mut rows = Vec::new();
    for record in &records {
        let line = line_of(record);
        if record.len() != header.len() {
            return Err(ragged(path, line, record.len(), header.len()));
        }
        let cell = |i: usize| record.get(index[i]).unwrap_or("").to_string();
        rows.push(BatchRow {
            line,
            key: cell(0).trim().to_string(),
            field: cell(1).trim().to_string(),
            value: cell(2),
            reason: cell(3),
        });
    }
    if rows.is_empty() {
        return Err(problem(
            path,
            ("has no corrections".into(), "没有任何修正".into()),
        ));
    }
    Ok(rows)
}
