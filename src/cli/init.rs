use std::path::PathBuf;

use anyhow::Context;

use crate::domain::Schema;
use crate::store::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workspace file to create (it must not exist yet)
    workspace: PathBuf,
    /// The schema file (TOML) that defines the forms
    #[arg(long)]
    schema: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let ws = create(&args.workspace, &args.schema)?;
    for form in ws.schema()?.forms {
        println!(
            "form {} ({}): {} fields, key {}",
            form.name,
            form.label.zh,
            form.fields.len(),
            form.key
        );
    }
    println!("created {}", args.workspace.display());
    Ok(())
}

/// Reads and checks a schema file, then creates the workspace.
pub fn create(workspace: &std::path::Path, schema_path: &std::path::Path) -> anyhow::Result<Workspace> {
    let source = std::fs::read_to_string(schema_path)
        .with_context(|| format!("cannot read the schema file {}", schema_path.display()))?;
    let name = schema_path.display().to_string();
    let schema = Schema::parse(&name, &source)?;
    Ok(Workspace::create(workspace, &schema, &name, &source, &super::os_user())?)
}
