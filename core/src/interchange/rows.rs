//! The reading half of an import, run on its own thread: decode, split into CSV records and
//! convert every cell to its field's type, handing batches of rows to the thread that stores
//! them. Batches go back and forth so that buffers are reused and memory stays flat.

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use sha2::{Digest, Sha256};

use super::encoding::DecodingReader;
use crate::domain::{Form, Value};
use crate::error::RowProblem;

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
    /// A quoted field never closed.
    pub open_quote: bool,
    pub last_line: u64,
    pub sha256: String,
}

/// What the reader needs to know about the form and the header.
pub struct Layout<'a> {
    pub form: &'a Form,
    /// For each CSV column, the index of its field.
    pub columns: &'a [usize],
    pub key_index: usize,
}

impl Layout<'_> {
    /// Converts `row.record` into `row.cells`, noting every problem.
    fn convert(&self, row: &mut Row) {
        row.cells.clear();
        row.cells.resize(self.form.fields.len(), Cell::Null);
        row.problems.clear();
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
            let field = &self.form.fields[*field_index];
            let text = &row.record[col];
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

    pub fn key_column(&self) -> usize {
        self.columns
            .iter()
            .position(|i| *i == self.key_index)
            .unwrap_or(0)
    }
}

/// Reads every remaining record, sending full batches to `out`. Stops early when the storing
/// side hangs up. Decoding and CSV errors end the reading with the error.
pub fn read_rows<R: Read>(
    mut reader: csv::Reader<DecodingReader<Tally<R>>>,
    layout: &Layout<'_>,
    out: &SyncSender<Vec<Row>>,
    spare: &Receiver<Vec<Row>>,
    bytes: &AtomicU64,
) -> Result<ReadEnd, csv::Error> {
    let mut last_line = 1;
    loop {
        let mut batch = spare.try_recv().unwrap_or_default();
        let mut filled = 0;
        while filled < BATCH {
            if batch.len() == filled {
                batch.push(Row::default());
            }
            let row = &mut batch[filled];
            if !reader.read_record(&mut row.record)? {
                break;
            }
            row.line = row.record.position().map_or(last_line + 1, |p| p.line());
            last_line = row.line;
            layout.convert(row);
            filled += 1;
        }
        let done = filled < BATCH;
        batch.truncate(filled);
        bytes.store(reader.get_ref().get_ref().bytes, Ordering::Relaxed);
        if !batch.is_empty() && out.send(batch).is_err() {
            break;
        }
        if done {
            break;
        }
    }
    let decoder = reader.into_inner();
    let open_quote = decoder.quotes() % 2 == 1;
    let tally = decoder.into_inner();
    let sha256 = tally
        .hash
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(ReadEnd {
        open_quote,
        last_line,
        sha256,
    })
}
