//! What can be wrong with an imported file, said so that a reviewer can find and fix it.

use std::fmt;

use crate::domain::{Field, Form};

/// A CSV column: its 1-based number and its spreadsheet letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column(pub usize);

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut letters = Vec::new();
        let mut n = self.0;
        while n > 0 {
            letters.push(b'A' + ((n - 1) % 26) as u8);
            n = (n - 1) / 26;
        }
        letters.reverse();
        write!(f, "{} ({})", self.0, String::from_utf8_lossy(&letters))
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

    /// `file:line:column field "value" reason` on one line.
    pub fn describe(&self, file: &str) -> String {
        match (&self.column, &self.field, &self.value) {
            (Some(column), Some(field), Some(value)) => format!(
                "{file}:{}:{} {field}: value \"{}\" {}",
                self.line,
                column.0,
                shorten(value),
                self.reason
            ),
            _ => format!("{file}:{}: row {}", self.line, self.reason),
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
    File { file: String, problem: String },
    /// The header does not fit the form.
    Header {
        file: String,
        form: Box<Form>,
        problems: Vec<HeaderProblem>,
        /// Another separator the header seems to use, and the option that reads it.
        hint: Option<String>,
    },
    /// Some rows are bad (the first few listed).
    Rows {
        file: String,
        problems: Vec<RowProblem>,
        bad_rows: u64,
        rows: u64,
        skipping: bool,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::File { file, problem } => {
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
                    Some(hint) => write!(f, "\n{hint}"),
                    None => Ok(()),
                }
            }
            ImportError::Rows {
                file,
                problems,
                bad_rows,
                rows,
                skipping,
            } => write_row_problems(f, file, problems, *bad_rows, *rows, *skipping),
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
            HeaderProblem::Unknown { column, header } => writeln!(
                f,
                "  column {column} \"{header}\" is not a field of {}",
                form.name
            )?,
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
        "A header names a field by its name or either label. The fields of {} are: {}",
        form.name,
        fields.join(", ")
    )
}

/// The count of bad rows, the first ones listed, and what to do about them.
fn write_row_problems(
    f: &mut fmt::Formatter<'_>,
    file: &str,
    problems: &[RowProblem],
    bad_rows: u64,
    rows: u64,
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
        writeln!(f, "  {}", p.describe(file))?;
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
