//! Reading a workspace out: the corrected data, the change log, the flags, the signature
//! register, the notes and the report's figures, all inside one read transaction (a
//! [`Snapshot`]), so that what goes out is consistent while others go on reviewing.

mod figures;

use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Transaction, TransactionBehavior};

use super::forms::quote;
use super::{Workspace, err};
use crate::domain::{Form, Schema};
use crate::error::{Error, Result};

pub use figures::{Figures, RegionFigures};

/// Which records an export covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every record.
    #[default]
    All,
    /// Records signed off and locked.
    Signed,
}

impl Scope {
    /// A condition on `alias.rowid` (or the record column named by `record`).
    fn condition(self, record: &str) -> String {
        match self {
            Scope::All => String::new(),
            Scope::Signed => format!(
                " AND EXISTS (SELECT 1 FROM record_state s WHERE s.form = ?1 \
                 AND s.record = {record} AND s.locked = 1)"
            ),
        }
    }
}

/// One standing correction.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    pub key: String,
    pub field: String,
    /// The value the correction replaced.
    pub original: SqlValue,
    pub new: SqlValue,
    /// The rules that read the field and had a flag open on the record when it was corrected
    /// (not those the correction itself raised).
    pub rules: Vec<String>,
    pub reason: String,
    pub reviewer: String,
    pub role: String,
    pub at: String,
    pub event: i64,
    pub hash: String,
}

/// One flag with its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagRow {
    pub key: String,
    pub rule: String,
    pub severity: String,
    pub title_zh: String,
    pub title_en: String,
    /// `fail`, `missing` or `error`.
    pub outcome: String,
    /// `failing`, `explained` or `fixed`.
    pub state: String,
    pub explanation: Option<String>,
    pub explained_by: Option<String>,
    pub first_seen: String,
    pub resolved_at: Option<String>,
}

/// One signature, standing or voided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRow {
    pub key: String,
    pub signer: String,
    pub role: String,
    pub at: String,
    pub record_hash: String,
    pub event: i64,
    pub voided_by: Option<i64>,
}

/// One standing note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRow {
    pub key: String,
    pub text: String,
    pub reviewer: String,
    pub role: String,
    pub at: String,
    pub event: i64,
}

/// A consistent view of the workspace: one read transaction, held until it is dropped.
pub struct Snapshot<'a> {
    tx: Transaction<'a>,
    schema: Schema,
    ws: &'a Workspace,
}

impl Workspace {
    /// Begins a read transaction and pins its view: writes committed after this are not seen
    /// through the snapshot.
    pub fn snapshot(&mut self) -> Result<Snapshot<'_>> {
        let schema = self.schema()?;
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)
            .map_err(self.error("starting a read"))?;
        // A deferred transaction takes its view at its first read.
        tx.query_row("SELECT count(*) FROM forms", [], |r| r.get::<_, i64>(0))
            .map_err(self.error("starting a read"))?;
        Ok(Snapshot {
            tx,
            schema,
            ws: self,
        })
    }
}

impl Snapshot<'_> {
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The workspace's file.
    pub fn path(&self) -> &std::path::Path {
        self.ws.path()
    }

    /// The form named, or the workspace's first form.
    pub fn form(&self, name: Option<&str>) -> Result<&Form> {
        let found = match name {
            Some(name) => self.schema.form(name),
            None => self.schema.forms.first(),
        };
        found.ok_or_else(|| Error::UnknownForm {
            form: name.unwrap_or_default().to_string(),
            known: self
                .schema
                .forms
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// Calls `each` with the rowid and the values (in field order) of every record in scope,
    /// in the order they were imported. Returns how many there were.
    pub fn records(
        &self,
        form: &Form,
        scope: Scope,
        each: &mut dyn FnMut(i64, &[SqlValue]) -> Result<()>,
    ) -> Result<u64> {
        let columns: Vec<String> = form.fields.iter().map(|f| quote(&f.name)).collect();
        let sql = format!(
            "SELECT t.rowid, {} FROM {} t WHERE ?1 = ?1{} ORDER BY t._import, t._line",
            columns
                .iter()
                .map(|c| format!("t.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
            quote(&form.name),
            match scope {
                Scope::Signed if form.parent.is_some() => self.object_signed(form, "t", 0),
                _ => scope.condition("t.rowid"),
            },
        );
        let mut stmt = self.tx.prepare(&sql).map_err(err("reading records"))?;
        let mut rows = stmt.query([&form.name]).map_err(err("reading records"))?;
        let mut values = Vec::with_capacity(columns.len());
        let mut count = 0;
        while let Some(row) = rows.next().map_err(err("reading records"))? {
            let rowid: i64 = row.get(0).map_err(err("reading records"))?;
            values.clear();
            for i in 0..columns.len() {
                values.push(row.get(i + 1).map_err(err("reading records"))?);
            }
            each(rowid, &values)?;
            count += 1;
        }
        Ok(count)
    }

    /// The condition that the row `alias` of child form `form` belongs to a census object
    /// signed off and locked: a child row is signed with its object, on its root.
    fn object_signed(&self, form: &Form, alias: &str, depth: usize) -> String {
        let Some(link) = &form.parent else {
            return format!(
                " AND EXISTS (SELECT 1 FROM record_state s WHERE s.form = '{}' \
                 AND s.record = {alias}.rowid AND s.locked = 1)",
                form.name.replace('\'', "''")
            );
        };
        let Some(parent) = self.schema.form(&link.form) else {
            return " AND 0".into();
        };
        let up = format!("p{depth}");
        format!(
            " AND EXISTS (SELECT 1 FROM {table} {up} WHERE {up}.{key} = {alias}.{field}{above})",
            table = quote(&parent.name),
            key = quote(&parent.key),
            field = quote(&link.key),
            above = self.object_signed(parent, &up, depth + 1),
        )
    }

    /// For each row of child form `form`, the values of `fields` of its parent record.
    pub fn parent_values(
        &self,
        form: &Form,
        fields: &[crate::domain::Field],
    ) -> Result<std::collections::HashMap<i64, Vec<SqlValue>>> {
        let mut out = std::collections::HashMap::new();
        let Some(link) = &form.parent else {
            return Ok(out);
        };
        let parent = self.form(Some(&link.form))?;
        let columns: Vec<String> = fields
            .iter()
            .map(|f| format!("p.{}", quote(&f.name)))
            .collect();
        let sql = format!(
            "SELECT c.rowid, {} FROM {} c JOIN {} p ON p.{} = c.{}",
            columns.join(", "),
            quote(&form.name),
            quote(&parent.name),
            quote(&parent.key),
            quote(&link.key)
        );
        let mut stmt = self
            .tx
            .prepare(&sql)
            .map_err(err("reading parent records"))?;
        let mut rows = stmt.query([]).map_err(err("reading parent records"))?;
        while let Some(row) = rows.next().map_err(err("reading parent records"))? {
            let rowid: i64 = row.get(0).map_err(err("reading parent records"))?;
            let mut values = Vec::with_capacity(fields.len());
            for i in 0..fields.len() {
                values.push(row.get(i + 1).map_err(err("reading parent records"))?);
            }
            out.insert(rowid, values);
        }
        Ok(out)
    }

    /// The ids of the form's scores (in order) and each record's values of them (`None`:
    /// it cannot be scored).
    #[allow(clippy::type_complexity)]
    pub fn scores(
        &self,
        form: &Form,
    ) -> Result<(
        Vec<String>,
        std::collections::HashMap<i64, Vec<Option<f64>>>,
    )> {
        let ids: Vec<String> = self
            .tx
            .prepare("SELECT DISTINCT score FROM scores WHERE form = ?1 ORDER BY score")
            .and_then(|mut s| s.query_map([&form.name], |r| r.get(0))?.collect())
            .map_err(err("reading scores"))?;
        let mut out: std::collections::HashMap<i64, Vec<Option<f64>>> = Default::default();
        let mut stmt = self
            .tx
            .prepare("SELECT record, score, value FROM scores WHERE form = ?1")
            .map_err(err("reading scores"))?;
        let rows = stmt
            .query_map([&form.name], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<f64>>(2)?,
                ))
            })
            .map_err(err("reading scores"))?;
        for row in rows {
            let (record, score, value) = row.map_err(err("reading scores"))?;
            if let Some(i) = ids.iter().position(|s| *s == score) {
                out.entry(record).or_insert_with(|| vec![None; ids.len()])[i] = value;
            }
        }
        Ok((ids, out))
    }

    /// The value each corrected field had when it was imported, by record rowid: (index of the
    /// field, original value). Fields whose corrections were all undone are not corrected.
    pub fn originals(
        &self,
        form: &Form,
        scope: Scope,
    ) -> Result<HashMap<i64, Vec<(usize, SqlValue)>>> {
        let sql = format!(
            "SELECT c.record, c.field, c.old_value FROM corrections c
             WHERE c.form = ?1 AND c.undone_by IS NULL{}
               AND c.event = (SELECT min(d.event) FROM corrections d
                              WHERE d.form = c.form AND d.record = c.record
                                AND d.field = c.field AND d.undone_by IS NULL)
             ORDER BY c.record, c.event",
            scope.condition("c.record")
        );
        let mut stmt = self.tx.prepare(&sql).map_err(err("reading corrections"))?;
        let rows = stmt
            .query_map([&form.name], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })
            .map_err(err("reading corrections"))?;
        let mut out: HashMap<i64, Vec<(usize, SqlValue)>> = HashMap::new();
        for row in rows {
            let (record, field, old) = row.map_err(err("reading corrections"))?;
            if let Some(index) = form.fields.iter().position(|f| f.name == field) {
                out.entry(record).or_default().push((index, old));
            }
        }
        Ok(out)
    }

    /// Every standing correction, oldest first.
    pub fn changes(&self, form: &Form, scope: Scope) -> Result<Vec<ChangeRow>> {
        let sql = format!(
            "SELECT CAST(t.{key} AS TEXT), c.field, c.old_value, c.new_value,
                    (SELECT group_concat(rule, ' ') FROM (
                        SELECT DISTINCT f.rule FROM flags f
                        JOIN rules r ON r.rule_set = f.rule_set AND r.id = f.rule
                        WHERE f.form = c.form AND f.record = c.record
                          AND f.first_seen < c.at
                          AND (f.resolved_at IS NULL OR f.resolved_at >= c.at)
                          AND instr(' ' || r.fields || ' ', ' ' || c.field || ' ') > 0
                        ORDER BY r.position)),
                    c.reason, c.reviewer, coalesce(v.role, ''), c.at, c.event, e.hash
             FROM corrections c
             JOIN events e ON e.id = c.event
             JOIN {table} t ON t.rowid = c.record
             LEFT JOIN reviewers v ON v.name = c.reviewer
             WHERE c.form = ?1 AND c.undone_by IS NULL{scope}
             ORDER BY c.event",
            key = quote(&form.key),
            table = quote(&form.name),
            scope = scope.condition("c.record"),
        );
        self.rows(&sql, &form.name, "reading corrections", |r| {
            Ok(ChangeRow {
                key: r.get(0)?,
                field: r.get(1)?,
                original: r.get(2)?,
                new: r.get(3)?,
                rules: words(r.get::<_, Option<String>>(4)?),
                reason: r.get(5)?,
                reviewer: r.get(6)?,
                role: r.get(7)?,
                at: r.get(8)?,
                event: r.get(9)?,
                hash: r.get(10)?,
            })
        })
    }

    /// Every flag of the form's records, in record order, then rule order, then oldest first.
    pub fn flags(&self, form: &Form, scope: Scope) -> Result<Vec<FlagRow>> {
        let sql = format!(
            "SELECT CAST(t.{key} AS TEXT), f.rule, coalesce(r.severity, ''),
                    coalesce(r.title_zh, ''), coalesce(r.title_en, ''), f.outcome, f.state,
                    x.text, x.reviewer, f.first_seen, f.resolved_at
             FROM flags f
             JOIN {table} t ON t.rowid = f.record
             LEFT JOIN rules r ON r.rule_set = f.rule_set AND r.id = f.rule
             LEFT JOIN explanations x ON x.event = (
                 SELECT max(y.event) FROM explanations y WHERE y.form = f.form
                 AND y.record = f.record AND y.rule = f.rule AND y.undone_by IS NULL)
             WHERE f.form = ?1{scope}
             ORDER BY t._import, t._line, r.position, f.id",
            key = quote(&form.key),
            table = quote(&form.name),
            scope = scope.condition("f.record"),
        );
        self.rows(&sql, &form.name, "reading flags", |r| {
            let state: String = r.get(6)?;
            let explanation: Option<String> = r.get(7)?;
            let state = match (state.as_str(), &explanation) {
                ("open", Some(_)) => "explained",
                ("open", None) => "failing",
                _ => "fixed",
            };
            Ok(FlagRow {
                key: r.get(0)?,
                rule: r.get(1)?,
                severity: r.get(2)?,
                title_zh: r.get(3)?,
                title_en: r.get(4)?,
                outcome: r.get(5)?,
                state: state.to_string(),
                explanation,
                explained_by: r.get(8)?,
                first_seen: r.get(9)?,
                resolved_at: r.get(10)?,
            })
        })
    }

    /// The signature register: every signature, oldest first. With [`Scope::Signed`], only
    /// the standing signatures of locked records.
    pub fn signatures(&self, form: &Form, scope: Scope) -> Result<Vec<SignatureRow>> {
        let standing = if scope == Scope::Signed {
            " AND g.voided_by IS NULL"
        } else {
            ""
        };
        let sql = format!(
            "SELECT CAST(t.{key} AS TEXT), g.reviewer, g.role, g.at, g.record_hash, g.event,
                    g.voided_by
             FROM signatures g
             JOIN {table} t ON t.rowid = g.record
             WHERE g.form = ?1{standing}{scope}
             ORDER BY g.event",
            key = quote(&form.key),
            table = quote(&form.name),
            scope = scope.condition("g.record"),
        );
        self.rows(&sql, &form.name, "reading signatures", |r| {
            Ok(SignatureRow {
                key: r.get(0)?,
                signer: r.get(1)?,
                role: r.get(2)?,
                at: r.get(3)?,
                record_hash: r.get(4)?,
                event: r.get(5)?,
                voided_by: r.get(6)?,
            })
        })
    }

    /// Every standing note, oldest first.
    pub fn notes(&self, form: &Form, scope: Scope) -> Result<Vec<NoteRow>> {
        let sql = format!(
            "SELECT CAST(t.{key} AS TEXT), n.text, n.reviewer, coalesce(v.role, ''), n.at, n.event
             FROM notes n
             JOIN {table} t ON t.rowid = n.record
             LEFT JOIN reviewers v ON v.name = n.reviewer
             WHERE n.form = ?1 AND n.undone_by IS NULL{scope}
             ORDER BY n.event",
            key = quote(&form.key),
            table = quote(&form.name),
            scope = scope.condition("n.record"),
        );
        self.rows(&sql, &form.name, "reading notes", |r| {
            Ok(NoteRow {
                key: r.get(0)?,
                text: r.get(1)?,
                reviewer: r.get(2)?,
                role: r.get(3)?,
                at: r.get(4)?,
                event: r.get(5)?,
            })
        })
    }

    /// Runs a query over one form and collects its rows.
    fn rows<T>(
        &self,
        sql: &str,
        form: &str,
        context: &'static str,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        self.tx
            .prepare(sql)
            .and_then(|mut s| s.query_map([form], map)?.collect())
            .map_err(err(context))
    }
}

/// Space-separated words as a list.
fn words(text: Option<String>) -> Vec<String> {
    text.unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}
