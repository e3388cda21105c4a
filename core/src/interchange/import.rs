//! CSV import: decode, match the header to the form, convert every cell to its field's type,
//! and store the records in one transaction: all of them, or with `--skip-bad-rows` the good
//! ones while the bad ones go to a rejects file beside the input.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use sha2::{Digest, Sha256};

use super::encoding::{DETECT_BYTES, DecodeError, DecodingReader, EncodingChoice, choose};
use super::errors::{HeaderProblem, ImportError, RowProblem, column_name};
use super::rejects::Rejects;
use super::rows::{Layout, Row, Tally, read_rows};
use crate::domain::Form;
use crate::error::{Error, Result};
use crate::store::{ImportFinish, ImportStart, Inserted, RowSink, Workspace};

/// How many bad rows an error lists.
pub const LISTED_BAD_ROWS: usize = 20;

/// How to read one file.
pub struct ImportOptions<'a> {
    pub form: &'a str,
    pub encoding: EncodingChoice,
    pub delimiter: u8,
    pub skip_bad_rows: bool,
    /// Recorded in the import log.
    pub user: &'a str,
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
    pub encoding: &'static str,
    pub rows: u64,
    pub rejected: u64,
    pub rejects_file: Option<PathBuf>,
    pub sha256: String,
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
    let display = path.display().to_string();
    let file_problem = |problem: String| -> Error {
        ImportError::File {
            file: display.clone(),
            problem,
        }
        .into()
    };

    let mut file = File::open(path).map_err(|e| file_problem(open_problem(&e)))?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    if path.is_dir() {
        return Err(file_problem("is a folder, not a CSV file".into()));
    }
    let mut prefix = Vec::with_capacity(DETECT_BYTES.min(total_bytes as usize));
    (&mut file)
        .take(DETECT_BYTES as u64)
        .read_to_end(&mut prefix)
        .map_err(|e| file_problem(format!("cannot be read: {e}")))?;
    if prefix.is_empty() {
        return Err(file_problem(
            "is empty; a CSV file needs a header line and at least one record".into(),
        ));
    }
    let whole = (prefix.len() as u64) >= total_bytes;
    let encoding = choose(options.encoding, &prefix, whole).map_err(&file_problem)?;
    let encoding_name = if encoding == encoding_rs::UTF_8 {
        "UTF-8"
    } else {
        encoding.name()
    };
    let auto = options.encoding == EncodingChoice::Auto;

    let tally = Tally {
        inner: Cursor::new(prefix).chain(file),
        bytes: 0,
        hash: Sha256::new(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(options.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(DecodingReader::new(tally, encoding));
    let read_error = |e: csv::Error| read_problem(&display, e, encoding_name, auto);

    let mut header = csv::StringRecord::new();
    if !reader.read_record(&mut header).map_err(read_error)? {
        return Err(file_problem(
            "is empty; a CSV file needs a header line and at least one record".into(),
        ));
    }
    let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let columns = match_header(&form, &header).map_err(|problems| ImportError::Header {
        file: display.clone(),
        form: form.clone(),
        problems,
    })?;
    let layout = Layout {
        form: &form,
        columns: &columns,
        key_index: form.key_index(),
    };
    let start = ImportStart {
        file_name: &display,
        encoding: encoding_name,
        user: options.user,
    };
    let mut rejects = options
        .skip_bad_rows
        .then(|| Rejects::beside(path, &header));
    let mut tally = RowTally::default();
    let bytes = AtomicU64::new(0);

    let outcome = ws.import(&form, &start, |sink| -> Result<Option<ImportFinish>> {
        std::thread::scope(|scope| {
            let (full_tx, full_rx) = mpsc::sync_channel::<Vec<Row>>(4);
            let (spare_tx, spare_rx) = mpsc::channel::<Vec<Row>>();
            let layout = &layout;
            let bytes = &bytes;
            let reading =
                scope.spawn(move || read_rows(reader, layout, &full_tx, &spare_rx, bytes));
            let stored = (|| -> Result<()> {
                for mut batch in full_rx {
                    for row in &mut batch {
                        tally.store(sink, layout, row, rejects.as_mut())?;
                    }
                    progress(Progress {
                        bytes: bytes.load(Ordering::Relaxed),
                        total_bytes,
                        rows: tally.good + tally.bad,
                    });
                    let _ = spare_tx.send(batch);
                }
                Ok(())
            })();
            let end = match reading.join() {
                Ok(end) => end.map_err(read_error)?,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            stored?;
            if end.open_quote {
                return Err(file_problem(format!(
                    "line {}: a quoted field opens here and never closes (an unterminated \
                     quote); close it or remove the stray quote",
                    end.last_line
                )));
            }
            if tally.good + tally.bad == 0 {
                return Err(file_problem(
                    "has a header but no records; nothing was imported".into(),
                ));
            }
            if tally.bad > 0 && (rejects.is_none() || tally.good == 0) {
                return Ok(None);
            }
            tally.sha256 = end.sha256;
            Ok(Some(ImportFinish {
                sha256: tally.sha256.clone(),
                rows: tally.good,
                rejected: tally.bad,
            }))
        })
    });
    let Some(import_id) = outcome? else {
        return Err(ImportError::Rows {
            file: display,
            problems: tally.listed,
            bad_rows: tally.bad,
            rows: tally.good + tally.bad,
            skipping: options.skip_bad_rows,
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
        encoding: encoding_name,
        rows: tally.good,
        rejected: tally.bad,
        rejects_file,
        sha256: tally.sha256,
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
}

impl RowTally {
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

fn open_problem(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist; check the path".into(),
        std::io::ErrorKind::PermissionDenied => "cannot be read: permission denied".into(),
        _ => format!("cannot be read: {e}"),
    }
}

/// Turns a CSV reading error (usually bytes the encoding cannot read) into an import error.
fn read_problem(file: &str, err: csv::Error, encoding: &str, auto: bool) -> Error {
    let problem = match err.kind() {
        csv::ErrorKind::Io(io) => {
            match io.get_ref().and_then(|e| e.downcast_ref::<DecodeError>()) {
                Some(d) => {
                    let how = if auto {
                        format!(
                            "the file was read as {encoding}, detected from its beginning, so it mixes encodings: save it in one encoding (UTF-8 or GBK)"
                        )
                    } else {
                        format!(
                            "the file was read as {encoding} as asked; if it is in another encoding, pass --encoding auto, utf-8, gbk or gb18030"
                        )
                    };
                    format!("line {}, column {}: {d}; {how}", d.line, d.column)
                }
                None => format!("cannot be read: {io}"),
            }
        }
        other => format!("cannot be read as CSV: {other:?}"),
    };
    ImportError::File {
        file: file.to_string(),
        problem,
    }
    .into()
}

/// Maps each CSV column to a field of the form, or says everything that does not fit.
fn match_header(form: &Form, header: &[String]) -> Result<Vec<usize>, Vec<HeaderProblem>> {
    let mut problems = Vec::new();
    let mut columns = Vec::with_capacity(header.len());
    for (col, cell) in header.iter().enumerate() {
        match form.fields.iter().position(|f| f.matches_header(cell)) {
            Some(field) => {
                if let Some(first) = columns.iter().position(|f| *f == field) {
                    problems.push(HeaderProblem::Duplicate {
                        first: column_name(first),
                        second: column_name(col),
                        field: form.fields[field].name.clone(),
                    });
                }
                columns.push(field);
            }
            None => {
                problems.push(HeaderProblem::Unknown {
                    column: column_name(col),
                    header: cell.clone(),
                });
                columns.push(usize::MAX);
            }
        }
    }
    for (index, field) in form.fields.iter().enumerate() {
        if (field.required || field.name == form.key) && !columns.contains(&index) {
            problems.push(HeaderProblem::Missing {
                field: field.clone(),
            });
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}
