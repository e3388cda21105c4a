use std::path::PathBuf;

use super::passphrase;
use huishen_core::review::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Register a reviewer; asks for a passphrase (twice on a terminal, one line from standard input otherwise)
    Add {
        workspace: PathBuf,
        name: String,
        /// The reviewer's role, e.g. 县级审核, 市级审核, 省级审核, 统计部门
        #[arg(long)]
        role: String,
        /// The division-code prefix the reviewer may act in (e.g. 3703); everywhere when absent
        #[arg(long, default_value = "")]
        scope: String,
    },
    /// List the reviewers
    List { workspace: PathBuf },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Add {
            workspace,
            name,
            role,
            scope,
        } => {
            let mut ws = Workspace::open(&workspace)?;
            // A name, role or scope that cannot be enrolled is said before the passphrase is
            // asked for.
            ws.may_enrol(&name, &role, &scope)?;
            let undone = "nothing was changed";
            let first =
                passphrase::read_or_refuse(&format!("passphrase for {}: ", name.trim()), undone)?;
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                let again = passphrase::read_or_refuse("the same passphrase again: ", undone)?;
                if again != first {
                    anyhow::bail!("the two passphrases differ; nothing was changed");
                }
            }
            let reviewer = ws.add_reviewer(&name, &role, &scope, &first, &super::os_user())?;
            let name = &reviewer.name;
            outln!(
                "added reviewer {name} ({}), scope {}",
                reviewer.role,
                if scope.is_empty() {
                    "everywhere"
                } else {
                    scope.as_str()
                }
            )?;
        }
        Command::List { workspace } => {
            let ws = Workspace::open(&workspace)?;
            for r in ws.reviewers()? {
                outln!(
                    "{}\t{}\t{}",
                    r.name,
                    r.role,
                    if r.scope.is_empty() {
                        "*"
                    } else {
                        r.scope.as_str()
                    }
                )?;
            }
        }
    }
    Ok(())
}
