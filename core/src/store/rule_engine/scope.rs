//! Where a re-check must run one rule again after one field of one record changed, and the
//! rule's verdicts there: over the record, over the groups of records that share a related
//! value or a peers group whose figures moved, or over the whole form.

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;

use super::evaluate::{RuntimeError, evaluate};
use super::peers::{self, GroupChange};
use super::sandbox::{Sandbox, plain_sql_error};
use super::vocabulary::{ActiveRules, Reach, StoredRule, Verdict};
use crate::error::{Error, Result};
use crate::rules::Peers;
use crate::store::forms::quote;

/// A re-check's error, in plain words.
pub(super) fn recheck_error(context: &str, e: &rusqlite::Error) -> Error {
    Error::Storage {
        context: format!("re-checking {context}"),
        detail: plain_sql_error(e),
    }
}

/// The records one rule must be run over again.
#[derive(Debug, Default)]
pub(super) struct Scope {
    /// The whole form.
    pub form: bool,
    /// The edited record.
    pub record: bool,
    /// Every record whose `expr` has `value`: (expr, value).
    pub groups: Vec<(String, SqlValue)>,
}

impl Scope {
    pub(super) fn is_empty(&self) -> bool {
        !self.form && !self.record && self.groups.is_empty()
    }

    fn group(&mut self, expr: &str, value: &SqlValue) {
        if !self.groups.iter().any(|(e, v)| e == expr && v == value) {
            self.groups.push((expr.to_string(), value.clone()));
        }
    }

    /// How many times running over this scope runs the rule: once over the record or the
    /// form, and once per group.
    pub(super) fn runs(&self) -> usize {
        usize::from(self.record || self.form) + self.groups.len()
    }
}

/// The groups of one peers definition a change refreshed.
pub(super) struct PeersMoved<'r> {
    pub peers: &'r Peers,
    pub changes: Vec<GroupChange>,
}

/// What changed: `field` of a record of `form`, the values the related and group
/// expressions had for it before and have after, and the peers groups that moved.
pub(super) struct Edit<'e> {
    pub form: &'e str,
    pub field: &'e str,
    pub before: &'e [(String, SqlValue)],
    pub after: &'e [(String, SqlValue)],
    pub moved: &'e [PeersMoved<'e>],
}

/// Where the `index`th rule must run again after `edit`.
pub(super) fn scope_of(rules: &ActiveRules, index: usize, edit: &Edit<'_>) -> Scope {
    let rule = &rules.rules[index];
    let reads = rules.depends.rule(index);
    let mut scope = Scope::default();
    for m in edit.moved {
        // Reads that could not be learned count as reading every figure.
        let columns = reads
            .columns_of(&m.peers.table())
            .unwrap_or_else(|| peers::COLUMNS.to_vec());
        for change in m.changes.iter().filter(|c| c.moved(&columns)) {
            if m.peers.form == rule.form && rule.form == edit.form {
                scope.group(&m.peers.group, &change.group);
            } else {
                scope.form = true;
            }
        }
    }
    if reads.column(edit.form, edit.field) {
        match (rule.reach, &rule.related) {
            // A rule of the census object's other form, tied by the parent link: the records
            // the edited one belongs to (or holds) before and after the change.
            _ if rule.form != edit.form => match rules.depends.link(index, edit.form) {
                Some(link) => {
                    for (expr, value) in edit.before.iter().chain(edit.after) {
                        if *expr == link.theirs && *value != SqlValue::Null {
                            scope.group(&link.own, value);
                        }
                    }
                }
                None => scope.form = true,
            },
            (Reach::Record | Reach::Peers, _) => scope.record = true,
            (Reach::Related, Some(related)) => {
                scope.record = true;
                // Records relate by an equal value; NULL equals nothing, as with SQL's `=`.
                for (expr, value) in edit.before.iter().chain(edit.after) {
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
pub(super) fn run(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    rule: &StoredRule,
    scope: &Scope,
    rowid: i64,
    errors: &mut Vec<RuntimeError>,
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
    let err = |e: rusqlite::Error| recheck_error(&rule.id, &e);
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
