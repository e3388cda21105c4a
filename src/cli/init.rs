use std::path::PathBuf;

use huishen_core::review::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workspace file to create (it must not exist yet)
    workspace: PathBuf,
    /// The schema file (TOML) that defines the forms
    #[arg(long)]
    schema: PathBuf,
    /// A rule file (TOML) to load into the new workspace
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Let the file's group read and write the workspace, whatever the umask (for a session
    /// shared by several OS accounts; see "Sharing one workspace" in the README)
    #[arg(long)]
    group_writable: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (ws, loaded) = Workspace::init(
        &args.workspace,
        &args.schema,
        args.rules.as_deref(),
        &super::os_user(),
    )?;
    if args.group_writable {
        ws.share_with_group()?;
    }
    if let (Some(rules), Some(report)) = (&args.rules, &loaded) {
        super::rules::print_load(rules, report)?;
    }
    for form in ws.schema()?.forms {
        outln!(
            "form {} ({}): {} fields, key {}",
            form.name,
            form.label.zh,
            form.fields.len(),
            form.key
        )?;
    }
    if args.group_writable {
        outln!(
            "created {}; its group may read and write it",
            args.workspace.display()
        )?;
    } else {
        outln!("created {}", args.workspace.display())?;
    }
    Ok(())
}
