use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::rules::RuleSet;
use crate::store::{LoadReport, Workspace};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Load a rule file into a workspace (a changed file becomes a new rule-set version)
    Load {
        /// The workspace
        workspace: PathBuf,
        /// The rule file (TOML)
        file: PathBuf,
    },
    /// List the rules in force
    List {
        /// The workspace
        workspace: PathBuf,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Load { workspace, file } => {
            let mut ws = Workspace::open(&workspace)?;
            let report = load(&mut ws, &file)?;
            print_load(&file, &report);
        }
        Command::List { workspace } => {
            let ws = Workspace::open(&workspace)?;
            let Some(rules) = ws.active_rules()? else {
                anyhow::bail!(crate::Error::NoRules);
            };
            println!("rule set {}:", rules.rule_set);
            for r in &rules.rules {
                println!(
                    "{:<6} {:<8} {:<8} {}  [{}]",
                    r.id,
                    r.severity,
                    r.form,
                    r.title.en,
                    r.fields.join(", ")
                );
            }
        }
    }
    Ok(())
}

/// Reads, checks and loads a rule file.
pub fn load(ws: &mut Workspace, file: &Path) -> anyhow::Result<LoadReport> {
    let source = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the rule file {}", file.display()))?;
    let name = file.display().to_string();
    let set = RuleSet::parse(&name, &source).map_err(crate::Error::Rules)?;
    Ok(ws.load_rules(&set, &name, &source, &super::os_user())?)
}

pub fn print_load(file: &Path, report: &LoadReport) {
    if report.changed {
        println!(
            "loaded {} rules from {} as rule set {}",
            report.rules,
            file.display(),
            report.rule_set
        );
    } else {
        println!(
            "{} is rule set {} already; nothing changed",
            file.display(),
            report.rule_set
        );
    }
}
