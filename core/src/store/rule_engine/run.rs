//! One check's run through the rules on one connection: a rule alone under its budget over
//! the records a filter keeps, counted as R validate counts them.

use std::collections::HashMap;

use rusqlite::Connection;

use super::check::{CheckReport, RuleSummary, summary_of};
use super::evaluate::{RuntimeError, evaluate, prepare_rule, stopped};
use super::sandbox::Sandbox;
use super::vocabulary::{ActiveRules, StoredRule, Verdict};
use crate::error::{Error, Result};
use crate::rules::BudgetKind;
use crate::store::forms::quote;

/// One check's run through the rules.
pub(super) struct Run<'a> {
    pub(super) conn: &'a Connection,
    pub(super) sandbox: &'a Sandbox,
    pub(super) rules: &'a ActiveRules,
    pub(super) to_error: &'a dyn Fn(rusqlite::Error) -> Error,
    /// Record counts of the forms seen so far.
    pub(super) items_by_form: HashMap<String, u64>,
}

impl Run<'_> {
    /// Runs one rule under its budget: `None` when it ran out of it, which the report then
    /// tells. The check's transaction must still be open for the check to go on.
    ///
    /// `filter` (an SQL suffix such as ` AND "F".rowid >= 100`, or nothing) limits the records
    /// it runs over; the summary's items are the form's all the same.
    pub(super) fn budgeted(
        &mut self,
        rule: &StoredRule,
        filter: &str,
        report: &mut CheckReport,
    ) -> Result<Option<(RuleSummary, Vec<Verdict>)>> {
        let budget = self.rules.budget.of(BudgetKind::Rule);
        let ran = {
            let _budget = self.sandbox.meter().start(BudgetKind::Rule, budget);
            self.rule(rule, filter, &mut report.runtime_errors)
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

    /// Runs one rule over the records of its form `filter` keeps: its summary and verdicts.
    fn rule(
        &mut self,
        rule: &StoredRule,
        filter: &str,
        errors: &mut Vec<RuntimeError>,
    ) -> Result<(RuleSummary, Vec<Verdict>)> {
        let items = self.items(&rule.form)?;
        let applicable = self.applicable(rule, filter, items)?;
        let verdicts = evaluate(
            self.conn,
            self.sandbox,
            self.rules,
            rule,
            filter,
            &|_| Ok(()),
            errors,
        )?;
        Ok((summary_of(rule, items, applicable, &verdicts), verdicts))
    }

    /// How many records `form` holds.
    pub(super) fn items(&mut self, form: &str) -> Result<u64> {
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

    /// How many of the form's `items` records `filter` keeps the rule applies to (those its
    /// `when` keeps).
    fn applicable(&self, rule: &StoredRule, filter: &str, items: u64) -> Result<u64> {
        let when = match (&rule.when, filter) {
            (None, "") => return Ok(items),
            (when, _) => when.as_deref().unwrap_or("1"),
        };
        let sql = format!(
            "SELECT count(*) FROM {} WHERE ({when}){filter}",
            quote(&rule.form)
        );
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
