//! Where an export or a report goes: a file that appears whole or not at all. Everything is
//! written to a temporary file beside the target and renamed over it at the end; an error on
//! the way leaves no file behind (and an existing file as it was). Without a target the
//! temporary file is copied to standard output at the end, so that a failed export prints
//! nothing.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file being written.
pub struct Output {
    /// `None` for standard output.
    target: Option<PathBuf>,
    force: bool,
    writer: BufWriter<File>,
    temp: tempfile::TempPath,
    /// A workbook being filled, written out when the output finishes.
    book: Option<super::workbook::Book>,
    /// Counts the rows written, for whoever shows progress.
    rows: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
}

impl Output {
    /// Prepares to write `target` (standard output when `None`). An existing file is refused
    /// unless `force` is set.
    pub fn create(target: Option<&Path>, force: bool) -> Result<Output> {
        // `-` is standard output, as for most command-line tools.
        let target = target.filter(|p| p.as_os_str() != "-");
        let dir = match target {
            Some(path) => {
                if path.is_dir() {
                    return Err(Error::Write {
                        path: path.into(),
                        reason: "it is a folder; give the path of a file".into(),
                    });
                }
                if path.exists() && !force {
                    return Err(exists(path));
                }
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                if !dir.is_dir() {
                    return Err(Error::Write {
                        path: path.into(),
                        reason: format!("the folder {} does not exist", dir.display()),
                    });
                }
                dir
            }
            None => std::env::temp_dir(),
        };
        // A file for standard output stays private in the shared temporary folder; one that
        // takes the target's place is created like any other file, under the umask.
        let temp = match target {
            Some(_) => crate::store::new_file_in(&dir, ".huishen-out-"),
            None => tempfile::Builder::new()
                .prefix(".huishen-out-")
                .tempfile_in(&dir),
        }
        .map_err(|e| Error::Write {
            path: target.map_or_else(|| PathBuf::from("standard output"), Path::to_path_buf),
            reason: format!("cannot create a file in {}: {}", dir.display(), e.kind()),
        })?;
        let (file, temp) = temp.into_parts();
        Ok(Output {
            target: target.map(Path::to_path_buf),
            force,
            writer: BufWriter::with_capacity(1 << 16, file),
            temp,
            book: None,
            rows: None,
        })
    }

    /// Counts every row a table writes here into `rows` (for a progress line).
    pub fn count_rows(&mut self, rows: std::sync::Arc<std::sync::atomic::AtomicU64>) {
        self.rows = Some(rows);
    }

    /// One more row written.
    pub(super) fn row_written(&self) {
        if let Some(rows) = &self.rows {
            rows.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// The workbook this output is, started on first use.
    pub fn book(&mut self) -> &mut super::workbook::Book {
        self.book.get_or_insert_with(super::workbook::Book::new)
    }

    /// Whether this goes to a file (not standard output, which `-` names too).
    pub fn to_file(&self) -> bool {
        self.target.is_some()
    }

    /// The target as messages name it.
    pub fn name(&self) -> String {
        self.target
            .as_ref()
            .map_or_else(|| "standard output".into(), |p| p.display().to_string())
    }

    /// The error for a failed write.
    pub fn error(&self, e: &io::Error) -> Error {
        Error::Write {
            path: PathBuf::from(self.name()),
            reason: e.to_string(),
        }
    }

    /// Writes bytes, turning an I/O error into one that names the target.
    pub fn put(&mut self, bytes: &[u8]) -> Result<()> {
        match self.writer.write_all(bytes) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.error(&e)),
        }
    }

    /// Moves the finished file into place (or copies it to standard output).
    pub fn finish(mut self) -> Result<()> {
        if let Some(book) = self.book.take() {
            let bytes = book.finish()?;
            self.put(&bytes)?;
        }
        let Output {
            target,
            force,
            writer,
            temp,
            book: _,
            rows: _,
        } = self;
        let name = target
            .as_ref()
            .map_or_else(|| PathBuf::from("standard output"), Clone::clone);
        let fail = |e: io::Error| Error::Write {
            path: name.clone(),
            reason: e.to_string(),
        };
        let file = writer.into_inner().map_err(|e| fail(e.into_error()))?;
        file.sync_all().map_err(fail)?;
        drop(file);
        match target {
            Some(path) if force => temp.persist(&path).map_err(|e| fail(e.error)),
            Some(path) => match temp.persist_noclobber(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Err(exists(&path)),
                Err(e) => Err(fail(e.error)),
            },
            None => {
                let mut file = File::open(&temp).map_err(fail)?;
                let mut stdout = io::stdout().lock();
                match io::copy(&mut file, &mut stdout).and_then(|_| stdout.flush()) {
                    // The reader went away (`| head`): what it wanted, it has.
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Error::OutputClosed),
                    other => other.map_err(fail),
                }
            }
        }
    }
}

fn exists(path: &Path) -> Error {
    Error::declined(
        format!(
            "{} exists already; nothing was written. Choose another path, or add --force to replace it",
            path.display()
        ),
        format!(
            "{} 已存在，未写入任何内容；请换一个路径，或加 --force 替换它",
            path.display()
        ),
    )
}
