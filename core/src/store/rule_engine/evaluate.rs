//! Running one rule: its statement prepared in the sandbox with the rule set's parameters
//! bound, then evaluated over the records a filter selects. A rule that fails at run time on
//! some record goes through the records one by one, so that only those records are reported.
//! Every row is stepped under the budget in force; a rule that runs out of it, or makes a
//! value too large, is stopped with [`Error::OverBudget`], never reported as a run-time error.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, Statement};

use super::sandbox::{Refusal, Sandbox, plain_sql_error};
use super::vocabulary::{ActiveRules, INTERNAL_PARAMS, StoredRule, Verdict, verdict_sql};
use crate::domain::Outcome;
use crate::error::{Error, Result};
use crate::store::forms::quote;

/// A rule that SQLite could not evaluate for one record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuntimeError {
    pub rule: String,
    pub record: String,
    pub message: String,
}

/// Sets the extra parameters (`:_record`, `:_group`, ...) of a rule statement.
pub(super) type Bind<'b> = &'b dyn Fn(&mut Statement<'_>) -> rusqlite::Result<()>;

/// The outcome the verdict statement gives as text.
fn outcome(text: &str) -> Outcome {
    if text == Outcome::Missing.as_str() {
        Outcome::Missing
    } else {
        Outcome::Fail
    }
}

/// Prepares rule SQL in the sandbox with the parameters bound. Rules were checked when they
/// were loaded, so a refusal here means the workspace changed underneath them.
pub(super) fn prepare_rule<'c>(
    conn: &'c Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    rule: &str,
    sql: &str,
) -> Result<Statement<'c>> {
    let (mut stmt, _) = sandbox.prepare(conn, sql).map_err(|r| {
        let why = match r {
            Refusal::Forbidden(w) | Refusal::Invalid(w) => w,
        };
        Error::Storage {
            context: format!("rule {rule} no longer prepares against this workspace"),
            detail: format!("{why}; load the rules again with `huishen rules load`"),
        }
    })?;
    super::vocabulary::bind_params(&mut stmt, &rules.params, INTERNAL_PARAMS).map_err(|why| {
        Error::Storage {
            context: format!("rule {rule} cannot be run"),
            detail: why,
        }
    })?;
    Ok(stmt)
}

/// Evaluates one rule over the records `filter` selects (an SQL suffix such as
/// ` AND "F".rowid = :_record`), with `bind` setting its extra parameters. A run-time error
/// sends the rule through the records one by one, so that only the records it fails on are
/// reported and every other verdict still counts.
pub(super) fn evaluate(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    rule: &StoredRule,
    filter: &str,
    bind: Bind<'_>,
    errors: &mut Vec<RuntimeError>,
) -> Result<Vec<Verdict>> {
    let sql = verdict_sql(&rule.form, &rule.check, rule.when.as_deref(), filter);
    let mut stmt = prepare_rule(conn, sandbox, rules, &rule.id, &sql)?;
    bind(&mut stmt).map_err(|e| storage(&rule.id, &e))?;
    let mut verdicts = Vec::new();
    let mut rows = stmt.raw_query();
    loop {
        match sandbox.meter().next(&mut rows) {
            Ok(Some(row)) => {
                let rowid: i64 = row.get(0).map_err(|e| storage(&rule.id, &e))?;
                let text: String = row.get(1).map_err(|e| storage(&rule.id, &e))?;
                verdicts.push((rowid, outcome(&text)));
            }
            Ok(None) => return Ok(verdicts),
            Err(e) => {
                if let Some(over) = sandbox.meter().exceeded(&rule.id, &e) {
                    return Err(Error::OverBudget(over));
                }
                break;
            }
        }
    }
    drop(rows);
    one_by_one(conn, sandbox, rules, rule, filter, bind, errors)
}

/// The slow path of `evaluate`: each record on its own.
fn one_by_one(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    rule: &StoredRule,
    filter: &str,
    bind: Bind<'_>,
    errors: &mut Vec<RuntimeError>,
) -> Result<Vec<Verdict>> {
    let records = keyed_records(conn, sandbox, rules, rule, filter, bind)?;
    let single = format!(" AND {}.rowid = :_record", quote(&rule.form));
    let sql = verdict_sql(&rule.form, &rule.check, rule.when.as_deref(), &single);
    let mut one = prepare_rule(conn, sandbox, rules, &rule.id, &sql)?;
    let mut verdicts = Vec::new();
    for (rowid, key) in records {
        one.raw_bind_parameter(c":_record", rowid)
            .map_err(|e| storage(&rule.id, &e))?;
        let mut rows = one.raw_query();
        match sandbox.meter().next(&mut rows) {
            Ok(Some(row)) => {
                let text: String = row.get(1).map_err(|e| storage(&rule.id, &e))?;
                verdicts.push((rowid, outcome(&text)));
            }
            Ok(None) => {}
            Err(e) => {
                if let Some(over) = sandbox.meter().exceeded(&rule.id, &e) {
                    return Err(Error::OverBudget(over));
                }
                errors.push(RuntimeError {
                    rule: rule.id.clone(),
                    record: key,
                    message: plain_sql_error(&e),
                });
                verdicts.push((rowid, Outcome::Error));
            }
        }
    }
    Ok(verdicts)
}

/// Rowid and key text of every record `filter` selects, in rowid order.
fn keyed_records(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    rule: &StoredRule,
    filter: &str,
    bind: Bind<'_>,
) -> Result<Vec<(i64, String)>> {
    let table = quote(&rule.form);
    let form_key = conn
        .query_row(
            "SELECT key_field FROM forms WHERE name = ?1",
            [&rule.form],
            |r| r.get::<_, String>(0),
        )
        .map_err(|e| storage(&rule.id, &e))?;
    let sql = format!(
        "SELECT {table}.rowid, {table}.{} FROM {table} WHERE 1{filter} ORDER BY {table}.rowid",
        quote(&form_key)
    );
    let mut all = prepare_rule(conn, sandbox, rules, &rule.id, &sql)?;
    bind(&mut all).map_err(|e| storage(&rule.id, &e))?;
    let mut rows = all.raw_query();
    let mut records = Vec::new();
    loop {
        match sandbox.meter().next(&mut rows) {
            Ok(Some(r)) => records.push((
                r.get(0).map_err(|e| storage(&rule.id, &e))?,
                value_text(&r.get(1).map_err(|e| storage(&rule.id, &e))?),
            )),
            Ok(None) => return Ok(records),
            Err(e) => return Err(stopped(sandbox, &rule.id, &e)),
        }
    }
}

/// The error of a rule statement: over budget, or a storage error.
pub(super) fn stopped(sandbox: &Sandbox, rule: &str, e: &rusqlite::Error) -> Error {
    match sandbox.meter().exceeded(rule, e) {
        Some(over) => Error::OverBudget(over),
        None => storage(rule, e),
    }
}

fn value_text(v: &SqlValue) -> String {
    match v {
        SqlValue::Null => String::new(),
        SqlValue::Integer(i) => i.to_string(),
        SqlValue::Real(x) => x.to_string(),
        SqlValue::Text(t) => t.clone(),
        SqlValue::Blob(_) => "<blob>".into(),
    }
}

fn storage(rule: &str, e: &rusqlite::Error) -> Error {
    let context = format!("running rule {rule}");
    crate::store::fault::engine(None, &context, e).unwrap_or_else(|| Error::Storage {
        context,
        detail: plain_sql_error(e),
    })
}
