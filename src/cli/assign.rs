use crate::i18n::cmd;
use std::path::PathBuf;

use huishen_core::review::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    workspace: PathBuf,
    /// The reviewer whose work split this is
    #[arg(long)]
    reviewer: String,
    /// A division-code prefix (e.g. 3703); repeat for more
    #[arg(long)]
    region: Vec<String>,
    /// A rule id; repeat for more
    #[arg(long)]
    rule: Vec<String>,
    /// A form; repeat for more
    #[arg(long)]
    form: Vec<String>,
    /// Replace the reviewer's assignments instead of adding to them
    #[arg(long)]
    clear: bool,
    #[command(flatten)]
    admin: super::passphrase::AsAdministrator,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut ws = Workspace::open(&args.workspace)?;
    let by = args.admin.sign_in(&ws)?;
    let now = ws.assign(
        &args.reviewer,
        &args.region,
        &args.rule,
        &args.form,
        args.clear,
        &by,
    )?;
    if now.is_empty() {
        outln!("{}", cmd::no_assignments(super::lang(), &args.reviewer))?;
    } else {
        let list: Vec<String> = now
            .iter()
            .map(|a| format!("{} {}", a.kind, a.value))
            .collect();
        let list = list.join(", ");
        outln!("{}", cmd::reviews(super::lang(), &args.reviewer, &list))?;
    }
    Ok(())
}
