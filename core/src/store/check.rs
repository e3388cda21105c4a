//! Running the rules: one set-based statement per rule over its form, then the verdicts merged
//! into `flags` (new ones opened, passing ones resolved), all in one transaction.

use std::collections::HashMap;

use rusqlite::{Connection, Statement, TransactionBehavior, params};

use super::Workspace;
use super::forms::quote;
use super::rules::{ActiveRules, INTERNAL_PARAMS, StoredRule, bind_params, verdict_sql};
use super::sandbox::{Refusal, Sandbox, plain_sql_error};
use crate::domain::Severity;
use crate::error::{Error, Result};

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

/// A rule that SQLite could not evaluate for one record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuntimeError {
    pub rule: String,
    pub record: String,
    pub message: String,
}

/// What a check did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    pub rule_set: i64,
    pub rules: Vec<RuleSummary>,
    pub runtime_errors: Vec<RuntimeError>,
    /// Flags opened by this check.
    pub opened: u64,
    /// Flags resolved by this check.
    pub resolved: u64,
}

/// Up to this many records, a re-check reads their open flags one by one; beyond, it reads the
/// rule's open flags and keeps those in scope.
const NARROW_SCOPE: usize = 64;

/// One non-passing verdict: record rowid and outcome (`fail`, `missing` or `error`).
pub(super) type Verdict = (i64, &'static str);

fn outcome(text: &str) -> &'static str {
    match text {
        "missing" => "missing",
        "error" => "error",
        _ => "fail",
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
    bind_params(&mut stmt, &rules.params, INTERNAL_PARAMS).map_err(|why| Error::Storage {
        context: format!("rule {rule} cannot be run"),
        detail: why,
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
    bind: &dyn Fn(&mut Statement<'_>) -> rusqlite::Result<()>,
    errors: &mut Vec<RuntimeError>,
) -> Result<Vec<Verdict>> {
    let sql = verdict_sql(&rule.form, &rule.check, rule.when.as_deref(), filter);
    let mut stmt = prepare_rule(conn, sandbox, rules, &rule.id, &sql)?;
    bind(&mut stmt).map_err(|e| storage(&rule.id, &e))?;
    let mut verdicts = Vec::new();
    let mut rows = stmt.raw_query();
    loop {
        match rows.next() {
            Ok(Some(row)) => {
                let rowid: i64 = row.get(0).map_err(|e| storage(&rule.id, &e))?;
                let text: String = row.get(1).map_err(|e| storage(&rule.id, &e))?;
                verdicts.push((rowid, outcome(&text)));
            }
            Ok(None) => return Ok(verdicts),
            Err(_) => break,
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
    bind: &dyn Fn(&mut Statement<'_>) -> rusqlite::Result<()>,
    errors: &mut Vec<RuntimeError>,
) -> Result<Vec<Verdict>> {
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
    let records: Vec<(i64, String)> = all
        .raw_query()
        .mapped(|r| {
            Ok((
                r.get(0)?,
                r.get::<_, rusqlite::types::Value>(1)
                    .map(|v| value_text(&v))?,
            ))
        })
        .collect::<rusqlite::Result<_>>()
        .map_err(|e| storage(&rule.id, &e))?;
    let single = format!(" AND {table}.rowid = :_record");
    let sql = verdict_sql(&rule.form, &rule.check, rule.when.as_deref(), &single);
    let mut one = prepare_rule(conn, sandbox, rules, &rule.id, &sql)?;
    let mut verdicts = Vec::new();
    for (rowid, key) in records {
        one.raw_bind_parameter(c":_record", rowid)
            .map_err(|e| storage(&rule.id, &e))?;
        let mut rows = one.raw_query();
        match rows.next() {
            Ok(Some(row)) => {
                let text: String = row.get(1).map_err(|e| storage(&rule.id, &e))?;
                verdicts.push((rowid, outcome(&text)));
            }
            Ok(None) => {}
            Err(e) => {
                errors.push(RuntimeError {
                    rule: rule.id.clone(),
                    record: key,
                    message: plain_sql_error(&e),
                });
                verdicts.push((rowid, "error"));
            }
        }
    }
    Ok(verdicts)
}

fn value_text(v: &rusqlite::types::Value) -> String {
    match v {
        rusqlite::types::Value::Null => String::new(),
        rusqlite::types::Value::Integer(i) => i.to_string(),
        rusqlite::types::Value::Real(x) => x.to_string(),
        rusqlite::types::Value::Text(t) => t.clone(),
        rusqlite::types::Value::Blob(_) => "<blob>".into(),
    }
}

fn storage(rule: &str, e: &rusqlite::Error) -> Error {
    Error::Storage {
        context: format!("running rule {rule}"),
        detail: plain_sql_error(e),
    }
}

/// The records whose flag of one rule a merge opened and resolved.
#[derive(Debug, Default)]
pub(super) struct Merged {
    pub opened: Vec<i64>,
    pub resolved: Vec<i64>,
}

/// Merges verdicts into the flags of one rule: opens new ones, updates the outcome of those
/// still failing and resolves those that pass now. `scope` (sorted rowids) limits which open
/// flags the verdicts speak for: all of the rule's, or those of some records.
pub(super) fn merge(
    conn: &Connection,
    rule_set: i64,
    rule: &StoredRule,
    scope: Option<&[i64]>,
    verdicts: &[Verdict],
) -> rusqlite::Result<Merged> {
    let mut open: HashMap<i64, (i64, String)> = HashMap::new();
    {
        let read = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, (i64, String))> {
            Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
        };
        match scope {
            Some(records) if records.len() <= NARROW_SCOPE => {
                let mut select = conn.prepare_cached(
                    "SELECT record, id, outcome FROM flags
                     WHERE form = ?1 AND record = ?3 AND rule = ?2 AND state = 'open'",
                )?;
                for record in records {
                    for row in select.query_map(params![rule.form, rule.id, record], read)? {
                        let (record, flag) = row?;
                        open.insert(record, flag);
                    }
                }
            }
            // The whole form, or a wide scope (a peers group, say), which is cheaper to
            // filter from all the rule's open flags.
            _ => {
                let mut select = conn.prepare_cached(
                    "SELECT record, id, outcome FROM flags WHERE rule = ?2 AND state = 'open' AND form = ?1",
                )?;
                for row in select.query_map(params![rule.form, rule.id], read)? {
                    let (record, flag) = row?;
                    if scope.is_none_or(|records| records.binary_search(&record).is_ok()) {
                        open.insert(record, flag);
                    }
                }
            }
        }
    }
    let mut merged = Merged::default();
    let mut insert = conn.prepare_cached(
        "INSERT INTO flags (form, record, rule, outcome, state, first_seen, last_checked, rule_set)
         VALUES (?1, ?2, ?3, ?4, 'open', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                 strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?5)",
    )?;
    let mut touch = conn.prepare_cached(
        "UPDATE flags SET outcome = ?2, rule_set = ?3, last_checked = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1",
    )?;
    for (record, verdict) in verdicts {
        match open.remove(record) {
            Some((id, _)) => {
                touch.execute(params![id, verdict, rule_set])?;
            }
            None => {
                insert.execute(params![rule.form, record, rule.id, verdict, rule_set])?;
                merged.opened.push(*record);
            }
        }
    }
    let mut resolve = conn.prepare_cached(
        "UPDATE flags SET state = 'resolved', rule_set = ?2,
                last_checked = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1",
    )?;
    for (record, (id, _)) in open {
        resolve.execute(params![id, rule_set])?;
        merged.resolved.push(record);
    }
    merged.opened.sort_unstable();
    merged.resolved.sort_unstable();
    Ok(merged)
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
        let unknown: Vec<&String> = only
            .iter()
            .filter(|id| !rules.rules.iter().any(|r| r.id.eq_ignore_ascii_case(id)))
            .collect();
        if !unknown.is_empty() {
            let known: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
            return Err(Error::UnknownRules {
                unknown: unknown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                known: known.join(", "),
            });
        }
        let selected: Vec<&StoredRule> = rules
            .rules
            .iter()
            .filter(|r| only.is_empty() || only.iter().any(|id| id.eq_ignore_ascii_case(&r.id)))
            .collect();
        let to_error = self.error("checking the rules");
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(&to_error)?;
        for p in &rules.peers {
            super::peers::create_table(&tx, p).map_err(&to_error)?;
            super::peers::refresh_all(&tx, &self.sandbox, &rules, p)?;
        }
        let mut items_by_form: HashMap<String, u64> = HashMap::new();
        let mut report = CheckReport {
            rule_set: rules.rule_set,
            rules: Vec::new(),
            runtime_errors: Vec::new(),
            opened: 0,
            resolved: 0,
        };
        for (done, rule) in selected.iter().enumerate() {
            progress(done, selected.len(), &rule.id);
            let items = match items_by_form.get(&rule.form) {
                Some(n) => *n,
                None => {
                    let n: u64 = tx
                        .query_row(
                            &format!("SELECT count(*) FROM {}", quote(&rule.form)),
                            [],
                            |r| r.get(0),
                        )
                        .map_err(&to_error)?;
                    items_by_form.insert(rule.form.clone(), n);
                    n
                }
            };
            let applicable = match &rule.when {
                None => items,
                Some(when) => {
                    let sql = format!("SELECT count(*) FROM {} WHERE ({when})", quote(&rule.form));
                    let mut stmt = prepare_rule(&tx, &self.sandbox, &rules, &rule.id, &sql)?;
                    let mut rows = stmt.raw_query();
                    match rows.next() {
                        Ok(Some(row)) => row.get(0).map_err(&to_error)?,
                        _ => items,
                    }
                }
            };
            let verdicts = evaluate(
                &tx,
                &self.sandbox,
                &rules,
                rule,
                "",
                &|_| Ok(()),
                &mut report.runtime_errors,
            )?;
            let count = |o: &str| verdicts.iter().filter(|(_, v)| *v == o).count() as u64;
            let (fails, missing, errors) = (count("fail"), count("missing"), count("error"));
            report.rules.push(RuleSummary {
                rule: rule.id.clone(),
                severity: rule.severity,
                items,
                passes: applicable.saturating_sub(fails + missing + errors),
                fails,
                missing,
                not_applicable: items.saturating_sub(applicable),
                errors,
            });
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
        let schema = self.schema()?;
        for form in &schema.forms {
            super::queue::rebuild(&tx, form, rules.rule_set).map_err(&to_error)?;
        }
        progress(selected.len(), selected.len(), "");
        tx.commit().map_err(&to_error)?;
        Ok(report)
    }
}
