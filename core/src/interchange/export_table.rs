//! Tables going out: a header and typed rows, written as CSV (UTF-8 with a byte-order mark, or
//! GBK) or as JSON (an array of objects, always UTF-8).
//!
//! Numbers are written so that they read back as the same number: whole numbers as they are,
//! decimals in Rust's shortest round-trip form (`0.1 + 0.2` is `0.30000000000000004`).

use encoding_rs::GBK;
use rusqlite::types::Value as SqlValue;

use super::output::Output;
use crate::domain::FieldType;
use crate::error::{Error, Result};

/// A typed cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Bool(bool),
}

impl Cell {
    /// A stored value as a cell of its field's type.
    pub fn of(ty: FieldType, value: &SqlValue) -> Cell {
        match value {
            SqlValue::Null => Cell::Null,
            SqlValue::Integer(i) if ty == FieldType::Bool => Cell::Bool(*i != 0),
            SqlValue::Integer(i) => Cell::Integer(*i),
            SqlValue::Real(x) => Cell::Real(*x),
            SqlValue::Text(t) => Cell::Text(t.clone()),
            SqlValue::Blob(b) => Cell::Text(b.iter().map(|b| format!("{b:02x}")).collect()),
        }
    }

    /// The cell as CSV text: empty for NULL, 1/0 for yes and no.
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Integer(i) => i.to_string(),
            Cell::Real(x) => format!("{x}"),
            Cell::Text(t) => t.clone(),
            Cell::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Cell::Null => serde_json::Value::Null,
            Cell::Integer(i) => (*i).into(),
            Cell::Real(x) => (*x).into(),
            Cell::Text(t) => t.as_str().into(),
            Cell::Bool(b) => (*b).into(),
        }
    }
}

/// A column: its header, and its name and label for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub name: String,
    /// The field's label, for data columns.
    pub label: Option<String>,
}

/// One row, with the record it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: String,
    /// The field a row of the change log is about.
    pub field: Option<String>,
    pub cells: Vec<Cell>,
}

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Csv,
    Json,
    /// An Excel workbook, a sheet per table.
    Xlsx,
}

/// The text encodings of exported CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutEncoding {
    #[default]
    Utf8,
    Gbk,
}

/// A table being written to an output.
pub struct TableWriter<'o> {
    out: &'o mut Output,
    format: Format,
    encoding: OutEncoding,
    columns: Vec<Column>,
    rows: u64,
}

impl<'o> TableWriter<'o> {
    /// Starts a table and writes its header.
    pub fn start(
        out: &'o mut Output,
        format: Format,
        encoding: OutEncoding,
        columns: Vec<Column>,
        sheet: &str,
    ) -> Result<TableWriter<'o>> {
        if format == Format::Json && encoding == OutEncoding::Gbk {
            return Err(Error::declined(
                "JSON is always UTF-8; leave out --encoding gbk, or export CSV",
                "JSON 总是 UTF-8 编码；请去掉 --encoding gbk，或导出为 CSV",
            ));
        }
        if format == Format::Xlsx && encoding == OutEncoding::Gbk {
            return Err(Error::declined(
                "an Excel workbook has no text encoding to choose; leave out --encoding gbk, or export CSV",
                "Excel 工作簿无需选择文本编码；请去掉 --encoding gbk，或导出为 CSV",
            ));
        }
        let mut table = TableWriter {
            out,
            format,
            encoding,
            columns,
            rows: 0,
        };
        match format {
            Format::Xlsx => {
                let name = sheet.to_string();
                table.out.book().sheet(&name, &table.columns)?;
            }
            Format::Json => table.out.put(b"[")?,
            Format::Csv => {
                if encoding == OutEncoding::Utf8 {
                    // A byte-order mark lets spreadsheet programs on Chinese Windows read UTF-8.
                    table.out.put("\u{feff}".as_bytes())?;
                }
                let header: Vec<String> = table.columns.iter().map(|c| c.header.clone()).collect();
                let line = Self::csv_line(&header);
                table.put_text(&line, None, &header)?;
            }
        }
        Ok(table)
    }

    /// Writes one row.
    pub fn row(&mut self, row: &Row) -> Result<()> {
        match self.format {
            Format::Xlsx => {
                let columns = &self.columns;
                let place = |col: usize| match (&row.field, columns.get(col)) {
                    (Some(field), Some(c)) => {
                        format!("record {}, field {field}, column {}", row.key, c.name)
                    }
                    (None, Some(c)) => format!("record {}, field {}", row.key, c.name),
                    _ => format!("record {}", row.key),
                };
                self.out.book().row(&row.cells, &place)?;
            }
            Format::Csv => {
                let cells: Vec<String> = row.cells.iter().map(Cell::text).collect();
                let line = Self::csv_line(&cells);
                self.put_text(&line, Some(row), &cells)?;
            }
            Format::Json => {
                let mut text = String::from(if self.rows == 0 { "\n{" } else { ",\n{" });
                for (i, (column, cell)) in self.columns.iter().zip(&row.cells).enumerate() {
                    if i > 0 {
                        text.push_str(", ");
                    }
                    text.push_str(&serde_json::Value::from(column.header.as_str()).to_string());
                    text.push_str(": ");
                    text.push_str(&cell.json().to_string());
                }
                text.push('}');
                self.out.put(text.as_bytes())?;
            }
        }
        self.rows += 1;
        self.out.row_written();
        Ok(())
    }

    /// Ends the table; returns how many rows it has.
    pub fn finish(self) -> Result<u64> {
        if self.format == Format::Json {
            self.out.put(b"\n]\n")?;
        }
        Ok(self.rows)
    }

    /// One CSV line (RFC 4180, ending in a line feed): a cell is quoted when it holds a comma, a quote or a line
    /// break, with its quotes doubled.
    fn csv_line(cells: &[String]) -> String {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            if cell.contains([',', '"', '\r', '\n']) {
                line.push('"');
                line.push_str(&cell.replace('"', "\"\""));
                line.push('"');
            } else {
                line.push_str(cell);
            }
        }
        line.push('\n');
        line
    }

    /// Writes a line of CSV text in the chosen encoding, or says which cell cannot be encoded.
    fn put_text(&mut self, line: &str, row: Option<&Row>, cells: &[String]) -> Result<()> {
        match self.encoding {
            OutEncoding::Utf8 => self.out.put(line.as_bytes()),
            OutEncoding::Gbk => {
                let (bytes, _, unmappable) = GBK.encode(line);
                if !unmappable {
                    return self.out.put(&bytes);
                }
                Err(self.unencodable(row, cells))
            }
        }
    }

    fn unencodable(&self, row: Option<&Row>, cells: &[String]) -> Error {
        for (column, cell) in self.columns.iter().zip(cells) {
            let Some(ch) = cell
                .chars()
                .find(|c| GBK.encode(c.encode_utf8(&mut [0; 4])).2)
            else {
                continue;
            };
            let place = match row {
                None => format!("the header of column {}", column.name),
                Some(Row {
                    key,
                    field: Some(field),
                    ..
                }) => format!("record {key}, field {field}, column {}", column.name),
                Some(Row { key, .. }) => match &column.label {
                    Some(label) => format!("record {key}, field {} ({label})", column.name),
                    None => format!("record {key}, field {}", column.name),
                },
            };
            return Error::declined(
                format!(
                    "cannot write {} in GBK: {place} is “{cell}”, and GBK has no {ch} (U+{:04X}); \
                     nothing was written. Export with --encoding utf-8, or correct the value",
                    self.out.name(),
                    u32::from(ch)
                ),
                format!(
                    "无法以 GBK 写出 {}：{place} 为“{cell}”，而 GBK 没有字符 {ch}（U+{:04X}），未写入任何内容；请用 --encoding utf-8 导出，或修正该值",
                    self.out.name(),
                    u32::from(ch)
                ),
            );
        }
        Error::declined(
            format!(
                "cannot write {} in GBK: a value has a character GBK cannot encode; nothing was \
                 written. Export with --encoding utf-8",
                self.out.name()
            ),
            format!(
                "无法以 GBK 写出 {}：有值含 GBK 无法编码的字符，未写入任何内容；请用 --encoding utf-8 导出",
                self.out.name()
            ),
        )
    }
}
