//! `huishen bulk`: one action over the records a filter selects (explain a warning with one
//! text, accept the proposed fixes, or sign), previewed by default and written with
//! `--commit`, each record its own audited event under one batch id; `--undo BATCH` takes a
//! batch back.

use crate::i18n::{cmd, refusal};
use std::path::PathBuf;

use huishen_core::domain::Severity;
use huishen_core::review::{BulkAction, Impact, QueueFilter, Session};

use super::passphrase;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workspace
    workspace: PathBuf,
    /// Who acts (asks for the passphrase)
    #[arg(long)]
    reviewer: String,
    /// The form (default: the workspace's first)
    #[arg(long)]
    form: Option<String>,
    /// Explain the failing warnings (of --rule, or all of each record's) with this text
    #[arg(long, value_name = "TEXT", group = "action")]
    explain: Option<String>,
    /// Accept the open proposals of the fix rules (of --fix only, when given)
    #[arg(long, group = "action")]
    accept: bool,
    /// Sign each record off
    #[arg(long, group = "action")]
    sign: bool,
    /// Take back a batch this reviewer ran (its id, as the run printed it)
    #[arg(long, value_name = "BATCH", group = "action")]
    undo: Option<String>,
    /// Only records with an open flag of this rule
    #[arg(long)]
    rule: Option<String>,
    /// Only records whose region code starts with this
    #[arg(long)]
    region: Option<String>,
    /// Only records whose worst open flag is of this severity (error or warning)
    #[arg(long)]
    severity: Option<String>,
    /// Only records of this impact: high (a score at or above its threshold), low, unscored
    #[arg(long)]
    impact: Option<String>,
    /// Only records with an open proposal of a fix rule
    #[arg(long)]
    proposals: bool,
    /// With --accept: only the proposals of this fix rule
    #[arg(long)]
    fix: Option<String>,
    /// Write; without it, only show what would be done
    #[arg(long)]
    commit: bool,
}

fn filter(args: &Args) -> anyhow::Result<QueueFilter> {
    let severity = match args.severity.as_deref() {
        None => None,
        Some(s) => match Severity::parse(s) {
            Some(s) => Some(s),
            None => return Err(refusal(|lang| cmd::bad_severity(lang, s)).into()),
        },
    };
    let impact = match args.impact.as_deref() {
        None => None,
        Some("high") => Some(Impact::High),
        Some("low") => Some(Impact::Low),
        Some("unscored") => Some(Impact::Unscored),
        Some(other) => return Err(refusal(|lang| cmd::bad_impact(lang, other)).into()),
    };
    Ok(QueueFilter {
        severity,
        rule: args.rule.clone(),
        region_prefix: args.region.clone(),
        impact,
        proposals: args.proposals,
        ..QueueFilter::default()
    })
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (path, name, form) = (&args.workspace, &args.reviewer, args.form.as_deref());
    let open = || {
        passphrase::with_passphrase(name, super::passphrase::Undone::Opened, |given| {
            Session::open(path, name, given, form)
        })
    };
    if let Some(batch) = &args.undo {
        let mut session = open()?;
        let (done, left) = session.undo_batch(batch)?;
        let lang = super::lang();
        outln!("{}", cmd::undid_batch(lang, batch, done))?;
        for (key, why) in &left {
            outln!("{key}\t{}", cmd::left_as_it_is(lang, why))?;
        }
        session.release()?;
        return Ok(());
    }
    let action = match (&args.explain, args.accept, args.sign) {
        (Some(text), ..) => BulkAction::Explain {
            rule: args.rule.clone(),
            text: text.clone(),
        },
        (None, true, _) => BulkAction::Accept {
            fix: args.fix.clone(),
        },
        (None, false, true) => BulkAction::Sign,
        (None, false, false) => {
            return Err(refusal(|lang| cmd::bulk_what(lang).to_string()).into());
        }
    };
    let filter = filter(&args)?;
    let mut session = open()?;
    let records = session.select(&filter)?;
    let plan = session.plan_bulk(&records, action)?;
    let lang = super::lang();
    let verb = match &plan.action {
        BulkAction::Explain { .. } => cmd::bulk_explained(lang),
        BulkAction::Accept { .. } => cmd::bulk_accepted(lang),
        BulkAction::Sign => cmd::bulk_signed(lang),
    };
    let (ready, refused) = (plan.ready.len(), plan.refused.len());
    outln!(
        "{}",
        cmd::bulk_plan(lang, plan.selected, ready, verb, refused)
    )?;
    for r in plan.ready.iter().take(10) {
        outln!("{}\t{verb}", r.key)?;
    }
    if plan.ready.len() > 10 {
        outln!("{}", cmd::and_more(lang, plan.ready.len() - 10))?;
    }
    let why = |r: &huishen_core::review::Refused| lang.pick(&r.why, &r.why_zh).to_string();
    for r in &plan.refused {
        outln!("{}\t{}", r.key, cmd::refused(lang, &why(r)))?;
    }
    if !args.commit {
        outln!("{}", cmd::nothing_written_commit(lang))?;
        return Ok(());
    }
    let report = session.run_bulk(&plan)?;
    for r in &report.refused {
        outln!("{}\t{}", r.key, cmd::refused_when_written(lang, &why(r)))?;
    }
    let done = cmd::bulk_done(
        lang,
        report.done,
        verb,
        &session.reviewer.name,
        &report.batch,
        report.resolved,
        report.opened,
        &args.workspace.display().to_string(),
    );
    outln!("{done}")?;
    session.release()?;
    Ok(())
}
