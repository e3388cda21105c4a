//! Peers statistics: for each group of a form (an industry division, say), the count, minimum,
//! quartiles, maximum and mean of a value over the group's records. Rules compare a record
//! with its group's figures. The values come from SQLite in order and the figures are taken
//! in Rust, the same way for a full check and for a re-check of some groups, so the two can
//! never disagree.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params_from_iter};

use super::evaluate::prepare_rule;
use super::sandbox::{Sandbox, plain_sql_error};
use super::vocabulary::ActiveRules;
use crate::error::{Error, Result};
use crate::rules::Peers;
use crate::store::forms::quote;

/// The columns of a peers table, in order.
pub(super) const COLUMNS: [&str; 8] = ["grp", "n", "min", "q1", "median", "q3", "max", "mean"];

/// The table that holds a peers definition's statistics.
pub(super) fn create_table(conn: &Connection, p: &Peers) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS {t};
         CREATE TABLE {t} (grp ANY PRIMARY KEY, n INTEGER NOT NULL, min REAL, q1 REAL,
                           median REAL, q3 REAL, max REAL, mean REAL) STRICT;",
        t = quote(&p.table())
    ))
}

/// One group's row before and after a refresh (`None`: the group had no values).
#[derive(Debug, Clone)]
pub(super) struct GroupChange {
    pub(super) group: SqlValue,
    pub(super) before: Option<Vec<SqlValue>>,
    pub(super) after: Option<Vec<SqlValue>>,
}

impl GroupChange {
    /// Whether any of `columns` (names from [`COLUMNS`]) differs between before and after.
    pub(super) fn moved(&self, columns: &[&str]) -> bool {
        if columns.is_empty() {
            return false;
        }
        match (&self.before, &self.after) {
            (None, None) => false,
            (Some(a), Some(b)) => COLUMNS
                .iter()
                .zip(a.iter().zip(b))
                .any(|(c, (x, y))| x != y && columns.iter().any(|w| w.eq_ignore_ascii_case(c))),
            _ => true,
        }
    }
}

/// How messages name a peers definition.
fn what(p: &Peers) -> String {
    format!("peers {}", p.name)
}

/// The error of a peers statement: over budget, or a storage error.
fn stopped(sandbox: &Sandbox, p: &Peers, e: &rusqlite::Error) -> Error {
    match sandbox.meter().exceeded(&what(p), e) {
        Some(over) => Error::OverBudget(over),
        None => storage(p, e),
    }
}

fn storage(p: &Peers, e: &rusqlite::Error) -> Error {
    Error::Storage {
        context: format!("computing peers {}", p.name),
        detail: plain_sql_error(e),
    }
}

/// The row of figures for one group, from its values in SQLite's order. Quartiles are the
/// first value at or past that share of the group (the 1st of 4 values is its lower
/// quartile), as a window `row_number() >= 0.25 * n` would pick it. A group without values
/// has no row, so `sorted` is never empty.
fn figures(group: SqlValue, sorted: &[SqlValue]) -> Vec<SqlValue> {
    let n = sorted.len();
    let at = |quarters: usize| sorted[(quarters * n).div_ceil(4).max(1) - 1].clone();
    let number = |v: &SqlValue| match v {
        SqlValue::Integer(i) => *i as f64,
        SqlValue::Real(x) => *x,
        SqlValue::Text(t) => t.trim().parse().unwrap_or(0.0),
        SqlValue::Null | SqlValue::Blob(_) => 0.0,
    };
    let mean = sorted.iter().map(number).sum::<f64>() / n as f64;
    vec![
        group,
        SqlValue::Integer(n as i64),
        sorted[0].clone(),
        at(1),
        at(2),
        at(3),
        sorted[n - 1].clone(),
        SqlValue::Real(mean),
    ]
}

fn values_sql(p: &Peers, one_group: bool) -> String {
    let filter = p.filter.as_deref().unwrap_or("1");
    if one_group {
        format!(
            "SELECT ({v}) FROM {t} WHERE ({filter}) AND ({v}) IS NOT NULL AND ({g}) IS :_group ORDER BY 1",
            g = p.group,
            v = p.value,
            t = quote(&p.form)
        )
    } else {
        format!(
            "SELECT ({g}), ({v}) FROM {t} WHERE ({filter}) AND ({v}) IS NOT NULL AND ({g}) IS NOT NULL ORDER BY 1, 2",
            g = p.group,
            v = p.value,
            t = quote(&p.form)
        )
    }
}

/// Same group in SQL's sense: 1 and 1.0 are one group.
fn same(a: &SqlValue, b: &SqlValue) -> bool {
    match (a, b) {
        (SqlValue::Integer(i), SqlValue::Real(x)) | (SqlValue::Real(x), SqlValue::Integer(i)) => {
            *i as f64 == *x
        }
        _ => a == b,
    }
}

/// Stores the figures of one group, from its values in order.
fn store(
    conn: &Connection,
    p: &Peers,
    group: SqlValue,
    sorted: &[SqlValue],
) -> rusqlite::Result<()> {
    store_row(conn, p, figures(group, sorted))
}

fn store_row(conn: &Connection, p: &Peers, row: Vec<SqlValue>) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO {} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        quote(&p.table())
    ))?
    .execute(params_from_iter(row))
    .map(|_| ())
}

/// The rows of a peers table: one per group, its figures in the table's column order.
pub(super) type Rows = Vec<Vec<SqlValue>>;

/// The figures of every group of a peers definition, read in the caller's transaction
/// (which may be a read).
pub(super) fn compute_all(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    p: &Peers,
) -> Result<Rows> {
    let err = |e: rusqlite::Error| storage(p, &e);
    let mut select = prepare_rule(conn, sandbox, rules, &what(p), &values_sql(p, false))?;
    let mut rows = select.raw_query();
    let mut out = Vec::new();
    // The group being read, with its values so far.
    let mut current: Option<(SqlValue, Vec<SqlValue>)> = None;
    while let Some(row) = sandbox
        .meter()
        .next(&mut rows)
        .map_err(|e| stopped(sandbox, p, &e))?
    {
        let g: SqlValue = row.get(0).map_err(err)?;
        let v: SqlValue = row.get(1).map_err(err)?;
        match &mut current {
            Some((group, values)) if same(group, &g) => values.push(v),
            _ => {
                if let Some((done, values)) = current.replace((g, vec![v])) {
                    out.push(figures(done, &values));
                }
            }
        }
    }
    if let Some((done, values)) = current {
        out.push(figures(done, &values));
    }
    Ok(out)
}

/// Recomputes every group of a peers table.
pub(super) fn refresh_all(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    p: &Peers,
) -> Result<()> {
    let rows = compute_all(conn, sandbox, rules, p)?;
    store_all(conn, p, rows)
}

/// Replaces a peers table's rows with figures from [`compute_all`].
pub(super) fn store_all(conn: &Connection, p: &Peers, rows: Rows) -> Result<()> {
    let err = |e: rusqlite::Error| storage(p, &e);
    conn.execute(&format!("DELETE FROM {}", quote(&p.table())), [])
        .map_err(err)?;
    for row in rows {
        store_row(conn, p, row).map_err(err)?;
    }
    Ok(())
}

/// Recomputes the named groups of a peers table and says how each row moved.
pub(super) fn refresh_groups(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    p: &Peers,
    groups: &[SqlValue],
) -> Result<Vec<GroupChange>> {
    let err = |e: rusqlite::Error| storage(p, &e);
    let table = quote(&p.table());
    let mut select = prepare_rule(conn, sandbox, rules, &what(p), &values_sql(p, true))?;
    let mut read = conn
        .prepare_cached(&format!("SELECT * FROM {table} WHERE grp IS ?1"))
        .map_err(err)?;
    let mut row_of = |g: &SqlValue| -> rusqlite::Result<Option<Vec<SqlValue>>> {
        let mut rows = read.query([g])?;
        match rows.next()? {
            Some(row) => Ok(Some(
                (0..COLUMNS.len())
                    .map(|i| row.get(i))
                    .collect::<rusqlite::Result<_>>()?,
            )),
            None => Ok(None),
        }
    };
    let mut changes = Vec::new();
    for g in groups {
        if changes.iter().any(|c: &GroupChange| same(&c.group, g)) {
            continue;
        }
        let before = row_of(g).map_err(err)?;
        conn.execute(&format!("DELETE FROM {table} WHERE grp IS ?1"), [g])
            .map_err(err)?;
        if *g != SqlValue::Null {
            select.raw_bind_parameter(c":_group", g).map_err(err)?;
            let mut values: Vec<SqlValue> = Vec::new();
            let mut rows = select.raw_query();
            while let Some(row) = sandbox
                .meter()
                .next(&mut rows)
                .map_err(|e| stopped(sandbox, p, &e))?
            {
                values.push(row.get(0).map_err(err)?);
            }
            drop(rows);
            if !values.is_empty() {
                store(conn, p, g.clone(), &values).map_err(err)?;
            }
        }
        let after = row_of(g).map_err(err)?;
        changes.push(GroupChange {
            group: g.clone(),
            before,
            after,
        });
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(xs: &[i64]) -> Vec<SqlValue> {
        xs.iter().map(|x| SqlValue::Integer(*x)).collect()
    }

    #[test]
    fn quartiles_pick_the_first_value_at_their_share() {
        let row = figures(
            SqlValue::Text("13".into()),
            &ints(&[1, 2, 3, 4, 5, 6, 7, 8]),
        );
        assert_eq!(row[1], SqlValue::Integer(8));
        assert_eq!(row[2], SqlValue::Integer(1));
        assert_eq!(row[3], SqlValue::Integer(2));
        assert_eq!(row[4], SqlValue::Integer(4));
        assert_eq!(row[5], SqlValue::Integer(6));
        assert_eq!(row[6], SqlValue::Integer(8));
        assert_eq!(row[7], SqlValue::Real(4.5));
        let one = figures(SqlValue::Null, &ints(&[7]));
        assert_eq!(&one[2..7], &ints(&[7, 7, 7, 7, 7])[..]);
    }

    #[test]
    fn a_change_moves_only_the_columns_it_touches() {
        let change = GroupChange {
            group: SqlValue::Null,
            before: Some(ints(&[0, 8, 1, 2, 4, 6, 8, 4])),
            after: Some(ints(&[0, 8, 1, 2, 4, 6, 9, 5])),
        };
        assert!(!change.moved(&["q1", "q3", "n"]));
        assert!(change.moved(&["max"]));
        let gone = GroupChange {
            after: None,
            ..change
        };
        assert!(gone.moved(&["q1"]));
        assert!(!gone.moved(&[]), "a rule that reads none of the figures");
    }
}
