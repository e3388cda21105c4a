use std::path::PathBuf;

use crate::i18n::{Lang, cmd, refusal};
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
    #[command(flatten)]
    format: super::format::FormatArg,
}

/// The workspace was checked and does not verify.
#[derive(Debug)]
pub struct Tampered(PathBuf);

impl Tampered {
    /// The verdict in the language.
    pub fn say(&self, lang: Lang) -> String {
        cmd::tampered(lang, &self.0.display().to_string())
    }
}

impl std::fmt::Display for Tampered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(Lang::En))
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
    let file = args.workspace.display().to_string();
    if v.before_keys {
        return Err(refusal(|lang| cmd::before_keys(lang, &file, v.events)).into());
    }
    let lang = super::lang();
    let format = args.format.get();
    if format == super::format::Format::Table {
        say(lang, &v)?;
        if let Some((witness, w, signing)) = witnessed {
            say_witness(lang, &v, witness, &w, signing)?;
        }
    } else {
        let whole = findings(&v, witnessed.as_ref().map(|(_, w, _)| w));
        let rows = finding_rows(&v);
        super::format::emit(format, &whole, &rows, || Ok(String::new()))?;
    }
    if !v.ok() {
        return Err(Tampered(args.workspace).into());
    }
    if !v.unchecked_rules.is_empty() {
        let rules = v.unchecked_rules.join("; ");
        return Err(refusal(|lang| cmd::deep_unchecked(lang, &file, &rules)).into());
    }
    Ok(())
}

/// What verify found, for scripts: its verdict, its counts and every finding.
fn findings(v: &Verification, witnessed: Option<&Witnessed>) -> serde_json::Value {
    serde_json::json!({
        "ok": v.ok(), "pages": v.pages, "events": v.events, "signed_events": v.signed_events,
        "attested_events": v.attested_events, "signatures": v.signatures, "root": v.root,
        "head": v.head.as_ref().map(|(id, hash)| serde_json::json!({ "event": id, "hash": hash })),
        "trail_broken": v.broken, "tampered": v.tampered, "flags": v.flags,
        "unchecked_rules": v.unchecked_rules, "stale_signatures": v.stale_signatures,
        "witness_problems": v.witness_problems,
        "witness": witnessed.map(|w| serde_json::json!({ "heads": w.heads, "added": w.added })),
    })
}

/// Every finding as a row: what kind it is and what it says (none when everything holds).
fn finding_rows(v: &Verification) -> Vec<serde_json::Value> {
    let row = |kind: &str, finding: &str| serde_json::json!({ "kind": kind, "finding": finding });
    let mut rows = Vec::new();
    rows.extend(v.broken.iter().map(|b| row("trail", b)));
    rows.extend(v.tampered.iter().map(|t| row("tampered", t)));
    rows.extend(v.flags.iter().flatten().map(|f| row("flags", f)));
    rows.extend(v.unchecked_rules.iter().map(|r| row("unchecked_rule", r)));
    rows.extend(v.stale_signatures.iter().map(|s| row("stale_signature", s)));
    rows.extend(v.witness_problems.iter().map(|w| row("witness", w)));
    rows
}

/// How many findings `verify` lists.
const SHOWN: usize = 50;

/// What was checked and found, one line per check.
fn say(lang: Lang, v: &Verification) -> std::io::Result<()> {
    outln!("{}", cmd::verify_pages(lang))?;
    match &v.broken {
        None => outln!("{}", cmd::verify_trail(lang, v.events)),
        Some(why) => outln!("{}", cmd::verify_trail_broken(lang, why)),
    }?;
    let root = v.root.as_deref().unwrap_or(cmd::none(lang));
    if v.tampered.is_empty() {
        let attested = match v.attested_events {
            0 => String::new(),
            n => cmd::verify_attested(lang, n),
        };
        outln!(
            "{}",
            cmd::verify_keys(lang, v.signed_events, &attested, root)
        )?;
        outln!("{}", cmd::verify_tables_agree(lang))?;
    } else {
        outln!("{}", cmd::verify_changed(lang, root))?;
        list(lang, &v.tampered)?;
    }
    match &v.flags {
        None => {}
        Some(f) if f.is_empty() && v.unchecked_rules.is_empty() => {
            outln!("{}", cmd::verify_flags_hold(lang))?;
        }
        Some(f) if f.is_empty() => outln!(
            "{}",
            cmd::verify_flags_unchecked(lang, v.unchecked_rules.len())
        )?,
        Some(f) => {
            outln!("{}", cmd::verify_flags_differ(lang))?;
            list(lang, f)?;
        }
    }
    if v.stale_signatures.is_empty() {
        outln!("{}", cmd::verify_signatures_hold(lang))?;
    } else {
        outln!("{}", cmd::verify_signatures_stale(lang))?;
        for s in &v.stale_signatures {
            outln!("  {s}")?;
        }
    }
    Ok(())
}

/// The first [`SHOWN`] findings, indented, and how many more there are.
fn list<T: std::fmt::Display>(lang: Lang, findings: &[T]) -> std::io::Result<()> {
    for t in findings.iter().take(SHOWN) {
        outln!("  {t}")?;
    }
    if findings.len() > SHOWN {
        outln!("{}", cmd::and_more(lang, findings.len() - SHOWN))?;
    }
    Ok(())
}

/// What the witness file held and what was added to it.
fn say_witness(
    lang: Lang,
    v: &Verification,
    file: &std::path::Path,
    w: &Witnessed,
    signing: bool,
) -> std::io::Result<()> {
    let file = file.display().to_string();
    if v.witness_problems.is_empty() && w.heads == 0 {
        outln!("{}", cmd::witness_empty(lang, &file))?;
    } else if v.witness_problems.is_empty() {
        outln!("{}", cmd::witness_holds(lang, &file, w.heads as u64))?;
    } else {
        outln!("{}", cmd::witness_broken(lang, &file))?;
        for p in &v.witness_problems {
            outln!("  {p}")?;
        }
    }
    match w.added {
        Some(event) => outln!("{}", cmd::witness_added(lang, &file, event)),
        None if !signing && v.ok() => outln!("{}", cmd::witness_unsigned(lang, &file)),
        None => Ok(()),
    }
}

/// Whether `err` is a verdict that the workspace was tampered with.
pub fn tampered(err: &anyhow::Error) -> bool {
    err.downcast_ref::<Tampered>().is_some()
}
