use std::path::PathBuf;

use super::choices::{Format, Headers, Only, OutEncoding, What};
use crate::i18n::cmd;
use huishen_core::review::{ExportOptions, Output, Workspace};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
What goes out:
  data        the records with their current values, one column per field in schema order
              (the headers of the original import are not kept: the header line is the
              fields' Chinese labels unless --headers says otherwise); re-imports as is
  changes     one row per standing correction: record, field, original (the value the
              correction replaced), new, the rules that flagged it, reason, reviewer, role,
              time, event and event hash
  flags       every flag with its state (failing, explained, fixed) and explanation
  signatures  the signature register: record, signer, role, time, record hash, and whether
              the signature stands or was voided by a reopen or undo
  notes       the notes on records
  all         the five tables, a sheet each, in one workbook (--format xlsx)

With --format xlsx the file is an Excel workbook: the header row in bold and frozen, codes and
keys (credit codes, division and industry codes) stored as text so that every digit and
leading zero stays, numbers as numbers; it imports back as it is.

Everything is read in one read transaction, so an export taken while others review is
consistent. The file is written under a temporary name beside --out and renamed when it is
complete: it appears whole or not at all, and an existing file is replaced only with --force.")]
pub struct Args {
    /// The workspace
    workspace: PathBuf,
    /// What to export
    #[arg(long, value_enum)]
    what: What,
    /// The form (default: the workspace's first)
    #[arg(long)]
    form: Option<String>,
    /// The file format
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// The text encoding of a CSV file (JSON is always UTF-8)
    #[arg(long, value_enum, default_value_t = OutEncoding::Utf8)]
    encoding: OutEncoding,
    /// Which records: those signed off and locked, or all
    #[arg(long, value_enum, default_value_t = Only::All)]
    only: Only,
    /// The header line: field names, Chinese labels or English labels (default: zh for CSV,
    /// names for JSON)
    #[arg(long, value_enum)]
    headers: Option<Headers>,
    /// With --what data: after each corrected field, a column with its value as imported
    #[arg(long)]
    with_original: bool,
    /// With --what data: after each coded field, a column with what its value means (2 →
    /// 中型, 370102 → 历下区), in the language of the headers
    #[arg(long)]
    labels: bool,
    /// With --what data: a column per score function with each record's score (empty where
    /// it cannot be scored)
    #[arg(long)]
    with_scores: bool,
    /// With --what data of a child form: these fields of each row's parent record too (for
    /// one flat table), e.g. --with-parent unit_name,region_code
    #[arg(long, value_delimiter = ',', value_name = "FIELD,...")]
    with_parent: Vec<String>,
    /// The file to write (default, or `-`: standard output)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the file if it exists
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut ws = Workspace::open(&args.workspace)?;
    let mut out = Output::create(args.out.as_deref(), args.force)?;
    let rows = super::progress::Rows::default();
    out.count_rows(rows.clone());
    let working =
        super::progress::Working::new(cmd::exporting(super::lang(), &out.name()), Some(rows));
    let options = ExportOptions {
        what: args.what.into(),
        form: args.form,
        format: args.format.into(),
        encoding: args.encoding.into(),
        only: args.only.into(),
        headers: args.headers.map(Into::into),
        with_original: args.with_original,
        with_labels: args.labels,
        with_scores: args.with_scores,
        with_parent: args.with_parent,
    };
    let report = ws.export(&options, &mut out)?;
    let name = out.name();
    out.finish()?;
    drop(working);
    let lang = super::lang();
    let what = match args.what {
        What::Data => cmd::what_records(lang),
        What::Changes => cmd::what_corrections(lang),
        What::Flags => cmd::what_flags(lang),
        What::Signatures => cmd::what_signatures(lang),
        What::Notes => cmd::what_notes(lang),
        What::All => cmd::what_tables(lang),
    };
    let how = match (args.format, args.encoding) {
        (Format::Json, _) => "JSON",
        (Format::Xlsx, _) => "Excel",
        (Format::Csv, OutEncoding::Utf8) => "CSV, UTF-8",
        (Format::Csv, OutEncoding::Gbk) => "CSV, GBK",
    };
    let line = cmd::exported(
        lang,
        report.rows,
        what,
        &report.form,
        &name.to_string(),
        how,
    );
    // The export is the data; what was written is said on standard error.
    eprintln!("{line}");
    Ok(())
}
