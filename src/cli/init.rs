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
    outln!(
        "administrator {} ({}); root key fingerprint {} — keep it on paper: `huishen verify` \
         and `huishen status` print it, and a copy that differs is not this workspace's trail",
        by.name(),
        args.role,
        by.fingerprint()
    )?;
    Ok(())
}
