//! One record as the review screen shows it: its values and its flags.

use rusqlite::OptionalExtension;
use rusqlite::types::Value as SqlValue;

use super::Workspace;
use super::forms::quote;
use crate::domain::{Datum, FlagLine};
use crate::error::Result;

impl Workspace {
    /// The values of a record in field order, or `None` if there is no such record.
    pub fn record_values(&self, form: &str, record: i64) -> Result<Option<Vec<Datum>>> {
        let schema = self.schema_cached()?;
        let Some(form) = schema.form(form) else {
            return Ok(None);
        };
        let columns: Vec<String> = form.fields.iter().map(|f| quote(&f.name)).collect();
        let sql = format!(
            "SELECT {} FROM {} WHERE rowid = ?1",
            columns.join(", "),
            quote(&form.name)
        );
        let n = columns.len();
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_row([record], |r| {
                    (0..n)
                        .map(|i| r.get::<_, SqlValue>(i).map(super::words::datum))
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .optional()
            })
            .map_err(self.error("reading a record"))
    }

    /// The record's flags: open ones first (errors before warnings), then resolved ones.
    /// The rowids of the rows of child form `child` under the record of its parent form whose
    /// key is `key`, in key order.
    pub fn children_of(&self, child: &str, key: &Datum) -> Result<Vec<i64>> {
        let schema = self.schema_cached()?;
        let Some((form, link)) = schema
            .form(child)
            .and_then(|f| f.parent.as_ref().map(|l| (f, l)))
        else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT rowid FROM {} WHERE {} = ?1 ORDER BY {}",
            quote(&form.name),
            quote(&link.key),
            quote(&form.key)
        );
        let key = crate::store::words::sql(key);
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_map([key], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()
            })
            .map_err(self.error("reading a record's child rows"))
    }

    pub fn record_flags(&self, form: &str, record: i64) -> Result<Vec<FlagLine>> {
        let sql = "SELECT f.rule, r.severity, r.title_zh, r.title_en, r.fields, f.outcome, f.state,
                          EXISTS (SELECT 1 FROM explanations x WHERE x.form = f.form
                                  AND x.record = f.record AND x.rule = f.rule AND x.undone_by IS NULL)
                   FROM flags f
                   JOIN rules r ON r.id = f.rule AND r.rule_set = (SELECT max(id) FROM rule_sets)
                   WHERE f.form = ?1 AND f.record = ?2
                   ORDER BY f.state = 'resolved', r.severity = 'warning', r.position, f.id DESC";
        let mut stmt = self
            .conn
            .prepare_cached(sql)
            .map_err(self.error("reading flags"))?;
        let rows = stmt
            .query_map(rusqlite::params![form, record], |r| {
                Ok(FlagLine {
                    rule: r.get(0)?,
                    severity: r.get(1)?,
                    title_zh: r.get(2)?,
                    title_en: r.get(3)?,
                    fields: r
                        .get::<_, String>(4)?
                        .split_whitespace()
                        .map(str::to_string)
                        .collect(),
                    outcome: r.get(5)?,
                    state: r.get(6)?,
                    explained: r.get(7)?,
                })
            })
            .map_err(self.error("reading flags"))?;
        let mut flags: Vec<FlagLine> = Vec::new();
        for f in rows {
            let f = f.map_err(self.error("reading flags"))?;
            // One line per rule: the newest resolved flag of a rule stands for its history.
            if !flags.iter().any(|g| g.rule == f.rule) {
                flags.push(f);
            }
        }
        Ok(flags)
    }
}
