use std::path::{Path, PathBuf};

use super::choices::Encoding;
use super::progress::ProgressLine;
use crate::i18n::cmd;
use huishen_core::review::{ImportOptions, ImportReport, Workspace};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workspace
    workspace: PathBuf,
    /// The file to import: CSV (UTF-8, GBK or GB18030) or an Excel workbook (.xlsx, .xls,
    /// .ods), told apart by their content
    file: PathBuf,
    /// The form the records belong to
    #[arg(long)]
    form: String,
    /// The file's text encoding
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    encoding: Encoding,
    /// The field separator: one ASCII character, or `tab`
    #[arg(long, default_value = ",", value_parser = parse_delimiter)]
    delimiter: u8,
    /// Import the good rows and write the bad ones, with reasons, to NAME.rejects.csv
    #[arg(long)]
    skip_bad_rows: bool,
    /// The sheet of a workbook: its name, or its number from 1 (default: the first)
    #[arg(long)]
    sheet: Option<String>,
    /// A CSV file naming, line by line, a header of the file and the field it holds
    /// (`2016年SO2排放量(吨),prev_so2_emit_t`; `-` as the field leaves the column out)
    #[arg(long, value_name = "FILE")]
    map: Option<PathBuf>,
    /// Cell texts that mean no value, besides the schema's `null_values` (e.g. --null NA,—,/)
    #[arg(long, value_delimiter = ',', value_name = "TEXT,...")]
    null: Vec<String>,
    /// The line (a workbook's row) the header stands on, when a title or notes stand above it
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    header_row: Option<u64>,
    #[command(flatten)]
    format: super::format::FormatArg,
    #[command(flatten)]
    admin: super::passphrase::AsAdministrator,
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => {
            Ok(s.as_bytes()[0])
        }
        _ => Err(cmd::bad_delimiter(super::lang(), s)),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut ws = Workspace::open(&args.workspace)?;
    let by = args.admin.sign_in(&ws)?;
    let map = match &args.map {
        Some(path) => Some(ws.header_map(path, &args.form)?),
        None => None,
    };
    let options = ImportOptions {
        encoding: args.encoding.into(),
        delimiter: args.delimiter,
        skip_bad_rows: args.skip_bad_rows,
        sheet: args.sheet,
        map: map.as_ref(),
        null_values: args.null.iter().map(|t| t.trim().to_string()).collect(),
        header_row: args.header_row,
        ..ImportOptions::new(&args.form, &by)
    };
    let report = import_file(&mut ws, &args.file, &options)?;
    let format = args.format.get();
    if format == super::format::Format::Table {
        print_report(&args.file, &report)?;
        return Ok(());
    }
    let missing: serde_json::Map<String, serde_json::Value> = (report.missing.iter())
        .map(|(token, cells)| (token.clone(), (*cells).into()))
        .collect();
    let whole = serde_json::json!({
        "import": report.import_id, "form": report.form,
        "file": args.file.display().to_string(), "read_as": report.encoding,
        "rows": report.rows, "rejected": report.rejected,
        "rejects_file": report.rejects_file.as_ref().map(|p| p.display().to_string()),
        "sha256": report.sha256, "missing": missing,
    });
    super::format::emit(format, &whole, std::slice::from_ref(&whole), || {
        Ok(String::new())
    })
}

/// Imports one file with a progress line on a terminal.
pub fn import_file(
    ws: &mut Workspace,
    file: &Path,
    options: &ImportOptions<'_>,
) -> anyhow::Result<ImportReport> {
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let label = cmd::importing(super::lang(), &file.display().to_string());
    let mut progress = ProgressLine::new(label, size);
    let result = ws.import_csv(file, options, &mut |p| progress.update(p));
    progress.finish();
    Ok(result?)
}

pub fn print_report(file: &Path, report: &ImportReport) -> std::io::Result<()> {
    let lang = super::lang();
    outln!(
        "{}",
        cmd::imported(
            lang,
            report.rows,
            &report.form,
            &file.display().to_string(),
            &report.encoding,
            &report.sha256[..12.min(report.sha256.len())]
        )
    )?;
    if !report.missing.is_empty() {
        let tokens: Vec<String> = (report.missing.iter())
            .map(|(token, cells)| cmd::token_cells(lang, token, *cells))
            .collect();
        let list = tokens.join(crate::i18n::say::list_separator(lang));
        outln!("{}", cmd::read_as_missing(lang, &list))?;
    }
    if let Some(rejects) = &report.rejects_file {
        let rejects = rejects.display().to_string();
        outln!("{}", cmd::set_aside(lang, report.rejected, &rejects))?;
    }
    Ok(())
}
