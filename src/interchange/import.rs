//! CSV import: decode, match the header to the form, convert every cell to its field's type,
//! and store the records in one transaction: all of them, or with `--skip-bad-rows` the good
//! ones while the bad ones go to a rejects file beside the input.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::encoding::{DETECT_BYTES, DecodeError, DecodingReader, EncodingChoice, choose};
use super::errors::{HeaderProblem, ImportError, RowProblem, column_name};
use super::rejects::Rejects;
use crate::domain::{Form, Value};
use crate::error::{Error, Result};
use crate::store::{ImportFinish, ImportStart, Inserted, Workspace};

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

/// Counts and hashes the bytes read from the file.
struct Tally<R> {
    inner: R,
    bytes: u64,
    hash: Sha256,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

type Source = DecodingReader<Tally<std::io::Chain<Cursor<Vec<u8>>, File>>>;

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
        .ok_or_else(|| Error::UnknownForm {
            form: options.form.to_string(),
            known: schema.forms.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
        })?
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
    let encoding_name = if encoding == encoding_rs::UTF_8 { "UTF-8" } else { encoding.name() };
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

    let mut record = csv::StringRecord::new();
    let read = |reader: &mut csv::Reader<Source>, record: &mut csv::StringRecord| {
        reader
            .read_record(record)
            .map_err(|e| read_problem(&display, e, encoding_name, auto))
    };
    if !read(&mut reader, &mut record)? {
        return Err(file_problem(
            "is empty; a CSV file needs a header line and at least one record".into(),
        ));
    }
    let header: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
    let columns = match_header(&form, &header).map_err(|problems| ImportError::Header {
        file: display.clone(),
        form: form.clone(),
        problems,
    })?;

    let mut rejects = options
        .skip_bad_rows
        .then(|| Rejects::beside(path, &header));
    let mut bad: Vec<RowProblem> = Vec::new();
    let mut bad_rows = 0u64;
    let mut good_rows = 0u64;
    let mut last_line = 1u64;
    let key_index = form.key_index();
    let mut sha256 = String::new();
    let start = ImportStart {
        file_name: &display,
        encoding: encoding_name,
        user: options.user,
    };

    let outcome = ws.import(&form, &start, |sink| -> Result<Option<ImportFinish>> {
        while read(&mut reader, &mut record)? {
            let line = record.position().map_or(last_line + 1, |p| p.line());
            last_line = line;
            let mut problems = Vec::new();
            let mut values = vec![Value::Null; form.fields.len()];
            if record.len() != header.len() {
                problems.push(RowProblem::row(
                    line,
                    format!(
                        "has {} fields; the header has {}",
                        record.len(),
                        header.len()
                    ),
                ));
            } else {
                for (col, field_index) in columns.iter().enumerate() {
                    let field = &form.fields[*field_index];
                    let cell = &record[col];
                    match Value::parse(field.ty, cell) {
                        Ok(v) => values[*field_index] = v,
                        Err(reason) => problems.push(RowProblem::cell(line, col, field, cell, reason)),
                    }
                }
                if problems.is_empty() && values[key_index] == Value::Null {
                    let col = columns.iter().position(|i| *i == key_index).unwrap_or(0);
                    let reason = "is empty; every record needs its key".to_string();
                    problems.push(RowProblem::cell(line, col, &form.fields[key_index], "", reason));
                }
            }
            if problems.is_empty() {
                match sink.insert(&values, line)? {
                    Inserted::New => good_rows += 1,
                    Inserted::Duplicate(origin) => {
                        let col = columns.iter().position(|i| *i == key_index).unwrap_or(0);
                        let key = &record[col];
                        let reason = if origin.this_import {
                            format!("is a duplicate: the same key stands at line {} of this file", origin.line)
                        } else {
                            format!(
                                "is already in the workspace (imported from {}, line {})",
                                origin.file_name, origin.line
                            )
                        };
                        problems.push(RowProblem::cell(line, col, &form.fields[key_index], key, reason));
                    }
                }
            }
            if !problems.is_empty() {
                bad_rows += 1;
                if let Some(rejects) = rejects.as_mut() {
                    rejects.write(&record, line, &problems)?;
                }
                if bad_rows <= LISTED_BAD_ROWS as u64 {
                    bad.extend(problems);
                }
            }
            let rows = good_rows + bad_rows;
            if rows % 8192 == 0 {
                progress(Progress {
                    bytes: reader.get_ref().get_ref().bytes,
                    total_bytes,
                    rows,
                });
            }
        }
        if reader.get_ref().quotes() % 2 == 1 {
            return Err(file_problem(format!(
                "line {last_line}: a quoted field opens here and never closes (an unterminated \
                 quote); close it or remove the stray quote"
            )));
        }
        if good_rows + bad_rows == 0 {
            return Err(file_problem(
                "has a header but no records; nothing was imported".into(),
            ));
        }
        if bad_rows > 0 && (rejects.is_none() || good_rows == 0) {
            return Ok(None);
        }
        sha256 = hex(&reader.get_ref().get_ref().hash.clone().finalize());
        Ok(Some(ImportFinish {
            sha256: sha256.clone(),
            rows: good_rows,
            rejected: bad_rows,
        }))
    });
    let import_id = match outcome? {
        Some(id) => id,
        None => {
            return Err(ImportError::Rows {
                file: display,
                problems: bad,
                bad_rows,
                rows: good_rows + bad_rows,
                skipping: options.skip_bad_rows,
            }
            .into());
        }
    };
    let rejects_file = match rejects {
        Some(r) if bad_rows > 0 => Some(r.finish()?),
        Some(r) => {
            r.discard();
            None
        }
        None => None,
    };
    Ok(ImportReport {
        import_id,
        form: form.name.clone(),
        encoding: encoding_name,
        rows: good_rows,
        rejected: bad_rows,
        rejects_file,
        sha256,
    })
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
        csv::ErrorKind::Io(io) => match io.get_ref().and_then(|e| e.downcast_ref::<DecodeError>()) {
            Some(d) => {
                let how = if auto {
                    format!("the file was read as {encoding}, detected from its beginning, so it mixes encodings: save it in one encoding (UTF-8 or GBK)")
                } else {
                    format!("the file was read as {encoding} as asked; if it is in another encoding, pass --encoding auto, utf-8, gbk or gb18030")
                };
                format!("line {}, column {}: {d}; {how}", d.line, d.column)
            }
            None => format!("cannot be read: {io}"),
        },
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
