//! A flag's history on one record, from the flags it left and the audit trail: each time the
//! rule flagged the record (and what opened it: a full check, or the re-check of a
//! correction or an undo), each correction of a field the rule reads (on the record, or on a
//! row of another form it reads through the parent link), each explanation of it, each undo
//! of those, and each time it passed again.

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, params};

use super::words::datum;
use super::{Workspace, err};
use crate::domain::{Datum, EventKind, Outcome};
use crate::error::Result;

/// What opened a flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opener {
    pub event: i64,
    /// A full check, or the correction or undo whose re-check opened it.
    pub kind: EventKind,
    pub reviewer: String,
    pub at: String,
    /// The record the correction or undo was on, when it was another record's.
    pub key: Option<String>,
}

/// One step of a flag's history.
#[derive(Debug, Clone, PartialEq)]
pub enum FlagStep {
    /// The rule flagged the record.
    Opened {
        outcome: Outcome,
        by: Option<Opener>,
    },
    /// The rule passed again.
    Resolved,
    /// A field the rule reads was corrected (`form` and `key` say which row).
    Corrected {
        form: String,
        key: String,
        field: String,
        old: Datum,
        new: Datum,
        reason: String,
    },
    /// A reviewer explained the flag.
    Explained { text: String },
    /// A correction (of `field`) or an explanation above was taken back.
    Undone {
        kind: EventKind,
        field: Option<String>,
    },
}

/// One step, when and by whom.
#[derive(Debug, Clone, PartialEq)]
pub struct FlagEvent {
    pub at: String,
    /// Who acted (none for a flag opened or resolved, which the rules do).
    pub reviewer: Option<String>,
    pub step: FlagStep,
    /// The audit event, for steps that are one.
    pub event: Option<i64>,
    /// Taken back since.
    pub undone: bool,
}

/// A row whose corrections count: its form, rowid, key and the fields the rule reads there.
pub type Watched<'a> = (&'a str, i64, &'a str, &'a [String]);

impl Workspace {
    /// The history of `rule`'s flag on `record` of `form`, oldest first; `watched` names the
    /// rows and fields whose corrections count.
    pub fn flag_history(
        &self,
        form: &str,
        record: i64,
        rule: &str,
        watched: &[Watched<'_>],
    ) -> Result<Vec<FlagEvent>> {
        let to_error = err("reading a flag's history");
        let mut out = Vec::new();
        let runs: Vec<(String, String, Option<String>)> = self
            .conn
            .prepare(
                "SELECT first_seen, outcome, resolved_at FROM flags
                 WHERE form = ?1 AND record = ?2 AND rule = ?3 ORDER BY id",
            )
            .and_then(|mut s| {
                s.query_map(params![form, record, rule], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect()
            })
            .map_err(&to_error)?;
        for (first_seen, outcome, resolved_at) in runs {
            let by = self.opener(form, &first_seen).map_err(&to_error)?;
            out.push(FlagEvent {
                at: first_seen,
                reviewer: None,
                step: FlagStep::Opened {
                    outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Fail),
                    by,
                },
                event: None,
                undone: false,
            });
            if let Some(at) = resolved_at {
                out.push(FlagEvent {
                    at,
                    reviewer: None,
                    step: FlagStep::Resolved,
                    event: None,
                    undone: false,
                });
            }
        }
        let mut undos: Vec<(i64, EventKind, Option<String>)> = Vec::new();
        for (form, row, key, fields) in watched {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT event, field, old_value, new_value, reason, reviewer, at, undone_by
                     FROM corrections WHERE form = ?1 AND record = ?2 ORDER BY event",
                )
                .map_err(&to_error)?;
            let rows = stmt
                .query_map(params![form, row], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        datum(r.get::<_, SqlValue>(2)?),
                        datum(r.get::<_, SqlValue>(3)?),
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, Option<i64>>(7)?,
                    ))
                })
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(&to_error)?;
            for (event, field, old, new, reason, reviewer, at, undone_by) in rows {
                if !fields.iter().any(|f| f.eq_ignore_ascii_case(&field)) {
                    continue;
                }
                if let Some(u) = undone_by {
                    undos.push((u, EventKind::Correct, Some(field.clone())));
                }
                out.push(FlagEvent {
                    at,
                    reviewer: Some(reviewer),
                    step: FlagStep::Corrected {
                        form: form.to_string(),
                        key: key.to_string(),
                        field,
                        old,
                        new,
                        reason,
                    },
                    event: Some(event),
                    undone: undone_by.is_some(),
                });
            }
        }
        let explanations: Vec<(i64, String, String, String, Option<i64>)> = self
            .conn
            .prepare(
                "SELECT event, text, reviewer, at, undone_by FROM explanations
                 WHERE form = ?1 AND record = ?2 AND rule = ?3 ORDER BY event",
            )
            .and_then(|mut s| {
                s.query_map(params![form, record, rule], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect()
            })
            .map_err(&to_error)?;
        for (event, text, reviewer, at, undone_by) in explanations {
            if let Some(u) = undone_by {
                undos.push((u, EventKind::Explain, None));
            }
            out.push(FlagEvent {
                at,
                reviewer: Some(reviewer),
                step: FlagStep::Explained { text },
                event: Some(event),
                undone: undone_by.is_some(),
            });
        }
        for (undo, kind, field) in undos {
            let found: Option<(String, String)> = self
                .conn
                .query_row(
                    "SELECT at, reviewer FROM events WHERE id = ?1",
                    [undo],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(&to_error)?;
            if let Some((at, reviewer)) = found {
                out.push(FlagEvent {
                    at,
                    reviewer: Some(reviewer),
                    step: FlagStep::Undone { kind, field },
                    event: Some(undo),
                    undone: false,
                });
            }
        }
        // Oldest first; a step of the rules (opened, resolved) after the action at the same
        // moment, as the re-check follows the action that caused it.
        out.sort_by(|a, b| {
            a.at.cmp(&b.at)
                .then_with(|| a.event.is_none().cmp(&b.event.is_none()))
                .then_with(|| a.event.cmp(&b.event))
        });
        Ok(out)
    }

    /// What opened a flag of `form` first seen at `first_seen`: the correction or undo on
    /// the form just before it (a re-check runs in the action's transaction, within a
    /// second of it), else the first full check that ended at or after it.
    fn opener(&self, form: &str, first_seen: &str) -> rusqlite::Result<Option<Opener>> {
        let row = |r: &rusqlite::Row<'_>| {
            Ok(Opener {
                event: r.get(0)?,
                kind: r.get(1)?,
                reviewer: r.get(2)?,
                at: r.get(3)?,
                key: r.get(4)?,
            })
        };
        let action = self
            .conn
            .query_row(
                "SELECT id, kind, reviewer, at, key FROM events
                 WHERE form = ?1 AND kind IN ('correct', 'undo') AND at <= ?2
                   AND julianday(at) >= julianday(?2) - 1.0 / 86400
                 ORDER BY id DESC LIMIT 1",
                params![form, first_seen],
                row,
            )
            .optional()?;
        if action.is_some() {
            return Ok(action);
        }
        self.conn
            .query_row(
                "SELECT id, kind, reviewer, at, NULL FROM events
                 WHERE kind = 'check' AND at >= ?1 ORDER BY id LIMIT 1",
                [first_seen],
                row,
            )
            .optional()
    }
}
