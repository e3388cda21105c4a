//! `huishen upgrade`: signs a workspace whose trail was written before signing keys.

use std::path::PathBuf;

use huishen_core::review::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workspace
    workspace: PathBuf,
    /// The reviewer (enrolled before keys) who becomes its first administrator; asks for their
    /// passphrase (or reads it from HUISHEN_ADMIN_PASSPHRASE)
    #[arg(long = "as", value_name = "REVIEWER", env = "HUISHEN_ADMIN")]
    name: String,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut ws = Workspace::open(&args.workspace)?;
    let name = &args.name;
    let (by, events) =
        super::passphrase::as_administrator(name, super::passphrase::Undone::Changed, |given| {
            ws.upgrade(name, given)
        })?;
    let (file, root) = (args.workspace.display().to_string(), by.fingerprint());
    let line = crate::i18n::cmd::upgraded(super::lang(), &file, events, name, &root);
    outln!("{line}")?;
    Ok(())
}
