//! One reviewer action as one IMMEDIATE transaction: what the review module needs to read to
//! decide, and the writes it makes once it has decided. Nothing here decides policy.

use std::rc::Rc;

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

use super::Workspace;
use super::audit::{self, Subject};
use super::forms::quote;
use super::rule_engine::{ActiveRules, Env, RecheckReport, update_field};
use crate::domain::Severity;
use crate::domain::{Form, Schema};
use crate::error::{Error, Result};

pub use super::review_state::{EventLine, OpenFlag, Policy, RecordState, Reviewer, Signature};
use super::review_state::{history, read_policy, read_reviewer, read_state};

/// A reviewer action in progress.
pub struct Work<'a> {
    tx: Transaction<'a>,
    ws: &'a Workspace,
    rules: Option<Rc<ActiveRules>>,
    schema: &'a Schema,
}

pub(super) fn err(context: &'static str) -> impl Fn(rusqlite::Error) -> Error {
    move |e| Error::Storage {
        context: context.to_string(),
        detail: super::rule_engine::plain_sql_error(&e),
    }
}

impl Workspace {
    /// Begins one action: takes the write lock (waiting up to the busy timeout).
    pub fn work(&mut self) -> Result<Work<'_>> {
        self.begin(TransactionBehavior::Immediate, "starting an action")
    }

    /// A consistent read of the same things an action reads, without taking the write lock.
    pub fn look(&mut self) -> Result<Work<'_>> {
        self.begin(TransactionBehavior::Deferred, "reading a record")
    }

    fn begin(&mut self, behavior: TransactionBehavior, context: &'static str) -> Result<Work<'_>> {
        let ws: &Workspace = self;
        let rules = ws.active_rules()?;
        let schema = ws.schema_cached()?;
        let tx = Transaction::new_unchecked(&ws.conn, behavior).map_err(ws.error(context))?;
        Ok(Work {
            tx,
            ws,
            rules,
            schema,
        })
    }
}

impl<'a> Work<'a> {
    pub(super) fn conn(&self) -> &rusqlite::Connection {
        &self.tx
    }

    /// Appends an event about a record.
    pub(super) fn append(
        &mut self,
        reviewer: &str,
        kind: &str,
        form: &str,
        record: i64,
        key: &str,
        payload: &serde_json::Value,
    ) -> Result<(i64, String)> {
        self.event(
            reviewer,
            kind,
            Some(&Subject { form, record, key }),
            payload,
        )
    }

    /// Appends an event about no record in particular.
    pub(super) fn append_plain(
        &mut self,
        reviewer: &str,
        kind: &str,
        payload: &serde_json::Value,
    ) -> Result<(i64, String)> {
        self.event(reviewer, kind, None, payload)
    }

    pub fn form(&self, name: &str) -> Result<&'a Form> {
        self.schema
            .form(name)
            .ok_or_else(|| Error::unknown_form(self.schema, name))
    }

    pub fn reviewer(&self, name: &str) -> Result<Option<Reviewer>> {
        read_reviewer(&self.tx, name).map_err(err("reading reviewers"))
    }

    pub fn policy(&self) -> Result<Policy> {
        read_policy(&self.tx).map_err(err("reading the policy"))
    }

    pub fn state(&self, form: &str, record: i64) -> Result<RecordState> {
        read_state(&self.tx, form, record).map_err(err("reading a record's state"))
    }

    /// The record's rowid by key.
    pub fn find(&self, form: &Form, key: &str) -> Result<Option<i64>> {
        self.tx
            .query_row(
                &format!(
                    "SELECT rowid FROM {} WHERE CAST({} AS TEXT) = ?1",
                    quote(&form.name),
                    quote(&form.key)
                ),
                [key],
                |r| r.get(0),
            )
            .optional()
            .map_err(err("finding a record"))
    }

    /// One field's stored value.
    pub fn value(&self, form: &Form, record: i64, field: &str) -> Result<SqlValue> {
        self.tx
            .query_row(
                &format!(
                    "SELECT {} FROM {} WHERE rowid = ?1",
                    quote(field),
                    quote(&form.name)
                ),
                [record],
                |r| r.get(0),
            )
            .map_err(err("reading a value"))
    }

    /// The open flags of a record, with whether each (warning) is explained.
    pub fn open_flags(&self, form: &str, record: i64) -> Result<Vec<OpenFlag>> {
        let rule_set = self.rules.as_ref().map_or(0, |r| r.rule_set);
        self.tx
            .prepare(
                "SELECT f.rule, r.severity,
                        EXISTS (SELECT 1 FROM explanations x WHERE x.form = f.form AND x.record = f.record
                                AND x.rule = f.rule AND x.undone_by IS NULL)
                 FROM flags f JOIN rules r ON r.rule_set = ?3 AND r.id = f.rule
                 WHERE f.form = ?1 AND f.record = ?2 AND f.state = 'open' ORDER BY r.position",
            )
            .and_then(|mut s| {
                s.query_map(params![form, record, rule_set], |r| {
                    Ok(OpenFlag {
                        rule: r.get(0)?,
                        severity: Severity::parse(&r.get::<_, String>(1)?).unwrap_or(Severity::Error),
                        explained: r.get(2)?,
                    })
                })?
                .collect()
            })
            .map_err(err("reading flags"))
    }

    pub fn signatures(&self, form: &str, record: i64) -> Result<Vec<Signature>> {
        self.tx
            .prepare(
                "SELECT event, reviewer, role, at FROM signatures
                 WHERE form = ?1 AND record = ?2 AND voided_by IS NULL ORDER BY event",
            )
            .and_then(|mut s| {
                s.query_map(params![form, record], |r| {
                    Ok(Signature {
                        event: r.get(0)?,
                        reviewer: r.get(1)?,
                        role: r.get(2)?,
                        at: r.get(3)?,
                    })
                })?
                .collect()
            })
            .map_err(err("reading signatures"))
    }

    /// Reviewers whose corrections of the record stand.
    pub fn changers(&self, form: &str, record: i64) -> Result<Vec<String>> {
        self.tx
            .prepare("SELECT DISTINCT reviewer FROM corrections WHERE form = ?1 AND record = ?2 AND undone_by IS NULL ORDER BY 1")
            .and_then(|mut s| s.query_map(params![form, record], |r| r.get(0))?.collect())
            .map_err(err("reading corrections"))
    }

    /// The record's newest event.
    /// The record's newest event that acted on it (a take-over changes nothing and is
    /// passed over).
    pub fn last_event(&self, form: &str, record: i64) -> Result<Option<EventLine>> {
        Ok(history(&self.tx, form, record)
            .map_err(err("reading the history"))?
            .into_iter()
            .find(|e| e.kind != "takeover"))
    }

    fn event(
        &mut self,
        reviewer: &str,
        kind: &str,
        subject: Option<&Subject<'_>>,
        payload: &serde_json::Value,
    ) -> Result<(i64, String)> {
        audit::append(&self.tx, reviewer, kind, subject, payload)
            .map_err(err("writing the audit trail"))
    }

    /// Raises the record's version, records who changed it, and sets its lock.
    fn bump(
        &mut self,
        form: &str,
        record: i64,
        reviewer: &str,
        at: &str,
        locked: bool,
    ) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO record_state (form, record, version, locked, changed_by, changed_at)
                 VALUES (?1, ?2, 1, ?3, ?4, ?5)
                 ON CONFLICT (form, record) DO UPDATE SET version = version + 1, locked = ?3,
                     changed_by = ?4, changed_at = ?5",
                params![form, record, locked, reviewer, at],
            )
            .map_err(err("updating a record's state"))?;
        Ok(())
    }

    /// The record's key, as messages and the trail name it.
    pub fn subject_key(&self, form: &Form, record: i64) -> Result<String> {
        Ok(super::forms::key_text(self.value(form, record, &form.key)?))
    }

    /// Appends the event of an action on a record: (event id, time).
    fn record_event(
        &mut self,
        reviewer: &str,
        kind: &str,
        form: &Form,
        record: i64,
        payload: &serde_json::Value,
    ) -> Result<(i64, String)> {
        let key = self.subject_key(form, record)?;
        self.append(reviewer, kind, &form.name, record, &key, payload)
    }

    /// The events of the record's standing signatures, which a change of its values voids.
    fn standing_signatures(&self, form: &str, record: i64) -> Result<Vec<i64>> {
        Ok(self
            .signatures(form, record)?
            .iter()
            .map(|s| s.event)
            .collect())
    }

    /// Writes a correction: the audited event, the new value, the re-check.
    pub fn correct(
        &mut self,
        reviewer: &str,
        form: &str,
        record: i64,
        field: &str,
        value: SqlValue,
        reason: &str,
    ) -> Result<RecheckReport> {
        let form = self.form(form)?;
        let old = self.value(form, record, field)?;
        // Signatures bind the values they signed: a change voids those that stand.
        let voids = self.standing_signatures(&form.name, record)?;
        let payload = serde_json::json!({
            "field": field, "old": audit::json_value(&old), "new": audit::json_value(&value), "reason": reason,
            "voids": voids,
        });
        let (event, at) = self.record_event(reviewer, "correct", form, record, &payload)?;
        self.tx
            .execute(
                "INSERT INTO corrections (event, form, record, field, old_value, new_value, reason, reviewer, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![event, form.name, record, field, old, value, reason, reviewer, at],
            )
            .map_err(err("writing a correction"))?;
        self.void_signatures(&form.name, record, event)?;
        let report = self.set_field(&form.name, record, field, &value)?;
        self.bump(&form.name, record, reviewer, &at, false)?;
        Ok(report)
    }

    /// Sets one field and re-checks what the change can affect.
    fn set_field(
        &self,
        form: &str,
        record: i64,
        field: &str,
        value: &SqlValue,
    ) -> Result<RecheckReport> {
        let env = Env {
            conn: &self.tx,
            sandbox: &self.ws.sandbox,
            schema: self.schema,
        };
        update_field(&env, self.rules.as_deref(), form, record, field, value)
    }

    /// Voids the record's standing signatures as of `event`.
    fn void_signatures(&mut self, form: &str, record: i64, event: i64) -> Result<()> {
        self.tx
            .execute(
                "UPDATE signatures SET voided_by = ?3 WHERE form = ?1 AND record = ?2 AND voided_by IS NULL",
                params![form, record, event],
            )
            .map(|_| ())
            .map_err(err("voiding signatures"))
    }

    /// Writes an explanation (说明) of a warning.
    pub fn explain(
        &mut self,
        reviewer: &str,
        form: &str,
        record: i64,
        rule: &str,
        text: &str,
    ) -> Result<()> {
        let form = self.form(form)?;
        let payload = serde_json::json!({ "rule": rule, "text": text });
        let (event, at) = self.record_event(reviewer, "explain", form, record, &payload)?;
        self.tx
            .execute(
                "INSERT INTO explanations (event, form, record, rule, text, reviewer, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![event, form.name, record, rule, text, reviewer, at],
            )
            .map_err(err("writing an explanation"))?;
        self.bump(&form.name, record, reviewer, &at, false)
    }

    pub fn note(&mut self, reviewer: &str, form: &str, record: i64, text: &str) -> Result<()> {
        let form = self.form(form)?;
        let payload = serde_json::json!({ "text": text });
        let (event, at) = self.record_event(reviewer, "note", form, record, &payload)?;
        self.tx
            .execute(
                "INSERT INTO notes (event, form, record, text, reviewer, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![event, form.name, record, text, reviewer, at],
            )
            .map_err(err("writing a note"))?;
        let locked = self.state(&form.name, record)?.locked;
        self.bump(&form.name, record, reviewer, &at, locked)
    }

    /// Writes a signature bound to the record's current values; `lock` when it completes the
    /// policy.
    pub fn sign(&mut self, reviewer: &Reviewer, form: &str, record: i64, lock: bool) -> Result<()> {
        let form = self.form(form)?;
        let hash = audit::record_hash(&self.tx, form, record).map_err(err("hashing a record"))?;
        let payload =
            serde_json::json!({ "role": reviewer.role, "record_hash": hash, "locks": lock });
        let (event, at) = self.record_event(&reviewer.name, "sign", form, record, &payload)?;
        self.tx
            .execute(
                "INSERT INTO signatures (event, form, record, reviewer, role, at, record_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![event, form.name, record, reviewer.name, reviewer.role, at, hash],
            )
            .map_err(err("writing a signature"))?;
        self.bump(&form.name, record, &reviewer.name, &at, lock)
    }

    /// Unlocks a record, voiding its signatures (which stay in the history).
    pub fn reopen(&mut self, reviewer: &str, form: &str, record: i64, reason: &str) -> Result<()> {
        let form = self.form(form)?;
        let voided = self.standing_signatures(&form.name, record)?;
        let payload = serde_json::json!({ "reason": reason, "voids": voided });
        let (event, at) = self.record_event(reviewer, "reopen", form, record, &payload)?;
        self.void_signatures(&form.name, record, event)?;
        self.bump(&form.name, record, reviewer, &at, false)
    }

    /// Takes back event `target` (a correction, explanation, note or signature).
    pub fn undo(
        &mut self,
        reviewer: &str,
        form: &str,
        record: i64,
        target: &EventLine,
    ) -> Result<RecheckReport> {
        let form = self.form(form)?;
        // Undoing a correction changes the values, which voids the signatures that stand.
        let voids = if target.kind == "correct" {
            self.standing_signatures(&form.name, record)?
        } else {
            Vec::new()
        };
        let payload =
            serde_json::json!({ "undoes": target.id, "kind": target.kind, "voids": voids });
        let (event, at) = self.record_event(reviewer, "undo", form, record, &payload)?;
        let mut report = RecheckReport::default();
        let mut locked = self.state(&form.name, record)?.locked;
        match target.kind.as_str() {
            "correct" => {
                let (field, old): (String, SqlValue) = self
                    .tx
                    .query_row(
                        "SELECT field, old_value FROM corrections WHERE event = ?1",
                        [target.id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .map_err(err("reading a correction"))?;
                self.tx
                    .execute(
                        "UPDATE corrections SET undone_by = ?2 WHERE event = ?1",
                        params![target.id, event],
                    )
                    .map_err(err("undoing a correction"))?;
                self.void_signatures(&form.name, record, event)?;
                report = self.set_field(&form.name, record, &field, &old)?;
            }
            kind @ ("explain" | "note" | "sign") => {
                // The row that indexes the event, and the column that marks it taken back.
                let (table, column) = match kind {
                    "explain" => ("explanations", "undone_by"),
                    "note" => ("notes", "undone_by"),
                    _ => ("signatures", "voided_by"),
                };
                self.tx
                    .execute(
                        &format!("UPDATE {table} SET {column} = ?2 WHERE event = ?1"),
                        params![target.id, event],
                    )
                    .map_err(err("undoing an action"))?;
                if kind == "sign" {
                    locked = false;
                }
            }
            other => return Err(Error::Refused(format!("a {other} cannot be undone"))),
        }
        self.bump(&form.name, record, reviewer, &at, locked)?;
        Ok(report)
    }

    /// Ends the action, keeping everything it wrote.
    pub fn commit(self) -> Result<()> {
        self.tx
            .commit()
            .map_err(self.ws.error("finishing an action"))
    }
}
