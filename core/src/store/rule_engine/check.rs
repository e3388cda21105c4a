//! The full check: the peers figures computed afresh, then one set-based statement per rule
//! over its form, its verdicts counted and merged into `flags` (new ones opened, passing ones
//! resolved), and the review queue rebuilt, all in one transaction. Each rule runs under its
//! budget: one that runs out of it is stopped and reported, its flags left as they were, and
//! the check goes on with the others.

use std::collections::HashMap;

use rusqlite::{Connection, TransactionBehavior};

use super::evaluate::{RuntimeError, evaluate, prepare_rule, stopped};
use super::merge::merge;
use super::peers;
use super::sandbox::Sandbox;
use super::vocabulary::{ActiveRules, StoredRule, Verdict};
use crate::domain::Severity;
use crate::error::{Error, OverBudget, Result};
use crate::rules::BudgetKind;
use crate::store::forms::quote;
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    pub rule_set: i64,
    pub rules: Vec<RuleSummary>,
    pub runtime_errors: Vec<RuntimeError>,
    /// Rules stopped for running past their budget: their flags are as they were.
    pub over_budget: Vec<OverBudget>,
    /// Flags opened by this check.
    pub opened: u64,
    /// Flags resolved by this check.
    pub resolved: u64,
}

impl Workspace {
    /// Runs the rules in force (or those named in `only`) over every record. `progress` hears
    /// (rules done, rules in all, rule id) before each rule.
    pub fn check(
        &mut self,
        only: &[String],
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<CheckReport> {
        let rules = self.active_rules()?.ok_or(Error::NoRules)?;
        let selected = select(&rules, only)?;
        let to_error = self.error("checking the rules");
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(&to_error)?;
        for p in &rules.peers {
            peers::create_table(&tx, p).map_err(&to_error)?;
            refresh_peers(&tx, &self.sandbox, &rules, p)?;
        }
        let mut run = Run {
            conn: &tx,
            sandbox: &self.sandbox,
            rules: &rules,
            to_error: &to_error,
            items_by_form: HashMap::new(),
        };
        let mut report = CheckReport {
            rule_set: rules.rule_set,
            rules: Vec::new(),
            runtime_errors: Vec::new(),
            over_budget: Vec::new(),
            opened: 0,
            resolved: 0,
        };
        for (done, rule) in selected.iter().enumerate() {
            progress(done, selected.len(), &rule.id);
            let Some((summary, verdicts)) = run.budgeted(rule, &mut report)? else {
                continue;
            };
            report.rules.push(summary);
            let merged = merge(&tx, rules.rule_set, rule, None, &verdicts).map_err(&to_error)?;
            report.opened += merged.opened.len() as u64;
            report.resolved += merged.resolved.len() as u64;
        }
        if only.is_empty() {
            // Flags of rules no longer in force are history now.
            tx.execute(
                "UPDATE flags SET state = 'resolved', resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE state = 'open' AND rule NOT IN (SELECT id FROM rules WHERE rule_set = ?1)",
                [rules.rule_set],
            )
            .map_err(&to_error)?;
        }
        for form in &self.schema()?.forms {
            queue::rebuild(&tx, form, rules.rule_set).map_err(&to_error)?;
        }
        progress(selected.len(), selected.len(), "");
        tx.commit().map_err(&to_error)?;
        Ok(report)
    }
}

/// The rules `only` names (all of them when it is empty), in the rule set's order; an error
/// naming any id that is not a rule of the set.
fn select<'r>(rules: &'r ActiveRules, only: &[String]) -> Result<Vec<&'r StoredRule>> {
    let unknown: Vec<&str> = only
        .iter()
        .filter(|id| !rules.rules.iter().any(|r| r.id.eq_ignore_ascii_case(id)))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
        return Err(Error::UnknownRules {
            unknown: unknown.join(", "),
            known: known.join(", "),
        });
    }
    Ok(rules
        .rules
        .iter()
        .filter(|r| only.is_empty() || only.iter().any(|id| id.eq_ignore_ascii_case(&r.id)))
        .collect())
}

/// One check's run through the rules.
struct Run<'a> {
    conn: &'a Connection,
    sandbox: &'a Sandbox,
    rules: &'a ActiveRules,
    to_error: &'a dyn Fn(rusqlite::Error) -> Error,
    /// Record counts of the forms seen so far.
    items_by_form: HashMap<String, u64>,
}

/// Recomputes one peers table under the rule budget; a peers definition that runs out of it
/// stops the check, as the rules that read it would read figures half made.
fn refresh_peers(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    p: &crate::rules::Peers,
) -> Result<()> {
    let _budget = sandbox
        .meter()
        .start(BudgetKind::Rule, rules.budget.of(BudgetKind::Rule));
    peers::refresh_all(conn, sandbox, rules, p).map_err(|e| match e {
        Error::OverBudget(over) => Error::Refused(format!(
            "the check was stopped and nothing of it was saved: peers {} {}; make it cheaper, \
             or raise {}",
            p.name, over.why, over.setting
        )),
        other => other,
    })
}

impl Run<'_> {
    /// Runs one rule under its budget: `None` when it ran out of it, which the report then
    /// tells. The check's transaction must still be open for the check to go on.
    fn budgeted(
        &mut self,
        rule: &StoredRule,
        report: &mut CheckReport,
    ) -> Result<Option<(RuleSummary, Vec<Verdict>)>> {
        let budget = self.rules.budget.of(BudgetKind::Rule);
        let ran = {
            let _budget = self.sandbox.meter().start(BudgetKind::Rule, budget);
            self.rule(rule, &mut report.runtime_errors)
        };
        match ran {
            Ok(done) => Ok(Some(done)),
            Err(Error::OverBudget(over)) if !self.conn.is_autocommit() => {
                report.over_budget.push(over);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Runs one rule over its whole form: its summary and its verdicts.
    fn rule(
        &mut self,
        rule: &StoredRule,
        errors: &mut Vec<RuntimeError>,
    ) -> Result<(RuleSummary, Vec<Verdict>)> {
        let items = self.items(&rule.form)?;
        let applicable = self.applicable(rule, items)?;
        let verdicts = evaluate(
            self.conn,
            self.sandbox,
            self.rules,
            rule,
            "",
            &|_| Ok(()),
            errors,
        )?;
        let count = |o: &str| verdicts.iter().filter(|(_, v)| *v == o).count() as u64;
        let (fails, missing, errors) = (count("fail"), count("missing"), count("error"));
        let summary = RuleSummary {
            rule: rule.id.clone(),
            severity: rule.severity,
            items,
            passes: applicable.saturating_sub(fails + missing + errors),
            fails,
            missing,
            not_applicable: items.saturating_sub(applicable),
            errors,
        };
        Ok((summary, verdicts))
    }

    /// How many records `form` holds.
    fn items(&mut self, form: &str) -> Result<u64> {
        if let Some(n) = self.items_by_form.get(form) {
            return Ok(*n);
        }
        let n: u64 = self
            .conn
            .query_row(&format!("SELECT count(*) FROM {}", quote(form)), [], |r| {
                r.get(0)
            })
            .map_err(self.to_error)?;
        self.items_by_form.insert(form.to_string(), n);
        Ok(n)
    }

    /// How many of the form's `items` records the rule applies to (those its `when` keeps).
    fn applicable(&self, rule: &StoredRule, items: u64) -> Result<u64> {
        let Some(when) = &rule.when else {
            return Ok(items);
        };
        let sql = format!("SELECT count(*) FROM {} WHERE ({when})", quote(&rule.form));
        let mut stmt = prepare_rule(self.conn, self.sandbox, self.rules, &rule.id, &sql)?;
        let mut rows = stmt.raw_query();
        match self.sandbox.meter().next(&mut rows) {
            Ok(Some(row)) => row.get(0).map_err(self.to_error),
            Err(e) if self.sandbox.meter().exceeded(&rule.id, &e).is_some() => {
                Err(stopped(self.sandbox, &rule.id, &e))
            }
            _ => Ok(items),
        }
    }
}
