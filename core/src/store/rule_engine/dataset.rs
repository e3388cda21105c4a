//! Running the dataset rules: one aggregate statement per rule over its form (grouped by its
//! `group` expression, or not at all for a form rule), giving each group's verdict with the
//! sides of the check's comparisons computed beside it. They are computed whenever they are
//! asked for, from the data as it stands, so a correction moves them at once; they are kept
//! nowhere, so nothing of them can drift from the data.

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;
use serde::Serialize;

use super::evaluate::{prepare_rule, stopped};
use super::sandbox::Sandbox;
use super::sides;
use super::vocabulary::ActiveRules;
use crate::domain::{Localized, Outcome, Severity};
use crate::error::{Error, Result};
use crate::rules::{BudgetKind, DatasetRule, Scope};
use crate::store::forms::quote;

/// What a dataset rule says now: one verdict per group (or one on the form), those that do
/// not pass with their figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetVerdicts {
    pub rule: String,
    pub form: String,
    pub severity: Severity,
    pub title: Localized,
    /// `form` or `group`.
    pub scope: String,
    /// The group expression of a group rule.
    pub group: Option<String>,
    /// Verdicts given: one for a form rule, one per group.
    pub items: u64,
    pub passes: u64,
    pub fails: u64,
    pub missing: u64,
    /// The verdicts that are not passes, in group order.
    pub failing: Vec<GroupVerdict>,
    /// Why the rule gave no verdict (an error at run time, or its budget ran out).
    pub problem: Option<Localized>,
}

/// The verdict on one group (or on the form) that does not pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupVerdict {
    /// The group's value as text; `None` for the form as a whole.
    pub group: Option<String>,
    /// The division's name when the group's value is a six-digit division code.
    pub name: Option<String>,
    /// The records of the group that count (those where `when` holds).
    pub records: u64,
    /// `fail` (the check is false) or `missing` (it is NULL: e.g. a sum over no values).
    pub outcome: Outcome,
    /// The sides of the check's comparisons, each computed over the group.
    pub figures: Vec<DatasetFigure>,
}

/// One side of a comparison, computed over a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetFigure {
    pub expr: String,
    /// As text; `None` when NULL.
    pub value: Option<String>,
}

impl DatasetVerdicts {
    /// Whether some group (or the form) does not pass, or the rule gave no verdict.
    pub fn failing(&self) -> bool {
        self.fails + self.missing > 0 || self.problem.is_some()
    }
}

/// The statement of a dataset rule: per group (NULL for the form), the records that count,
/// the verdict as `pass`, `fail` or `missing`, then each of `sides`.
pub(super) fn dataset_sql(rule: &DatasetRule, sides: &[String]) -> String {
    let table = quote(&rule.form);
    let when = rule.when.as_deref().unwrap_or("1");
    let check = &rule.check;
    let verdict = format!(
        "CASE WHEN ({check}) IS NULL THEN 'missing' WHEN ({check}) THEN 'pass' ELSE 'fail' END"
    );
    let sides: String = sides.iter().map(|s| format!(", ({s})")).collect();
    match &rule.scope {
        Scope::Form => {
            format!("SELECT NULL, count(*), {verdict}{sides} FROM {table} WHERE ({when})")
        }
        Scope::Group(group) => format!(
            "SELECT ({group}), count(*), {verdict}{sides} FROM {table} \
             WHERE ({when}) AND ({group}) IS NOT NULL GROUP BY 1 ORDER BY 1"
        ),
    }
}

/// The sides of the comparisons `check` makes, as expressions.
fn sides_of(check: &str) -> Vec<String> {
    sides::comparisons(check)
        .into_iter()
        .flat_map(|c| c.sides)
        .collect()
}

/// The verdicts of the dataset rules in force that `keep` accepts (by form and rule id), each
/// under the rule budget, inside the caller's (read) transaction.
pub(in crate::store) fn evaluate_all(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    keep: &dyn Fn(&str, &str) -> bool,
) -> Result<Vec<DatasetVerdicts>> {
    rules
        .datasets
        .iter()
        .filter(|d| keep(&d.form, &d.id))
        .map(|d| {
            let _budget = sandbox
                .meter()
                .start(BudgetKind::Rule, rules.budget.of(BudgetKind::Rule));
            match evaluate_one(conn, sandbox, rules, d) {
                Err(Error::OverBudget(over)) => Ok(given_up(d, over.why)),
                other => other,
            }
        })
        .collect()
}

/// The verdicts of one dataset rule. An error SQLite meets while it runs (a bad pattern, a
/// value too large) is the rule's problem; its budget running out is [`Error::OverBudget`].
pub(super) fn evaluate_one(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    rule: &DatasetRule,
) -> Result<DatasetVerdicts> {
    let sides = sides_of(&rule.check);
    let sql = dataset_sql(rule, &sides);
    let mut stmt = prepare_rule(conn, sandbox, rules, &rule.id, &sql)?;
    let mut out = given_up(rule, Localized::new("", ""));
    out.problem = None;
    let mut rows = stmt.raw_query();
    loop {
        let row = match sandbox.meter().next(&mut rows) {
            Ok(Some(row)) => row,
            Ok(None) => return Ok(out),
            Err(e) => {
                return match stopped(sandbox, &rule.id, &e) {
                    over @ Error::OverBudget(_) => Err(over),
                    _ => {
                        let msg = super::sandbox::plain_sql_error(&e);
                        let why = Localized::new(
                            format!("运行时出错：{msg}"),
                            format!("it failed as it ran: {msg}"),
                        );
                        Ok(given_up(rule, why))
                    }
                };
            }
        };
        let get = |i: usize| {
            row.get::<_, SqlValue>(i)
                .map_err(|e| stopped(sandbox, &rule.id, &e))
        };
        let group = text_of(&get(0)?);
        let records = match get(1)? {
            SqlValue::Integer(n) => n.max(0) as u64,
            _ => 0,
        };
        out.items += 1;
        let outcome = match text_of(&get(2)?).as_deref() {
            Some("pass") => {
                out.passes += 1;
                continue;
            }
            Some("missing") => {
                out.missing += 1;
                Outcome::Missing
            }
            _ => {
                out.fails += 1;
                Outcome::Fail
            }
        };
        let figures = (sides.iter().enumerate())
            .map(|(i, expr)| {
                Ok(DatasetFigure {
                    expr: expr.clone(),
                    value: text_of(&get(3 + i)?),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let name = (group.as_deref())
            .filter(|g| g.len() == 6 && g.bytes().all(|b| b.is_ascii_digit()))
            .and_then(crate::reference::division)
            .map(|d| d.name.to_string());
        out.failing.push(GroupVerdict {
            name,
            group,
            records,
            outcome,
            figures,
        });
    }
}

/// A rule's verdicts with none given, for `why`.
fn given_up(rule: &DatasetRule, why: Localized) -> DatasetVerdicts {
    DatasetVerdicts {
        rule: rule.id.clone(),
        form: rule.form.clone(),
        severity: rule.severity,
        title: rule.title.clone(),
        scope: rule.scope.as_str().to_string(),
        group: match &rule.scope {
            Scope::Group(g) => Some(g.clone()),
            Scope::Form => None,
        },
        items: 0,
        passes: 0,
        fails: 0,
        missing: 0,
        failing: Vec::new(),
        problem: Some(why),
    }
}

/// A value as text: a real to at most three decimals, without trailing zeros.
fn text_of(v: &SqlValue) -> Option<String> {
    match v {
        SqlValue::Null => None,
        SqlValue::Integer(i) => Some(i.to_string()),
        SqlValue::Real(x) => {
            let t = format!("{x:.3}");
            let t = t.trim_end_matches('0').trim_end_matches('.');
            Some(if t == "-0" { "0".into() } else { t.to_string() })
        }
        SqlValue::Text(t) => Some(t.clone()),
        SqlValue::Blob(b) => Some(format!("<{} bytes>", b.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_are_shown_to_three_decimals_at_most() {
        assert_eq!(text_of(&SqlValue::Real(1234.5)).as_deref(), Some("1234.5"));
        assert_eq!(text_of(&SqlValue::Real(2.0)).as_deref(), Some("2"));
        assert_eq!(text_of(&SqlValue::Real(0.12345)).as_deref(), Some("0.123"));
        assert_eq!(text_of(&SqlValue::Real(-0.0001)).as_deref(), Some("0"));
        assert_eq!(text_of(&SqlValue::Null), None);
    }
}
