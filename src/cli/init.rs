use crate::i18n::cmd;
use std::path::PathBuf;

use huishen_core::review::{NewReviewer, Workspace};

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
    /// The workspace's first administrator (组长), the root of its keys; asks for a new
    /// passphrase (twice on a terminal, one line of standard input otherwise)
    #[arg(long, value_name = "NAME", env = "HUISHEN_ADMIN")]
    admin: String,
    /// The administrator's role, e.g. 省级审核
    #[arg(long, default_value = "组长")]
    role: String,
    /// The division-code prefix the administrator may review in; everywhere when absent
    #[arg(long, default_value = "")]
    scope: String,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let undone = super::passphrase::Undone::Made;
    let passphrase = match super::passphrase::admin_passphrase_from_env() {
        Some(given) => given,
        None => super::reviewer::new_passphrase(args.admin.trim(), undone)?,
    };
    let root = NewReviewer {
        name: &args.admin,
        role: &args.role,
        scope: &args.scope,
        admin: true,
        passphrase: &passphrase,
    };
    let (ws, by, loaded) =
        Workspace::init(&args.workspace, &args.schema, args.rules.as_deref(), &root)?;
    if args.group_writable {
        ws.share_with_group()?;
    }
    if let (Some(rules), Some(report)) = (&args.rules, &loaded) {
        super::rules::print_load(rules, report)?;
    }
    let lang = super::lang();
    for form in ws.schema()?.forms {
        let label = lang.of(&form.label);
        let fields = form.fields.len();
        outln!(
            "{}",
            cmd::init_form(lang, &form.name, label, fields, &form.key)
        )?;
    }
    let file = args.workspace.display().to_string();
    if args.group_writable {
        outln!("{}", cmd::created_shared(lang, &file))?;
    } else {
        outln!("{}", cmd::created(lang, &file))?;
    }
    let root = by.fingerprint();
    outln!("{}", cmd::init_admin(lang, by.name(), &args.role, &root))?;
    Ok(())
}
