//! A record's scores and proposals as an action reads them, and the writes of what a reviewer
//! does with a proposal: a dismissal, or (as corrections, see `writes`) its acceptance.

use rusqlite::params;
use rusqlite::types::Value as SqlValue;

use super::Work;
use crate::domain::{Datum, EventKind, Form, Proposal, ProposedChange, RecordScore};
use crate::error::Result;
use crate::store::rule_engine::what_if;
use crate::store::{err, queue};

/// A stored value as the proposals table holds it (see `audit::json_value`).
fn datum(v: &serde_json::Value) -> Datum {
    match v {
        serde_json::Value::Null => Datum::Null,
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) if !n.is_f64() => Datum::Integer(i),
            _ => n.as_f64().map_or(Datum::Null, Datum::Real),
        },
        serde_json::Value::String(s) => Datum::Text(s.clone()),
        other => Datum::Text(other.to_string()),
    }
}

/// The changes of a stored proposal.
fn changes(text: &str) -> Vec<ProposedChange> {
    let parsed: Vec<(String, serde_json::Value, serde_json::Value)> =
        serde_json::from_str(text).unwrap_or_default();
    parsed
        .into_iter()
        .map(|(field, old, new)| ProposedChange {
            field,
            old: datum(&old),
            new: datum(&new),
        })
        .collect()
}

/// A stored proposal: its changes as stored, and the event that dismissed it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProposal {
    pub changes: Vec<ProposedChange>,
    pub text: String,
    pub dismissed_by: Option<i64>,
}

impl Work<'_> {
    /// The record's scores, in the order of the rule file.
    pub fn scores(&self, form: &str, record: i64) -> Result<Vec<RecordScore>> {
        let Some(rules) = self.rules.as_deref() else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .tx
            .prepare_cached(
                "SELECT value, items FROM scores WHERE form = ?1 AND record = ?2 AND score = ?3",
            )
            .map_err(err("reading scores"))?;
        let mut out = Vec::new();
        for s in rules.scores.iter().filter(|s| s.form == form) {
            let row: Option<(Option<f64>, String)> = stmt
                .query_row(params![form, record, s.id], |r| Ok((r.get(0)?, r.get(1)?)))
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })
                .map_err(err("reading scores"))?;
            let Some((value, items)) = row else { continue };
            let items: Vec<Option<f64>> = serde_json::from_str(&items).unwrap_or_default();
            out.push(RecordScore {
                id: s.id.clone(),
                title: s.title.clone(),
                value,
                threshold: s.threshold,
                items: s
                    .items
                    .iter()
                    .zip(items.into_iter().chain(std::iter::repeat(None)))
                    .map(|(i, v)| (i.field.clone(), v))
                    .collect(),
            });
        }
        Ok(out)
    }

    /// One stored proposal of a record.
    pub fn proposal(&self, form: &str, record: i64, fix: &str) -> Result<Option<StoredProposal>> {
        self.tx
            .prepare_cached(
                "SELECT changes, dismissed_by FROM proposals WHERE form = ?1 AND record = ?2 AND fix = ?3",
            )
            .and_then(|mut s| {
                s.query_row(params![form, record, fix], |r| {
                    let text: String = r.get(0)?;
                    Ok(StoredProposal {
                        changes: changes(&text),
                        text,
                        dismissed_by: r.get(1)?,
                    })
                })
            })
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(err("reading a proposal"))
    }

    /// The record's proposals, in the order of the rule file, each with the flags it would
    /// resolve and open.
    pub fn proposals(&self, form: &Form, record: i64) -> Result<Vec<Proposal>> {
        let Some(rules) = self.rules.as_deref() else {
            return Ok(Vec::new());
        };
        let open: Vec<String> = self
            .open_flags(&form.name, record)?
            .into_iter()
            .map(|f| f.rule)
            .collect();
        let mut out = Vec::new();
        for f in rules.fixes.iter().filter(|f| f.form == form.name) {
            let Some(stored) = self.proposal(&form.name, record, &f.id)? else {
                continue;
            };
            let values: Vec<(String, SqlValue)> = stored
                .changes
                .iter()
                .map(|c| (c.field.clone(), crate::store::words::sql(&c.new)))
                .collect();
            let after = what_if(&self.tx, &self.ws.sandbox, rules, form, record, &values)?;
            out.push(Proposal {
                fix: f.id.clone(),
                title: f.title.clone(),
                reason: f.reason.clone(),
                changes: stored.changes,
                dismissed: stored.dismissed_by.is_some(),
                resolves: after
                    .iter()
                    .filter(|(r, fails)| !fails && open.contains(r))
                    .map(|(r, _)| r.clone())
                    .collect(),
                opens: after
                    .iter()
                    .filter(|(r, fails)| *fails && !open.contains(r))
                    .map(|(r, _)| r.clone())
                    .collect(),
            });
        }
        Ok(out)
    }

    /// Dismisses a record's proposal (the values it proposes, as stored in `text`).
    pub fn dismiss_fix(
        &mut self,
        reviewer: &str,
        form: &Form,
        record: i64,
        fix: &str,
        text: &str,
    ) -> Result<()> {
        let proposed: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        let payload = serde_json::json!({ "fix": fix, "changes": proposed });
        let key = self.subject_key(form, record)?;
        let (event, at) = self.append(
            reviewer,
            EventKind::FixDismiss,
            &form.name,
            record,
            &key,
            &payload,
        )?;
        self.tx
            .execute(
                "UPDATE proposals SET dismissed_by = ?4 WHERE form = ?1 AND record = ?2 AND fix = ?3",
                params![form.name, record, fix, event],
            )
            .map_err(err("dismissing a proposal"))?;
        queue::rescore(&self.tx, &form.name, Some(&[record]))
            .map_err(err("dismissing a proposal"))?;
        let locked = self.state(&form.name, record)?.locked;
        self.bump(&form.name, record, reviewer, &at, locked)
    }
}
