//! Files in and out of the workspace, one file per format. Errors carry file, line and column.

mod batch;
mod csv_text;
pub mod encoding;
mod export;
mod export_table;
mod import;
mod output;
mod rejects;
mod rows;
mod workbook;

pub use batch::{BatchRow, read_batch};
pub use encoding::EncodingChoice;
pub use export::{ExportOptions, ExportReport, Headers, Only, What, export};
pub use export_table::{Format, OutEncoding};
pub use import::{HeaderMap, ImportOptions, ImportReport, Progress, import_csv};
pub use output::Output;
