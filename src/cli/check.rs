use std::path::PathBuf;

use crate::cells::width;
use crate::i18n::{Lang, cmd, say};
use huishen_core::domain::{Outcome, Severity};
use huishen_core::review::{CheckReport, DatasetVerdicts, RuleSummary, Workspace};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The workspace
    workspace: PathBuf,
    /// Run only this rule (repeat for more)
    #[arg(long = "rule", value_name = "ID")]
    rules: Vec<String>,
    #[command(flatten)]
    format: super::format::FormatArg,
    /// End with exit status 4 when a rule of this severity (or worse) has failing records:
    /// `error`, or `warning` for errors and warnings alike
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
    #[command(flatten)]
    admin: super::passphrase::AsAdministrator,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut ws = Workspace::open(&args.workspace)?;
    let by = args.admin.sign_in(&ws)?;
    let lang = super::lang();
    let mut progress = super::progress::RuleProgress::new();
    let report = ws.check(&args.rules, &by, &mut |done, all, rule| {
        progress.update(done, all, rule);
    })?;
    let mut summaries = report.rules.clone();
    summaries.extend(report.datasets.iter().map(summary_of));
    let rows = super::format::rows_of(&summaries)?;
    super::format::emit(args.format.get(), &report, &rows, || {
        Ok(table(lang, &report))
    })?;
    let Some(fail_on) = args.fail_on else {
        return Ok(());
    };
    let failing: Vec<String> = summaries
        .iter()
        .filter(|r| r.fails > 0 && (fail_on == FailOn::Warning || r.severity == Severity::Error))
        .map(|r| r.rule.clone())
        .collect();
    if failing.is_empty() {
        return Ok(());
    }
    Err(Failing { rules: failing }.into())
}

/// The severity `--fail-on` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

/// The exit status of `check --fail-on` when rules of that severity have failing records.
pub const FAILING: u8 = 4;

/// Rules of the `--fail-on` severity have failing records.
#[derive(Debug)]
pub struct Failing {
    rules: Vec<String>,
}

impl Failing {
    pub fn say(&self, lang: Lang) -> String {
        let rules = self.rules.join(say::list_separator(lang));
        cmd::failing_rules(lang, self.rules.len(), &rules)
    }
}

impl std::fmt::Display for Failing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

impl std::error::Error for Failing {}

/// The summary as a table, one line per rule and a total, like R validate's
/// `summary(confront())`, in the language.
pub fn table(lang: Lang, report: &CheckReport) -> String {
    let severity = |s: Severity| say::severity(lang, s);
    let line = |cells: [&str; 8]| {
        format!(
            "{} {} {} {} {} {} {} {}\n",
            pad(cells[0], 8),
            pad(cells[1], 8),
            pad_left(cells[2], 9),
            pad_left(cells[3], 9),
            pad_left(cells[4], 7),
            pad_left(cells[5], 8),
            pad_left(cells[6], 6),
            pad_left(cells[7], 6)
        )
    };
    let mut out = line([
        cmd::check_rule(lang),
        cmd::check_severity(lang),
        cmd::check_items(lang),
        cmd::check_passes(lang),
        cmd::check_fails(lang),
        cmd::check_missing(lang),
        cmd::check_not_applicable(lang),
        cmd::check_errors(lang),
    ]);
    // A line of a rule (or the total) and its six counts.
    let counted = |name: &str, severity: &str, counts: [u64; 6]| {
        let n = counts.map(|c| c.to_string());
        line([name, severity, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5]])
    };
    let mut total = [0u64; 6];
    for r in &report.rules {
        let counts = [
            r.items,
            r.passes,
            r.fails,
            r.missing,
            r.not_applicable,
            r.errors,
        ];
        out.push_str(&counted(&r.rule, severity(r.severity), counts));
        for (t, v) in total.iter_mut().zip(counts) {
            *t += v;
        }
    }
    out.push_str(&counted(cmd::check_total(lang), "", total));
    if !report.datasets.is_empty() {
        out.push('\n');
        out.push_str(cmd::check_datasets(lang));
        out.push('\n');
    }
    for d in &report.datasets {
        let r = summary_of(d);
        let counts = [r.items, r.passes, r.fails, r.missing, 0, r.errors];
        out.push_str(&counted(&r.rule, severity(r.severity), counts));
    }
    for d in &report.datasets {
        out.push_str(&dataset_lines(lang, d));
    }
    for e in &report.runtime_errors {
        let record = e.record.to_string();
        out.push_str(&cmd::check_runtime_error(
            lang, &e.rule, &record, &e.message,
        ));
        out.push('\n');
    }
    for o in &report.over_budget {
        let raise = if o.setting.is_empty() {
            String::new()
        } else {
            cmd::check_or_raise(lang, &o.setting)
        };
        out.push_str(&cmd::check_over_budget(
            lang,
            &o.rule,
            lang.of(&o.why),
            &raise,
        ));
        out.push('\n');
    }
    if !report.unsettled.is_empty() {
        out.push_str(&cmd::check_unsettled(lang, &report.unsettled.join(", ")));
        out.push('\n');
    }
    out.push_str(&cmd::check_summary(
        lang,
        &report.rule_set.to_string(),
        report.opened,
        report.resolved,
    ));
    out.push('\n');
    out
}

/// A dataset rule's counts in the columns of a record rule's: its items are its groups (or
/// the form), a rule that gave no verdict one error.
fn summary_of(d: &DatasetVerdicts) -> RuleSummary {
    RuleSummary {
        rule: d.rule.clone(),
        severity: d.severity,
        items: d.items,
        passes: d.passes,
        fails: d.fails,
        missing: d.missing,
        not_applicable: 0,
        errors: u64::from(d.problem.is_some()),
    }
}

/// Each dataset rule's counts and title, then the groups it does not pass.
pub fn datasets_text(lang: Lang, datasets: &[DatasetVerdicts]) -> String {
    let mut out = String::new();
    for d in datasets {
        let severity = say::severity(lang, d.severity);
        out.push_str(&cmd::dataset_summary(
            lang,
            &d.rule,
            severity,
            d.items,
            d.fails,
            d.missing,
            lang.of(&d.title),
        ));
        out.push('\n');
        out.push_str(&dataset_lines(lang, d));
    }
    out
}

/// One line per group (or the form) a dataset rule does not pass, with the figures of its
/// comparisons; or why it gave no verdict.
pub fn dataset_lines(lang: Lang, d: &DatasetVerdicts) -> String {
    let mut out = String::new();
    if let Some(why) = &d.problem {
        out.push_str(&cmd::check_dataset_problem(lang, &d.rule, lang.of(why)));
        out.push('\n');
    }
    for g in &d.failing {
        let group = match (&g.group, &g.name) {
            (Some(group), Some(name)) => format!("{group} {name}"),
            (Some(group), None) => group.clone(),
            (None, _) => cmd::check_the_form(lang).to_string(),
        };
        let outcome = match g.outcome {
            Outcome::Missing => cmd::check_group_missing(lang),
            _ => cmd::check_group_fails(lang),
        };
        let figures: Vec<String> = (g.figures.iter())
            .map(|f| format!("{} = {}", f.expr, f.value.as_deref().unwrap_or("NULL")))
            .collect();
        let figures = if figures.is_empty() {
            String::new()
        } else {
            let separator = cmd::check_figure_separator(lang);
            format!(
                "{}{}",
                cmd::check_figures_start(lang),
                figures.join(separator)
            )
        };
        let records = match g.records {
            1 => cmd::records_one(lang).to_string(),
            n => cmd::records_many(lang, n),
        };
        out.push_str(&cmd::check_group_verdict(
            lang, &d.rule, &group, outcome, &records, &figures,
        ));
        out.push('\n');
    }
    out
}

/// `s` padded to `cells` on the right (Chinese two cells wide), never cut.
fn pad(s: &str, cells: usize) -> String {
    format!("{s}{}", " ".repeat(cells.saturating_sub(width(s))))
}

/// `s` padded to `cells` on the left, never cut.
fn pad_left(s: &str, cells: usize) -> String {
    format!("{}{s}", " ".repeat(cells.saturating_sub(width(s))))
}
