//! What can be wrong with an imported file, said so that a reviewer can find and fix it.

use std::fmt;

use crate::domain::{Field, Form};

/// A CSV column: its 1-based number and its spreadsheet letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column(pub usize);

impl Column {
    /// The column's spreadsheet letters: A, B, …, Z, AA, …
    pub fn letters(&self) -> String {
        let mut letters = Vec::new();
        let mut n = self.0;
        while n > 0 {
            letters.push(b'A' + ((n - 1) % 26) as u8);
            n = (n - 1) / 26;
        }
        letters.reverse();
        String::from_utf8_lossy(&letters).into_owned()
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.0, self.letters())
    }
}

/// The column at 0-based index `index`.
pub fn column_name(index: usize) -> Column {
    Column(index + 1)
}

/// One problem with the header line.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderProblem {
    Unknown {
        column: Column,
        header: String,
        /// The field it comes nearest to, as `name (label)`.
        nearest: Option<String>,
    },
    /// It names a field, followed by a unit that is not the field's.
    OtherUnit {
        column: Column,
        header: String,
        /// The field, as `name (label)`, and its unit (none when it has none).
        field: String,
        unit: Option<crate::domain::Localized>,
    },
    Missing {
        field: Field,
    },
    Duplicate {
        first: Column,
        second: Column,
        field: String,
    },
}

/// One problem with one row: `file:line:column` (column counts CSV fields), the field, the
/// value and why it is refused.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    pub line: u64,
    pub column: Option<Column>,
    pub field: Option<String>,
    pub value: Option<String>,
    pub reason: String,
}

impl RowProblem {
    pub fn row(line: u64, reason: String) -> RowProblem {
        RowProblem {
            line,
            column: None,
            field: None,
            value: None,
            reason,
        }
    }

    pub fn cell(line: u64, col: usize, field: &Field, value: &str, reason: String) -> RowProblem {
        RowProblem {
            line,
            column: Some(column_name(col)),
            field: Some(format!("{} ({})", field.name, field.label.zh)),
            value: Some(value.to_string()),
            reason,
        }
    }

    /// Where the problem stands: `file:line:column` in a CSV file, `file:sheet!C5` in a
    /// workbook (`file:sheet!5:5` for a whole row).
    pub fn place(&self, file: &str, sheet: Option<&str>) -> String {
        match (sheet, &self.column) {
            (Some(sheet), Some(column)) => {
                format!("{file}:{sheet}!{}{}", column.letters(), self.line)
            }
            (Some(sheet), None) => format!("{file}:{sheet}!{line}:{line}", line = self.line),
            (None, Some(column)) => format!("{file}:{}:{}", self.line, column.0),
            (None, None) => format!("{file}:{}:", self.line),
        }
    }

    /// `file:line:column field: value "value" reason` on one line.
    pub fn describe(&self, file: &str, sheet: Option<&str>) -> String {
        let place = self.place(file, sheet);
        match (&self.field, &self.value) {
            (Some(field), Some(value)) => format!(
                "{place} {field}: value \"{}\" {}",
                shorten(value),
                self.reason
            ),
            _ => format!("{place} row {}", self.reason),
        }
    }
}

pub(super) fn shorten(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() > MAX {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    } else {
        value.to_string()
    }
}

/// Why an import stored nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// The file as a whole cannot be read: missing, empty, wrong encoding, broken quoting.
    File {
        file: String,
        problem: String,
        /// The problem in Chinese, where huishen words it.
        problem_zh: Option<String>,
    },
    /// The header does not fit the form.
    Header {
        file: String,
        form: Box<Form>,
        problems: Vec<HeaderProblem>,
        /// Another separator the header seems to use, and the option that reads it.
        hint: Option<crate::domain::Localized>,
    },
    /// Some rows are bad (the first few listed).
    Rows {
        file: String,
        problems: Vec<RowProblem>,
        bad_rows: u64,
        rows: u64,
        skipping: bool,
        /// The sheet the rows were read from, for a workbook.
        sheet: Option<String>,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::File { file, problem, .. } => {
                write!(f, "{file} {problem}; nothing was imported")
            }
            ImportError::Header {
                file,
                form,
                problems,
                hint,
            } => {
                write_header_problems(f, file, form, problems)?;
                match hint {
                    Some(hint) => write!(f, "\n{}", hint.en),
                    None => Ok(()),
                }
            }
            ImportError::Rows {
                file,
                problems,
                bad_rows,
                rows,
                skipping,
                sheet,
            } => write_row_problems(
                f,
                file,
                sheet.as_deref(),
                problems,
                (*bad_rows, *rows),
                *skipping,
            ),
        }
    }
}

/// The header's problems, one a line, then the fields the form has.
fn write_header_problems(
    f: &mut fmt::Formatter<'_>,
    file: &str,
    form: &Form,
    problems: &[HeaderProblem],
) -> fmt::Result {
    writeln!(
        f,
        "{file}:1: the header does not fit form {}; nothing was imported:",
        form.name
    )?;
    for p in problems {
        match p {
            HeaderProblem::Unknown {
                column,
                header,
                nearest,
            } => match nearest {
                Some(near) => writeln!(
                    f,
                    "  column {column} \"{header}\" is not a field of {}; the nearest is {near}",
                    form.name
                )?,
                None => writeln!(
                    f,
                    "  column {column} \"{header}\" is not a field of {}",
                    form.name
                )?,
            },
            HeaderProblem::OtherUnit {
                column,
                header,
                field,
                unit,
            } => match unit {
                Some(unit) => writeln!(
                    f,
                    "  column {column} \"{header}\" names field {field} in another unit: the \
                     field is in {} ({}); convert the values, or name the column without a unit",
                    unit.zh, unit.en
                )?,
                None => writeln!(
                    f,
                    "  column {column} \"{header}\" names field {field} with a unit, and the field \
                     has none; name the column without the unit"
                )?,
            },
            HeaderProblem::Missing { field } => writeln!(
                f,
                "  required column {} ({} / {}) is missing",
                field.name, field.label.zh, field.label.en
            )?,
            HeaderProblem::Duplicate {
                first,
                second,
                field,
            } => writeln!(f, "  columns {first} and {second} both name field {field}")?,
        }
    }
    let fields: Vec<String> = form
        .fields
        .iter()
        .map(|fl| format!("{} ({})", fl.name, fl.label.zh))
        .collect();
    write!(
        f,
        "A header names a field by its name, either label or an alias, its unit in brackets \
         after it or not (import --map FILE names the others). The fields of {} are: {}",
        form.name,
        fields.join(", ")
    )
}

/// The count of bad rows, the first ones listed, and what to do about them.
fn write_row_problems(
    f: &mut fmt::Formatter<'_>,
    file: &str,
    sheet: Option<&str>,
    problems: &[RowProblem],
    (bad_rows, rows): (u64, u64),
    skipping: bool,
) -> fmt::Result {
    let listed = problems
        .iter()
        .map(|p| p.line)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    writeln!(
        f,
        "{file}: {bad_rows} of {rows} rows are bad; nothing was imported. {}:",
        if (listed as u64) < bad_rows {
            format!("The first {listed}")
        } else {
            "They are".to_string()
        }
    )?;
    for p in problems {
        writeln!(f, "  {}", p.describe(file, sheet))?;
    }
    if skipping {
        write!(
            f,
            "No row is good, so nothing was stored. Fix the file and import it again"
        )
    } else {
        write!(
            f,
            "Fix these rows and import again, or import the good rows with \
             --skip-bad-rows (the bad ones then go to a rejects file beside the input)"
        )
    }
}

impl std::error::Error for ImportError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_like_a_spreadsheet() {
        assert_eq!(Column(1).to_string(), "1 (A)");
        assert_eq!(Column(27).to_string(), "27 (AA)");
        assert_eq!(Column(32).to_string(), "32 (AF)");
    }
}
