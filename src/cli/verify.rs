use std::path::PathBuf;

use huishen_core::review::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    workspace: PathBuf,
}

/// Exit status 0 when the audit trail and every signature hold, 1 otherwise.
pub fn run(args: Args) -> anyhow::Result<()> {
    let ws = Workspace::open(&args.workspace)?;
    let v = ws.verify()?;
    match &v.broken {
        None => outln!(
            "audit trail: {} events, every one linked to the one before and unchanged",
            v.events
        ),
        Some(why) => outln!("audit trail BROKEN: {why}"),
    }?;
    if v.stale_signatures.is_empty() {
        outln!("signatures: every standing signature matches its record")?;
    } else {
        outln!("signatures that no longer match their record:")?;
        for s in &v.stale_signatures {
            outln!("  {s}")?;
        }
    }
    if !v.ok() {
        anyhow::bail!(
            "{} does not verify: it was changed outside huishen; restore it from a backup and compare",
            args.workspace.display()
        );
    }
    Ok(())
}
