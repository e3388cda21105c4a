//! Scores and proposals: the figures of selective editing, computed by the check and kept
//! current by the re-check as the flags are. A score function gives each record of its form
//! a score (or marks it as one that cannot be scored); a fix rule proposes new values for the
//! records where its condition holds. Both run in the sandbox under the budget in force,
//! over the record and the peers figures alone (vetting refuses anything else), so a re-check
//! runs them on the edited record and on the peers groups whose figures moved.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, Statement};

use super::evaluate::prepare_rule;
use super::sandbox::{Sandbox, plain_sql_error};
use super::vocabulary::ActiveRules;
use crate::domain::{FieldType, Schema};
use crate::error::{Error, Result};
use crate::rules::{Fix, Score};
use crate::store::audit::json_value;
use crate::store::forms::quote;

/// A score's SELECT over its form: rowid, design weight, then one column per item.
pub(super) fn score_sql(s: &Score, filter: &str) -> String {
    let t = quote(&s.form);
    let items: Vec<String> = s.items.iter().map(|i| format!("({})", i.sql())).collect();
    format!(
        "SELECT {t}.rowid, ({dw}), {items} FROM {t} WHERE 1{filter}",
        dw = s.design_weight,
        items = items.join(", ")
    )
}

/// A fix rule's SELECT over its form: rowid, then (old, new) per field it sets, then the
/// old value of each field that takes the same factor; only where its condition holds.
pub(super) fn fix_sql(f: &Fix, filter: &str) -> String {
    let t = quote(&f.form);
    let mut columns: Vec<String> = Vec::new();
    for (field, expr) in &f.set {
        columns.push(format!("{t}.{}", quote(field)));
        columns.push(format!("({expr})"));
    }
    columns.extend(f.also.iter().map(|a| format!("{t}.{}", quote(a))));
    format!(
        "SELECT {t}.rowid, {} FROM {t} WHERE coalesce(({}), 0){filter}",
        columns.join(", "),
        f.when
    )
}

/// One record's score.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ScoreRow {
    pub record: i64,
    pub value: Option<f64>,
    pub items: Vec<Option<f64>>,
}

/// One record's proposal: (field, old, new) for each value it would change.
pub(super) type ProposalRow = (i64, Vec<(String, SqlValue, SqlValue)>);

fn number(v: &SqlValue) -> Option<f64> {
    match v {
        SqlValue::Integer(i) => Some(*i as f64),
        SqlValue::Real(x) if x.is_finite() => Some(*x),
        _ => None,
    }
}

/// Steps a statement of `what` under the budget in force, handing each row to `each`.
fn each_row(
    sandbox: &Sandbox,
    what: &str,
    stmt: &mut Statement<'_>,
    mut each: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<()>,
) -> Result<()> {
    let mut rows = stmt.raw_query();
    loop {
        match sandbox.meter().next(&mut rows) {
            Ok(Some(row)) => each(row).map_err(|e| failed(what, &e))?,
            Ok(None) => return Ok(()),
            Err(e) => {
                return Err(match sandbox.meter().exceeded(what, &e) {
                    Some(over) => Error::OverBudget(over),
                    None => failed(what, &e),
                });
            }
        }
    }
}

fn failed(what: &str, e: &rusqlite::Error) -> Error {
    Error::Storage {
        context: format!("computing {what}"),
        detail: plain_sql_error(e),
    }
}

/// Where a score or fix runs: the filter after its WHERE and the parameters it binds.
pub(super) enum Over<'v> {
    Form,
    Record(i64),
    Group(&'v str, &'v SqlValue),
}

impl Over<'_> {
    fn filter(&self, form: &str) -> String {
        match self {
            Over::Form => String::new(),
            Over::Record(_) => format!(" AND {}.rowid = :_record", quote(form)),
            Over::Group(expr, _) => format!(" AND ({expr}) IS :_group"),
        }
    }

    fn bind(&self, stmt: &mut Statement<'_>) -> rusqlite::Result<()> {
        match self {
            Over::Form => Ok(()),
            Over::Record(r) => stmt.raw_bind_parameter(c":_record", r),
            Over::Group(_, v) => stmt.raw_bind_parameter(c":_group", v),
        }
    }
}

/// The scores of `s` over the records `over` selects.
pub(super) fn compute_scores(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    s: &Score,
    over: &Over<'_>,
) -> Result<Vec<ScoreRow>> {
    let what = format!("score {}", s.id);
    let sql = score_sql(s, &over.filter(&s.form));
    let mut stmt = prepare_rule(conn, sandbox, rules, &what, &sql)?;
    over.bind(&mut stmt).map_err(|e| failed(&what, &e))?;
    let mut out = Vec::new();
    each_row(sandbox, &what, &mut stmt, |row| {
        let weight = number(&row.get(1)?);
        let mut items = Vec::with_capacity(s.items.len());
        for i in 0..s.items.len() {
            let item = number(&row.get(i + 2)?);
            items.push(
                weight
                    .zip(item)
                    .map(|(w, x)| w * x)
                    .filter(|x| x.is_finite()),
            );
        }
        let scored: Vec<(f64, f64)> = items
            .iter()
            .zip(&s.items)
            .filter_map(|(v, def)| v.map(|v| (v, def.weight)))
            .collect();
        out.push(ScoreRow {
            record: row.get(0)?,
            value: s.combine.combine(&scored).filter(|v| v.is_finite()),
            items,
        });
        Ok(())
    })?;
    Ok(out)
}

/// A proposed value in its field's type: a whole number for an integer field (rounded), a
/// real for a real field, text for text and codes.
fn typed(ty: FieldType, v: SqlValue) -> SqlValue {
    match (ty, v) {
        (FieldType::Integer | FieldType::Bool, SqlValue::Real(x)) if x.is_finite() => {
            SqlValue::Integer(x.round() as i64)
        }
        (FieldType::Real, SqlValue::Integer(i)) => SqlValue::Real(i as f64),
        (FieldType::Text | FieldType::Code, SqlValue::Integer(i)) => SqlValue::Text(i.to_string()),
        (FieldType::Text | FieldType::Code, SqlValue::Real(x)) => SqlValue::Text(x.to_string()),
        (_, SqlValue::Real(x)) if !x.is_finite() => SqlValue::Null,
        (_, v) => v,
    }
}

/// The proposals of `f` over the records `over` selects: each record where its condition
/// holds and some value would change.
pub(super) fn compute_proposals(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    schema: &Schema,
    f: &Fix,
    over: &Over<'_>,
) -> Result<Vec<ProposalRow>> {
    let what = format!("fix {}", f.id);
    let form = schema
        .form(&f.form)
        .ok_or_else(|| Error::unknown_form(schema, &f.form))?;
    let ty = |name: &str| form.field(name).map_or(FieldType::Text, |d| d.ty);
    let sql = fix_sql(f, &over.filter(&f.form));
    let mut stmt = prepare_rule(conn, sandbox, rules, &what, &sql)?;
    over.bind(&mut stmt).map_err(|e| failed(&what, &e))?;
    let mut out = Vec::new();
    each_row(sandbox, &what, &mut stmt, |row| {
        let mut changes = Vec::new();
        let mut factor = None;
        for (i, (field, _)) in f.set.iter().enumerate() {
            let old: SqlValue = row.get(1 + 2 * i)?;
            let new = typed(ty(field), row.get(2 + 2 * i)?);
            if i == 0 {
                factor = number(&old)
                    .zip(number(&new))
                    .filter(|(o, _)| *o != 0.0)
                    .map(|(o, n)| n / o);
            }
            if old != new {
                changes.push((field.clone(), old, new));
            }
        }
        let base = 1 + 2 * f.set.len();
        for (j, field) in f.also.iter().enumerate() {
            let old: SqlValue = row.get(base + j)?;
            if let Some((x, k)) = number(&old).zip(factor) {
                let new = typed(ty(field), SqlValue::Real(x * k));
                if old != new {
                    changes.push((field.clone(), old, new));
                }
            }
        }
        if !changes.is_empty() {
            out.push((row.get(0)?, changes));
        }
        Ok(())
    })?;
    Ok(out)
}

/// The changes of a proposal as the table holds them: `[[field, old, new], ...]`.
pub(super) fn changes_json(changes: &[(String, SqlValue, SqlValue)]) -> String {
    serde_json::Value::Array(
        changes
            .iter()
            .map(|(f, o, n)| serde_json::json!([f, json_value(o), json_value(n)]))
            .collect(),
    )
    .to_string()
}

/// The newest event: the stamp of rows computed now.
pub(super) fn stamp(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))
}

/// Stores scores of `s` computed at `stamp`, each replacing the record's row unless a
/// re-check wrote that row after `stamp`; a row whose figures are unchanged is not written.
/// Returns the records whose scores changed.
pub(super) fn store_scores(
    conn: &Connection,
    s: &Score,
    rows: &[ScoreRow],
    stamp: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut upsert = conn.prepare_cached(
        "INSERT INTO scores (form, record, score, value, high, items, event)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (form, record, score) DO UPDATE SET value = excluded.value,
             high = excluded.high, items = excluded.items, event = excluded.event
         WHERE scores.event <= excluded.event
           AND (scores.value IS NOT excluded.value OR scores.items IS NOT excluded.items)",
    )?;
    let mut changed = Vec::new();
    for r in rows {
        let items = serde_json::Value::Array(
            r.items
                .iter()
                .map(|i| i.map_or(serde_json::Value::Null, serde_json::Value::from))
                .collect(),
        )
        .to_string();
        let high = r.value.map(|v| v >= s.threshold);
        if upsert.execute(rusqlite::params![
            s.form, r.record, s.id, r.value, high, items, stamp
        ])? > 0
        {
            changed.push(r.record);
        }
    }
    Ok(changed)
}

/// Removes a record's score row (a run over it yielded none).
pub(super) fn forget_score(conn: &Connection, s: &Score, record: i64) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM scores WHERE form = ?1 AND score = ?2 AND record = ?3",
        rusqlite::params![s.form, s.id, record],
    )
    .map(|_| ())
}

/// Stores proposals of `f` computed at `stamp` over `records` (`None`: the whole form): the
/// records' rows are replaced, and a row of theirs that `rows` no longer has is removed,
/// unless a re-check wrote it after `stamp`. A dismissal stays with a proposal while it
/// proposes the same values.
pub(super) fn store_proposals(
    conn: &Connection,
    f: &Fix,
    rows: &[ProposalRow],
    records: Option<&[i64]>,
    stamp: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut changed = Vec::new();
    let mut existing: std::collections::HashMap<i64, (String, Option<i64>)> = Default::default();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT record, changes, dismissed_by FROM proposals
             WHERE form = ?1 AND fix = ?2 AND event <= ?3",
        )?;
        let found = stmt.query_map(rusqlite::params![f.form, f.id, stamp], |r| {
            Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?)))
        })?;
        for row in found {
            let (record, d) = row?;
            if records.is_none_or(|rs| rs.contains(&record)) {
                existing.insert(record, d);
            }
        }
    }
    let mut delete = conn.prepare_cached(
        "DELETE FROM proposals WHERE form = ?1 AND fix = ?2 AND record = ?3 AND event <= ?4",
    )?;
    let proposed: std::collections::HashSet<i64> = rows.iter().map(|(r, _)| *r).collect();
    for record in existing.keys() {
        if !proposed.contains(record)
            && delete.execute(rusqlite::params![f.form, f.id, record, stamp])? > 0
        {
            changed.push(*record);
        }
    }
    let mut upsert = conn.prepare_cached(
        "INSERT INTO proposals (form, record, fix, changes, dismissed_by, event)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (form, record, fix) DO UPDATE SET changes = excluded.changes,
             dismissed_by = excluded.dismissed_by, event = excluded.event
         WHERE proposals.event <= excluded.event
           AND (proposals.changes IS NOT excluded.changes
                OR proposals.dismissed_by IS NOT excluded.dismissed_by)",
    )?;
    for (record, changes) in rows {
        let text = changes_json(changes);
        let by = existing
            .get(record)
            .filter(|(same, _)| *same == text)
            .and_then(|(_, by)| *by);
        if upsert.execute(rusqlite::params![f.form, record, f.id, text, by, stamp])? > 0 {
            changed.push(*record);
        }
    }
    Ok(changed)
}
