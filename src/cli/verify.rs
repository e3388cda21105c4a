use std::path::PathBuf;

use huishen_core::review::{Verification, Witnessed, Workspace};

/// The exit status when the trail or a signature does not hold: the workspace was checked
/// and was changed outside huishen. Distinct from every other status huishen gives, so that
/// a script can tell "tampered" from "could not check" (1) and from intact (0).
pub const TAMPERED: u8 = 3;

/// What `huishen verify --help` says of its exit status (the README's audit-trail section says
/// the same).
pub const EXIT_STATUS: &str = "\
Exit status:
  0    intact: every page is whole, the audit trail links from its first event to its last
       unchanged, every event carries its actor's signature, every table agrees with the
       trail, and every standing signature matches its sign event and its record
  3    tampered: the trail, a signature, a table or a witnessed head does not hold; it was
       changed outside huishen
  1    could not check: the file is damaged, cannot be read, is not a workspace, its trail
       was written before signing keys and not yet attested (huishen upgrade), or --deep
       could not run a rule again within its budget
  2    the command line was wrong (nothing was checked)
  141  standard output was closed before everything was said";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workspace file
    workspace: PathBuf,
    /// A witness file kept outside the workspace: the trail must still hold every head in it
    /// (event number and hash); when everything holds, the current head is appended
    #[arg(long, value_name = "FILE")]
    witness: Option<PathBuf>,
    /// The administrator who signs the head appended to the witness file (asks for their
    /// passphrase); without one, the witness file is checked and nothing is appended
    #[arg(long = "as", value_name = "ADMINISTRATOR", env = "HUISHEN_ADMIN")]
    admin: Option<String>,
    /// Run every rule again (writing nothing) and hold the open flags and peers figures to
    /// what the rules give now
    #[arg(long)]
    deep: bool,
}

/// The workspace was checked and does not verify.
#[derive(Debug)]
pub struct Tampered(PathBuf);

impl std::fmt::Display for Tampered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} does not verify: it was changed outside huishen; restore it from a backup and compare",
            self.0.display()
        )
    }
}

impl std::error::Error for Tampered {}

/// Checks the workspace and says what it checked. An error that is not [`Tampered`] means
/// the workspace could not be checked.
pub fn run(args: Args) -> anyhow::Result<()> {
    let ws = Workspace::open(&args.workspace)?;
    let (v, witnessed) = match &args.witness {
        Some(file) => {
            let by = match &args.admin {
                Some(name) => Some(super::passphrase::administrator(&ws, name)?),
                None => None,
            };
            let (v, w) = ws.verify_witnessed(file, by.as_ref(), args.deep)?;
            (v, Some((file, w, by.is_some())))
        }
        None if args.deep => (ws.verify_deep()?, None),
        None => (ws.verify()?, None),
    };
    if v.before_keys {
        anyhow::bail!(
            "{} was written by a huishen from before signing keys: none of its {} events is \
             signed, so nothing in it can be proved. An administrator attests it with `huishen \
             upgrade {} --as NAME`; then verify proves it unchanged since",
            args.workspace.display(),
            v.events,
            args.workspace.display()
        );
    }
    say(&v)?;
    if let Some((file, w, signing)) = witnessed {
        say_witness(&v, file, &w, signing)?;
    }
    if !v.ok() {
        return Err(Tampered(args.workspace).into());
    }
    if !v.unchecked_rules.is_empty() {
        anyhow::bail!(
            "{} verifies, but --deep could not check the flags of every rule: {}",
            args.workspace.display(),
            v.unchecked_rules.join("; ")
        );
    }
    Ok(())
}

/// How many findings `verify` lists.
const SHOWN: usize = 50;

/// What `verify` says when every table agrees with the trail.
pub const TABLES_AGREE: &str = "tables: reviewers, policy, work split, rule sets, imports, \
corrections, explanations, notes, signatures and locks agree with the trail; the data is the \
imported records with their corrections";

/// What was checked and found, one line per check.
fn say(v: &Verification) -> std::io::Result<()> {
    outln!("page integrity: every page of the file is whole (SQLite's quick_check)")?;
    match &v.broken {
        None => outln!(
            "audit trail: {} events, every one linked to the one before and unchanged",
            v.events
        ),
        Some(why) => outln!("audit trail BROKEN: {why}"),
    }?;
    let root = v.root.as_deref().unwrap_or("none");
    if v.tampered.is_empty() {
        let attested = match v.attested_events {
            0 => String::new(),
            n => format!(" ({n} written before keys, attested by the upgrade)"),
        };
        outln!(
            "keys: {} events signed, each by its reviewer's key as an administrator enrolled it{attested}; root key {root}",
            v.signed_events
        )?;
        outln!("{TABLES_AGREE}")?;
    } else {
        outln!("changed outside huishen (root key {root}):")?;
        for t in v.tampered.iter().take(SHOWN) {
            outln!("  {t}")?;
        }
        if v.tampered.len() > SHOWN {
            outln!("  … and {} more", v.tampered.len() - SHOWN)?;
        }
    }
    match &v.flags {
        None => {}
        Some(f) if f.is_empty() && v.unchecked_rules.is_empty() => outln!(
            "flags (deep): every rule run again gives the open flags and peers figures stored"
        )?,
        Some(f) if f.is_empty() => outln!(
            "flags (deep): the rules run again give the open flags stored, but {} could not \
             be run again",
            v.unchecked_rules.len()
        )?,
        Some(f) => {
            outln!("flags (deep) that are not what the rules give now:")?;
            for p in f.iter().take(SHOWN) {
                outln!("  {p}")?;
            }
            if f.len() > SHOWN {
                outln!("  … and {} more", f.len() - SHOWN)?;
            }
        }
    }
    if v.stale_signatures.is_empty() {
        outln!("signatures: every standing signature matches its record")?;
    } else {
        outln!("signatures that no longer match their record:")?;
        for s in &v.stale_signatures {
            outln!("  {s}")?;
        }
    }
    Ok(())
}

/// What the witness file held and what was added to it.
fn say_witness(
    v: &Verification,
    file: &std::path::Path,
    w: &Witnessed,
    signing: bool,
) -> std::io::Result<()> {
    let file = file.display();
    if v.witness_problems.is_empty() && w.heads == 0 {
        outln!("witness {file}: no heads yet, nothing to hold the trail to")?;
    } else if v.witness_problems.is_empty() {
        outln!(
            "witness {file}: the trail holds every one of its {} heads",
            w.heads
        )?;
    } else {
        outln!("witness {file}: the trail does NOT hold what was witnessed:")?;
        for p in &v.witness_problems {
            outln!("  {p}")?;
        }
    }
    match w.added {
        Some(event) => outln!("witness {file}: added the head at event #{event}, signed"),
        None if !signing && v.ok() => {
            outln!("witness {file}: no head added: an administrator signs it (--as ADMINISTRATOR)")
        }
        None => Ok(()),
    }
}

/// Whether `err` is a verdict that the workspace was tampered with.
pub fn tampered(err: &anyhow::Error) -> bool {
    err.downcast_ref::<Tampered>().is_some()
}
