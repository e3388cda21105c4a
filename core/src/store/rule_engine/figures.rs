//! What a rule read and computed on one record, to show why it flagged it: the record's
//! fields it reads, each side of each comparison its check makes (computed on the record as
//! the rule computes it, in the sandbox, with the rule set's parameters), the figures of the
//! peers groups it reads with the record's own group and value, and the rows of other forms
//! of the census object it reads through the parent link. What a rule reads is what the
//! authorizer saw when the rule was loaded (`depends`, `links`).

use rusqlite::{Connection, OptionalExtension};

use super::evaluate::prepare_rule;
use super::sandbox::Sandbox;
use super::sides::comparisons;
use super::vocabulary::{ActiveRules, StoredRule, mentions};
use crate::domain::{Datum, Field, Form, Localized};
use crate::error::Result;
use crate::rules::{BudgetKind, Peers};
use crate::store::forms::quote;
use crate::store::words::datum;
use crate::store::{Workspace, err};

/// An expression of a rule and its value on the record; `None` when it could not be
/// computed there (a run-time error, or past the budget).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub expr: String,
    pub value: Option<Datum>,
}

/// One comparison a rule's check makes, each side computed on the record.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// As written: `<=`, `<>`, `BETWEEN`, `NOT BETWEEN`.
    pub op: String,
    pub sides: Vec<Figure>,
}

/// A peers group's figures, as its `peers_NAME` table holds them (`None`: not computed,
/// as a table whose quartiles nothing reads has none).
#[derive(Debug, Clone, PartialEq)]
pub struct PeerStats {
    pub n: i64,
    pub min: Option<f64>,
    pub q1: Option<f64>,
    pub median: Option<f64>,
    pub q3: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    pub sum: Option<f64>,
}

/// A peers definition a rule reads, seen from one record.
#[derive(Debug, Clone, PartialEq)]
pub struct PeersFigures {
    pub name: String,
    pub group_expr: String,
    pub value_expr: String,
    pub filter: Option<String>,
    /// The columns of its table the rule reads (`grp`, `q1`, ...); empty when that could not
    /// be learned.
    pub columns: Vec<String>,
    /// The record's group and its own value, computed as the definition computes them.
    pub group: Option<Datum>,
    pub own: Option<Datum>,
    /// Whether the record counts in its group (its `where` holds and its value is not NULL).
    pub counted: Option<bool>,
    /// The group's figures; `None` when the group has none.
    pub stats: Option<PeerStats>,
}

/// Rows of another form of the census object that a rule reads through the parent link.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedRows {
    pub form: String,
    pub label: Localized,
    /// The fields of that form it reads, in schema order.
    pub fields: Vec<Field>,
    /// Each row: its rowid, key and the values of `fields`.
    pub rows: Vec<(i64, String, Vec<Datum>)>,
    /// How many rows there are in all (only the first [`LINKED_ROWS`] are read).
    pub total: u64,
}

/// At most this many linked rows are listed.
pub const LINKED_ROWS: usize = 30;

/// What a rule read and computed on one record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleFigures {
    /// The fields of the record's form the rule reads, in schema order.
    pub fields: Vec<String>,
    pub comparisons: Vec<Comparison>,
    pub peers: Vec<PeersFigures>,
    pub linked: Vec<LinkedRows>,
    /// For a rule with `related` that reads no peers figures: the record's value of it and
    /// the other records of its form that share it, with the fields the rule reads.
    pub related: Option<(Option<Datum>, LinkedRows)>,
    /// Other forms it reads that are not tied to the record by the parent link, with the
    /// fields it reads of them (no rows).
    pub unlinked: Vec<LinkedRows>,
}

impl Workspace {
    /// What `rule` (of `form`) reads and computes on `record`, in one read transaction under
    /// the re-check budget.
    pub fn rule_figures(&self, form: &Form, record: i64, rule: &str) -> Result<RuleFigures> {
        let Some(active) = self.active_rules()? else {
            return Ok(RuleFigures::default());
        };
        let Some(i) = active
            .rules
            .iter()
            .position(|r| r.id == rule && r.form == form.name)
        else {
            return Ok(RuleFigures::default());
        };
        let schema = self.schema_cached()?;
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Deferred,
        )
        .map_err(self.error("reading what a rule computes"))?;
        let budget = active.budget.of(BudgetKind::Recheck);
        let _budget = self.sandbox.meter().start(BudgetKind::Recheck, budget);
        let at = At {
            conn: &tx,
            sandbox: &self.sandbox,
            active: &active,
            rule: &active.rules[i],
            form,
            record,
        };
        let reads = active.depends.rule(i);
        let fields = match reads.columns_of(&form.name) {
            Some(columns) => in_schema_order(form, &columns),
            None => at.rule.fields.clone(),
        };
        let comparisons = comparisons(&at.rule.check)
            .into_iter()
            .map(|split| Comparison {
                op: split.op,
                sides: split
                    .sides
                    .into_iter()
                    .map(|expr| Figure {
                        value: at.value(&expr),
                        expr,
                    })
                    .collect(),
            })
            .collect();
        let mut peers = Vec::new();
        for p in &active.peers {
            let table = p.table();
            let columns = match reads.columns_of(&table) {
                Some(c) if c.is_empty() => continue,
                Some(c) => c.iter().map(|c| c.to_string()).collect(),
                None if at.mentions(&table) => Vec::new(),
                None => continue,
            };
            peers.push(at.peers(p, columns)?);
        }
        let mut linked = Vec::new();
        let mut unlinked = Vec::new();
        for other in schema.forms.iter().filter(|f| f.name != form.name) {
            let columns = match reads.columns_of(&other.name) {
                Some(c) if c.is_empty() => continue,
                Some(c) => in_schema_order(other, &c),
                None if at.mentions(&other.name) => {
                    other.fields.iter().map(|f| f.name.clone()).collect()
                }
                None => continue,
            };
            match active.depends.link(i, &other.name) {
                Some(link) => linked.push(at.linked(other, columns, link)?),
                None => unlinked.push(LinkedRows {
                    form: other.name.clone(),
                    label: other.label.clone(),
                    fields: fields_of(other, &columns),
                    rows: Vec::new(),
                    total: 0,
                }),
            }
        }
        let related = match &at.rule.related {
            Some(expr) if peers.is_empty() => Some(at.related(expr, &fields)?),
            _ => None,
        };
        drop(_budget);
        tx.commit()
            .map_err(self.error("reading what a rule computes"))?;
        Ok(RuleFigures {
            fields,
            comparisons,
            peers,
            linked,
            unlinked,
            related,
        })
    }
}

/// `columns` (lower case, as the authorizer reports them) as `form`'s field names, in its
/// order.
fn in_schema_order(form: &Form, columns: &[&str]) -> Vec<String> {
    form.fields
        .iter()
        .filter(|f| columns.iter().any(|c| c.eq_ignore_ascii_case(&f.name)))
        .map(|f| f.name.clone())
        .collect()
}

fn fields_of(form: &Form, names: &[String]) -> Vec<Field> {
    form.fields
        .iter()
        .filter(|f| names.contains(&f.name))
        .cloned()
        .collect()
}

/// One rule on one record, in a read transaction.
struct At<'a> {
    conn: &'a Connection,
    sandbox: &'a Sandbox,
    active: &'a ActiveRules,
    rule: &'a StoredRule,
    form: &'a Form,
    record: i64,
}

impl At<'_> {
    fn mentions(&self, table: &str) -> bool {
        mentions(&self.rule.check, table)
            || self
                .rule
                .when
                .as_deref()
                .is_some_and(|w| mentions(w, table))
    }

    /// The values of `exprs` on the record, computed in the sandbox as the rule's check
    /// is; `None` for all of them when they could not be.
    fn values(&self, exprs: &[&str]) -> Option<Vec<Datum>> {
        let t = quote(&self.form.name);
        let list: Vec<String> = exprs.iter().map(|e| format!("({e})")).collect();
        let sql = format!(
            "SELECT {} FROM main.{t} AS {t} WHERE {t}.rowid = :_record",
            list.join(", ")
        );
        let mut stmt =
            prepare_rule(self.conn, self.sandbox, self.active, &self.rule.id, &sql).ok()?;
        stmt.raw_bind_parameter(c":_record", self.record).ok()?;
        let mut rows = stmt.raw_query();
        let row = self.sandbox.meter().next(&mut rows).ok()??;
        (0..exprs.len())
            .map(|i| row.get::<_, rusqlite::types::Value>(i).ok().map(datum))
            .collect()
    }

    fn value(&self, expr: &str) -> Option<Datum> {
        self.values(&[expr]).and_then(|mut v| v.pop())
    }

    /// A peers definition from the record: its group, own value and the group's figures.
    fn peers(&self, p: &Peers, columns: Vec<String>) -> Result<PeersFigures> {
        let mine = p.form.eq_ignore_ascii_case(&self.form.name);
        let filter = p.filter.as_deref().unwrap_or("1");
        let (group, own, counted) = match mine
            .then(|| self.values(&[&p.group, &p.value, filter]))
            .flatten()
            .as_deref()
        {
            Some([g, v, w]) => {
                let holds = !matches!(w, Datum::Null | Datum::Integer(0))
                    && !matches!(w, Datum::Real(x) if *x == 0.0);
                let counted = holds && !matches!(v, Datum::Null);
                (Some(g.clone()), Some(v.clone()), Some(counted))
            }
            _ => (None, None, None),
        };
        let stats = match &group {
            Some(g) if !matches!(g, Datum::Null) => self
                .conn
                .query_row(
                    &format!(
                        "SELECT n, min, q1, median, q3, max, mean, sum FROM {} WHERE grp = ?1",
                        quote(&p.table())
                    ),
                    [crate::store::words::sql(g)],
                    |r| {
                        Ok(PeerStats {
                            n: r.get(0)?,
                            min: r.get(1)?,
                            q1: r.get(2)?,
                            median: r.get(3)?,
                            q3: r.get(4)?,
                            max: r.get(5)?,
                            mean: r.get(6)?,
                            sum: r.get(7)?,
                        })
                    },
                )
                .optional()
                .map_err(err("reading a peers group's figures"))?,
            _ => None,
        };
        Ok(PeersFigures {
            name: p.name.clone(),
            group_expr: p.group.clone(),
            value_expr: p.value.clone(),
            filter: p.filter.clone(),
            columns,
            group,
            own,
            counted,
            stats,
        })
    }

    /// The other records of the form whose `expr` equals the record's, with the values of
    /// `columns`; run in the sandbox, as the rule's own expressions are.
    fn related(&self, expr: &str, columns: &[String]) -> Result<(Option<Datum>, LinkedRows)> {
        let value = self.value(expr);
        let mut rows = LinkedRows {
            form: self.form.name.clone(),
            label: self.form.label.clone(),
            fields: fields_of(self.form, columns),
            rows: Vec::new(),
            total: 0,
        };
        let Some(v) = value.clone().filter(|v| !matches!(v, Datum::Null)) else {
            return Ok((value, rows));
        };
        let t = quote(&self.form.name);
        let tie = format!("({expr}) = :_group AND {t}.rowid <> :_record");
        let mut list = vec![
            format!("{t}.rowid"),
            format!("{t}.{}", quote(&self.form.key)),
        ];
        list.extend(
            rows.fields
                .iter()
                .map(|f| format!("{t}.{}", quote(&f.name))),
        );
        let count = format!("SELECT count(*) FROM main.{t} AS {t} WHERE {tie}");
        let select = format!(
            "SELECT {} FROM main.{t} AS {t} WHERE {tie} ORDER BY {t}.{} LIMIT {LINKED_ROWS}",
            list.join(", "),
            quote(&self.form.key)
        );
        let group = crate::store::words::sql(&v);
        let n = rows.fields.len();
        for (i, sql) in [count, select].iter().enumerate() {
            let Ok(mut stmt) =
                prepare_rule(self.conn, self.sandbox, self.active, &self.rule.id, sql)
            else {
                return Ok((value, rows));
            };
            let bound = stmt
                .raw_bind_parameter(c":_record", self.record)
                .and_then(|()| stmt.raw_bind_parameter(c":_group", &group));
            if bound.is_err() {
                return Ok((value, rows));
            }
            let mut found = stmt.raw_query();
            while let Ok(Some(r)) = self.sandbox.meter().next(&mut found) {
                if i == 0 {
                    rows.total = r.get::<_, i64>(0).unwrap_or(0).max(0) as u64;
                    continue;
                }
                let key = datum(r.get(1).unwrap_or(rusqlite::types::Value::Null)).display();
                let values = (0..n)
                    .map(|j| datum(r.get(j + 2).unwrap_or(rusqlite::types::Value::Null)))
                    .collect();
                rows.rows.push((r.get(0).unwrap_or(0), key, values));
            }
        }
        Ok((value, rows))
    }

    /// The rows of `other` tied to the record by `link`, with the values of `columns`.
    fn linked(
        &self,
        other: &Form,
        columns: Vec<String>,
        link: &super::vocabulary::Link,
    ) -> Result<LinkedRows> {
        let (t, o) = (quote(&self.form.name), quote(&other.name));
        let tie = format!(
            "{theirs} = (SELECT {own} FROM main.{t} AS {t} WHERE {t}.rowid = ?1)",
            theirs = link.theirs,
            own = link.own,
        );
        let to_error = err("reading the rows a rule reads");
        let total: u64 = self
            .conn
            .query_row(
                &format!("SELECT count(*) FROM main.{o} AS {o} WHERE {tie}"),
                [self.record],
                |r| r.get(0),
            )
            .map_err(&to_error)?;
        let mut list = vec![format!("{o}.rowid"), format!("{o}.{}", quote(&other.key))];
        list.extend(columns.iter().map(|c| format!("{o}.{}", quote(c))));
        let sql = format!(
            "SELECT {} FROM main.{o} AS {o} WHERE {tie} ORDER BY {o}.{} LIMIT {LINKED_ROWS}",
            list.join(", "),
            quote(&other.key)
        );
        let n = columns.len();
        let rows = self
            .conn
            .prepare(&sql)
            .and_then(|mut s| {
                s.query_map([self.record], |r| {
                    let key: rusqlite::types::Value = r.get(1)?;
                    let values = (0..n)
                        .map(|i| r.get::<_, rusqlite::types::Value>(i + 2).map(datum))
                        .collect::<rusqlite::Result<Vec<_>>>()?;
                    Ok((r.get(0)?, datum(key).display(), values))
                })?
                .collect()
            })
            .map_err(&to_error)?;
        Ok(LinkedRows {
            form: other.name.clone(),
            label: other.label.clone(),
            fields: fields_of(other, &columns),
            rows,
            total,
        })
    }
}
