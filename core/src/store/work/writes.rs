//! The writes of an action: its audit event, the record's new version and lock, and the
//! side tables (corrections, explanations, notes, signatures) with the re-check a change
//! of values makes.

use rusqlite::params;
use rusqlite::types::Value as SqlValue;

use super::Work;
use crate::domain::{Datum, EventKind, EventLine, Form, Reviewer};
use crate::error::{Error, Result};
use crate::store::audit::{self, Subject};
use crate::store::err;
use crate::store::rule_engine::{Env, RecheckReport, update_field};

impl<'a> Work<'a> {
    pub(super) fn event(
        &mut self,
        reviewer: &str,
        kind: EventKind,
        subject: Option<&Subject<'_>>,
        payload: &serde_json::Value,
    ) -> Result<(i64, String)> {
        let signer = match self.signer {
            Some(s) if s.name() == reviewer => s,
            _ => {
                return Err(Error::declined(
                    format!(
                        "{reviewer} has not signed in: an action is written only under its \
                         reviewer's signing key; nothing was changed"
                    ),
                    format!(
                        "{reviewer} 尚未登录：操作只能以审核员本人的签名密钥写入，未作任何改动"
                    ),
                ));
            }
        };
        let mut payload = payload.clone();
        if let Some(object) = payload.as_object_mut() {
            for (k, v) in &self.tags {
                object.insert(k.clone(), v.clone());
            }
        }
        audit::append(&self.tx, signer, kind.as_str(), subject, &payload)
            .map_err(err("writing the audit trail"))
    }

    /// Raises the record's version, records who changed it, and sets its lock.
    pub(super) fn bump(
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

    /// Appends the event of an action on a record: (event id, time).
    fn record_event(
        &mut self,
        reviewer: &str,
        kind: EventKind,
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

    /// The roots of the census objects that a change of `field` of the record to `value`
    /// changes, besides the record itself: for a child row, the root of its object, and when
    /// the field is its parent key, the root of the object it moves to.
    fn roots_changed(
        &self,
        form: &Form,
        record: i64,
        field: &str,
        value: &SqlValue,
    ) -> Result<Vec<(&'a Form, i64)>> {
        let Some(link) = &form.parent else {
            return Ok(Vec::new());
        };
        let mut roots: Vec<(&'a Form, i64)> = self.root(form, record)?.into_iter().collect();
        if link.key.eq_ignore_ascii_case(field) {
            let to = crate::store::object::root_under(&self.tx, &self.schema.forms, form, value)
                .map_err(err("finding a record's census object"))?;
            if let Some(to) = to
                && !roots.iter().any(|r| r.0.name == to.0.name && r.1 == to.1)
            {
                roots.push(to);
            }
        }
        Ok(roots)
    }

    /// The events of the standing signatures of the record and of `roots`.
    fn standing_on(&self, form: &str, record: i64, roots: &[(&Form, i64)]) -> Result<Vec<i64>> {
        let mut voids = self.standing_signatures(form, record)?;
        for (root, rowid) in roots {
            voids.extend(self.standing_signatures(&root.name, *rowid)?);
        }
        Ok(voids)
    }

    /// Voids the standing signatures of the roots a change of a row beneath them changed,
    /// and raises their versions (their locks as they are), so that other screens see it.
    fn touch_roots(
        &mut self,
        roots: &[(&Form, i64)],
        reviewer: &str,
        at: &str,
        event: i64,
    ) -> Result<()> {
        for (root, rowid) in roots {
            self.void_signatures(&root.name, *rowid, event)?;
            let locked = self.state(&root.name, *rowid)?.locked;
            self.bump(&root.name, *rowid, reviewer, at, locked)?;
        }
        Ok(())
    }

    /// Writes a correction: the audited event, the new value, the re-check. A correction of
    /// a row beneath a census object's root changes the object: the root's standing
    /// signatures are voided and its version raised as well.
    pub fn correct(
        &mut self,
        reviewer: &str,
        form: &Form,
        record: i64,
        field: &str,
        (old, new): (&Datum, &Datum),
        reason: &str,
    ) -> Result<RecheckReport> {
        let (old, value) = (crate::store::words::sql(old), crate::store::words::sql(new));
        let roots = self.roots_changed(form, record, field, &value)?;
        // Signatures bind the values they signed: a change voids those that stand.
        let voids = self.standing_on(&form.name, record, &roots)?;
        let payload = serde_json::json!({
            "field": field, "old": audit::json_value(&old), "new": audit::json_value(&value), "reason": reason,
            "voids": voids,
        });
        let (event, at) =
            self.record_event(reviewer, EventKind::Correct, form, record, &payload)?;
        self.tx
            .execute(
                "INSERT INTO corrections (event, form, record, field, old_value, new_value, reason, reviewer, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![event, form.name, record, field, old, value, reason, reviewer, at],
            )
            .map_err(err("writing a correction"))?;
        self.void_signatures(&form.name, record, event)?;
        self.touch_roots(&roots, reviewer, &at, event)?;
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
        let (event, at) =
            self.record_event(reviewer, EventKind::Explain, form, record, &payload)?;
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
        let (event, at) = self.record_event(reviewer, EventKind::Note, form, record, &payload)?;
        self.tx
            .execute(
                "INSERT INTO notes (event, form, record, text, reviewer, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![event, form.name, record, text, reviewer, at],
            )
            .map_err(err("writing a note"))?;
        let locked = self.state(&form.name, record)?.locked;
        self.bump(&form.name, record, reviewer, &at, locked)
    }

    /// Writes a signature bound to the record's current values (with every row beneath it,
    /// for a census object's root); `lock` when it completes the policy.
    pub fn sign(&mut self, reviewer: &Reviewer, form: &str, record: i64, lock: bool) -> Result<()> {
        let form = self.form(form)?;
        let hash = audit::record_hash(&self.tx, &self.schema.forms, form, record)
            .map_err(err("hashing a record"))?;
        let payload =
            serde_json::json!({ "role": reviewer.role, "record_hash": hash, "locks": lock });
        let (event, at) =
            self.record_event(&reviewer.name, EventKind::Sign, form, record, &payload)?;
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
        let (event, at) = self.record_event(reviewer, EventKind::Reopen, form, record, &payload)?;
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
        // Undoing a correction changes the values, which voids the signatures that stand, on
        // the record and on the root of its census object (of both objects, when it moves a
        // child row back).
        let reverted = if target.kind == EventKind::Correct {
            let (field, old): (String, SqlValue) = self
                .tx
                .query_row(
                    "SELECT field, old_value FROM corrections WHERE event = ?1",
                    [target.id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(err("reading a correction"))?;
            let roots = self.roots_changed(form, record, &field, &old)?;
            Some((field, old, roots))
        } else {
            None
        };
        let voids = match &reverted {
            Some((_, _, roots)) => self.standing_on(&form.name, record, roots)?,
            None => Vec::new(),
        };
        let payload = serde_json::json!({ "undoes": target.id, "kind": target.kind.as_str(), "voids": voids });
        let (event, at) = self.record_event(reviewer, EventKind::Undo, form, record, &payload)?;
        let mut report = RecheckReport::default();
        let mut locked = self.state(&form.name, record)?.locked;
        match target.kind {
            EventKind::Correct => {
                let Some((field, old, roots)) = reverted else {
                    return Err(Error::declined(
                        "the correction to undo is not there",
                        "要撤销的修正不存在",
                    ));
                };
                self.tx
                    .execute(
                        "UPDATE corrections SET undone_by = ?2 WHERE event = ?1",
                        params![target.id, event],
                    )
                    .map_err(err("undoing a correction"))?;
                self.void_signatures(&form.name, record, event)?;
                self.touch_roots(&roots, reviewer, &at, event)?;
                report = self.set_field(&form.name, record, &field, &old)?;
            }
            kind @ (EventKind::Explain | EventKind::Note | EventKind::Sign) => {
                // The row that indexes the event, and the column that marks it taken back.
                let (table, column) = match kind {
                    EventKind::Explain => ("explanations", "undone_by"),
                    EventKind::Note => ("notes", "undone_by"),
                    _ => ("signatures", "voided_by"),
                };
                self.tx
                    .execute(
                        &format!("UPDATE {table} SET {column} = ?2 WHERE event = ?1"),
                        params![target.id, event],
                    )
                    .map_err(err("undoing an action"))?;
                if kind == EventKind::Sign {
                    locked = false;
                }
            }
            EventKind::FixDismiss => {
                self.tx
                    .execute(
                        "UPDATE proposals SET dismissed_by = NULL WHERE dismissed_by = ?1",
                        [target.id],
                    )
                    .map_err(err("undoing a dismissal"))?;
                let records = [record];
                crate::store::queue::rescore(&self.tx, &form.name, Some(&records))
                    .map_err(err("undoing a dismissal"))?;
            }
            other => {
                return Err(Error::declined(
                    format!("a {other} cannot be undone"),
                    format!("{}不能撤销", crate::review::action_noun_zh(other)),
                ));
            }
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
