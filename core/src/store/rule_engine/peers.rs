//! Peers statistics: for each group of a form (an industry division, say), the count, minimum,
//! quartiles, maximum, mean and sum of a value over the group's records. Rules, scores and fixes
//! compare a record with its group's figures.
//!
//! A table is computed in one of two ways, its [`Kind`], chosen from what the rule set in force
//! reads of it ([`kind`]):
//!
//! - **full** when a rule, score, fix or peers definition reads one of its quartiles (`q1`,
//!   `median`, `q3`), or when what one of them reads could not be learned: every value comes
//!   from SQLite in order and the figures are taken in Rust;
//! - **sums** otherwise: count, minimum, maximum and sum come from one aggregate query (`GROUP
//!   BY` the group), and the quartiles are NULL, since nothing reads them.
//!
//! The kind depends on the rule set alone, so a full check and a re-check of some groups
//! compute a table the same way, and the two can never disagree: a group recomputed after an
//! edit has the figures a full check would give it, and a re-check decides from them whether
//! the group's figures moved. Sums (and means, sum / n) are correctly rounded
//! ([`ExactSum`]): they do not depend on the order SQLite reads the values in, and both kinds
//! give the same count, minimum, maximum, sum and mean, to the last bit.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params_from_iter};

use super::evaluate::prepare_rule;
use super::functions::{ExactSum, number};
use super::sandbox::{Sandbox, plain_sql_error};
use super::vocabulary::ActiveRules;
use crate::error::{Error, Result};
use crate::rules::{Peers, Quantiles};
use crate::store::forms::quote;

/// The columns of a peers table, in order.
pub(super) const COLUMNS: [&str; 9] = [
    "grp", "n", "min", "q1", "median", "q3", "max", "mean", "sum",
];

/// The columns only the full kind computes.
pub(super) const QUARTILES: [&str; 3] = ["q1", "median", "q3"];

/// A peers table's columns and types, as `CREATE TABLE name ...` takes them.
pub(super) const DEFINITION: &str = "(grp ANY PRIMARY KEY, n INTEGER NOT NULL, min REAL, \
     q1 REAL, median REAL, q3 REAL, max REAL, mean REAL, sum REAL) STRICT";

/// The table that holds a peers definition's statistics.
pub(super) fn create_table(conn: &Connection, p: &Peers) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS {t}; CREATE TABLE {t} {DEFINITION};",
        t = quote(&p.table())
    ))
}

/// How a peers table is computed (see the module's introduction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Every figure, from the group's values in order.
    Full,
    /// Count, minimum, maximum, sum and mean from an aggregate query; no quartiles.
    Sums,
}

/// The kind of `p`'s table under `rules`: full when anything in force reads a quartile of it,
/// or may (what it reads could not be learned), else sums.
pub(super) fn kind(rules: &ActiveRules, p: &Peers) -> Kind {
    let table = p.table();
    let d = &rules.depends;
    let mut readers = (0..rules.rules.len())
        .map(|i| d.rule(i))
        .chain((0..rules.scores.len()).map(|i| d.score(i)))
        .chain((0..rules.fixes.len()).map(|i| d.fix(i)))
        .chain((0..rules.peers.len()).map(|i| d.peers(i)));
    let quartiles = readers.any(|reads| {
        reads.columns_of(&table).is_none_or(|columns| {
            columns
                .iter()
                .any(|c| QUARTILES.iter().any(|q| c.eq_ignore_ascii_case(q)))
        })
    });
    if quartiles { Kind::Full } else { Kind::Sums }
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

/// The row of figures for one group, from its values in SQLite's order. The median is the
/// middle value, or the mean of the two middle values of an even count (R's `median`). The
/// quartiles are nearest-rank by default (R's `quantile(type = 1)`): the first value at or
/// past that share of the group (the 1st of 4 values is its lower quartile), as a window
/// `row_number() >= 0.25 * n` would pick it; with `quantiles = "type7"` they lie between the
/// two values around `(n - 1) × p`, as R's default. A group without values has no row, so
/// `sorted` is never empty.
fn figures(group: SqlValue, sorted: &[SqlValue], quantiles: Quantiles) -> Vec<SqlValue> {
    let n = sorted.len();
    let at = |quarters: usize| match quantiles {
        Quantiles::NearestRank => sorted[(quarters * n).div_ceil(4).max(1) - 1].clone(),
        Quantiles::Type7 => {
            let h = (n - 1) as f64 * quarters as f64 / 4.0;
            let (lo, frac) = (h.floor() as usize, h - h.floor());
            if frac == 0.0 {
                sorted[lo].clone()
            } else {
                let (a, b) = (
                    number((&sorted[lo]).into()),
                    number((&sorted[lo + 1]).into()),
                );
                SqlValue::Real(a + frac * (b - a))
            }
        }
    };
    let median = if n % 2 == 1 {
        sorted[n / 2].clone()
    } else {
        let (a, b) = (
            number((&sorted[n / 2 - 1]).into()),
            number((&sorted[n / 2]).into()),
        );
        SqlValue::Real(a / 2.0 + b / 2.0)
    };
    let mut sum = ExactSum::default();
    for v in sorted {
        sum.add(number(v.into()));
    }
    let sum = sum.total();
    vec![
        group,
        SqlValue::Integer(n as i64),
        sorted[0].clone(),
        at(1),
        median,
        at(3),
        sorted[n - 1].clone(),
        SqlValue::Real(sum / n as f64),
        SqlValue::Real(sum),
    ]
}

/// The row of a sums table for one group: count, minimum, maximum and sum as the aggregate
/// query gave them; the mean is sum / n, as [`figures`] takes it; no quartiles. `None` for a
/// group without values.
fn sums_row(
    group: SqlValue,
    row: &rusqlite::Row<'_>,
    from: usize,
) -> rusqlite::Result<Option<Vec<SqlValue>>> {
    let n: i64 = row.get(from)?;
    if n == 0 {
        return Ok(None);
    }
    let sum: f64 = row.get(from + 3)?;
    Ok(Some(vec![
        group,
        SqlValue::Integer(n),
        row.get(from + 1)?,
        SqlValue::Null,
        SqlValue::Null,
        SqlValue::Null,
        row.get(from + 2)?,
        SqlValue::Real(sum / n as f64),
        SqlValue::Real(sum),
    ]))
}

/// What a record must hold to count in its group: the definition's `where` (as the partial
/// index of its values has it, so that the index serves) and a value.
fn counted(p: &Peers) -> String {
    match &p.filter {
        Some(filter) => format!("({filter}) AND ({}) IS NOT NULL", p.value),
        None => format!("({}) IS NOT NULL", p.value),
    }
}

/// The aggregate statement of a sums table: count, minimum, maximum and exact sum of each
/// group's values (group first), or of the group `:_group`. Over every group, the values are
/// read by a subquery in group order: from the index of the group's values alone, without a
/// sort. (Flattened into the aggregate, SQLite would read each record's row as well; the
/// `LIMIT` keeps it from flattening.)
fn sums_sql(p: &Peers, one_group: bool) -> String {
    let (g, v, t, counted) = (&p.group, &p.value, quote(&p.form), counted(p));
    if one_group {
        format!(
            "SELECT count(*), min(({v})), max(({v})), exact_sum(({v})) FROM {t}
             WHERE {counted} AND ({g}) IS :_group"
        )
    } else {
        format!(
            "SELECT _group, count(*), min(_value), max(_value), exact_sum(_value)
             FROM (SELECT ({g}) AS _group, ({v}) AS _value FROM {t}
                   WHERE {counted} AND ({g}) IS NOT NULL ORDER BY 1 LIMIT -1)
             GROUP BY 1"
        )
    }
}

fn values_sql(p: &Peers, one_group: bool) -> String {
    let (g, v, t, counted) = (&p.group, &p.value, quote(&p.form), counted(p));
    if one_group {
        format!("SELECT ({v}) FROM {t} WHERE {counted} AND ({g}) IS :_group ORDER BY 1")
    } else {
        format!("SELECT ({g}), ({v}) FROM {t} WHERE {counted} AND ({g}) IS NOT NULL ORDER BY 1, 2")
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

fn store_row(conn: &Connection, p: &Peers, row: Vec<SqlValue>) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO {} ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        quote(&p.table()),
        COLUMNS.join(", ")
    ))?
    .execute(params_from_iter(row))
    .map(|_| ())
}

/// The rows of a peers table: one per group, its figures in the table's column order.
pub(super) type Rows = Vec<Vec<SqlValue>>;

/// The figures of every group of a peers definition, read in the caller's transaction
/// (which may be a read), in the table's [`kind`].
pub(super) fn compute_all(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    p: &Peers,
) -> Result<Rows> {
    match kind(rules, p) {
        Kind::Full => compute_all_full(conn, sandbox, rules, p),
        Kind::Sums => compute_all_sums(conn, sandbox, rules, p),
    }
}

fn compute_all_full(
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
                    out.push(figures(done, &values, p.quantiles));
                }
            }
        }
    }
    if let Some((done, values)) = current {
        out.push(figures(done, &values, p.quantiles));
    }
    Ok(out)
}

fn compute_all_sums(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    p: &Peers,
) -> Result<Rows> {
    let err = |e: rusqlite::Error| storage(p, &e);
    let mut select = prepare_rule(conn, sandbox, rules, &what(p), &sums_sql(p, false))?;
    let mut rows = select.raw_query();
    let mut out = Vec::new();
    while let Some(row) = sandbox
        .meter()
        .next(&mut rows)
        .map_err(|e| stopped(sandbox, p, &e))?
    {
        let g: SqlValue = row.get(0).map_err(err)?;
        out.extend(sums_row(g, row, 1).map_err(err)?);
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

/// Recomputes the named groups of a peers table, in its [`kind`] as a full check computes
/// it, and says how each row moved.
pub(super) fn refresh_groups(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: &ActiveRules,
    p: &Peers,
    groups: &[SqlValue],
) -> Result<Vec<GroupChange>> {
    let err = |e: rusqlite::Error| storage(p, &e);
    let table = quote(&p.table());
    let kind = kind(rules, p);
    let sql = match kind {
        Kind::Full => values_sql(p, true),
        Kind::Sums => sums_sql(p, true),
    };
    let mut select = prepare_rule(conn, sandbox, rules, &what(p), &sql)?;
    let mut read = conn
        .prepare_cached(&format!(
            "SELECT {} FROM {table} WHERE grp IS ?1",
            COLUMNS.join(", ")
        ))
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
            let mut rows = select.raw_query();
            let figures = match kind {
                Kind::Full => {
                    let mut values: Vec<SqlValue> = Vec::new();
                    while let Some(row) = sandbox
                        .meter()
                        .next(&mut rows)
                        .map_err(|e| stopped(sandbox, p, &e))?
                    {
                        values.push(row.get(0).map_err(err)?);
                    }
                    (!values.is_empty()).then(|| figures(g.clone(), &values, p.quantiles))
                }
                Kind::Sums => match sandbox
                    .meter()
                    .next(&mut rows)
                    .map_err(|e| stopped(sandbox, p, &e))?
                {
                    Some(row) => sums_row(g.clone(), row, 0).map_err(err)?,
                    None => None,
                },
            };
            drop(rows);
            if let Some(row) = figures {
                store_row(conn, p, row).map_err(err)?;
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
    use super::super::depends;
    use super::super::functions;
    use super::super::vocabulary::{Reach, StoredRule};
    use super::*;
    use crate::rules::RuleSet;

    fn ints(xs: &[i64]) -> Vec<SqlValue> {
        xs.iter().map(|x| SqlValue::Integer(*x)).collect()
    }

    #[test]
    fn type7_quartiles_lie_between_values_as_r_takes_them() {
        // R: quantile(1:8) gives 2.75, 4.5 and 6.25; quantile(c(1, 5, 9)) gives 3, 5 and 7.
        let row = figures(
            SqlValue::Null,
            &ints(&[1, 2, 3, 4, 5, 6, 7, 8]),
            Quantiles::Type7,
        );
        assert_eq!(
            &row[3..6],
            &[
                SqlValue::Real(2.75),
                SqlValue::Real(4.5),
                SqlValue::Real(6.25)
            ]
        );
        let odd = figures(SqlValue::Null, &ints(&[1, 5, 9]), Quantiles::Type7);
        assert_eq!(
            &odd[3..6],
            &[
                SqlValue::Real(3.0),
                SqlValue::Integer(5),
                SqlValue::Real(7.0)
            ]
        );
    }

    #[test]
    fn quartiles_pick_the_first_value_at_their_share_and_the_median_is_the_middle() {
        let row = figures(
            SqlValue::Text("13".into()),
            &ints(&[1, 2, 3, 4, 5, 6, 7, 8]),
            Quantiles::NearestRank,
        );
        assert_eq!(row[1], SqlValue::Integer(8));
        assert_eq!(row[2], SqlValue::Integer(1));
        assert_eq!(row[3], SqlValue::Integer(2));
        // The mean of the two middle values of an even count, as R's median.
        assert_eq!(row[4], SqlValue::Real(4.5));
        let odd = figures(SqlValue::Null, &ints(&[1, 5, 9]), Quantiles::NearestRank);
        assert_eq!(odd[4], SqlValue::Integer(5));
        assert_eq!(row[5], SqlValue::Integer(6));
        assert_eq!(row[6], SqlValue::Integer(8));
        assert_eq!(row[7], SqlValue::Real(4.5));
        assert_eq!(row[8], SqlValue::Real(36.0));
        let one = figures(SqlValue::Null, &ints(&[7]), Quantiles::NearestRank);
        assert_eq!(&one[2..7], &ints(&[7, 7, 7, 7, 7])[..]);
    }

    #[test]
    fn a_change_moves_only_the_columns_it_touches() {
        let change = GroupChange {
            group: SqlValue::Null,
            before: Some(ints(&[0, 8, 1, 2, 4, 6, 8, 4, 32])),
            after: Some(ints(&[0, 8, 1, 2, 4, 6, 9, 5, 40])),
        };
        assert!(!change.moved(&["q1", "q3", "n"]));
        assert!(change.moved(&["max"]));
        assert!(change.moved(&["sum"]));
        let gone = GroupChange {
            after: None,
            ..change
        };
        assert!(gone.moved(&["q1"]));
        assert!(!gone.moved(&[]), "a rule that reads none of the figures");
    }

    /// The peers definition of the tests: `v` per group `g` of form F, where `w` is not 0.
    const PEERS: &str = r#"
[[peers]]
name = "v"
form = "F"
group = "g"
value = "v"
where = "w IS NOT 0"
"#;

    /// A score that reads the table for its sum, count and mean, as S1 reads its totals.
    const SCORE: &str = r#"
[[score]]
id = "S1"
form = "F"
title = { zh = "影响", en = "Impact" }
combine = "max"
threshold = 1.0

[[score.item]]
field = "v"
predicted = "w"
standardiser = "(SELECT p.sum + p.n * p.mean FROM peers_v p WHERE p.grp = F.g)"
"#;

    /// Form F in memory with values that a sum in another order rounds otherwise, in
    /// groups a, b (one value) and c, a value the filter leaves out, a NULL value and a NULL
    /// group; `peers_v` made; and the rule set of `PEERS`, `SCORE` and a
    /// rule of each `check`, with what each reads learned as a workspace learns it.
    fn form_f(checks: &[&str]) -> (Connection, Sandbox, ActiveRules) {
        let mut conn = Connection::open_in_memory().unwrap();
        let sandbox = Sandbox::install(&mut conn).unwrap();
        functions::register(&conn).unwrap();
        conn.execute_batch(
            "CREATE TABLE F (g ANY, v ANY, w ANY) STRICT;
             INSERT INTO F VALUES ('a', 0.1, 1), ('b', 5.25, 1), ('a', 1e16, 1), ('c', 7.0, 1),
                                  ('a', 0.2, 1), ('a', 123.0, 0), ('c', 2.0, 1), ('a', -1e16, 1),
                                  ('a', NULL, 1), (NULL, 4.0, 1), ('a', 0.3, 1), ('c', 3.0, 1),
                                  ('a', 2.5, 1), ('a', 1.5, 1);",
        )
        .unwrap();
        let mut source = format!("{PEERS}{SCORE}");
        for (i, check) in checks.iter().enumerate() {
            source.push_str(&format!(
                "[[rule]]\nid = \"R{i}\"\nform = \"F\"\nseverity = \"warning\"\n\
                 title = {{ zh = \"规则\", en = \"Rule\" }}\ncheck = \"{check}\"\n"
            ));
        }
        let set = RuleSet::parse("rules.toml", &source).unwrap();
        create_table(&conn, &set.peers[0]).unwrap();
        let rules: Vec<StoredRule> = set
            .rules
            .iter()
            .map(|r| StoredRule {
                id: r.id.clone(),
                form: r.form.clone(),
                severity: r.severity,
                title: r.title.clone(),
                hint: None,
                check: r.check.clone(),
                when: None,
                related: None,
                fields: Vec::new(),
                reach: Reach::Peers,
            })
            .collect();
        let mut active = ActiveRules {
            rule_set: 1,
            params: set.params,
            budget: set.budget,
            peers: set.peers,
            rules,
            datasets: set.datasets,
            scores: set.scores,
            fixes: set.fixes,
            depends: Default::default(),
        };
        // No forms of a schema: no rule reads another form through a parent link.
        let schema = crate::domain::Schema {
            forms: Vec::new(),
            reasons: Vec::new(),
            policy: None,
        };
        active.depends = depends::learn(&conn, &sandbox, &schema, &active);
        (conn, sandbox, active)
    }

    /// The rows of `peers_v` as stored, by group.
    fn stored(conn: &Connection) -> Rows {
        conn.prepare(&format!(
            "SELECT {} FROM peers_v ORDER BY grp",
            COLUMNS.join(", ")
        ))
        .unwrap()
        .query_map([], |r| (0..COLUMNS.len()).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    fn by_group(mut rows: Rows) -> Rows {
        rows.sort_by(|a, b| format!("{:?}", a[0]).cmp(&format!("{:?}", b[0])));
        rows
    }

    /// The columns both kinds compute: grp, n, min, max, mean and sum.
    fn shared(rows: &Rows) -> Vec<Vec<SqlValue>> {
        rows.iter()
            .map(|r| [0, 1, 2, 6, 7, 8].iter().map(|&i| r[i].clone()).collect())
            .collect()
    }

    /// A table that nothing reads a quartile of is computed by one aggregate query; its
    /// count, minimum, maximum, sum and mean are those of the full computation on the same
    /// values, to the last bit, and its quartiles are NULL. So are a re-check's figures of
    /// each group, and a group whose figures did not move says so.
    #[test]
    fn a_table_read_for_sums_alone_has_the_count_sum_and_mean_of_the_full_one() {
        let (conn, sandbox, sums) =
            form_f(&["v <= (SELECT p.max FROM peers_v p WHERE p.grp = F.g)"]);
        assert_eq!(kind(&sums, &sums.peers[0]), Kind::Sums);
        let (_, _, full) = form_f(&["v <= (SELECT p.q3 FROM peers_v p WHERE p.grp = F.g)"]);
        assert_eq!(kind(&full, &full.peers[0]), Kind::Full);

        let p = &sums.peers[0];
        let by_sums = by_group(compute_all(&conn, &sandbox, &sums, p).unwrap());
        let by_full = by_group(compute_all(&conn, &sandbox, &full, p).unwrap());
        assert_eq!(shared(&by_sums), shared(&by_full));
        assert_eq!(by_sums.len(), 3, "groups a, b and c; no NULL group");
        for row in &by_sums {
            assert_eq!(
                &row[3..6],
                &[SqlValue::Null, SqlValue::Null, SqlValue::Null]
            );
        }
        for row in &by_full {
            assert!(row[3..6].iter().all(|q| *q != SqlValue::Null));
        }
        // a: 0.1 + 1e16 + 0.2 - 1e16 + 0.3 + 2.5 + 1.5 (123 left out by the filter): the
        // sum nearest the exact one, which no order of naive additions gives for sure.
        let a = &by_sums[0];
        assert_eq!(a[1], SqlValue::Integer(7));
        assert_eq!(a[8], SqlValue::Real(4.6));
        assert_eq!(a[7], SqlValue::Real(4.6 / 7.0));
        assert_eq!(by_sums[2][8], SqlValue::Real(12.0));

        // A re-check of each group computes it as the full check does.
        store_all(&conn, p, by_sums.clone()).unwrap();
        let groups: Vec<SqlValue> = by_sums.iter().map(|r| r[0].clone()).collect();
        let changes = refresh_groups(&conn, &sandbox, &sums, p, &groups).unwrap();
        assert!(changes.iter().all(|c| !c.moved(&COLUMNS)));
        assert_eq!(stored(&conn), by_sums);
        // After an edit that moves a value from a to c, both move, by exactly that value.
        conn.execute("UPDATE F SET g = 'c' WHERE v = 2.5", [])
            .unwrap();
        let changes = refresh_groups(&conn, &sandbox, &sums, p, &groups).unwrap();
        assert!(changes[0].moved(&["sum"]) && changes[2].moved(&["n", "mean"]));
        assert!(!changes[1].moved(&COLUMNS));
        let fresh = by_group(compute_all(&conn, &sandbox, &sums, p).unwrap());
        assert_eq!(stored(&conn), fresh);
        assert_eq!(fresh[0][8], SqlValue::Real(2.1));
        assert_eq!(fresh[2][8], SqlValue::Real(14.5));
        assert_eq!(
            shared(&fresh),
            shared(&by_group(compute_all(&conn, &sandbox, &full, p).unwrap()))
        );
    }

    /// Every statement that computes a table reads the values in group order, without a sort;
    /// those of a definition without `where` (whose index is a whole one, not `WHERE 1`,
    /// which SQLite would not use) from the index alone, though its group is an expression.
    #[test]
    fn the_figures_are_read_from_the_index_of_the_values_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        let sandbox = Sandbox::install(&mut conn).unwrap();
        functions::register(&conn).unwrap();
        conn.execute_batch(
            "CREATE TABLE F (g TEXT, code TEXT, v REAL, w REAL, other TEXT) STRICT;
             WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < 2000)
             INSERT INTO F SELECT n % 7, printf('%04d', n % 37), n * 0.5, n % 3, 'x' FROM i;
             ANALYZE;",
        )
        .unwrap();
        let source = format!(
            "{PEERS}
[[peers]]
name = \"whole\"
form = \"F\"
group = \"substr(code, 1, 2)\"
value = \"v\"
"
        );
        let set = RuleSet::parse("rules.toml", &source).unwrap();
        super::super::indexes::create(&conn, &sandbox, &[], &set.peers).unwrap();
        for p in &set.peers {
            for sql in [
                sums_sql(p, false),
                sums_sql(p, true),
                values_sql(p, false),
                values_sql(p, true),
            ] {
                let mut explain = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
                let mut rows = explain.raw_query();
                let mut plan = String::new();
                while let Some(row) = rows.next().unwrap() {
                    plan.push_str(&row.get::<_, String>(3).unwrap());
                    plan.push_str("; ");
                }
                let alone = p.filter.is_some() || plan.contains("COVERING INDEX");
                assert!(
                    alone && !plan.contains("TEMP B-TREE"),
                    "peers {}: {sql}\n{plan}",
                    p.name
                );
            }
        }
    }

    /// Whatever reads a quartile makes the table the full kind, so that a NULL quartile is
    /// never read: a rule, or a reader whose reads could not be learned (as in a trial run).
    #[test]
    fn a_quartile_read_anywhere_makes_the_table_full() {
        let with = |check: &str| {
            let (_, _, rules) = form_f(&[check]);
            kind(&rules, &rules.peers[0])
        };
        assert_eq!(with("v > 0"), Kind::Sums, "the score reads sum, n and mean");
        assert_eq!(
            with("v <= (SELECT p.q3 FROM peers_v p WHERE p.grp = F.g)"),
            Kind::Full
        );
        assert_eq!(
            with("v >= (SELECT p.Q1 FROM peers_v p WHERE p.grp = F.g)"),
            Kind::Full
        );
        assert_eq!(
            with("v <> (SELECT p.median FROM peers_v p WHERE p.grp = F.g)"),
            Kind::Full
        );
        assert_eq!(with("EXISTS (SELECT * FROM peers_v)"), Kind::Full);
        let (conn, sandbox, mut unknown) = form_f(&["v > 0"]);
        unknown.depends = Default::default();
        assert_eq!(kind(&unknown, &unknown.peers[0]), Kind::Full);
        // The full kind's rows have their quartiles: c's of 2, 3 and 7.
        let rows = by_group(compute_all(&conn, &sandbox, &unknown, &unknown.peers[0]).unwrap());
        assert_eq!(
            rows[2][3..6],
            [
                SqlValue::Real(2.0),
                SqlValue::Real(3.0),
                SqlValue::Real(7.0)
            ]
        );
    }
}
