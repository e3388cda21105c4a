//! Import of a CSV file or a workbook's sheet: read it, match the header to the form, convert
//! every cell to its field's type, and store the records in one transaction: all of them, or
//! with `--skip-bad-rows` the good ones while the bad ones go to a rejects file beside the
//! input.

mod header;
mod sheet;
mod source;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use super::encoding::EncodingChoice;
use super::rejects::Rejects;
use super::rows::{Layout, ReadEnd, Row, read_rows};
use crate::error::{Error, Result};
use crate::error::{ImportError, RowProblem};
use crate::store::{ImportFinish, ImportStart, Inserted, RowSink, Workspace};
pub use header::HeaderMap;
use header::read_header;
use source::{Records, Source};

/// How many bad rows an error lists.
pub const LISTED_BAD_ROWS: usize = 20;

/// How to read one file.
pub struct ImportOptions<'a> {
    pub form: &'a str,
    pub encoding: EncodingChoice,
    pub delimiter: u8,
    pub skip_bad_rows: bool,
    /// The sheet of a workbook, by name or 1-based number (the first when `None`).
    pub sheet: Option<String>,
    /// Headers the file writes in its own way, and the fields they hold.
    pub map: Option<&'a HeaderMap>,
    /// Cell texts that mean no value, besides those the form's schema names.
    pub null_values: Vec<String>,
    /// The name messages and the import log give the file (default: its path).
    pub name: Option<&'a str>,
    /// The line (a sheet's row) the header stands on, when rows above it are a title or notes.
    pub header_row: Option<u64>,
    /// The administrator importing: recorded in the import log, and signs its event.
    pub by: &'a crate::seal::Signer,
}

impl<'a> ImportOptions<'a> {
    /// Reads a file of `form` as its beginning shows, comma-separated, all or nothing.
    pub fn new(form: &'a str, by: &'a crate::seal::Signer) -> ImportOptions<'a> {
        ImportOptions {
            form,
            encoding: EncodingChoice::Auto,
            delimiter: b',',
            skip_bad_rows: false,
            sheet: None,
            map: None,
            null_values: Vec::new(),
            name: None,
            header_row: None,
            by,
        }
    }
}

/// How far an import has come.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub bytes: u64,
    pub total_bytes: u64,
    pub rows: u64,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub import_id: i64,
    pub form: String,
    /// How the file was read: its encoding, or `Excel, SHEET`.
    pub encoding: String,
    pub rows: u64,
    pub rejected: u64,
    pub rejects_file: Option<PathBuf>,
    pub sha256: String,
    /// The missing-value tokens the stored rows held, with how many cells held each.
    pub missing: Vec<(String, u64)>,
}

/// Imports `path` into the workspace. Progress is reported every few thousand rows.
pub fn import_csv(
    ws: &mut Workspace,
    path: &Path,
    options: &ImportOptions<'_>,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport> {
    let schema = ws.schema()?;
    let form = schema
        .form(options.form)
        .ok_or_else(|| Error::unknown_form(&schema, options.form))?
        .clone();
    let (source, mut records) = Source::open(path, options)?;
    let (header, columns, _) = read_header(
        &mut records,
        &source,
        &form,
        options.map,
        options.header_row,
    )?;
    let mut missing = form.null_values.clone();
    for token in &options.null_values {
        if !missing.contains(token) {
            missing.push(token.clone());
        }
    }
    let layout = Layout {
        form: &form,
        columns: &columns,
        key_index: form.key_index(),
        missing: &missing,
    };
    let start = ImportStart {
        file_name: &source.display,
        encoding: &source.read_as,
        by: options.by,
    };
    let mut rejects = options
        .skip_bad_rows
        .then(|| Rejects::beside(path, &header));
    let mut tally = RowTally {
        missing: vec![0; missing.len()],
        ..RowTally::default()
    };

    let outcome = ws.import(&form, &start, |sink| {
        store_rows(
            sink,
            records,
            &layout,
            &source,
            &mut tally,
            rejects.as_mut(),
            progress,
        )
    });
    let Some(import_id) = outcome? else {
        return Err(ImportError::Rows {
            file: source.display,
            problems: tally.listed,
            bad_rows: tally.bad,
            rows: tally.good + tally.bad,
            skipping: options.skip_bad_rows,
            sheet: source.sheet,
        }
        .into());
    };
    let rejects_file = match rejects {
        Some(r) if tally.bad > 0 => Some(r.finish()?),
        _ => None,
    };
    Ok(ImportReport {
        import_id,
        form: form.name.clone(),
        encoding: source.read_as,
        rows: tally.good,
        rejected: tally.bad,
        rejects_file,
        sha256: tally.sha256,
        missing: (missing.into_iter().zip(tally.missing))
            .filter(|(_, n)| *n > 0)
            .collect(),
    })
}

/// Reads the rows on a thread of their own and stores them here as they come, batch by batch;
/// then says what the import log records, or `None` when bad rows mean nothing is kept.
fn store_rows(
    sink: &mut RowSink<'_>,
    records: Records,
    layout: &Layout<'_>,
    source: &Source,
    tally: &mut RowTally,
    mut rejects: Option<&mut Rejects>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Option<ImportFinish>> {
    let bytes = AtomicU64::new(0);
    std::thread::scope(|scope| {
        let (full_tx, full_rx) = mpsc::sync_channel::<Vec<Row>>(4);
        let (spare_tx, spare_rx) = mpsc::channel::<Vec<Row>>();
        let bytes = &bytes;
        let reading = scope.spawn(move || read_rows(records, layout, &full_tx, &spare_rx, bytes));
        let stored = (|| -> Result<()> {
            for mut batch in full_rx {
                for row in &mut batch {
                    tally.store(sink, layout, row, rejects.as_deref_mut())?;
                }
                progress(Progress {
                    bytes: bytes.load(Ordering::Relaxed),
                    total_bytes: source.total_bytes,
                    rows: tally.good + tally.bad,
                });
                let _ = spare_tx.send(batch);
            }
            Ok(())
        })();
        let end = match reading.join() {
            Ok(end) => end?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        stored?;
        tally.finish(end, rejects.is_some(), source)
    })
}

/// The storing side's account of the rows.
#[derive(Default)]
struct RowTally {
    good: u64,
    bad: u64,
    /// The problems of the first bad rows.
    listed: Vec<RowProblem>,
    sha256: String,
    /// How many cells of the stored rows held each missing-value token.
    missing: Vec<u64>,
}

impl RowTally {
    /// How the import ends once every row is read: an error for a broken or empty file,
    /// `None` when bad rows mean nothing is kept (all of them bad, or not `skipping`), else
    /// what the import log records.
    fn finish(
        &mut self,
        end: ReadEnd,
        skipping: bool,
        source: &Source,
    ) -> Result<Option<ImportFinish>> {
        if let Some(line) = end.open_quote {
            return Err(source.said(
                format!(
                    "line {line}: a quoted field opens here and never closes (an unterminated \
                     quote); close it or remove the stray quote"
                ),
                format!("第 {line} 行：此处开始的带引号的值没有结束（引号未闭合）；请补上或删去多余的引号"),
            ));
        }
        if self.good + self.bad == 0 {
            return Err(source.said(
                "has a header but no records".into(),
                "只有表头，没有记录".into(),
            ));
        }
        if self.bad > 0 && (!skipping || self.good == 0) {
            return Ok(None);
        }
        self.sha256 = end.sha256;
        Ok(Some(ImportFinish {
            sha256: self.sha256.clone(),
            rows: self.good,
            rejected: self.bad,
        }))
    }

    /// Stores one row, or accounts for it as bad.
    fn store(
        &mut self,
        sink: &mut RowSink<'_>,
        layout: &Layout<'_>,
        row: &mut Row,
        rejects: Option<&mut Rejects>,
    ) -> Result<()> {
        if row.problems.is_empty() {
            match sink.insert(row.values(), row.line)? {
                Inserted::New => {
                    self.good += 1;
                    for (count, n) in self.missing.iter_mut().zip(&row.missing) {
                        *count += u64::from(*n);
                    }
                    return Ok(());
                }
                Inserted::Duplicate(origin) => {
                    let col = layout.key_column();
                    let reason = if origin.this_import {
                        format!(
                            "is a duplicate: the same key stands at line {} of this file",
                            origin.line
                        )
                    } else {
                        format!(
                            "is already in the workspace (imported from {}, line {})",
                            origin.file_name, origin.line
                        )
                    };
                    let field = &layout.form.fields[layout.key_index];
                    let problem = RowProblem::cell(row.line, col, field, &row.record[col], reason);
                    row.problems.push(problem);
                }
                Inserted::Orphan(parent) => {
                    let link = layout.form.parent.as_ref();
                    let index = link
                        .and_then(|l| layout.form.fields.iter().position(|f| f.name == l.key))
                        .unwrap_or(layout.key_index);
                    let col = layout.columns.iter().position(|c| *c == index).unwrap_or(0);
                    let field = &layout.form.fields[index];
                    let value = row.record.get(col).unwrap_or("");
                    let reason = if value.trim().is_empty() {
                        format!("is empty: the row needs the key of its {parent} record")
                    } else {
                        format!(
                            "names a record of {parent} that is not in the workspace: import \
                             that record first, or correct the key"
                        )
                    };
                    let problem = RowProblem::cell(row.line, col, field, value, reason);
                    row.problems.push(problem);
                }
            }
        }
        self.bad += 1;
        if let Some(rejects) = rejects {
            rejects.write(&row.record, row.line, &row.problems)?;
        }
        if self.bad <= LISTED_BAD_ROWS as u64 {
            self.listed.append(&mut row.problems);
        }
        Ok(())
    }
}
