//! The same correction over many records (`huishen apply`): every row is checked first, and
//! only a file with no problem is written, in one transaction, each row an audited correction
//! with its re-check.

use rusqlite::types::Value as SqlValue;

use super::Session;
use super::actions::parse_value;
use crate::error::{Error, Result};
use crate::interchange::BatchRow;

/// One correction that will be made.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub line: u64,
    pub key: String,
    pub record: i64,
    pub field: String,
    pub old: String,
    pub new: SqlValue,
    pub new_text: String,
    pub reason: String,
}

/// What a batch would do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub changes: Vec<Planned>,
    /// Rows whose value is already the one asked for.
    pub unchanged: Vec<(u64, String)>,
}

impl Session {
    /// Checks every row: the key and field exist, the value fits the field's type, a reason is
    /// given, the record is neither locked nor outside the reviewer's scope. Any problem
    /// refuses the whole file, listing the problems by line.
    pub fn plan_batch(&mut self, file: &str, rows: &[BatchRow]) -> Result<Plan> {
        let form = self.form.clone();
        let scope = self.reviewer.scope.clone();
        let work = self.ws.look()?;
        let mut plan = Plan::default();
        let mut problems = Vec::new();
        for row in rows {
            let at = format!("{file}:{}", row.line);
            let Some(field) = form.field(&row.field) else {
                problems.push(format!("{at}: {} has no field `{}`", form.name, row.field));
                continue;
            };
            let Some(record) = work.find(&form, &row.key)? else {
                problems.push(format!(
                    "{at}: {} has no record with key `{}`",
                    form.name, row.key
                ));
                continue;
            };
            if field.name == form.key {
                problems.push(format!("{at}: the key cannot be corrected"));
                continue;
            }
            let new = match parse_value(field.ty, &row.value) {
                Ok(v) => v,
                Err(why) => {
                    problems.push(format!("{at}: {} value “{}” {why}", field.name, row.value));
                    continue;
                }
            };
            if row.reason.trim().is_empty() {
                problems.push(format!("{at}: no reason given"));
                continue;
            }
            if work.state(&form.name, record)?.locked {
                problems.push(format!("{at}: record {} is signed and locked", row.key));
                continue;
            }
            if let Some(region_field) = &form.region
                && !scope.is_empty()
            {
                let region = super::display(
                    crate::domain::FieldType::Code,
                    &work.value(&form, record, region_field)?,
                );
                if !region.starts_with(&scope) {
                    problems.push(format!(
                        "{at}: record {} (region {region}) is outside your scope {scope}",
                        row.key
                    ));
                    continue;
                }
            }
            let old = work.value(&form, record, &field.name)?;
            if old == new {
                plan.unchanged.push((row.line, row.key.clone()));
                continue;
            }
            plan.changes.push(Planned {
                line: row.line,
                key: row.key.clone(),
                record,
                field: field.name.clone(),
                old: super::display(field.ty, &old),
                new,
                new_text: row.value.clone(),
                reason: row.reason.trim().to_string(),
            });
        }
        if !problems.is_empty() {
            let total = problems.len();
            problems.truncate(20);
            return Err(Error::Refused(format!(
                "{file}: {total} of {} rows cannot be applied; nothing was written:\n  {}",
                rows.len(),
                problems.join("\n  ")
            )));
        }
        Ok(plan)
    }

    /// Writes a checked plan in one transaction; returns the flags opened and resolved.
    pub fn apply_batch(&mut self, plan: &Plan) -> Result<(usize, usize)> {
        let reviewer = self.reviewer.name.clone();
        let form = self.form.name.clone();
        let mut work = self.ws.work()?;
        let (mut opened, mut resolved) = (0, 0);
        for change in &plan.changes {
            if work.state(&form, change.record)?.locked {
                return Err(Error::Refused(format!(
                    "record {} was locked while the batch was being checked; nothing was written",
                    change.key
                )));
            }
            let report = work.correct(
                &reviewer,
                &form,
                change.record,
                &change.field,
                change.new.clone(),
                &change.reason,
            )?;
            opened += report.opened.len();
            resolved += report.resolved.len();
        }
        work.commit()?;
        Ok((opened, resolved))
    }
}
