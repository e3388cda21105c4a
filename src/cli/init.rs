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
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (ws, loaded) = Workspace::init(
        &args.workspace,
        &args.schema,
        args.rules.as_deref(),
        &super::os_user(),
    )?;
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
    outln!("created {}", args.workspace.display())?;
    Ok(())
}
