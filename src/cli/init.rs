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
    /// A rule file (TOML) to load into the new workspace
    #[arg(long)]
    rules: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if let Some(rules) = &args.rules {
        // Read and parse the rule file first, so that a broken one leaves no workspace behind.
        let source = std::fs::read_to_string(rules)
            .with_context(|| format!("cannot read the rule file {}", rules.display()))?;
        crate::rules::RuleSet::parse(&rules.display().to_string(), &source)
            .map_err(crate::Error::Rules)?;
    }
    let mut ws = create(&args.workspace, &args.schema)?;
    if let Some(rules) = &args.rules {
        match super::rules::load(&mut ws, rules) {
            Ok(report) => super::rules::print_load(rules, &report),
            Err(e) => {
                drop(ws);
                remove_workspace(&args.workspace);
                return Err(e);
            }
        }
    }
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
pub fn create(
    workspace: &std::path::Path,
    schema_path: &std::path::Path,
) -> anyhow::Result<Workspace> {
    let source = std::fs::read_to_string(schema_path)
        .with_context(|| format!("cannot read the schema file {}", schema_path.display()))?;
    let name = schema_path.display().to_string();
    let schema = Schema::parse(&name, &source)?;
    Ok(Workspace::create(
        workspace,
        &schema,
        &name,
        &source,
        &super::os_user(),
    )?)
}

/// Removes a workspace that `init` made but could not finish.
fn remove_workspace(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}
