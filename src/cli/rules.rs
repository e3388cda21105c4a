use crate::i18n::{cmd, say};
use std::path::{Path, PathBuf};

use huishen_core::review::{LoadReport, Scope, Signer, Workspace};

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
        #[command(flatten)]
        admin: super::passphrase::AsAdministrator,
    },
    /// List the rules in force
    List {
        /// The workspace
        workspace: PathBuf,
        #[command(flatten)]
        format: super::format::FormatArg,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Load {
            workspace,
            file,
            admin,
        } => {
            let mut ws = Workspace::open(&workspace)?;
            let by = admin.sign_in(&ws)?;
            let report = load(&mut ws, &file, &by)?;
            print_load(&file, &report)?;
        }
        Command::List { workspace, format } => {
            let ws = Workspace::open(&workspace)?;
            let rules = ws.rules()?;
            let lang = super::lang();
            // Record rules, then dataset rules: (id, severity, form, title, fields, scope,
            // group, what the text shows in brackets).
            let mut listed: Vec<_> = (rules.rules.iter())
                .map(|r| {
                    let shown = r.fields.join(", ");
                    (
                        &r.id,
                        r.severity,
                        &r.form,
                        &r.title,
                        r.fields.clone(),
                        "record",
                        None,
                        shown,
                    )
                })
                .collect();
            listed.extend(rules.datasets.iter().map(|d| {
                let (group, shown) = match &d.scope {
                    Scope::Group(g) => (Some(g.as_str()), cmd::per_group(lang, g)),
                    Scope::Form => (None, cmd::whole_form(lang).to_string()),
                };
                let scope = d.scope.as_str();
                (
                    &d.id,
                    d.severity,
                    &d.form,
                    &d.title,
                    Vec::new(),
                    scope,
                    group,
                    shown,
                )
            }));
            let rows: Vec<serde_json::Value> = (listed.iter())
                .map(|(id, severity, form, title, fields, scope, group, _)| {
                    let mut row = serde_json::json!({
                        "rule_set": rules.rule_set, "id": id, "severity": severity,
                        "form": form, "title_zh": title.zh, "title_en": title.en,
                        "fields": fields, "scope": scope,
                    });
                    if scope != &"record" {
                        row["group"] = serde_json::json!(group);
                    }
                    row
                })
                .collect();
            let whole = serde_json::json!({ "rule_set": rules.rule_set, "rules": rows });
            super::format::emit(format.get(), &whole, &rows, || {
                let mut text = format!("{}\n", cmd::rule_set(lang, rules.rule_set));
                for (id, severity, form, title, _, _, _, shown) in &listed {
                    text.push_str(&format!(
                        "{id:<6} {} {form:<8} {}  [{shown}]\n",
                        crate::cells::pad(say::severity(lang, *severity), 8),
                        lang.of(title),
                    ));
                }
                Ok(text)
            })?;
        }
    }
    Ok(())
}

/// Reads, checks and loads a rule file.
pub fn load(ws: &mut Workspace, file: &Path, by: &Signer) -> anyhow::Result<LoadReport> {
    Ok(ws.load_rules(file, by)?)
}

pub fn print_load(file: &Path, report: &LoadReport) -> std::io::Result<()> {
    let (lang, file) = (super::lang(), file.display().to_string());
    if report.changed {
        let loaded = cmd::loaded_rules(lang, report.rules, &file, report.rule_set);
        outln!("{loaded}")?;
    } else {
        outln!("{}", cmd::rules_unchanged(lang, &file, report.rule_set))?;
    }
    Ok(())
}
