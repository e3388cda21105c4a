//! A sheet of a workbook (`.xlsx`, `.xls`, `.ods`, read by calamine) as the records of an
//! import: the first non-empty row is the header, each further row a record whose line is its
//! row number, so that a problem reads `file:sheet!C5`. Cells become the text a CSV file
//! would hold: numbers in their shortest exact form, dates as `2017-12-31`, yes and no as 1
//! and 0; spreadsheet errors (`#DIV/0!`) and codes Excel kept only as numbers are refused.

use std::io::Cursor;

use calamine::{Data, Range, Reader};
use sha2::{Digest, Sha256};

use super::source::{EMPTY, EMPTY_ZH, said};
use crate::error::Result;
use crate::interchange::rows::{Note, ReadEnd, RecordSource, Row, hex_digest};

/// A sheet's rows, read from the workbook at once (a sheet holds at most 1,048,576 rows).
pub(super) struct SheetRecords {
    name: String,
    /// The kind of workbook: `Excel` or `OpenDocument`.
    kind: &'static str,
    range: Range<Data>,
    /// The next row of `range` to read.
    next: usize,
    /// Empty columns before the first used one, so that columns keep their letters.
    pad: usize,
    first_row: u32,
    bytes: u64,
    sha256: String,
}

impl SheetRecords {
    /// Reads sheet `choice` (a name, or a 1-based number; the first sheet when `None`).
    pub(super) fn open(file: &str, bytes: Vec<u8>, choice: Option<&str>) -> Result<SheetRecords> {
        let size = bytes.len() as u64;
        let sha256 = hex_digest(Sha256::new_with_prefix(&bytes));
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
            said(
                file,
                format!(
                    "looks like an Office file but cannot be read as a workbook ({e}); if it is \
                     protected by a password, save a copy without one; otherwise save it from \
                     Excel as .xlsx, or as CSV in UTF-8"
                ),
                format!(
                    "像是 Office 文件，但无法作为工作簿读取（{e}）；若设有密码，请另存一份无密码的；否则请在 Excel 中另存为 .xlsx，或 UTF-8 编码的 CSV"
                ),
            )
        })?;
        let kind = match book {
            calamine::Sheets::Ods(_) => "OpenDocument",
            _ => "Excel",
        };
        let names = book.sheet_names();
        let name = choose_sheet(file, &names, choice)?;
        let range = book.worksheet_range(&name).map_err(|e| {
            said(
                file,
                format!("sheet {name} cannot be read: {e}"),
                format!("工作表 {name} 无法读取：{e}"),
            )
        })?;
        let Some((first_row, first_col)) = range.start() else {
            return Err(said(
                file,
                format!("sheet {name} {EMPTY}"),
                format!("工作表 {name} {EMPTY_ZH}"),
            ));
        };
        Ok(SheetRecords {
            name,
            kind,
            range,
            next: 0,
            pad: first_col as usize,
            first_row,
            bytes: size,
            sha256,
        })
    }

    pub(super) fn name(&self) -> &str {
        &self.name
    }

    pub(super) fn kind(&self) -> &'static str {
        self.kind
    }
}

/// The sheet asked for by name or number, or the first; an unknown one is refused with the
/// sheets there are.
fn choose_sheet(file: &str, names: &[String], choice: Option<&str>) -> Result<String> {
    let found = match choice {
        None => names.first().cloned(),
        Some(choice) => {
            (names.iter().find(|n| n.as_str() == choice.trim()).cloned()).or_else(|| {
                let n: usize = choice.trim().parse().ok()?;
                names.get(n.checked_sub(1)?).cloned()
            })
        }
    };
    found.ok_or_else(|| {
        let list = names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{} {n}", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        let asked = choice.unwrap_or("");
        said(
            file,
            format!("has no sheet {asked}; its sheets are: {list}. Name one with --sheet NAME or --sheet NUMBER"),
            format!("没有工作表 {asked}；它的工作表有：{list}。请用 --sheet 名称 或 --sheet 序号 指定"),
        )
    })
}

impl RecordSource for SheetRecords {
    fn read(&mut self, row: &mut Row) -> Result<bool> {
        let (height, width) = (self.range.height(), self.range.width());
        loop {
            let index = self.next;
            if index >= height {
                return Ok(false);
            }
            self.next += 1;
            let range = &self.range;
            let cells = (0..width).map(|col| range.get((index, col)).unwrap_or(&Data::Empty));
            if cells.clone().all(|c| matches!(c, Data::Empty)) {
                continue;
            }
            let line = u64::from(self.first_row) + index as u64 + 1;
            row.line = line;
            row.record.clear();
            for _ in 0..self.pad {
                row.record.push_field("");
            }
            let mut text = String::new();
            for (i, cell) in cells.enumerate() {
                text.clear();
                if let Some(reason) = cell_text(cell, &mut text) {
                    row.notes.push(Note {
                        column: self.pad + i,
                        line,
                        reason,
                    });
                }
                row.record.push_field(&text);
            }
            return Ok(true);
        }
    }

    fn bytes(&self) -> u64 {
        // The workbook is read whole before the first row: the rows' share of it so far.
        let rows = self.range.height().max(1) as u64;
        self.bytes * (self.next as u64).min(rows) / rows
    }

    fn end(self) -> Result<ReadEnd> {
        Ok(ReadEnd {
            open_quote: None,
            sha256: self.sha256,
        })
    }
}

/// Writes a cell as the text a CSV file would hold; says why when the cell cannot be used.
fn cell_text(cell: &Data, out: &mut String) -> Option<String> {
    use std::fmt::Write;
    match cell {
        Data::Empty => {}
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Float(x) => {
            let _ = write!(out, "{x}");
            if x.fract() == 0.0 && x.abs() >= 1e15 {
                return Some(
                    "is stored in the workbook as a number, and Excel keeps only 15 digits of a \
                     number: a code this long may no longer be the one typed; format the column \
                     as text, type the codes again and import the file again"
                        .into(),
                );
            }
        }
        Data::Bool(b) => out.push_str(if *b { "1" } else { "0" }),
        Data::DateTime(d) if d.is_datetime() => out.push_str(&excel_date(d.as_f64())),
        Data::DateTime(d) => {
            let _ = write!(out, "{}", d.as_f64());
        }
        Data::Error(e) => {
            let _ = write!(out, "{e}");
            return Some(format!(
                "is the spreadsheet error {e} (a formula that could not be computed); correct \
                 the cell in the workbook and import it again"
            ));
        }
    }
    None
}

/// An Excel date serial (days since 1899-12-30, the time of day as a fraction) as ISO text:
/// `2017-12-31`, or `2017-12-31 08:30:00` with a time.
fn excel_date(serial: f64) -> String {
    let days = serial.floor();
    let seconds = ((serial - days) * 86_400.0).round() as i64;
    let date = jiff::civil::date(1899, 12, 30)
        .checked_add(jiff::Span::new().days(days as i64))
        .ok();
    match date {
        Some(date) if seconds == 0 => date.to_string(),
        Some(date) => {
            let time = jiff::civil::Time::midnight()
                .wrapping_add(jiff::SignedDuration::from_secs(seconds.min(86_399)));
            format!("{date} {}", time.strftime("%H:%M:%S"))
        }
        None => serial.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_a_csv_file_would_hold_them() {
        let text = |cell: Data| {
            let mut out = String::new();
            let note = cell_text(&cell, &mut out);
            (out, note.is_some())
        };
        assert_eq!(text(Data::Float(370102.0)), ("370102".into(), false));
        assert_eq!(text(Data::Float(0.1)), ("0.1".into(), false));
        assert_eq!(text(Data::Int(-3)), ("-3".into(), false));
        assert_eq!(text(Data::Bool(true)), ("1".into(), false));
        assert_eq!(text(Data::String("0301".into())), ("0301".into(), false));
        assert!(text(Data::Float(913705000000000000.0)).1);
        assert!(text(Data::Error(calamine::CellErrorType::Div0)).1);
    }

    #[test]
    fn excel_dates_read_as_iso_dates() {
        assert_eq!(excel_date(43100.0), "2017-12-31");
        assert_eq!(excel_date(43100.5), "2017-12-31 12:00:00");
    }
}
