//! The full check: the peers figures computed afresh, then one set-based statement per rule
//! over its form in a read transaction, its verdicts counted, then merged into `flags` (new
//! ones opened, passing ones resolved) beside working reviewers, and the review queue kept in
//! step. Each rule runs under its budget: one that runs out of it is stopped and reported, its
//! flags left as they were, and the check goes on with the others.

use rusqlite::{Connection, TransactionBehavior};

use super::dataset::DatasetVerdicts;
use super::evaluate::{RuntimeError, evaluate};
use super::parallel;
use super::peers;
use super::rescore::Selective;
use super::sandbox::Sandbox;
use super::settle::{Mark, settle};
use super::vocabulary::{ActiveRules, StoredRule, Verdict};
use crate::domain::{EventKind, Outcome, Severity};
use crate::error::{Error, OverBudget, Result};
use crate::rules::BudgetKind;
use crate::seal::Signer;
use crate::store::audit;
use crate::store::{Workspace, queue};

/// A rule's counts over its form, as R validate's `summary(confront())` gives them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleSummary {
    pub rule: String,
    pub severity: Severity,
    pub items: u64,
    pub passes: u64,
    pub fails: u64,
    pub missing: u64,
    pub not_applicable: u64,
    pub errors: u64,
}

/// What a check did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CheckReport {
    pub rule_set: i64,
    pub rules: Vec<RuleSummary>,
    pub runtime_errors: Vec<RuntimeError>,
    /// Rules stopped for running past their budget: their flags are as they were.
    pub over_budget: Vec<OverBudget>,
    /// Rules whose verdicts corrections kept moving while the check merged them: part of
    /// their flags stand as the reviewers' re-checks left them. Check them again later.
    pub unsettled: Vec<String>,
    /// Flags opened by this check.
    pub opened: u64,
    /// Flags resolved by this check.
    pub resolved: u64,
    /// The dataset rules' verdicts on the data as the check left it.
    pub datasets: Vec<DatasetVerdicts>,
}

impl CheckReport {
    /// A report of nothing done yet.
    pub(super) fn empty(rule_set: i64) -> CheckReport {
        CheckReport {
            rule_set,
            rules: Vec::new(),
            runtime_errors: Vec::new(),
            over_budget: Vec::new(),
            unsettled: Vec::new(),
            opened: 0,
            resolved: 0,
            datasets: Vec::new(),
        }
    }
}

impl Workspace {
    /// Runs the rules in force (or those named in `only`) over every record. `progress` hears
    /// (rules done, rules in all, rule id) before each rule.
    ///
    /// The verdicts are computed in read transactions, without the write lock, and merged
    /// beside working reviewers in short write transactions (see `settle`).
    pub fn check(
        &mut self,
        only: &[String],
        by: &Signer,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<CheckReport> {
        let rules = self.active_rules()?.ok_or(Error::NoRules)?;
        let selected = select(&rules, only)?;
        let _mapped = Mapped::new(&self.conn);
        self.refresh_peers(&rules)?;
        let (mut report, computed, rebuild_queue, selective) =
            self.verdicts(&rules, (&selected, only, by.name()), progress)?;
        for (at, (index, verdicts, mark)) in computed.into_iter().enumerate() {
            let rule = &rules.rules[index];
            let evaluate = |conn: &Connection| {
                let _budget = self
                    .sandbox
                    .meter()
                    .start(BudgetKind::Rule, rules.budget.of(BudgetKind::Rule));
                evaluate(
                    conn,
                    &self.sandbox,
                    &rules,
                    rule,
                    "",
                    &|_| Ok(()),
                    &mut Vec::new(),
                )
            };
            let settled = settle(
                self,
                &rules,
                index,
                verdicts,
                mark,
                &evaluate,
                !rebuild_queue,
            )?;
            report.opened += settled.opened;
            report.resolved += settled.resolved;
            if settled.unsettled {
                report.unsettled.push(rule.id.clone());
            }
            if let Some(verdicts) = &settled.verdicts {
                recount(&mut report.rules[at], verdicts);
            }
        }
        if let Some(computed) = selective {
            let over = self.store_selective(&rules, computed)?;
            report.over_budget.extend(over);
        }
        report.resolved += self.finish(&rules, only, rebuild_queue, by, &report)?;
        progress(selected.len(), selected.len(), "");
        Ok(report)
    }

    /// Computes the peers figures afresh from a read transaction, then stores them in a short
    /// write transaction (computing them again there only when values changed meanwhile).
    pub(super) fn refresh_peers(&self, rules: &ActiveRules) -> Result<()> {
        if rules.peers.is_empty() {
            return Ok(());
        }
        let to_error = self.error("computing the peers figures");
        let compute = |conn: &Connection| -> Result<((i64, i64), Vec<peers::Rows>)> {
            let mark = changes_mark(conn).map_err(&to_error)?;
            let rows = rules
                .peers
                .iter()
                .map(|p| peers_budgeted(conn, &self.sandbox, rules, p))
                .collect::<Result<Vec<_>>>()?;
            Ok((mark, rows))
        };
        let read = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)
            .map_err(&to_error)?;
        let (mark, mut rows) = compute(&read)?;
        read.commit().map_err(&to_error)?;
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(&to_error)?;
        if changes_mark(&tx).map_err(&to_error)? != mark {
            // Only the definitions that read a value changed since are computed again, under
            // the lock: the others' figures stand as read.
            let changed: Vec<(String, String)> = tx
                .prepare(
                    "SELECT DISTINCT form, field FROM corrections
                     WHERE event > ?1 OR undone_by > ?1",
                )
                .and_then(|mut s| {
                    s.query_map([mark.0], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect()
                })
                .map_err(&to_error)?;
            let imported = changes_mark(&tx).map_err(&to_error)?.1 != mark.1;
            for (i, p) in rules.peers.iter().enumerate() {
                let reads = rules.depends.peers(i);
                if imported || changed.iter().any(|(f, c)| reads.column(f, c)) {
                    rows[i] = peers_budgeted(&tx, &self.sandbox, rules, p)?;
                }
            }
        }
        for (p, rows) in rules.peers.iter().zip(rows) {
            peers::create_table(&tx, p).map_err(&to_error)?;
            peers::store_all(&tx, p, rows)?;
        }
        tx.commit().map_err(&to_error)
    }

    /// Every selected rule's summary and verdicts, each from a read transaction of its own,
    /// with the mark each was computed at; and whether the queue must be rebuilt at the end (a first check,
    /// or the first after a new rule set).
    #[allow(clippy::type_complexity)]
    fn verdicts(
        &self,
        rules: &ActiveRules,
        (selected, only, checker): (&[usize], &[String], &str),
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<(
        CheckReport,
        Vec<(usize, Vec<Verdict>, Mark)>,
        bool,
        Option<Selective>,
    )> {
        let to_error = self.error("checking the rules");
        let rebuild_queue: bool = self
            .conn
            .query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM flags)
                     OR EXISTS (SELECT 1 FROM flags WHERE state = 'open' AND rule_set <> ?1)",
                [rules.rule_set],
                |r| r.get(0),
            )
            .map_err(&to_error)?;
        let mut report = CheckReport::empty(rules.rule_set);
        let keep =
            |_: &str, id: &str| only.is_empty() || only.iter().any(|o| o.eq_ignore_ascii_case(id));
        let extras = parallel::Extras {
            selective: if only.is_empty() {
                Some(self.schema_cached()?)
            } else {
                None
            },
            datasets: &keep,
            checker,
        };
        let (mut outcomes, runtime_errors, over_budget, beside) = parallel::outcomes(
            (&self.conn, &self.sandbox, &self.path),
            rules,
            (selected, &extras),
            progress,
        )?;
        report.runtime_errors = runtime_errors;
        report.over_budget = over_budget;
        report.datasets = beside.datasets;
        let mut computed = Vec::new();
        for &index in selected {
            if let Some((Some((summary, verdicts)), mark)) = outcomes.remove(&index) {
                report.rules.push(summary);
                computed.push((index, verdicts, mark));
            }
        }
        Ok((report, computed, rebuild_queue, beside.selective))
    }

    /// Resolves the flags of rules no longer in force (`all`: a check of every rule) and
    /// rebuilds the queue when it must be; returns the flags resolved.
    /// The check's last write: flags of rules no longer in force resolved, the queue rebuilt
    /// when it must be, and the check's signed event.
    fn finish(
        &self,
        rules: &ActiveRules,
        only: &[String],
        rebuild_queue: bool,
        by: &Signer,
        report: &CheckReport,
    ) -> Result<u64> {
        let all = only.is_empty();
        let to_error = self.error("checking the rules");
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(&to_error)?;
        let mut resolved = 0;
        if all {
            // Flags of rules no longer in force are history now.
            resolved = tx
                .execute(
                    "UPDATE flags SET state = 'resolved',
                            resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                     WHERE state = 'open'
                       AND rule NOT IN (SELECT id FROM rules WHERE rule_set = ?1)",
                    [rules.rule_set],
                )
                .map_err(&to_error)? as u64;
        }
        if rebuild_queue || resolved > 0 {
            let schema = self.schema_cached()?;
            for form in &schema.forms {
                queue::rebuild(&tx, schema, form, rules.rule_set).map_err(&to_error)?;
            }
        }
        let payload = serde_json::json!({
            "rule_set": rules.rule_set, "only": only, "opened": report.opened,
            "resolved": report.resolved + resolved,
            "over_budget": report.over_budget.iter().map(|o| o.rule.as_str()).collect::<Vec<_>>(),
            "unsettled": report.unsettled,
            "datasets_failing": report.datasets.iter().filter(|d| d.failing())
                .map(|d| d.rule.as_str()).collect::<Vec<_>>(),
        });
        audit::append(&tx, by, EventKind::Check.as_str(), None, &payload).map_err(&to_error)?;
        tx.commit().map_err(&to_error)?;
        Ok(resolved)
    }
}

/// The workspace file mapped into memory for as long as a check runs, as the check's second
/// connection maps it (see `parallel`): at national size a cross-record rule's index no
/// longer fits SQLite's page cache, and each probe would otherwise copy its pages. A
/// session's connection maps nothing.
struct Mapped<'c>(&'c Connection);

impl<'c> Mapped<'c> {
    fn new(conn: &'c Connection) -> Mapped<'c> {
        // Without a map the check reads as it always did.
        let _ = conn.pragma_update(None, "mmap_size", parallel::MAP);
        Mapped(conn)
    }
}

impl Drop for Mapped<'_> {
    fn drop(&mut self) {
        let _ = self.0.pragma_update(None, "mmap_size", 0);
    }
}

/// The newest correction (or undo of one) and import: values cannot have changed while both
/// stay the same.
pub(super) fn changes_mark(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row(
        "SELECT (SELECT coalesce(max(coalesce(undone_by, event)), 0) FROM corrections),
                (SELECT coalesce(max(id), 0) FROM imports)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// A rule's counts again, from the verdicts that were finally merged.
fn recount(summary: &mut RuleSummary, verdicts: &[Verdict]) {
    let count = |o: Outcome| verdicts.iter().filter(|(_, v)| *v == o).count() as u64;
    let applicable = summary.passes + summary.fails + summary.missing + summary.errors;
    summary.fails = count(Outcome::Fail);
    summary.missing = count(Outcome::Missing);
    summary.errors = count(Outcome::Error);
    summary.passes = applicable.saturating_sub(summary.fails + summary.missing + summary.errors);
}

/// A rule's counts over the `items` records of its form, of which it applies to `applicable`.
pub(super) fn summary_of(
    rule: &StoredRule,
    items: u64,
    applicable: u64,
    verdicts: &[Verdict],
) -> RuleSummary {
    let count = |o: Outcome| verdicts.iter().filter(|(_, v)| *v == o).count() as u64;
    let (fails, missing, errors) = (
        count(Outcome::Fail),
        count(Outcome::Missing),
        count(Outcome::Error),
    );
    RuleSummary {
        rule: rule.id.clone(),
        severity: rule.severity,
        items,
        passes: applicable.saturating_sub(fails + missing + errors),
        fails,
        missing,
        not_applicable: items.saturating_sub(applicable),
        errors,
    }
}

/// The rules `only` names (all of them when it is empty), in the rule set's order; an error
/// naming any id that is not a rule of the set.
fn select(rules: &ActiveRules, only: &[String]) -> Result<Vec<usize>> {
    let ids = || {
        (rules.rules.iter().map(|r| r.id.as_str()))
            .chain(rules.datasets.iter().map(|d| d.id.as_str()))
    };
    let unknown: Vec<&str> = only
        .iter()
        .filter(|id| !ids().any(|r| r.eq_ignore_ascii_case(id)))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = ids().collect();
        return Err(Error::UnknownRules {
            unknown: unknown.join(", "),
            known: known.join(", "),
        });
    }
    Ok(rules
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| only.is_empty() || only.iter().any(|id| id.eq_ignore_ascii_case(&r.id)))
        .map(|(i, _)| i)
        .collect())
}

/// Computes one peers table's figures under the rule budget; a peers definition that runs out
/// of it stops the check, as the rules that read it would read figures half made.
pub(super) fn peers_budgeted(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    p: &crate::rules::Peers,
) -> Result<peers::Rows> {
    let _budget = sandbox
        .meter()
        .start(BudgetKind::Rule, rules.budget.of(BudgetKind::Rule));
    peers::compute_all(conn, sandbox, rules, p).map_err(|e| match e {
        Error::OverBudget(over) => Error::declined(
            format!(
                "the check was stopped and nothing of it was saved: peers {} {}; make it cheaper, \
                 or raise {}",
                p.name, over.why.en, over.setting
            ),
            format!(
                "核查已中止，未保存任何结果：同类统计 {} {}；请简化它，或调高 {}",
                p.name, over.why.zh, over.setting
            ),
        ),
        other => other,
    })
}
