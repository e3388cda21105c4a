//! Re-checking after one record changed: every rule of its form, over exactly the records
//! whose verdict the change can move. For a rule that reads only its own record that is the
//! record; for a rule with `related`, the records that shared the related value before or
//! share it after; for peers statistics, their groups are recomputed first; any other
//! cross-record rule, and any rule of another form that reads this one, is run over its whole
//! form. The flags afterwards are those a full check
//! would give.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::Workspace;
use super::check::{Verdict, evaluate, merge, prepare_rule, refresh_peers};
use super::forms::quote;
use super::rules::{ActiveRules, Reach, StoredRule, mentions};
use super::sandbox::Sandbox;
use crate::domain::Value;
use crate::error::{Error, Result};

/// (rule, record key) of a flag that a re-check opened or resolved.
pub type FlagChange = (String, String);

/// What a re-check changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecheckReport {
    pub opened: Vec<FlagChange>,
    pub resolved: Vec<FlagChange>,
    /// How many (rule, record) verdicts were computed.
    pub verdicts: usize,
}

/// The value of `expr` for one record, evaluated in the sandbox.
fn value_of(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    form: &str,
    expr: &str,
    rowid: i64,
) -> Result<SqlValue> {
    let table = quote(form);
    let sql = format!("SELECT ({expr}) FROM {table} WHERE {table}.rowid = :_record");
    let mut stmt = prepare_rule(conn, sandbox, rules, expr, &sql)?;
    stmt.raw_bind_parameter(c":_record", rowid)
        .map_err(|e| plain(form, &e))?;
    let mut rows = stmt.raw_query();
    match rows.next() {
        Ok(Some(row)) => row.get(0).map_err(|e| plain(form, &e)),
        Ok(None) => Ok(SqlValue::Null),
        Err(e) => Err(plain(form, &e)),
    }
}

fn plain(context: &str, e: &rusqlite::Error) -> Error {
    Error::Storage {
        context: format!("re-checking {context}"),
        detail: super::sandbox::plain_sql_error(e),
    }
}

/// Before and after values of one rule's `related` expression (or one peers group).
struct Moved {
    before: SqlValue,
    after: SqlValue,
}

/// Re-checks every rule of `form` after record `rowid` changed; `before` holds the values of
/// the related and group expressions taken before the change.
fn recheck(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    form: &str,
    rowid: i64,
    before: &[(String, SqlValue)],
) -> Result<RecheckReport> {
    let moved = |expr: &str| -> Result<Moved> {
        let before = before
            .iter()
            .find(|(e, _)| e == expr)
            .map_or(SqlValue::Null, |(_, v)| v.clone());
        let after = value_of(conn, sandbox, rules, form, expr, rowid)?;
        Ok(Moved { before, after })
    };
    for p in rules.peers.iter().filter(|p| p.form == form) {
        let m = moved(&p.group)?;
        let groups = if m.before == m.after {
            vec![m.after]
        } else {
            vec![m.before, m.after]
        };
        refresh_peers(conn, sandbox, rules, p, Some(&groups))?;
    }
    let table = quote(form);
    let mut report = RecheckReport::default();
    let mut errors = Vec::new();
    // The edited record's queue line shows its values, so it is refreshed whatever happens.
    let mut changed: Vec<(String, i64)> = vec![(form.to_string(), rowid)];
    // The form's own rules, and the rules of other forms that read it (over their whole form).
    let reads_form = |r: &StoredRule| {
        r.form != form
            && mentions(
                &format!("{} {}", r.check, r.when.as_deref().unwrap_or("")),
                form,
            )
    };
    for rule in rules
        .rules
        .iter()
        .filter(|r| r.form == form || reads_form(r))
    {
        let own = rule.form == form;
        let (verdicts, scope): (Vec<Verdict>, Option<Vec<i64>>) = match (rule.reach, &rule.related)
        {
            _ if !own => (
                evaluate(conn, sandbox, rules, rule, "", &|_| Ok(()), &mut errors)?,
                None,
            ),
            (Reach::Related, Some(related)) => {
                let m = moved(related)?;
                let filter = format!(
                    " AND (({related}) IS :_before OR ({related}) IS :_after OR {table}.rowid = :_record)"
                );
                let bind = |stmt: &mut rusqlite::Statement<'_>| {
                    stmt.raw_bind_parameter(c":_before", &m.before)?;
                    stmt.raw_bind_parameter(c":_after", &m.after)?;
                    stmt.raw_bind_parameter(c":_record", rowid)
                };
                let verdicts = evaluate(conn, sandbox, rules, rule, &filter, &bind, &mut errors)?;
                let sql = format!("SELECT {table}.rowid FROM {table} WHERE 1{filter}");
                let mut stmt = prepare_rule(conn, sandbox, rules, &rule.id, &sql)?;
                bind(&mut stmt).map_err(|e| plain(&rule.id, &e))?;
                let scope = stmt
                    .raw_query()
                    .mapped(|r| r.get(0))
                    .collect::<rusqlite::Result<Vec<i64>>>()
                    .map_err(|e| plain(&rule.id, &e))?;
                (verdicts, Some(scope))
            }
            (Reach::Record, _) => {
                let filter = format!(" AND {table}.rowid = :_record");
                let bind = |stmt: &mut rusqlite::Statement<'_>| {
                    stmt.raw_bind_parameter(c":_record", rowid)
                };
                (
                    evaluate(conn, sandbox, rules, rule, &filter, &bind, &mut errors)?,
                    Some(vec![rowid]),
                )
            }
            _ => (
                evaluate(conn, sandbox, rules, rule, "", &|_| Ok(()), &mut errors)?,
                None,
            ),
        };
        report.verdicts += scope.as_ref().map_or(verdicts.len(), Vec::len);
        let changes = merge_keyed(conn, rules.rule_set, rule, scope.as_deref(), &verdicts)?;
        report.opened.extend(changes.opened);
        report.resolved.extend(changes.resolved);
        changed.extend(changes.records.into_iter().map(|r| (rule.form.clone(), r)));
    }
    changed.sort_unstable();
    changed.dedup();
    let schema = super::forms::load_schema(conn).map_err(|e| plain(form, &e))?;
    for f in &schema.forms {
        let records: Vec<i64> = changed
            .iter()
            .filter(|(n, _)| *n == f.name)
            .map(|(_, r)| *r)
            .collect();
        if !records.is_empty() {
            super::queue::refresh_records(conn, &schema, rules.rule_set, &f.name, &records)
                .map_err(|e| plain(form, &e))?;
        }
    }
    Ok(report)
}

/// The flags one rule's re-check opened and resolved.
struct Changes {
    opened: Vec<FlagChange>,
    resolved: Vec<FlagChange>,
    /// Rowids of the records concerned.
    records: Vec<i64>,
}

/// `merge`, reporting which flags changed.
fn merge_keyed(
    conn: &Connection,
    rule_set: i64,
    rule: &StoredRule,
    scope: Option<&[i64]>,
    verdicts: &[Verdict],
) -> Result<Changes> {
    let err = |e: rusqlite::Error| plain(&rule.id, &e);
    let open_before: Vec<i64> = open_records(conn, rule, scope).map_err(err)?;
    merge(conn, rule_set, rule, scope, verdicts).map_err(err)?;
    let open_after: Vec<i64> = open_records(conn, rule, scope).map_err(err)?;
    let key = |rowid: i64| -> Result<String> { record_key(conn, &rule.form, rowid).map_err(err) };
    let mut changes = Changes {
        opened: Vec::new(),
        resolved: Vec::new(),
        records: Vec::new(),
    };
    for r in open_after.iter().filter(|r| !open_before.contains(r)) {
        changes.opened.push((rule.id.clone(), key(*r)?));
        changes.records.push(*r);
    }
    for r in open_before.iter().filter(|r| !open_after.contains(r)) {
        changes.resolved.push((rule.id.clone(), key(*r)?));
        changes.records.push(*r);
    }
    Ok(changes)
}

fn open_records(
    conn: &Connection,
    rule: &StoredRule,
    scope: Option<&[i64]>,
) -> rusqlite::Result<Vec<i64>> {
    match scope {
        // A wide scope (a peer group, say) is cheaper to filter from the rule's open flags.
        Some(scope) if scope.len() > super::check::NARROW_SCOPE => {
            let wanted: std::collections::HashSet<i64> = scope.iter().copied().collect();
            let all = open_records(conn, rule, None)?;
            Ok(all.into_iter().filter(|r| wanted.contains(r)).collect())
        }
        Some(scope) => {
            let mut stmt = conn.prepare_cached(
                "SELECT 1 FROM flags WHERE form = ?1 AND record = ?2 AND rule = ?3 AND state = 'open'",
            )?;
            let mut open = Vec::new();
            for record in scope {
                if stmt.exists(rusqlite::params![rule.form, record, rule.id])? {
                    open.push(*record);
                }
            }
            Ok(open)
        }
        None => conn
            .prepare_cached("SELECT record FROM flags WHERE form = ?1 AND rule = ?2 AND state = 'open' ORDER BY record")?
            .query_map([&rule.form, &rule.id], |r| r.get(0))?
            .collect(),
    }
}

fn record_key(conn: &Connection, form: &str, rowid: i64) -> rusqlite::Result<String> {
    let key: String =
        conn.query_row("SELECT key_field FROM forms WHERE name = ?1", [form], |r| {
            r.get(0)
        })?;
    let value: SqlValue = conn.query_row(
        &format!(
            "SELECT {} FROM {} WHERE rowid = ?1",
            quote(&key),
            quote(form)
        ),
        [rowid],
        |r| r.get(0),
    )?;
    Ok(match value {
        SqlValue::Text(t) => t,
        SqlValue::Integer(i) => i.to_string(),
        other => format!("{other:?}"),
    })
}

/// Sets one field of one record and re-checks what the change can affect, inside the
/// caller's transaction.
pub(super) fn update_field(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: Option<&ActiveRules>,
    form: &str,
    rowid: i64,
    field: &str,
    value: &SqlValue,
) -> Result<RecheckReport> {
    let mut before = Vec::new();
    if let Some(rules) = rules {
        let exprs = rules
            .peers
            .iter()
            .filter(|p| p.form == form)
            .map(|p| p.group.clone())
            .chain(
                rules
                    .rules
                    .iter()
                    .filter(|r| r.form == form)
                    .filter_map(|r| r.related.clone()),
            );
        for expr in exprs {
            let v = value_of(conn, sandbox, rules, form, &expr, rowid)?;
            before.push((expr, v));
        }
    }
    conn.execute(
        &format!(
            "UPDATE {} SET {} = ?1 WHERE rowid = ?2",
            quote(form),
            quote(field)
        ),
        rusqlite::params![value, rowid],
    )
    .map_err(|e| plain(form, &e))?;
    match rules {
        Some(rules) => recheck(conn, sandbox, rules, form, rowid, &before),
        None => Ok(RecheckReport::default()),
    }
}

impl Workspace {
    /// Sets one field of one record and re-checks what the change can affect, in one
    /// transaction. With no rules loaded, only the value changes.
    pub fn edit_and_recheck(
        &mut self,
        form: &str,
        key: &str,
        field: &str,
        value: Value<'_>,
    ) -> Result<RecheckReport> {
        let schema = self.schema()?;
        let form_def = schema
            .form(form)
            .ok_or_else(|| Error::unknown_form(&schema, form))?;
        let field_def = form_def.field(field).ok_or_else(|| Error::UnknownField {
            form: form_def.name.clone(),
            field: field.to_string(),
        })?;
        let rules = self.active_rules()?;
        let to_error = self.error("changing a record");
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(&to_error)?;
        let table = quote(&form_def.name);
        let rowid: i64 = tx
            .query_row(
                &format!(
                    "SELECT rowid FROM {table} WHERE {} = ?1",
                    quote(&form_def.key)
                ),
                [key],
                |r| r.get(0),
            )
            .optional()
            .map_err(&to_error)?
            .ok_or_else(|| Error::UnknownRecord {
                form: form_def.name.clone(),
                key: key.to_string(),
            })?;
        let report = update_field(
            &tx,
            &self.sandbox,
            rules.as_ref(),
            &form_def.name,
            rowid,
            &field_def.name,
            &super::import::owned(value),
        )?;
        tx.commit().map_err(&to_error)?;
        Ok(report)
    }

    /// The open flags of a form as (record key, rule, outcome), sorted.
    pub fn open_flags(&self, form: &str) -> Result<Vec<(String, String, String)>> {
        let schema = self.schema()?;
        let Some(form) = schema.form(form) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT t.{}, f.rule, f.outcome FROM flags f JOIN {} t ON t.rowid = f.record
             WHERE f.form = ?1 AND f.state = 'open' ORDER BY 1, 2",
            quote(&form.key),
            quote(&form.name)
        );
        let mut stmt = self
            .conn
            .prepare(&sql)
            .map_err(self.error("reading flags"))?;
        let rows = stmt
            .query_map([&form.name], |r| {
                let key: SqlValue = r.get(0)?;
                let key = match key {
                    SqlValue::Text(t) => t,
                    SqlValue::Integer(i) => i.to_string(),
                    other => format!("{other:?}"),
                };
                Ok((key, r.get(1)?, r.get(2)?))
            })
            .map_err(self.error("reading flags"))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(self.error("reading flags"))
    }
}
