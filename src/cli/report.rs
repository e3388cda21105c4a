use std::path::PathBuf;

use super::choices::ReportFormat;
use crate::i18n::cmd;
use huishen_core::review::{Output, ReportLang as Lang, ReportOptions, Workspace};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
For the census office: counts by prefecture and by rule, corrections by field and reason, the
records still open, what each reviewer did, and rule quality (the share of each warning's
flags that were explained away), with charts; read from one consistent snapshot of the
workspace. The HTML page needs nothing else: it opens offline in any browser and prints.")]
pub struct Args {
    /// The workspace
    workspace: PathBuf,
    /// The file to write (default, or `-`: standard output)
    #[arg(long)]
    out: Option<PathBuf>,
    /// html: one self-contained page, charts as inline SVG, no script; md: Markdown tables
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    format: ReportFormat,
    /// The form (default: the workspace's first)
    #[arg(long)]
    form: Option<String>,
    /// Replace the file if it exists
    #[arg(long)]
    force: bool,
}

/// The report's language: the one `--lang` asks for, else both (the environment's language
/// does not narrow a report others read).
fn report_lang() -> Lang {
    match super::asked_lang() {
        Some(crate::i18n::Lang::En) => Lang::En,
        Some(crate::i18n::Lang::Zh) => Lang::Zh,
        None => Lang::Both,
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut ws = Workspace::open(&args.workspace)?;
    let mut out = Output::create(args.out.as_deref(), args.force)?;
    let options = ReportOptions {
        form: args.form,
        format: args.format.into(),
        lang: report_lang(),
    };
    let working =
        super::progress::Working::new(cmd::writing_report(super::lang(), &out.name()), None);
    let text = ws.report(&options)?;
    drop(working);
    out.put(text.as_bytes())?;
    let (name, to_file) = (out.name(), out.to_file());
    out.finish()?;
    // The report is the data; what was done is said on standard error.
    if to_file {
        eprintln!("{}", cmd::wrote_report(super::lang(), &name));
    }
    Ok(())
}
