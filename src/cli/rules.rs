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
            let mut rows: Vec<serde_json::Value> = (rules.rules.iter())
                .map(|r| {
                    serde_json::json!({
                        "rule_set": rules.rule_set, "id": r.id, "severity": r.severity,
                        "form": r.form, "title_zh": r.title.zh, "title_en": r.title.en,
                        "fields": r.fields, "scope": "record",
                    })
                })
                .collect();
            rows.extend(rules.datasets.iter().map(|d| {
                let group = match &d.scope {
                    Scope::Group(g) => Some(g.as_str()),
                    Scope::Form => None,
                };
                serde_json::json!({
                    "rule_set": rules.rule_set, "id": d.id, "severity": d.severity,
                    "form": d.form, "title_zh": d.title.zh, "title_en": d.title.en,
                    "fields": [], "scope": d.scope.as_str(), "group": group,
                })
            }));
            let whole = serde_json::json!({ "rule_set": rules.rule_set, "rules": rows });
            super::format::emit(format.get(), &whole, &rows, || {
                let mut text = format!("{}\n", cmd::rule_set(lang, rules.rule_set));
                for r in &rules.rules {
                    let severity = severity_word(lang, r.severity);
                    text.push_str(&format!(
                        "{:<6} {} {:<8} {}  [{}]\n",
                        r.id,
                        crate::cells::pad(severity, 8),
                        r.form,
                        lang.of(&r.title),
                        r.fields.join(", ")
                    ));
                }
                for d in &rules.datasets {
                    let severity = severity_word(lang, d.severity);
                    let scope = match &d.scope {
                        Scope::Group(g) => cmd::per_group(lang, g),
                        Scope::Form => cmd::whole_form(lang).to_string(),
                    };
                    text.push_str(&format!(
                        "{:<6} {} {:<8} {}  [{scope}]\n",
                        d.id,
                        crate::cells::pad(severity, 8),
                        d.form,
                        lang.of(&d.title),
                    ));
                }
                Ok(text)
            })?;
        }
    }
    Ok(())
}

/// A severity in the language.
fn severity_word(
    lang: crate::i18n::Lang,
    severity: huishen_core::domain::Severity,
) -> &'static str {
    match severity {
        huishen_core::domain::Severity::Error => say::error(lang),
        huishen_core::domain::Severity::Warning => say::warning(lang),
    }
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
