use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use huishen_core::review::{CheckReport, Workspace};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workspace
    workspace: PathBuf,
    /// Run only this rule (repeat for more)
    #[arg(long = "rule", value_name = "ID")]
    rules: Vec<String>,
    /// Print the summary as JSON for scripts
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    admin: super::passphrase::AsAdministrator,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut ws = Workspace::open(&args.workspace)?;
    let by = args.admin.sign_in(&ws)?;
    let show = std::io::stderr().is_terminal();
    let report = ws.check(&args.rules, &by, &mut |done, all, rule| {
        if show {
            if rule.is_empty() {
                eprint!("\r\x1b[2K");
            } else {
                eprint!("\rchecking {rule} ({}/{all})\x1b[K", done + 1);
            }
            let _ = std::io::stderr().flush();
        }
    })?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        out!("{}", table(&report))?;
    }
    Ok(())
}

/// The summary as a table, one line per rule and a total, like R validate's
/// `summary(confront())`.
pub fn table(report: &CheckReport) -> String {
    let mut out = format!(
        "{:<8} {:<8} {:>9} {:>9} {:>7} {:>8} {:>6} {:>6}\n",
        "rule", "severity", "items", "passes", "fails", "missing", "n/a", "errors"
    );
    let mut total = [0u64; 6];
    for r in &report.rules {
        out.push_str(&format!(
            "{:<8} {:<8} {:>9} {:>9} {:>7} {:>8} {:>6} {:>6}\n",
            r.rule,
            r.severity.as_str(),
            r.items,
            r.passes,
            r.fails,
            r.missing,
            r.not_applicable,
            r.errors
        ));
        for (t, v) in total.iter_mut().zip([
            r.items,
            r.passes,
            r.fails,
            r.missing,
            r.not_applicable,
            r.errors,
        ]) {
            *t += v;
        }
    }
    out.push_str(&format!(
        "{:<8} {:<8} {:>9} {:>9} {:>7} {:>8} {:>6} {:>6}\n",
        "total", "", total[0], total[1], total[2], total[3], total[4], total[5]
    ));
    for e in &report.runtime_errors {
        out.push_str(&format!(
            "rule {} could not be evaluated for record {}: {}\n",
            e.rule, e.record, e.message
        ));
    }
    for o in &report.over_budget {
        let raise = if o.setting.is_empty() {
            String::new()
        } else {
            format!(", or raise {}", o.setting)
        };
        out.push_str(&format!(
            "rule {} was stopped: it {}; its flags are as they were. Make it cheaper{raise}\n",
            o.rule, o.why
        ));
    }
    if !report.unsettled.is_empty() {
        out.push_str(&format!(
            "reviewers kept correcting what {} read while the check merged them: their flags \
             stand as the reviewers' re-checks left them; check them again in a quieter moment \
             (huishen check --rule ID)\n",
            report.unsettled.join(", ")
        ));
    }
    out.push_str(&format!(
        "rule set {}: {} flags opened, {} resolved\n",
        report.rule_set, report.opened, report.resolved
    ));
    out
}
