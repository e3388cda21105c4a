//! The header of an imported file: each column matched to a field of the form (by name, label
//! or alias, a unit in brackets after it or not, or as a `--map` file says), and everything
//! that does not fit said at once, with the nearest field for a header that names none.

use std::io::Read;
use std::path::Path;

use super::source::{Records, Source, said};
use crate::domain::{Form, HeaderMatch, Localized, nearest_field};
use crate::error::{Error, HeaderProblem, ImportError, Result, column_name};
use crate::interchange::encoding::{DecodingReader, EncodingChoice, choose};
use crate::interchange::rows::{BLANK, IGNORED, RecordSource, Row};

/// A `--map` file read: for each header it names, the field (or `None` to leave the column out).
pub struct HeaderMap {
    pub file: String,
    pub entries: Vec<(String, Option<String>, u64)>,
}

impl HeaderMap {
    /// Reads a map file: a CSV file of two columns, the header as the file writes it and the
    /// field it holds (its name or a label; `-` or empty to leave the column out), one line
    /// per header; a first line `header,field` is skipped.
    pub fn read(path: &Path, form: &Form) -> Result<HeaderMap> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| Error::Read {
            path: path.into(),
            reason: e.to_string(),
        })?;
        let bad = |line: u64, en: String, zh: String| said(&format!("{file}:{line}"), en, zh);
        let encoding =
            choose(EncodingChoice::Auto, &bytes, true).map_err(|e| bad(1, e.clone(), e))?;
        let mut text = String::new();
        DecodingReader::new(&bytes[..], encoding)
            .read_to_string(&mut text)
            .map_err(|e| {
                bad(
                    1,
                    format!("cannot be decoded: {e}"),
                    format!("无法解码：{e}"),
                )
            })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let lines = crate::interchange::csv_text::Lines::of(text.as_bytes());
        let mut entries = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                bad(
                    e.position().map_or(1, |p| lines.line_of(p.byte())),
                    format!("cannot be read as CSV: {e}"),
                    format!("无法按 CSV 读取：{e}"),
                )
            })?;
            let line = lines.line_of(record.position().map_or(0, |p| p.byte()));
            let cells: Vec<&str> = record.iter().map(str::trim).collect();
            if entries.is_empty()
                && cells.len() == 2
                && cells[0].eq_ignore_ascii_case("header")
                && cells[1].eq_ignore_ascii_case("field")
            {
                continue;
            }
            if cells.len() != 2 || cells[0].is_empty() {
                return Err(bad(
                    line,
                    "a line of a map file is the header as the file writes it, a comma, and the \
                     field it holds (or - to leave the column out)"
                        .into(),
                    "映射文件的每行是文件中的列名、逗号和它对应的指标（或 - 表示不导入该列）"
                        .into(),
                ));
            }
            let field = match cells[1] {
                "" | "-" => None,
                named => match form.fields.iter().find(|f| f.names_header(named)) {
                    Some(f) => Some(f.name.clone()),
                    None => {
                        return Err(bad(
                            line,
                            format!(
                                "\"{named}\" is not a field of {}; name a field by its name or a label",
                                form.name
                            ),
                            format!("“{named}”不是 {} 的指标；请写指标名或其标签", form.name),
                        ));
                    }
                },
            };
            entries.push((cells[0].to_string(), field, line));
        }
        Ok(HeaderMap { file, entries })
    }

    /// The field (or leaving out) the map gives a header cell, when it names it.
    fn lookup(&self, cell: &str) -> Option<&Option<String>> {
        (self.entries.iter())
            .find(|(header, _, _)| header == cell.trim())
            .map(|(_, field, _)| field)
    }
}

/// Reads the header line: its cells, trimmed, and the field of the form each column holds.
pub(super) fn read_header(
    records: &mut Records,
    source: &Source,
    form: &Form,
    map: Option<&HeaderMap>,
    header_row: Option<u64>,
) -> Result<(Vec<String>, Vec<usize>, u64)> {
    let mut row = Row::default();
    loop {
        if !records.read(&mut row)? {
            return Err(match header_row {
                Some(n) => source.said(
                    format!("has nothing at or after row {n}, where --header-row puts the header"),
                    format!("在 --header-row 指定的第 {n} 行及其后没有内容"),
                ),
                None => source.said(super::source::EMPTY.into(), super::source::EMPTY_ZH.into()),
            });
        }
        // The rows above the header (a title, a note) are not read.
        if header_row.is_none_or(|n| row.line >= n) {
            break;
        }
    }
    let header_row = row.line;
    let header: Vec<String> = row.record.iter().map(|h| h.trim().to_string()).collect();
    let columns = match_header(form, &header, map).map_err(|problems| ImportError::Header {
        file: source.display.clone(),
        form: Box::new(form.clone()),
        problems,
        // A header of one cell that holds another separator is a file split by it, not a title.
        hint: match source.sheet {
            Some(_) => None,
            None => delimiter_hint(&header, source.delimiter),
        }
        .or_else(|| title_hint(&header, header_row, form)),
    })?;
    Ok((header, columns, row.line))
}

/// Maps each column to a field of the form, or says everything that does not fit.
fn match_header(
    form: &Form,
    header: &[String],
    map: Option<&HeaderMap>,
) -> Result<Vec<usize>, Vec<HeaderProblem>> {
    let mut problems = Vec::new();
    let mut columns = Vec::with_capacity(header.len());
    let index_of = |name: &str| form.fields.iter().position(|f| f.name == name);
    for (col, cell) in header.iter().enumerate() {
        if let Some(mapped) = map.and_then(|m| m.lookup(cell)) {
            columns.push(mapped.as_deref().and_then(index_of).unwrap_or(IGNORED));
            continue;
        }
        if cell.is_empty() {
            columns.push(BLANK);
            continue;
        }
        let matches: Vec<(usize, HeaderMatch)> = (form.fields.iter().enumerate())
            .map(|(i, f)| (i, f.match_header(cell)))
            .filter(|(_, m)| *m != HeaderMatch::No)
            .collect();
        match matches
            .iter()
            .find(|(_, m)| *m == HeaderMatch::Names)
            .or(matches.first())
        {
            Some((field, HeaderMatch::Names)) => columns.push(*field),
            Some((field, _)) => {
                let f = &form.fields[*field];
                problems.push(HeaderProblem::OtherUnit {
                    column: column_name(col),
                    header: cell.clone(),
                    field: format!("{} ({})", f.name, f.label.zh),
                    unit: f.unit.clone(),
                });
                columns.push(IGNORED);
            }
            None => {
                problems.push(HeaderProblem::Unknown {
                    column: column_name(col),
                    header: cell.clone(),
                    nearest: nearest_field(form, cell)
                        .map(|f| format!("{} ({})", f.name, f.label.zh)),
                });
                columns.push(IGNORED);
            }
        }
    }
    for (col, field) in columns.iter().enumerate() {
        if *field >= BLANK {
            continue;
        }
        if let Some(first) = columns[..col].iter().position(|f| f == field) {
            problems.push(HeaderProblem::Duplicate {
                first: column_name(first),
                second: column_name(col),
                field: form.fields[*field].name.clone(),
            });
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

/// For a header that does not fit and holds one cell only, as a title above a table does: the
/// `--header-row` that would skip it.
fn title_hint(header: &[String], line: u64, form: &Form) -> Option<Localized> {
    let mut filled = header.iter().filter(|h| !h.is_empty());
    let title = filled.next()?;
    (filled.next().is_none() && form.fields.len() > 1).then(|| {
        Localized {
            en: format!(
                "Row {line} holds one cell only (\"{title}\"), as a title does: if the header \
                 stands below it, import again with --header-row and the header's row"
            ),
            zh: format!(
                "第 {line} 行只有一个单元格（“{title}”），像是标题：若表头在它下面，请加 --header-row 表头所在行号 重新导入"
            ),
        }
    })
}

/// For a header that does not fit: when its cells hold another common separator, the
/// `--delimiter` that would read them.
fn delimiter_hint(header: &[String], delimiter: u8) -> Option<Localized> {
    [(';', "';'"), ('\t', "tab"), ('|', "'|'"), (',', "','")]
        .into_iter()
        .find(|(c, _)| *c as u32 != u32::from(delimiter) && header.iter().any(|h| h.contains(*c)))
        .map(|(c, arg)| {
            let shown = if c == '\t' {
                "tabs".into()
            } else {
                format!("`{c}`")
            };
            let zh_shown = if c == '\t' {
                "制表符".into()
            } else {
                format!("`{c}`")
            };
            Localized {
                en: format!(
                    "The header holds {shown} between names: if the file is separated by them, \
                     import it again with --delimiter {arg}"
                ),
                zh: format!(
                    "表头的名称之间有 {zh_shown}：若文件以它分隔，请加 --delimiter {arg} 重新导入"
                ),
            }
        })
}
