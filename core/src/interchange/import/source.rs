//! The beginning of an import: open the file, tell a workbook from a CSV file, choose a CSV
//! file's encoding from its first bytes, and read its records with the physical line each one
//! starts on; say what is wrong when any of it fails.

use std::fs::File;
use std::io::{Chain, Cursor, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::ImportOptions;
use super::sheet::SheetRecords;
use crate::error::{Error, ImportError, Result};
use crate::interchange::csv_text::{Quoting, line_and_column, scan_quotes, stray_reason};
use crate::interchange::encoding::{
    DETECT_BYTES, DecodeError, DecodingReader, EncodingChoice, choose,
};
use crate::interchange::rows::{Note, ReadEnd, RecordSource, Row, Tally, hex_digest};

/// The CSV reader over the file's decoded text: the bytes read to detect the encoding, then
/// the rest, counted and hashed on the way.
type CsvReader = csv::Reader<DecodingReader<Tally<Chain<Cursor<Vec<u8>>, File>>>>;

/// The file being imported: its name in messages, its size and how it is read.
pub(super) struct Source {
    pub(super) display: String,
    pub(super) total_bytes: u64,
    /// How the file was read, for the import log: `UTF-8`, `GB18030`, `Excel (sheet 1)`.
    pub(super) read_as: String,
    /// The sheet, for a workbook.
    pub(super) sheet: Option<String>,
    pub(super) delimiter: u8,
}

/// The records of a CSV file or of a sheet.
pub(super) enum Records {
    Csv(Box<CsvRecords>),
    Sheet(SheetRecords),
}

impl RecordSource for Records {
    fn read(&mut self, row: &mut Row) -> Result<bool> {
        match self {
            Records::Csv(c) => c.read(row),
            Records::Sheet(s) => s.read(row),
        }
    }

    fn bytes(&self) -> u64 {
        match self {
            Records::Csv(c) => c.bytes(),
            Records::Sheet(s) => s.bytes(),
        }
    }

    fn end(self) -> Result<ReadEnd> {
        match self {
            Records::Csv(c) => c.end(),
            Records::Sheet(s) => s.end(),
        }
    }
}

/// The first bytes of a ZIP archive (an `.xlsx` or `.ods` workbook) and of an OLE compound
/// file (an `.xls` workbook).
const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

impl Source {
    /// Opens `path` and returns the reader of its records (the header included): a
    /// workbook's sheet, or a CSV file in the encoding its beginning shows.
    pub(super) fn open(path: &Path, options: &ImportOptions<'_>) -> Result<(Source, Records)> {
        let display =
            (options.name.map(String::from)).unwrap_or_else(|| path.display().to_string());
        let file_problem = |problem: String| file_error(&display, problem);
        let unreadable = |e: std::io::Error| {
            said(
                &display,
                format!("cannot be read: {e}"),
                format!("无法读取：{e}"),
            )
        };

        let mut file = File::open(path).map_err(|e| {
            let (en, zh) = open_problem(&e);
            said(&display, en, zh)
        })?;
        let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
        if path.is_dir() {
            return Err(said(
                &display,
                "is a folder, not a CSV file or a workbook".into(),
                "是文件夹，不是 CSV 文件或工作簿".into(),
            ));
        }
        let mut prefix = Vec::with_capacity(DETECT_BYTES.min(total_bytes as usize));
        (&mut file)
            .take(DETECT_BYTES as u64)
            .read_to_end(&mut prefix)
            .map_err(unreadable)?;
        if prefix.is_empty() {
            return Err(said(&display, EMPTY.into(), EMPTY_ZH.into()));
        }
        if prefix.starts_with(ZIP) || prefix.starts_with(OLE) {
            let mut bytes = prefix;
            file.read_to_end(&mut bytes).map_err(unreadable)?;
            let sheet = SheetRecords::open(&display, bytes, options.sheet.as_deref())?;
            let source = Source {
                display,
                total_bytes,
                read_as: format!("{}, {}", sheet.kind(), sheet.name()),
                sheet: Some(sheet.name().to_string()),
                delimiter: b',',
            };
            return Ok((source, Records::Sheet(sheet)));
        }
        if options.sheet.is_some() {
            return Err(said(
                &display,
                "is a text file, not a workbook: --sheet chooses a sheet of an Excel file \
                 (.xlsx, .xls, .ods); leave it out"
                    .into(),
                "是文本文件，不是工作簿：--sheet 用于选择 Excel 文件（.xlsx、.xls、.ods）中的工作表；请去掉它"
                    .into(),
            ));
        }
        let first_line = prefix.split(|b| *b == b'\n').next().unwrap_or(&prefix);
        if first_line.contains(&0) {
            return Err(said(
                &display,
                "is not a text file: its first line holds NUL bytes (it may be a spreadsheet, \
                 or text in UTF-16); save it as CSV in UTF-8 or GBK and import that"
                    .into(),
                "不是文本文件：第一行含有 NUL 字节（可能是电子表格，或 UTF-16 文本）；请另存为 UTF-8 或 GBK 编码的 CSV 再导入"
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
            .from_reader(DecodingReader::new(tally, encoding).keep_text());
        let records = CsvRecords {
            reader,
            delimiter: options.delimiter,
            file: display.clone(),
            encoding: encoding_name,
            auto: options.encoding == EncodingChoice::Auto,
            open_quote: None,
        };
        let source = Source {
            delimiter: options.delimiter,
            display,
            total_bytes,
            read_as: encoding_name.to_string(),
            sheet: None,
        };
        Ok((source, Records::Csv(Box::new(records))))
    }

    /// An error with the file as a whole, said in both languages.
    pub(super) fn said(&self, en: String, zh: String) -> Error {
        said(&self.display, en, zh)
    }
}

/// What an empty file is told.
pub(super) const EMPTY: &str =
    "is empty; a file to import needs a header line and at least one record";
pub(super) const EMPTY_ZH: &str = "是空的；要导入的文件需要一行表头和至少一条记录";

/// An error with the file `file` as a whole.
fn file_error(file: &str, problem: String) -> Error {
    ImportError::File {
        file: file.to_string(),
        problem,
        problem_zh: None,
    }
    .into()
}

/// An error with the file `file` as a whole, in both languages.
pub(super) fn said(file: &str, en: String, zh: String) -> Error {
    ImportError::File {
        file: file.to_string(),
        problem: en,
        problem_zh: Some(zh),
    }
    .into()
}

/// The records of a CSV file, each with the physical line it starts on and the quotes it
/// has out of place.
pub(super) struct CsvRecords {
    reader: CsvReader,
    delimiter: u8,
    file: String,
    encoding: &'static str,
    /// The encoding was detected rather than asked for.
    auto: bool,
    /// The line where a quoted field opens and never closes.
    open_quote: Option<u64>,
}

impl RecordSource for CsvRecords {
    fn read(&mut self, row: &mut Row) -> Result<bool> {
        let read = self.reader.read_record(&mut row.record);
        if !read.map_err(|e| read_problem(&self.file, e, self.encoding, self.auto))? {
            return Ok(false);
        }
        let start = row.record.position().map_or(0, |p| p.byte());
        let end = self.reader.position().byte();
        let text = self.reader.get_mut();
        let raw = text.raw(start, end);
        // Blank lines before a record belong to no record.
        let lead = raw
            .iter()
            .take_while(|b| **b == b'\r' || **b == b'\n')
            .count();
        let raw = &raw[lead..];
        let quoting = if raw.contains(&b'"') {
            scan_quotes(raw, self.delimiter)
        } else {
            Quoting::Clean
        };
        let place = |offset: usize| line_and_column(raw, offset);
        let found = match quoting {
            Quoting::Clean => None,
            Quoting::Open { offset } => Some((place(offset).0, None)),
            Quoting::Stray {
                offset,
                field,
                after_close,
            } => Some((place(offset).0, Some((field, place(offset).1, after_close)))),
        };
        row.line = text.line_at(start + lead as u64);
        match found {
            None => {}
            Some((lines, None)) => self.open_quote = Some(row.line + lines),
            Some((lines, Some((field, column, after_close)))) => {
                let line = row.line + lines;
                row.notes.push(Note {
                    column: field,
                    line,
                    reason: stray_reason(after_close, line, column),
                });
            }
        }
        Ok(true)
    }

    fn bytes(&self) -> u64 {
        self.reader.get_ref().get_ref().bytes
    }

    fn end(self) -> Result<ReadEnd> {
        let tally = self.reader.into_inner().into_inner();
        Ok(ReadEnd {
            open_quote: self.open_quote,
            sha256: hex_digest(tally.hash),
        })
    }
}

/// Why a file cannot be opened, said for a reviewer in both languages.
fn open_problem(e: &std::io::Error) -> (String, String) {
    match e.kind() {
        std::io::ErrorKind::NotFound => (
            "does not exist; check the path".into(),
            "不存在；请检查路径".into(),
        ),
        std::io::ErrorKind::PermissionDenied => (
            "cannot be read: permission denied".into(),
            "无法读取：没有读取权限".into(),
        ),
        _ => (format!("cannot be read: {e}"), format!("无法读取：{e}")),
    }
}

/// Turns a CSV reading error (usually bytes the encoding cannot read) into an import error.
fn read_problem(file: &str, err: csv::Error, encoding: &str, auto: bool) -> Error {
    let (en, zh) = match err.kind() {
        csv::ErrorKind::Io(io) => {
            match io.get_ref().and_then(|e| e.downcast_ref::<DecodeError>()) {
                Some(d) => {
                    let (how, how_zh) = if auto {
                        (
                            format!(
                                "the file was read as {encoding}, detected from its beginning, so it mixes encodings: save it in one encoding (UTF-8 or GBK)"
                            ),
                            format!(
                                "文件按开头检测出的 {encoding} 读取，可见它混用了编码：请以一种编码（UTF-8 或 GBK）保存"
                            ),
                        )
                    } else {
                        (
                            format!(
                                "the file was read as {encoding} as asked; if it is in another encoding, pass --encoding auto, utf-8, gbk or gb18030"
                            ),
                            format!(
                                "文件按指定的 {encoding} 读取；若它是别的编码，请用 --encoding auto、utf-8、gbk 或 gb18030"
                            ),
                        )
                    };
                    let hex: Vec<String> = d.bytes.iter().map(|b| format!("{b:02X}")).collect();
                    (
                        format!("line {}, column {}: {d}; {how}", d.line, d.column),
                        format!(
                            "第 {} 行第 {} 列：字节 {} 不是有效的 {}；{how_zh}",
                            d.line,
                            d.column,
                            hex.join(" "),
                            d.encoding
                        ),
                    )
                }
                None => (format!("cannot be read: {io}"), format!("无法读取：{io}")),
            }
        }
        other => (
            format!("cannot be read as CSV: {other:?}"),
            format!("无法按 CSV 读取：{other:?}"),
        ),
    };
    said(file, en, zh)
}
