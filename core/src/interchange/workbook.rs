//! Tables going out as an Excel workbook (`.xlsx`, written by rust_xlsxwriter): one sheet per
//! table, its header row in bold and frozen, codes and keys stored as text so that Excel
//! keeps every digit and leading zero (an 18-digit credit code, industry code 0610), numbers
//! as numbers. Rows stream to disk as they are written (constant memory), so a census-size
//! export holds one row at a time.

use rust_xlsxwriter::{Format as CellFormat, IgnoreError, Workbook, Worksheet, XlsxError};

use super::export_table::{Cell, Column};
use crate::error::{Error, Result};

/// The most rows a sheet holds, its header included.
const MAX_ROWS: u32 = 1_048_576;
/// The longest text a cell holds.
const MAX_TEXT: usize = 32_767;
/// The largest whole number a spreadsheet number holds exactly.
const EXACT: i64 = 1 << 53;

/// A workbook being filled, sheet by sheet.
pub struct Book {
    book: Workbook,
    sheets: usize,
    /// The row the current sheet writes next.
    row: u32,
    bold: CellFormat,
}

impl Book {
    pub fn new() -> Book {
        Book {
            book: Workbook::new(),
            sheets: 0,
            row: 0,
            bold: CellFormat::new().set_bold(),
        }
    }

    /// Starts a sheet named `name` with its header row.
    pub fn sheet(&mut self, name: &str, columns: &[Column]) -> Result<()> {
        let sheet = self.book.add_worksheet_with_constant_memory();
        sheet.set_name(sheet_name(name)).map_err(xlsx)?;
        for (col, column) in columns.iter().enumerate() {
            let col = col as u16;
            let width = unicode_width::UnicodeWidthStr::width(column.header.as_str());
            sheet
                .set_column_width(col, (width + 2).clamp(10, 40) as f64)
                .map_err(xlsx)?;
            sheet
                .write_string_with_format(0, col, &column.header, &self.bold)
                .map_err(xlsx)?;
        }
        if !columns.is_empty() {
            // Codes are text on purpose: Excel need not offer to turn them into numbers.
            let last = columns.len() as u16 - 1;
            sheet
                .ignore_error_range(0, 0, MAX_ROWS - 1, last, IgnoreError::NumberStoredAsText)
                .map_err(xlsx)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
        self.sheets += 1;
        self.row = 1;
        Ok(())
    }

    fn current(&mut self) -> Result<&mut Worksheet> {
        let index = self.sheets.saturating_sub(1);
        self.book.worksheet_from_index(index).map_err(xlsx)
    }

    /// Writes one row of the current sheet; `place` names the row in an error.
    pub fn row(&mut self, cells: &[Cell], place: &dyn Fn(usize) -> String) -> Result<()> {
        if self.row >= MAX_ROWS {
            return Err(Error::declined(
                format!(
                    "an Excel sheet holds at most {} rows under its header, and this export has \
                     more; nothing was written. Export CSV, or fewer records (--only signed)",
                    MAX_ROWS - 1
                ),
                format!(
                    "一个 Excel 工作表在表头之下最多容纳 {} 行，而本次导出更多，未写入任何内容；请导出为 CSV，或导出更少的记录（--only signed）",
                    MAX_ROWS - 1
                ),
            ));
        }
        let row = self.row;
        let sheet = self.current()?;
        for (col, cell) in cells.iter().enumerate() {
            let c = col as u16;
            let written = match cell {
                Cell::Null => continue,
                Cell::Text(t) if t.chars().count() > MAX_TEXT => {
                    return Err(Error::declined(
                        format!(
                            "{} holds {} characters, more than an Excel cell holds ({MAX_TEXT}); \
                             nothing was written. Export CSV or JSON",
                            place(col),
                            t.chars().count()
                        ),
                        format!(
                            "{} 有 {} 个字符，超过 Excel 单元格的上限（{MAX_TEXT}），未写入任何内容；请导出为 CSV 或 JSON",
                            place(col),
                            t.chars().count()
                        ),
                    ));
                }
                Cell::Text(t) => sheet.write_string(row, c, t),
                Cell::Integer(i) if i.abs() <= EXACT => sheet.write_number(row, c, *i as f64),
                Cell::Integer(i) => sheet.write_string(row, c, i.to_string()),
                Cell::Real(x) if x.is_finite() => sheet.write_number(row, c, *x),
                Cell::Real(x) => sheet.write_string(row, c, x.to_string()),
                Cell::Bool(b) => sheet.write_number(row, c, f64::from(u8::from(*b))),
            };
            written.map_err(xlsx)?;
        }
        self.row += 1;
        Ok(())
    }

    /// The finished workbook's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        if self.sheets == 0 {
            self.book.add_worksheet();
        }
        self.book.save_to_buffer().map_err(xlsx)
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    name.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect()
}

fn xlsx(e: XlsxError) -> Error {
    Error::declined(
        format!("cannot write the workbook: {e}; nothing was written"),
        format!("无法写出工作簿：{e}，未写入任何内容"),
    )
}
