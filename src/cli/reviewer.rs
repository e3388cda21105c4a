use std::path::PathBuf;

use super::passphrase::{self, AsAdministrator};
use crate::i18n::{Lang, cmd, refusal};
use huishen_core::domain::Reviewer;
use huishen_core::review::{NewReviewer, ReviewerChange, Workspace};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Enrol a reviewer (an administrator's action); asks for the administrator's passphrase,
    /// then the new reviewer's (twice on a terminal, one line from standard input otherwise)
    Add {
        workspace: PathBuf,
        name: String,
        /// The reviewer's role, e.g. 县级审核, 市级审核, 省级审核, 统计部门
        #[arg(long)]
        role: String,
        /// The division-code prefix the reviewer may act in (e.g. 3703); everywhere when absent
        #[arg(long, default_value = "")]
        scope: String,
        /// Make the reviewer an administrator (组长) too
        #[arg(long)]
        admin: bool,
        #[command(flatten)]
        by: AsAdministrator,
    },
    /// Change a reviewer's role, scope, authority or passphrase (an administrator's action)
    Change {
        workspace: PathBuf,
        name: String,
        #[arg(long)]
        role: Option<String>,
        #[arg(long)]
        scope: Option<String>,
        /// Give or take away administrator authority
        #[arg(long, value_parser = clap::builder::BoolishValueParser::new())]
        admin: Option<bool>,
        /// Give the reviewer a new passphrase (asked for after the administrator's): a new
        /// signing key, for a forgotten passphrase or a reviewer enrolled before keys
        #[arg(long)]
        passphrase: bool,
        #[command(flatten)]
        by: AsAdministrator,
    },
    /// Remove a reviewer (an administrator's action): their work split and claims go, what
    /// they did stays in the audit trail
    Remove {
        workspace: PathBuf,
        name: String,
        #[command(flatten)]
        by: AsAdministrator,
    },
    /// List the reviewers with their key fingerprints
    List {
        workspace: PathBuf,
        #[command(flatten)]
        format: super::format::FormatArg,
    },
}

/// Reads a new passphrase for `name`: twice on a terminal.
pub fn new_passphrase(name: &str, undone: passphrase::Undone) -> huishen_core::Result<String> {
    let lang = super::lang();
    let first = passphrase::read_or_refuse(&cmd::new_passphrase_for(lang, name), undone)?;
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let again = passphrase::read_or_refuse(cmd::same_passphrase_again(lang), undone)?;
        if again != first {
            return Err(refusal(|lang| {
                cmd::passphrases_differ(lang, undone.say(lang))
            }));
        }
    }
    Ok(first)
}

fn describe(lang: Lang, r: &Reviewer) -> String {
    let scope = if r.scope.is_empty() {
        cmd::everywhere(lang)
    } else {
        &r.scope
    };
    let admin = if r.admin {
        cmd::as_administrator(lang)
    } else {
        ""
    };
    let key = if r.public_key.is_empty() {
        cmd::no_key_yet(lang).to_string()
    } else {
        r.fingerprint()
    };
    cmd::reviewer_line(lang, &r.name, &r.role, admin, scope, &key)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let undone = passphrase::Undone::Changed;
    let lang = super::lang();
    match args.command {
        Command::Add {
            workspace,
            name,
            role,
            scope,
            admin,
            by,
        } => {
            let mut ws = Workspace::open(&workspace)?;
            // A name, role or scope that cannot be enrolled is said before any passphrase is
            // asked for.
            ws.may_enrol(&name, &role, &scope)?;
            let by = by.sign_in(&ws)?;
            let secret = new_passphrase(name.trim(), undone)?;
            let new = NewReviewer {
                name: &name,
                role: &role,
                scope: &scope,
                admin,
                passphrase: &secret,
            };
            let reviewer = ws.add_reviewer(&new, &by)?;
            outln!("{}", cmd::added_reviewer(lang, &describe(lang, &reviewer)))?;
        }
        Command::Change {
            workspace,
            name,
            role,
            scope,
            admin,
            passphrase,
            by,
        } => {
            let mut ws = Workspace::open(&workspace)?;
            let by = by.sign_in(&ws)?;
            let secret = passphrase
                .then(|| new_passphrase(&name, undone))
                .transpose()?;
            let change = ReviewerChange {
                role: role.as_deref(),
                scope: scope.as_deref(),
                admin,
                passphrase: secret.as_deref(),
            };
            let reviewer = ws.change_reviewer(&name, &change, &by)?;
            outln!(
                "{}",
                cmd::changed_reviewer(lang, &describe(lang, &reviewer))
            )?;
        }
        Command::Remove {
            workspace,
            name,
            by,
        } => {
            let mut ws = Workspace::open(&workspace)?;
            let by = by.sign_in(&ws)?;
            ws.remove_reviewer(&name, &by)?;
            outln!("{}", cmd::removed_reviewer(lang, &name))?;
        }
        Command::List { workspace, format } => {
            let ws = Workspace::open(&workspace)?;
            let reviewers = ws.reviewers()?;
            let rows: Vec<serde_json::Value> = (reviewers.iter())
                .map(|r| {
                    serde_json::json!({
                        "name": r.name, "role": r.role, "scope": r.scope, "admin": r.admin,
                        "fingerprint": (!r.public_key.is_empty()).then(|| r.fingerprint()),
                    })
                })
                .collect();
            super::format::emit(format.get(), &rows, &rows, || {
                let mut text = String::new();
                for r in &reviewers {
                    text.push_str(&format!(
                        "{}\t{}\t{}\t{}\t{}\n",
                        r.name,
                        r.role,
                        if r.scope.is_empty() {
                            "*"
                        } else {
                            r.scope.as_str()
                        },
                        if r.admin { "admin" } else { "-" },
                        if r.public_key.is_empty() {
                            "-".to_string()
                        } else {
                            r.fingerprint()
                        }
                    ));
                }
                Ok(text)
            })?;
        }
    }
    Ok(())
}
