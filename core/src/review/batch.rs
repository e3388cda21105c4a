//! The same correction over many records (`huishen apply`). Every row passes the checks a
//! correction on the screen passes (`checks`), first when the file is planned and again when
//! it is written; only a file with no problem is written, in one transaction, each row an
//! audited correction with its re-check.

use std::collections::HashMap;

use super::Session;
use super::checks::{self, admit, object, unlocked};
use crate::domain::Datum;
use crate::error::{Error, Result};
use crate::interchange::BatchRow;

/// One correction that will be made.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub line: u64,
    pub key: String,
    pub record: i64,
    /// The record's version when the plan was made: a change since refuses the batch.
    pub seen: i64,
    pub field: String,
    /// The value it replaces, as a reviewer reads it.
    pub old: String,
    pub new: Datum,
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
    /// Checks every row as a correction on the screen is checked: the record exists, the
    /// field, value and reason are right, the record is unlocked, inside the reviewer's scope
    /// and nobody else is working on it; and no two rows correct the same field of a record.
    /// Any problem refuses the whole file, listing the problems by line.
    pub fn plan_batch(&mut self, file: &str, rows: &[BatchRow]) -> Result<Plan> {
        let form = self.form.clone();
        let reviewer = self.reviewer.clone();
        let work = self.ws.look()?;
        let mut plan = Plan::default();
        let mut problems = Vec::new();
        let mut first_line: HashMap<(i64, String), u64> = HashMap::new();
        for row in rows {
            let at = format!("{file}:{}", row.line);
            let Some(record) = work.find(&form, &row.key)? else {
                problems.push((
                    format!("{at}: {} has no record with key `{}`", form.name, row.key),
                    format!("{at}: 报表 {} 没有记录号为 `{}` 的记录", form.name, row.key),
                ));
                continue;
            };
            let planned = (|| -> Result<Option<Planned>> {
                let (field, value) = checks::typed(&form, &row.field, &row.value)?;
                let asked = checks::correction(&form, field, value, &row.reason)?;
                let seen = work.state(&form.name, record)?.version;
                let key = admit(&work, &reviewer, &form, record, seen)?;
                unlocked(&work, &form.name, record, &key)?;
                let moved = (asked.field.name.as_str(), &asked.value);
                object::may_move(&work, &reviewer, &form, record, &key, moved)?;
                let old = work.value(&form, record, &asked.field.name)?;
                if old == asked.value {
                    return Ok(None);
                }
                Ok(Some(Planned {
                    line: row.line,
                    key,
                    record,
                    seen,
                    field: asked.field.name,
                    old: old.display(),
                    new: asked.value,
                    new_text: row.value.clone(),
                    reason: asked.reason,
                }))
            })();
            match planned {
                Err(e) => {
                    problems.push((format!("{at}: {e}"), format!("{at}: {}", e.in_chinese())))
                }
                Ok(None) => plan.unchanged.push((row.line, row.key.clone())),
                Ok(Some(p)) => match first_line.get(&(record, p.field.clone())) {
                    Some(line) => problems.push((
                        format!(
                            "{at}: {} of record {} is corrected at line {line} already; \
                             give each field of a record one row",
                            p.field, p.key
                        ),
                        format!(
                            "{at}: 记录 {} 的 {} 已在第 {line} 行修正；每条记录的每个指标只写一行",
                            p.key, p.field
                        ),
                    )),
                    None => {
                        first_line.insert((record, p.field.clone()), row.line);
                        plan.changes.push(p);
                    }
                },
            }
        }
        if !problems.is_empty() {
            let total = problems.len();
            problems.truncate(20);
            let (problems, problems_zh): (Vec<String>, Vec<String>) = problems.into_iter().unzip();
            return Err(Error::declined(
                format!(
                    "{file}: {total} of {} rows cannot be applied; nothing was written:\n  {}",
                    rows.len(),
                    problems.join("\n  ")
                ),
                format!(
                    "{file}：{} 行中有 {total} 行无法应用，未写入任何内容：\n  {}",
                    rows.len(),
                    problems_zh.join("\n  ")
                ),
            ));
        }
        Ok(plan)
    }

    /// Writes a checked plan in one transaction, each row passing the checks again (a record
    /// changed, locked or taken up by another reviewer since the plan refuses the whole batch);
    /// returns the flags opened and resolved.
    pub fn apply_batch(&mut self, plan: &Plan) -> Result<(usize, usize)> {
        let reviewer = self.reviewer.clone();
        let form = self.form.clone();
        let mut work = self.ws.work(Session::signed(&self.signer)?)?;
        let (mut opened, mut resolved) = (0, 0);
        // Each correction raises its record's version by one.
        let mut written: HashMap<i64, i64> = HashMap::new();
        for change in &plan.changes {
            let earlier = written.entry(change.record).or_insert(0);
            let seen = change.seen + *earlier;
            *earlier += 1;
            let checked = admit(&work, &reviewer, &form, change.record, seen).and_then(|key| {
                unlocked(&work, &form.name, change.record, &key)?;
                let moved = (change.field.as_str(), &change.new);
                object::may_move(&work, &reviewer, &form, change.record, &key, moved)
            });
            if let Err(e) = checked {
                return Err(Error::declined(
                    format!(
                        "line {}: {e}; the batch was checked before this happened, so nothing was written",
                        change.line
                    ),
                    format!(
                        "第 {} 行：{}；批量修正已事先检查，因此未写入任何内容",
                        change.line,
                        e.in_chinese()
                    ),
                ));
            }
            let old = work.value(&form, change.record, &change.field)?;
            let report = work.correct(
                &reviewer.name,
                &form,
                change.record,
                &change.field,
                (&old, &change.new),
                &change.reason,
            )?;
            opened += report.opened.len();
            resolved += report.resolved.len();
        }
        work.commit()?;
        // What the corrections left due (peers groups to score again) is scored now.
        self.ws.refresh_due()?;
        Ok((opened, resolved))
    }
}
