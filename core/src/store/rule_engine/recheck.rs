//! Re-checking after one field of one record changed, over exactly the verdicts the change
//! can move. A rule that reads neither the field nor a peers figure that moved is passed
//! over. Of the others: a rule that reads only its own record runs on the record; a rule
//! with `related` also on the records that shared the related value before or share it after;
//! a rule that reads peers figures also on every record of a group whose figures it reads
//! moved (the groups the record left and joined are recomputed first); a rule of another form
//! of the census object that reads this one through the parent link, on the parent (or the
//! children) the record belongs to before and after; any other cross-record rule, and any
//! other rule of another form that reads this one, on its whole form.
//! The flags afterwards are those a full check would give.

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;

use super::evaluate::prepare_rule;
use super::merge::merge;
use super::peers;
use super::sandbox::Sandbox;
use super::scope::{Edit, PeersMoved, recheck_error, run, scope_of};
use super::vocabulary::{ActiveRules, Reach, StoredRule, Verdict};
use crate::domain::Schema;
use crate::error::{Error, Result};
use crate::rules::BudgetKind;
use crate::store::forms::{key_text, quote};
use crate::store::queue;

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

/// What a re-check works with: the caller's transaction, the sandbox rules run in, and the
/// workspace's schema.
pub(in crate::store) struct Env<'a> {
    pub conn: &'a Connection,
    pub sandbox: &'a Sandbox,
    pub schema: &'a Schema,
}

/// Sets one field of one record and re-checks what the change can affect, inside the
/// caller's transaction.
pub(in crate::store) fn update_field(
    env: &Env<'_>,
    rules: Option<&ActiveRules>,
    form: &str,
    rowid: i64,
    field: &str,
    value: &SqlValue,
) -> Result<RecheckReport> {
    let Some(in_force) = rules else {
        return set(env, form, rowid, field, value).map(|()| RecheckReport::default());
    };
    let budget = in_force.budget.of(BudgetKind::Recheck);
    let _budget = env.sandbox.meter().start(BudgetKind::Recheck, budget);
    set_and_recheck(env, in_force, form, rowid, field, value).map_err(refused)
}

/// An action whose re-check ran out of its budget is refused, and nothing of it is written:
/// the caller's transaction is rolled back.
fn refused(e: Error) -> Error {
    match e {
        Error::OverBudget(over) => {
            let (raise, raise_zh) = if over.setting.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!(" or to raise {}", over.setting),
                    format!("，或调高 {}", over.setting),
                )
            };
            // Rules are named by id; a score, fix or peers group by its kind and id
            // ("score S1").
            let (what, what_zh) = match over.rule.split_once(' ') {
                Some((kind, id)) => {
                    let kind_zh = match kind {
                        "score" => "评分",
                        "fix" => "修正建议",
                        "peers" => "同类统计",
                        other => other,
                    };
                    (over.rule.clone(), format!("{kind_zh} {id}"))
                }
                None => (format!("rule {}", over.rule), format!("规则 {}", over.rule)),
            };
            Error::declined(
                format!(
                    "nothing was saved: re-checking this change, {what} {why}. Ask the rule \
                     leader to make {what} cheaper (a cross-record rule with `related` \
                     re-checks only the related records){raise}",
                    why = over.why.en,
                ),
                format!(
                    "未保存任何内容：重新核查这次改动时，{what_zh} {why}。请规则负责人简化 {what_zh}（带 `related` 的跨记录规则只重新核查相关记录）{raise_zh}",
                    why = over.why.zh,
                ),
            )
        }
        other => other,
    }
}

/// Sets the field, without rules to re-check.
fn set(env: &Env<'_>, form: &str, rowid: i64, field: &str, value: &SqlValue) -> Result<()> {
    env.conn
        .execute(
            &format!(
                "UPDATE {} SET {} = ?1 WHERE rowid = ?2",
                quote(form),
                quote(field)
            ),
            rusqlite::params![value, rowid],
        )
        .map_err(|e| recheck_error(form, &e))?;
    // The unit's name is found by search as it now reads.
    match env.schema.form(form) {
        Some(f) if f.display.as_deref() == Some(field) => {
            crate::store::search::renamed(env.conn, f, rowid, value)
                .map_err(|e| recheck_error(form, &e))
        }
        _ => Ok(()),
    }
}

/// Sets the field and re-checks what the change can affect.
fn set_and_recheck(
    env: &Env<'_>,
    rules: &ActiveRules,
    form: &str,
    rowid: i64,
    field: &str,
    value: &SqlValue,
) -> Result<RecheckReport> {
    let before = values_before(env, rules, form, rowid, field)?;
    // A child row moved to another parent leaves its old object's queue line, which counted
    // its flags.
    let left = match env.schema.form(form).and_then(|f| f.parent.as_ref()) {
        Some(link) if link.key.eq_ignore_ascii_case(field) => {
            parent_of(env, form, rowid)?.map(|p| (link.form.clone(), p))
        }
        _ => None,
    };
    set(env, form, rowid, field, value)?;
    let report = recheck(env, rules, form, field, rowid, &before)?;
    if let Some((parent, record)) = left {
        queue::refresh_records(env.conn, env.schema, rules.rule_set, &parent, &[record])
            .map_err(|e| recheck_error(form, &e))?;
    }
    Ok(report)
}

/// The rowid of the parent record of child row `rowid` of `form`, if it has one.
fn parent_of(env: &Env<'_>, form: &str, rowid: i64) -> Result<Option<i64>> {
    let Some(child) = env.schema.form(form) else {
        return Ok(None);
    };
    let Some((link, parent)) = child
        .parent
        .as_ref()
        .and_then(|l| env.schema.form(&l.form).map(|p| (l, p)))
    else {
        return Ok(None);
    };
    let sql = format!(
        "SELECT p.rowid FROM {} c JOIN {} p ON p.{} = c.{} WHERE c.rowid = ?1",
        quote(&child.name),
        quote(&parent.name),
        quote(&parent.key),
        quote(&link.key)
    );
    match env.conn.query_row(&sql, [rowid], |r| r.get(0)) {
        Ok(p) => Ok(Some(p)),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(recheck_error(form, &e)),
    }
}

/// The groups the record is in before the change, for the rules and peers that read the
/// field: they may lose it. (expression, value) for each peers group and related expression.
fn values_before(
    env: &Env<'_>,
    rules: &ActiveRules,
    form: &str,
    rowid: i64,
    field: &str,
) -> Result<Vec<(String, SqlValue)>> {
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
    // Rules of the object's other forms tied to this one by the parent link.
    let linked = rules
        .rules
        .iter()
        .enumerate()
        .filter(|(i, r)| r.form != form && rules.depends.rule(*i).column(form, field))
        .filter_map(|(i, _)| rules.depends.link(i, form))
        .map(|l| &l.theirs);
    let mut before: Vec<(String, SqlValue)> = Vec::new();
    for expr in peers.chain(related).chain(linked) {
        if !before.iter().any(|(e, _)| e == expr) {
            let v = value_of(env, rules, form, expr, rowid)?;
            before.push((expr.clone(), v));
        }
    }
    Ok(before)
}

/// The value of `expr` for one record, evaluated in the sandbox.
fn value_of(
    env: &Env<'_>,
    rules: &ActiveRules,
    form: &str,
    expr: &str,
    rowid: i64,
) -> Result<SqlValue> {
    let table = quote(form);
    let sql = format!("SELECT ({expr}) FROM {table} WHERE {table}.rowid = :_record");
    let mut stmt = prepare_rule(env.conn, env.sandbox, rules, expr, &sql)?;
    stmt.raw_bind_parameter(c":_record", rowid)
        .map_err(|e| recheck_error(form, &e))?;
    let mut rows = stmt.raw_query();
    match env.sandbox.meter().next(&mut rows) {
        Ok(Some(row)) => row.get(0).map_err(|e| recheck_error(form, &e)),
        Ok(None) => Ok(SqlValue::Null),
        Err(e) => Err(match env.sandbox.meter().exceeded(expr, &e) {
            Some(over) => Error::OverBudget(over),
            None => recheck_error(form, &e),
        }),
    }
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
    let mut after = Vec::new();
    for (expr, _) in before {
        after.push((expr.clone(), value_of(env, rules, form, expr, rowid)?));
    }
    let moved = refresh_peers(env, rules, form, field, before, &after)?;
    let edit = Edit {
        form,
        field,
        before,
        after: &after,
        moved: &moved,
    };
    let mut report = RecheckReport::default();
    let mut errors = Vec::new();
    // The edited record's queue line shows its values, so it is refreshed whatever happens.
    let mut changed: Vec<(String, i64)> = vec![(form.to_string(), rowid)];
    for (index, rule) in rules.rules.iter().enumerate() {
        let scope = scope_of(rules, index, &edit);
        if scope.is_empty() {
            continue;
        }
        let (verdicts, records) = run(
            env.conn,
            env.sandbox,
            rules,
            rule,
            &scope,
            rowid,
            &mut errors,
        )?;
        report.runs += scope.runs();
        let changes = merge_keyed(env, rules.rule_set, rule, records.as_deref(), &verdicts)?;
        report.opened.extend(changes.opened);
        report.resolved.extend(changes.resolved);
        changed.extend(changes.records.into_iter().map(|r| (rule.form.clone(), r)));
    }
    let rescored = super::rescore::after_edit(
        env.conn,
        env.sandbox,
        rules,
        env.schema,
        (form, field, rowid),
        &moved,
    )?;
    refresh_queue(env, rules.rule_set, form, changed)?;
    for (f, records) in rescored {
        queue::rescore(env.conn, &f, records.as_deref()).map_err(|e| recheck_error(form, &e))?;
    }
    Ok(report)
}

/// Recomputes the groups the record left and joined, of every peers definition of `form`
/// that reads `field`.
fn refresh_peers<'r>(
    env: &Env<'_>,
    rules: &'r ActiveRules,
    form: &str,
    field: &str,
    before: &[(String, SqlValue)],
    after: &[(String, SqlValue)],
) -> Result<Vec<PeersMoved<'r>>> {
    let mut moved = Vec::new();
    for (i, p) in rules.peers.iter().enumerate() {
        if p.form != form || !rules.depends.peers(i).column(form, field) {
            continue;
        }
        let groups: Vec<SqlValue> = before
            .iter()
            .chain(after)
            .filter(|(e, _)| *e == p.group)
            .map(|(_, v)| v.clone())
            .collect();
        let changes = peers::refresh_groups(env.conn, env.sandbox, rules, p, &groups)?;
        moved.push(PeersMoved { peers: p, changes });
    }
    Ok(moved)
}

/// Refreshes the queue lines of the `changed` records, (form, rowid).
fn refresh_queue(
    env: &Env<'_>,
    rule_set: i64,
    form: &str,
    mut changed: Vec<(String, i64)>,
) -> Result<()> {
    changed.sort_unstable();
    changed.dedup();
    for f in &env.schema.forms {
        let records: Vec<i64> = changed
            .iter()
            .filter(|(n, _)| *n == f.name)
            .map(|(_, r)| *r)
            .collect();
        if !records.is_empty() {
            queue::refresh_records(env.conn, env.schema, rule_set, &f.name, &records)
                .map_err(|e| recheck_error(form, &e))?;
        }
    }
    Ok(())
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
    let err = |e: rusqlite::Error| recheck_error(&rule.id, &e);
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
