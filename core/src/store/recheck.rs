//! Re-checking after one field of one record changed, over exactly the verdicts the change
//! can move. A rule that reads neither the field nor a peers figure that moved is passed
//! over. Of the others: a rule that reads only its own record runs on the record; a rule
//! with `related` also on the records that shared the related value before or share it after;
//! a rule that reads peers figures also on every record of a group whose figures it reads
//! moved (the groups the record left and joined are recomputed first); any other
//! cross-record rule, and a rule of another form that reads this one, on its whole form.
//! The flags afterwards are those a full check would give.

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;

use super::check::{Verdict, evaluate, merge, prepare_rule};
use super::forms::{key_text, quote};
use super::peers::GroupChange;
use super::rules::{ActiveRules, Reach, StoredRule};
use super::sandbox::Sandbox;
use crate::domain::Schema;
use crate::error::{Error, Result};
use crate::rules::Peers;

/// (rule, record key) of a flag that a re-check opened or resolved.
pub type FlagChange = (String, String);

/// What a re-check changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecheckReport {
    pub opened: Vec<FlagChange>,
    pub resolved: Vec<FlagChange>,
    /// How many times a rule ran: once over the record, or once over a group.
    pub runs: usize,
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

/// The records one rule must be run over again.
#[derive(Debug, Default)]
struct Scope {
    /// The whole form.
    form: bool,
    /// The edited record.
    record: bool,
    /// Every record whose `expr` has `value`: (expr, value).
    groups: Vec<(String, SqlValue)>,
}

impl Scope {
    fn is_empty(&self) -> bool {
        !self.form && !self.record && self.groups.is_empty()
    }

    fn group(&mut self, expr: &str, value: &SqlValue) {
        if !self.groups.iter().any(|(e, v)| e == expr && v == value) {
            self.groups.push((expr.to_string(), value.clone()));
        }
    }
}

/// The groups of one peers definition a change refreshed.
struct PeersMoved<'r> {
    peers: &'r Peers,
    changes: Vec<GroupChange>,
}

/// Where `rule` must run again after `field` of record `rowid` of `form` changed.
fn scope_of(
    rules: &ActiveRules,
    index: usize,
    form: &str,
    field: &str,
    before: &[(String, SqlValue)],
    after: &[(String, SqlValue)],
    moved: &[PeersMoved<'_>],
) -> Scope {
    let rule = &rules.rules[index];
    let reads = rules.depends.rule(index);
    let mut scope = Scope::default();
    let own = reads.column(form, field);
    for m in moved {
        // Reads that could not be learned count as reading every figure.
        let columns = reads
            .columns_of(&m.peers.table())
            .unwrap_or_else(|| super::peers::COLUMNS.to_vec());
        for change in m.changes.iter().filter(|c| c.moved(&columns)) {
            if m.peers.form == rule.form && rule.form == form {
                scope.group(&m.peers.group, &change.group);
            } else {
                scope.form = true;
            }
        }
    }
    if own {
        match (rule.reach, &rule.related) {
            _ if rule.form != form => scope.form = true,
            (Reach::Record | Reach::Peers, _) => scope.record = true,
            (Reach::Related, Some(related)) => {
                scope.record = true;
                // Records relate by an equal value; NULL equals nothing, as with SQL's `=`.
                for (expr, value) in before.iter().chain(after) {
                    if expr == related && *value != SqlValue::Null {
                        scope.group(related, value);
                    }
                }
            }
            _ => scope.form = true,
        }
    }
    scope
}

/// The verdicts of `rule` over `scope`, and the rowids of the scope that have a verdict or an
/// open flag, sorted (`None`: the whole form).
fn run(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    rule: &StoredRule,
    scope: &Scope,
    rowid: i64,
    errors: &mut Vec<super::check::RuntimeError>,
) -> Result<(Vec<Verdict>, Option<Vec<i64>>)> {
    if scope.form {
        let verdicts = evaluate(conn, sandbox, rules, rule, "", &|_| Ok(()), errors)?;
        return Ok((verdicts, None));
    }
    let table = quote(&rule.form);
    let mut verdicts = Vec::new();
    let mut records = Vec::new();
    if scope.record {
        let filter = format!(" AND {table}.rowid = :_record");
        let bind = |stmt: &mut rusqlite::Statement<'_>| stmt.raw_bind_parameter(c":_record", rowid);
        verdicts.extend(evaluate(
            conn, sandbox, rules, rule, &filter, &bind, errors,
        )?);
        records.push(rowid);
    }
    for (expr, value) in &scope.groups {
        let filter = format!(" AND ({expr}) IS :_group");
        let bind = |stmt: &mut rusqlite::Statement<'_>| stmt.raw_bind_parameter(c":_group", value);
        verdicts.extend(evaluate(
            conn, sandbox, rules, rule, &filter, &bind, errors,
        )?);
        records.extend(flagged_in_group(conn, rule, expr, value)?);
    }
    records.extend(verdicts.iter().map(|v| v.0));
    verdicts.sort_unstable();
    verdicts.dedup_by_key(|v| v.0);
    records.sort_unstable();
    records.dedup();
    Ok((verdicts, Some(records)))
}

/// Groups up to this size are read member by member to find their flagged records; a larger
/// group is found from the rule's open flags.
const SMALL_GROUP: i64 = 256;

/// The records of a group (those whose `expr` has `value`) with an open flag of `rule`: the
/// flags a run over the group speaks for. A related or group expression is plain, without
/// parameters, so these statements need no sandbox.
fn flagged_in_group(
    conn: &Connection,
    rule: &StoredRule,
    expr: &str,
    value: &SqlValue,
) -> Result<Vec<i64>> {
    let err = |e: rusqlite::Error| plain(&rule.id, &e);
    let table = quote(&rule.form);
    let size: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM (SELECT 1 FROM {table} WHERE ({expr}) IS ?1 LIMIT {SMALL_GROUP})"
        ))
        .and_then(|mut s| s.query_row([value], |r| r.get(0)))
        .map_err(err)?;
    // CROSS JOIN keeps the order written: the group first, or the rule's flags first.
    let sql = if size < SMALL_GROUP {
        format!(
            "SELECT f.record FROM {table} CROSS JOIN flags f
             WHERE ({expr}) IS ?3 AND f.form = ?2 AND f.record = {table}.rowid
               AND f.rule = ?1 AND f.state = 'open'"
        )
    } else {
        format!(
            "SELECT f.record FROM flags f CROSS JOIN {table}
             WHERE f.rule = ?1 AND f.state = 'open' AND f.form = ?2
               AND {table}.rowid = f.record AND ({expr}) IS ?3"
        )
    };
    conn.prepare_cached(&sql)
        .and_then(|mut s| {
            s.query_map(rusqlite::params![rule.id, rule.form, value], |r| r.get(0))?
                .collect()
        })
        .map_err(err)
}

/// Re-checks what can have moved after `field` of record `rowid` of `form` changed: the
/// peers groups the record left and joined, then every rule that reads the field or a peers
/// figure that moved, over the records it can have moved for. `before` holds the values the
/// related and group expressions had before the change.
fn recheck(
    env: &Env<'_>,
    rules: &ActiveRules,
    form: &str,
    field: &str,
    rowid: i64,
    before: &[(String, SqlValue)],
) -> Result<RecheckReport> {
    let (conn, sandbox) = (env.conn, env.sandbox);
    let mut after = Vec::new();
    for (expr, _) in before {
        after.push((
            expr.clone(),
            value_of(conn, sandbox, rules, form, expr, rowid)?,
        ));
    }
    let mut moved = Vec::new();
    for (i, p) in rules.peers.iter().enumerate() {
        if p.form != form || !rules.depends.peers(i).column(form, field) {
            continue;
        }
        let groups: Vec<SqlValue> = before
            .iter()
            .chain(&after)
            .filter(|(e, _)| *e == p.group)
            .map(|(_, v)| v.clone())
            .collect();
        let changes = super::peers::refresh_groups(conn, sandbox, rules, p, &groups)?;
        moved.push(PeersMoved { peers: p, changes });
    }
    let mut report = RecheckReport::default();
    let mut errors = Vec::new();
    // The edited record's queue line shows its values, so it is refreshed whatever happens.
    let mut changed: Vec<(String, i64)> = vec![(form.to_string(), rowid)];
    for (index, rule) in rules.rules.iter().enumerate() {
        let scope = scope_of(rules, index, form, field, before, &after, &moved);
        if scope.is_empty() {
            continue;
        }
        let (verdicts, records) = run(conn, sandbox, rules, rule, &scope, rowid, &mut errors)?;
        report.runs += usize::from(scope.record || scope.form) + scope.groups.len();
        let changes = merge_keyed(env, rules.rule_set, rule, records.as_deref(), &verdicts)?;
        report.opened.extend(changes.opened);
        report.resolved.extend(changes.resolved);
        changed.extend(changes.records.into_iter().map(|r| (rule.form.clone(), r)));
    }
    changed.sort_unstable();
    changed.dedup();
    let schema = env.schema;
    for f in &schema.forms {
        let records: Vec<i64> = changed
            .iter()
            .filter(|(n, _)| *n == f.name)
            .map(|(_, r)| *r)
            .collect();
        if !records.is_empty() {
            super::queue::refresh_records(conn, schema, rules.rule_set, &f.name, &records)
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

/// `merge`, reporting which flags changed by record key.
fn merge_keyed(
    env: &Env<'_>,
    rule_set: i64,
    rule: &StoredRule,
    scope: Option<&[i64]>,
    verdicts: &[Verdict],
) -> Result<Changes> {
    let err = |e: rusqlite::Error| plain(&rule.id, &e);
    let merged = merge(env.conn, rule_set, rule, scope, verdicts).map_err(err)?;
    let form = env
        .schema
        .form(&rule.form)
        .ok_or_else(|| Error::unknown_form(env.schema, &rule.form))?;
    let sql = format!(
        "SELECT {} FROM {} WHERE rowid = ?1",
        quote(&form.key),
        quote(&form.name)
    );
    let key = |rowid: &i64| -> Result<FlagChange> {
        let value = env
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row([rowid], |r| r.get(0)))
            .map_err(err)?;
        Ok((rule.id.clone(), key_text(value)))
    };
    Ok(Changes {
        opened: merged.opened.iter().map(key).collect::<Result<_>>()?,
        resolved: merged.resolved.iter().map(key).collect::<Result<_>>()?,
        records: merged
            .opened
            .iter()
            .chain(&merged.resolved)
            .copied()
            .collect(),
    })
}

/// What a re-check works with: the caller's transaction, the sandbox rules run in, and the
/// workspace's schema.
pub(super) struct Env<'a> {
    pub conn: &'a Connection,
    pub sandbox: &'a Sandbox,
    pub schema: &'a Schema,
}

/// Sets one field of one record and re-checks what the change can affect, inside the
/// caller's transaction.
pub(super) fn update_field(
    env: &Env<'_>,
    rules: Option<&ActiveRules>,
    form: &str,
    rowid: i64,
    field: &str,
    value: &SqlValue,
) -> Result<RecheckReport> {
    let (conn, sandbox) = (env.conn, env.sandbox);
    // The groups the record is in before the change, for the rules and peers that read the
    // field: they may lose it.
    let mut before: Vec<(String, SqlValue)> = Vec::new();
    if let Some(rules) = rules {
        let peers = rules
            .peers
            .iter()
            .enumerate()
            .filter(|(i, p)| p.form == form && rules.depends.peers(*i).column(form, field))
            .map(|(_, p)| &p.group);
        let related = rules
            .rules
            .iter()
            .enumerate()
            .filter(|(i, r)| r.form == form && rules.depends.rule(*i).column(form, field))
            .filter(|(_, r)| r.reach == Reach::Related)
            .filter_map(|(_, r)| r.related.as_ref());
        for expr in peers.chain(related) {
            if !before.iter().any(|(e, _)| e == expr) {
                let v = value_of(conn, sandbox, rules, form, expr, rowid)?;
                before.push((expr.clone(), v));
            }
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
        Some(rules) => recheck(env, rules, form, field, rowid, &before),
        None => Ok(RecheckReport::default()),
    }
}
