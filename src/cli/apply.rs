use crate::i18n::cmd;
use std::path::PathBuf;

use super::passphrase;
use huishen_core::review::{Session, read_batch};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workspace
    workspace: PathBuf,
    /// CSV with the columns key, field, value, reason (or 记录号, 指标, 新值, 原因)
    file: PathBuf,
    /// Who makes the corrections (asks for the passphrase)
    #[arg(long)]
    reviewer: String,
    /// The form the keys belong to (default: the workspace's first)
    #[arg(long)]
    form: Option<String>,
    /// Write the corrections; without it, only show what would change
    #[arg(long)]
    commit: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let rows = read_batch(&args.file)?;
    let (path, name, form) = (&args.workspace, &args.reviewer, args.form.as_deref());
    let mut session =
        passphrase::with_passphrase(name, super::passphrase::Undone::Opened, |given| {
            Session::open(path, name, given, form)
        })?;
    let file = args.file.display().to_string();
    let plan = session.plan_batch(&file, &rows)?;
    let lang = super::lang();
    for c in &plan.changes {
        outln!(
            "{file}:{}\t{}\t{}: {} → {}\t({})",
            c.line,
            c.key,
            c.field,
            if c.old.is_empty() { "—" } else { &c.old },
            c.new_text,
            c.reason
        )?;
    }
    for (line, key) in &plan.unchanged {
        outln!("{file}:{line}\t{key}\t{}", cmd::already_has_value(lang))?;
    }
    if !args.commit {
        outln!("{}", cmd::would_write(lang, plan.changes.len()))?;
        return Ok(());
    }
    let (opened, resolved) = session.apply_batch(&plan)?;
    let wrote = plan.changes.len();
    let who = &session.reviewer.name;
    outln!(
        "{}",
        cmd::wrote_corrections(lang, wrote, who, resolved, opened)
    )?;
    Ok(())
}
