//! The rejects file of `import --skip-bad-rows`: the bad rows as they were, with the line they
//! stood on (a sheet's row number for a workbook) and the reason, in UTF-8 beside the input (`NAME.rejects.csv`). It is written under
//! a temporary name and appears whole when the import ends.

use std::path::{Path, PathBuf};

use crate::error::RowProblem;
use crate::error::{Error, Result};

pub struct Rejects {
    target: PathBuf,
    state: Result<(csv::Writer<std::fs::File>, tempfile::TempPath), String>,
    header: Vec<String>,
    started: bool,
}

impl Rejects {
    /// A rejects file for `input`, opened when the first bad row arrives.
    pub fn beside(input: &Path, header: &[String]) -> Rejects {
        let stem = input
            .file_stem()
            .map_or_else(|| "import".into(), |s| s.to_string_lossy().into_owned());
        let target = input.with_file_name(format!("{stem}.rejects.csv"));
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let state = crate::store::new_file_in(&dir, ".huishen-rejects-")
            .map_err(|e| e.to_string())
            .map(|t| {
                let (file, path) = t.into_parts();
                // A row with more or fewer cells than the header is set aside as it was.
                let writer = csv::WriterBuilder::new().flexible(true).from_writer(file);
                (writer, path)
            });
        Rejects {
            target,
            state,
            header: header.to_vec(),
            started: false,
        }
    }

    fn error(&self, reason: impl ToString) -> Error {
        Error::Write {
            path: self.target.clone(),
            reason: reason.to_string(),
        }
    }

    /// Appends one bad row.
    pub fn write(
        &mut self,
        record: &csv::StringRecord,
        line: u64,
        problems: &[RowProblem],
    ) -> Result<()> {
        let reason: Vec<String> = problems
            .iter()
            .map(|p| match &p.field {
                Some(field) => format!("{field}: {}", p.reason),
                None => p.reason.clone(),
            })
            .collect();
        let started = self.started;
        let header = self.header.clone();
        let (writer, _) = match self.state.as_mut() {
            Ok(state) => state,
            Err(e) => {
                let e = e.clone();
                return Err(self.error(e));
            }
        };
        let mut result = Ok(());
        if !started {
            // A BOM lets spreadsheet programs on Chinese Windows open the UTF-8 file correctly.
            let mut first = header;
            if let Some(h) = first.first_mut() {
                h.insert(0, '\u{feff}');
            }
            first.push("_line".into());
            first.push("_reason".into());
            result = writer.write_record(&first);
        }
        // `_line` and `_reason` stand under their headers whatever the row's length: a short
        // row is padded with empty cells, and a long row's surplus cells follow `_reason`.
        let width = self.header.len();
        let mut row: Vec<String> = record.iter().take(width).map(str::to_string).collect();
        row.resize(width, String::new());
        row.push(line.to_string());
        row.push(reason.join("; "));
        row.extend(record.iter().skip(width).map(str::to_string));
        let result = result.and_then(|()| writer.write_record(&row));
        self.started = true;
        result.map_err(|e| self.error(e))
    }

    /// Moves the finished file into place and returns its path.
    pub fn finish(self) -> Result<PathBuf> {
        let (writer, temp) = self.state.map_err(|e| Error::Write {
            path: self.target.clone(),
            reason: e,
        })?;
        let target = self.target;
        let fail = |reason: String| Error::Write {
            path: target.clone(),
            reason,
        };
        let file = writer.into_inner().map_err(|e| fail(e.to_string()))?;
        file.sync_all().map_err(|e| fail(e.to_string()))?;
        temp.persist(&target).map_err(|e| fail(e.to_string()))?;
        Ok(target)
    }
}
