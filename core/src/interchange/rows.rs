//! The reading half of an import, run on its own thread: take the records of the file (CSV
//! records, or a sheet's rows) and convert every cell to its field's type, handing batches of
//! rows to the thread that stores them. Batches go back and forth so that buffers are reused
//! and memory stays flat.

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use sha2::{Digest, Sha256};

use crate::domain::{Form, Value};
use crate::error::{Result, RowProblem};

/// Where an import's records come from: a CSV file, or a sheet of a workbook.
pub trait RecordSource: Send {
    /// Reads the next record into `row.record`, with its line (a sheet's row number) in
    /// `row.line` and what the source found wrong with its cells in `row.notes`; false at the
    /// end.
    fn read(&mut self, row: &mut Row) -> Result<bool>;
    /// How many bytes of the file are read so far.
    fn bytes(&self) -> u64;
    /// How the file ended: a quote never closed, its hash.
    fn end(self) -> Result<ReadEnd>;
}

/// A problem the source found with one cell: its column (0-based), the line where it stands
/// and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub column: usize,
    pub line: u64,
    pub reason: String,
}

/// The field index of a column left out of the import (a `--map` file's `-`, or a header
/// that fits no field).
pub const IGNORED: usize = usize::MAX;
/// The field index of a column with an empty header: its cells must be empty too.
pub const BLANK: usize = usize::MAX - 1;

/// Rows per batch.
pub const BATCH: usize = 1024;

/// One converted cell; text stays in the record and is named by its column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(usize),
}

/// One row read from the file.
#[derive(Debug, Default)]
pub struct Row {
    pub line: u64,
    pub record: csv::StringRecord,
    /// In field order; meaningful when `problems` is empty.
    pub cells: Vec<Cell>,
    pub problems: Vec<RowProblem>,
    /// What the source found wrong with its cells.
    pub notes: Vec<Note>,
    /// How many cells held each of the layout's missing-value tokens (by token).
    pub missing: Vec<u32>,
}

impl Row {
    /// The row's values in field order, borrowing text from the record.
    pub fn values(&self) -> impl Iterator<Item = Value<'_>> {
        self.cells.iter().map(|c| match *c {
            Cell::Null => Value::Null,
            Cell::Integer(i) => Value::Integer(i),
            Cell::Real(x) => Value::Real(x),
            Cell::Text(col) => Value::Text(&self.record[col]),
        })
    }
}

/// Counts and hashes the bytes read from the file.
pub struct Tally<R> {
    pub inner: R,
    pub bytes: u64,
    pub hash: Sha256,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

/// How the file ended.
pub struct ReadEnd {
    /// The line where a quoted field opens and never closes.
    pub open_quote: Option<u64>,
    pub sha256: String,
}

/// The hexadecimal SHA-256 of what a hasher was fed.
pub fn hex_digest(hash: Sha256) -> String {
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What the reader needs to know about the form and the header.
pub struct Layout<'a> {
    pub form: &'a Form,
    /// For each CSV column, the index of its field.
    pub columns: &'a [usize],
    pub key_index: usize,
    /// Cell texts that mean "no value" (`NA`, `—`, `/`), compared after trimming.
    pub missing: &'a [String],
}

impl Layout<'_> {
    /// Converts `row.record` into `row.cells`, noting every problem.
    fn convert(&self, row: &mut Row) {
        row.cells.clear();
        row.cells.resize(self.form.fields.len(), Cell::Null);
        row.problems.clear();
        row.missing.clear();
        row.missing.resize(self.missing.len(), 0);
        if row.record.len() != self.columns.len() {
            row.problems.push(RowProblem::row(
                row.line,
                format!(
                    "has {} fields; the header has {}",
                    row.record.len(),
                    self.columns.len()
                ),
            ));
            return;
        }
        for (col, field_index) in self.columns.iter().enumerate() {
            let text = &row.record[col];
            if *field_index == IGNORED {
                continue;
            }
            if *field_index == BLANK {
                if !text.trim().is_empty() {
                    row.problems.push(RowProblem {
                        line: row.line,
                        column: Some(crate::error::column_name(col)),
                        field: Some("—".into()),
                        value: Some(text.to_string()),
                        reason: "stands under an empty header; give the column a header, or \
                                 remove the value"
                            .into(),
                    });
                }
                continue;
            }
            let field = &self.form.fields[*field_index];
            if text.contains('\0') {
                // Shown as \0, never echoed: a NUL is not text, and SQLite would cut it there.
                let shown = text.replace('\0', "\\0");
                let reason = "holds a NUL byte (shown as \\0), which is not text; remove it from \
                              the file"
                    .to_string();
                row.problems
                    .push(RowProblem::cell(row.line, col, field, &shown, reason));
                continue;
            }
            if let Some(note) = row.notes.iter().find(|n| n.column == col) {
                let problem = RowProblem::cell(note.line, col, field, text, note.reason.clone());
                row.problems.push(problem);
                continue;
            }
            if let Some(token) = self.missing_token(text) {
                row.missing[token] += 1;
                continue;
            }
            match Value::parse(field.ty, text) {
                Ok(Value::Null) => {}
                Ok(Value::Integer(i)) => row.cells[*field_index] = Cell::Integer(i),
                Ok(Value::Real(x)) => row.cells[*field_index] = Cell::Real(x),
                Ok(Value::Text(_)) => row.cells[*field_index] = Cell::Text(col),
                Err(reason) => row
                    .problems
                    .push(RowProblem::cell(row.line, col, field, text, reason)),
            }
        }
        if row.problems.is_empty() && row.cells[self.key_index] == Cell::Null {
            let col = self.key_column();
            let field = &self.form.fields[self.key_index];
            let reason = "is empty; every record needs its key".to_string();
            row.problems
                .push(RowProblem::cell(row.line, col, field, "", reason));
        }
    }

    /// Which missing-value token `text` is, if any.
    fn missing_token(&self, text: &str) -> Option<usize> {
        if self.missing.is_empty() {
            return None;
        }
        let text = text.trim();
        self.missing.iter().position(|t| t == text)
    }

    pub fn key_column(&self) -> usize {
        self.columns
            .iter()
            .position(|i| *i == self.key_index)
            .unwrap_or(0)
    }
}

/// Reads every remaining record, sending full batches to `out`. Stops early when the storing
/// side hangs up, and at the first error of the source.
pub fn read_rows<S: RecordSource>(
    mut source: S,
    layout: &Layout<'_>,
    out: &SyncSender<Vec<Row>>,
    spare: &Receiver<Vec<Row>>,
    bytes: &AtomicU64,
) -> Result<ReadEnd> {
    loop {
        let mut batch = spare.try_recv().unwrap_or_default();
        let mut filled = 0;
        while filled < BATCH {
            if batch.len() == filled {
                batch.push(Row::default());
            }
            let row = &mut batch[filled];
            row.notes.clear();
            if !source.read(row)? {
                break;
            }
            layout.convert(row);
            filled += 1;
        }
        let done = filled < BATCH;
        batch.truncate(filled);
        bytes.store(source.bytes(), Ordering::Relaxed);
        if !batch.is_empty() && out.send(batch).is_err() {
            break;
        }
        if done {
            break;
        }
    }
    source.end()
}
