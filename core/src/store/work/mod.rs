//! One reviewer action as one IMMEDIATE transaction: what the review module needs to read to
//! decide, and the writes it makes once it has decided. Nothing here decides policy.

use std::rc::Rc;

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

mod selective;
mod writes;

use crate::domain::{
    Datum, EventKind, EventLine, Form, OpenFlag, Policy, RecordState, Reviewer, Schema, Signature,
};
use crate::error::{Error, Result};
use crate::seal::Signer;
use crate::store::audit::Subject;
use crate::store::forms::quote;
use crate::store::rule_engine::ActiveRules;
use crate::store::{Workspace, err};

use crate::store::review_state::{history, read_policy, read_reviewer, read_state};

/// A reviewer action in progress.
pub struct Work<'a> {
    tx: Transaction<'a>,
    /// Whose action this is: every event it writes is signed by them. `None` for a read.
    signer: Option<&'a Signer>,
    ws: &'a Workspace,
    rules: Option<Rc<ActiveRules>>,
    schema: &'a Schema,
    /// Keys every event of this action carries (a batch id, the fix it accepts).
    tags: serde_json::Map<String, serde_json::Value>,
}

impl Workspace {
    /// Begins one action by `signer`: takes the write lock (waiting up to the busy timeout).
    pub fn work<'s>(&'s mut self, signer: &'s Signer) -> Result<Work<'s>> {
        self.begin(
            TransactionBehavior::Immediate,
            "starting an action",
            Some(signer),
        )
    }

    /// A consistent read of the same things an action reads, without taking the write lock.
    pub fn look(&mut self) -> Result<Work<'_>> {
        self.begin(TransactionBehavior::Deferred, "reading a record", None)
    }

    fn begin<'s>(
        &'s mut self,
        behavior: TransactionBehavior,
        context: &'static str,
        signer: Option<&'s Signer>,
    ) -> Result<Work<'s>> {
        let ws: &Workspace = self;
        let rules = ws.active_rules()?;
        let schema = ws.schema_cached()?;
        let tx = Transaction::new_unchecked(&ws.conn, behavior).map_err(ws.error(context))?;
        Ok(Work {
            tx,
            signer,
            ws,
            rules,
            schema,
            tags: serde_json::Map::new(),
        })
    }
}

impl<'a> Work<'a> {
    /// Every event this action writes from now on carries `key: value` in its payload.
    pub fn tag(&mut self, key: &str, value: serde_json::Value) {
        self.tags.insert(key.to_string(), value);
    }

    /// Whether events are tagged with `key`.
    pub fn tagged(&self, key: &str) -> bool {
        self.tags.contains_key(key)
    }

    /// The record's events, newest first.
    pub fn history(&self, form: &str, record: i64) -> Result<Vec<EventLine>> {
        history(&self.tx, form, record).map_err(err("reading the history"))
    }

    /// Stops tagging events with `key`.
    pub fn untag(&mut self, key: &str) {
        self.tags.remove(key);
    }

    pub(super) fn conn(&self) -> &rusqlite::Connection {
        &self.tx
    }

    /// The workspace's forms.
    pub(super) fn forms(&self) -> &'a [Form] {
        &self.schema.forms
    }

    /// Appends an event about a record.
    pub(super) fn append(
        &mut self,
        reviewer: &str,
        kind: EventKind,
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
        kind: EventKind,
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
    pub fn value(&self, form: &Form, record: i64, field: &str) -> Result<Datum> {
        self.raw_value(form, record, field).map(super::words::datum)
    }

    fn raw_value(&self, form: &Form, record: i64, field: &str) -> Result<SqlValue> {
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
                        severity: r.get(1)?,
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
            .find(|e| e.kind != EventKind::TakeOver))
    }

    /// The root of the census object the record belongs to: the record itself for a form
    /// without a parent; `None` for a child row whose parent record is not there.
    pub fn root(&self, form: &Form, record: i64) -> Result<Option<(&'a Form, i64)>> {
        crate::store::object::root_of(&self.tx, &self.schema.forms, form, record)
            .map_err(err("finding a record's census object"))
    }

    /// The root of the census object a row of the child form `form` would belong to with
    /// `value` in its parent key.
    pub fn root_under(&self, form: &Form, value: &Datum) -> Result<Option<(&'a Form, i64)>> {
        let value = super::words::sql(value);
        crate::store::object::root_under(&self.tx, &self.schema.forms, form, &value)
            .map_err(err("finding a record's census object"))
    }

    /// Every row beneath the record, at any depth (child forms in schema order, rows in key
    /// order).
    pub fn rows_beneath(&self, form: &Form, record: i64) -> Result<Vec<(&'a Form, i64)>> {
        crate::store::object::rows_beneath(&self.tx, &self.schema.forms, form, record)
            .map_err(err("reading a census object"))
    }

    /// The field a correction changed and the value it replaced.
    pub fn corrected(&self, event: i64) -> Result<(String, Datum)> {
        self.tx
            .query_row(
                "SELECT field, old_value FROM corrections WHERE event = ?1",
                [event],
                |r| Ok((r.get(0)?, super::words::datum(r.get(1)?))),
            )
            .map_err(err("reading a correction"))
    }

    /// The record's key, as messages and the trail name it.
    pub fn subject_key(&self, form: &Form, record: i64) -> Result<String> {
        Ok(super::forms::key_text(
            self.raw_value(form, record, &form.key)?,
        ))
    }
}
