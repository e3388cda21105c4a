//! The beginning of an import: open the file, choose its encoding from its first bytes, read
//! the header line and match it to the form, and say what is wrong when any of it fails.

use std::fs::File;
use std::io::{Chain, Cursor, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::ImportOptions;
use crate::domain::Form;
use crate::error::{Error, Result};
use crate::error::{HeaderProblem, ImportError, column_name};
use crate::interchange::encoding::{
    DETECT_BYTES, DecodeError, DecodingReader, EncodingChoice, choose,
};
use crate::interchange::rows::Tally;

/// The CSV reader over the file's decoded text: the bytes read to detect the encoding, then
/// the rest, counted and hashed on the way.
pub(super) type CsvReader = csv::Reader<DecodingReader<Tally<Chain<Cursor<Vec<u8>>, File>>>>;

/// The file being imported: its name in messages, its size and the encoding it is read in.
pub(super) struct Source {
    pub(super) display: String,
    pub(super) total_bytes: u64,
    pub(super) encoding_name: &'static str,
    /// The encoding was detected rather than asked for.
    auto: bool,
    delimiter: u8,
}

impl Source {
    /// Opens `path`, reads its beginning to choose the encoding and returns the reader of its
    /// CSV records (the header line included).
    pub(super) fn open(path: &Path, options: &ImportOptions<'_>) -> Result<(Source, CsvReader)> {
        let display = path.display().to_string();
        let file_problem = |problem: String| file_error(&display, problem);

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
            return Err(file_problem(EMPTY.into()));
        }
        let first_line = prefix.split(|b| *b == b'\n').next().unwrap_or(&prefix);
        if first_line.contains(&0) {
            return Err(file_problem(
                "is not a text file: its first line holds NUL bytes (it may be a spreadsheet, \
                 or text in UTF-16); save it as CSV in UTF-8 or GBK and import that"
                    .into(),
            ));
        }
        let whole = (prefix.len() as u64) >= total_bytes;
        let encoding = choose(options.encoding, &prefix, whole).map_err(&file_problem)?;
        let encoding_name = if encoding == encoding_rs::UTF_8 {
            "UTF-8"
        } else {
            encoding.name()
        };

        let tally = Tally {
            inner: Cursor::new(prefix).chain(file),
            bytes: 0,
            hash: Sha256::new(),
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(options.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(DecodingReader::new(tally, encoding));
        let source = Source {
            delimiter: options.delimiter,
            display,
            total_bytes,
            encoding_name,
            auto: options.encoding == EncodingChoice::Auto,
        };
        Ok((source, reader))
    }

    /// An error with the file as a whole.
    pub(super) fn problem(&self, problem: String) -> Error {
        file_error(&self.display, problem)
    }

    /// An error reading the file as CSV in its encoding.
    pub(super) fn read_error(&self, err: csv::Error) -> Error {
        read_problem(&self.display, err, self.encoding_name, self.auto)
    }
}

/// What an empty file is told.
const EMPTY: &str = "is empty; a CSV file needs a header line and at least one record";

/// An error with the file `file` as a whole.
fn file_error(file: &str, problem: String) -> Error {
    ImportError::File {
        file: file.to_string(),
        problem,
    }
    .into()
}

/// Reads the header line: its cells, trimmed, and the field of the form each column holds.
pub(super) fn read_header(
    reader: &mut CsvReader,
    source: &Source,
    form: &Form,
) -> Result<(Vec<String>, Vec<usize>)> {
    let mut header = csv::StringRecord::new();
    if !reader
        .read_record(&mut header)
        .map_err(|e| source.read_error(e))?
    {
        return Err(source.problem(EMPTY.into()));
    }
    let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let columns = match_header(form, &header).map_err(|problems| ImportError::Header {
        file: source.display.clone(),
        form: Box::new(form.clone()),
        problems,
        hint: delimiter_hint(&header, source.delimiter),
    })?;
    Ok((header, columns))
}

/// For a header that does not fit: when its cells hold another common separator, the
/// `--delimiter` that would read them.
fn delimiter_hint(header: &[String], delimiter: u8) -> Option<String> {
    [(';', "';'"), ('\t', "tab"), ('|', "'|'"), (',', "','")]
        .into_iter()
        .find(|(c, _)| *c as u32 != u32::from(delimiter) && header.iter().any(|h| h.contains(*c)))
        .map(|(c, arg)| {
            let shown = if c == '\t' {
                "tabs".into()
            } else {
                format!("`{c}`")
            };
            format!(
                "The header holds {shown} between names: if the file is separated by them, \
                 import it again with --delimiter {arg}"
            )
        })
}

/// Why a file cannot be opened, said for a reviewer.
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
