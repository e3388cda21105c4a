//! Reviewers, the sign-off policy, and each record's state and history, as read outside an
//! action and inside one.

use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, params};

use super::Workspace;
use super::audit;
use crate::domain::{Datum, EventLine, Policy, RecordState, Reviewer};
use crate::error::{Error, Result};

impl Workspace {
    /// A reviewer by name, outside any action.
    pub fn reviewer(&self, name: &str) -> Result<Option<Reviewer>> {
        read_reviewer(&self.conn, name).map_err(self.error("reading reviewers"))
    }

    /// Every reviewer, by name.
    pub fn reviewers(&self) -> Result<Vec<Reviewer>> {
        self.conn
            .prepare(&format!(
                "SELECT {REVIEWER_COLUMNS} FROM reviewers ORDER BY name"
            ))
            .and_then(|mut s| s.query_map([], reviewer_row)?.collect())
            .map_err(self.error("reading reviewers"))
    }

    /// The policy in force.
    pub fn policy(&self) -> Result<Policy> {
        read_policy(&self.conn).map_err(self.error("reading the policy"))
    }

    /// A record's history, newest first.
    pub fn history(&self, form: &str, record: i64) -> Result<Vec<EventLine>> {
        history(&self.conn, form, record).map_err(self.error("reading the history"))
    }

    /// Original values of corrected fields: (field, original value as first imported).
    pub fn originals(&self, form: &str, record: i64) -> Result<Vec<(String, Datum)>> {
        self.conn
            .prepare(
                "SELECT field, old_value FROM corrections c
                 WHERE form = ?1 AND record = ?2 AND undone_by IS NULL
                   AND event = (SELECT min(event) FROM corrections d
                                WHERE d.form = c.form AND d.record = c.record AND d.field = c.field
                                  AND d.undone_by IS NULL)",
            )
            .and_then(|mut s| {
                s.query_map(params![form, record], |r| {
                    Ok((r.get(0)?, super::words::datum(r.get::<_, SqlValue>(1)?)))
                })?
                .collect()
            })
            .map_err(self.error("reading corrections"))
    }

    /// The fingerprint of the key the trail's keys go back to.
    pub fn root_fingerprint(&self) -> Result<Option<String>> {
        let key = audit::root_key(&self.conn).map_err(self.error("reading the audit trail"))?;
        Ok(key.map(|k| crate::seal::fingerprint(&k)))
    }

    /// Checks every page of the file, then the audit chain and the signatures, all in one
    /// read transaction. A damaged file is `Error::Corrupt`: it could not be checked.
    ///
    /// While reviewers work, events, the `events` sequence and signatures are written
    /// together in each action's transaction; read in separate snapshots they disagree (a
    /// sequence ahead of the trail looks like deleted events). A DEFERRED transaction takes
    /// its snapshot at its first read and keeps it until it ends, and one that only reads
    /// never asks for the write lock, so nobody waits for verify nor verify for them (in WAL
    /// mode a reader and the writer go on side by side).
    /// With `deep`, every rule is run again in the same snapshot and the open flags are held
    /// against its verdicts.
    pub fn verify(
        &self,
        heads: &[audit::witness::Head],
        deep: bool,
    ) -> Result<audit::Verification> {
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Deferred,
        )
        .map_err(self.error("verifying the audit trail"))?;
        let pages =
            audit::pages::check(&tx).map_err(self.error("checking the workspace's pages"))?;
        if let Some(detail) = pages.damage {
            return Err(Error::Corrupt {
                path: Some(self.path.clone()),
                detail,
            });
        }
        let schema = self.schema()?;
        let mut v =
            audit::verify(&tx, &schema.forms).map_err(self.error("verifying the audit trail"))?;
        v.pages = pages.count;
        if deep {
            let rules = self.active_rules()?;
            let deep =
                super::rule_engine::deep(&tx, &self.sandbox, rules.as_deref(), &schema.forms)?;
            v.flags = Some(deep.problems);
            v.unchecked_rules = deep.unchecked;
        }
        v.witness_problems = audit::witness::check(&tx, heads, v.root.as_deref())
            .map_err(self.error("checking the witnessed heads"))?;
        // Nothing was written: ending the transaction either way only lets the snapshot go.
        tx.rollback()
            .map_err(self.error("verifying the audit trail"))?;
        Ok(v)
    }
}

pub(super) fn read_reviewer(
    conn: &rusqlite::Connection,
    name: &str,
) -> rusqlite::Result<Option<Reviewer>> {
    conn.query_row(
        &format!("SELECT {REVIEWER_COLUMNS} FROM reviewers WHERE name = ?1"),
        [name],
        reviewer_row,
    )
    .optional()
}

/// The columns `reviewer_row` reads.
pub(super) const REVIEWER_COLUMNS: &str =
    "name, role, scope, passphrase, admin, public_key, sealed_key";

pub(super) fn reviewer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Reviewer> {
    Ok(Reviewer {
        name: r.get(0)?,
        role: r.get(1)?,
        scope: r.get(2)?,
        passphrase_hash: r.get(3)?,
        admin: r.get(4)?,
        public_key: r.get(5)?,
        sealed_key: r.get(6)?,
    })
}

pub(super) fn read_policy(conn: &rusqlite::Connection) -> rusqlite::Result<Policy> {
    conn.query_row(
        "SELECT signatures_required, distinct_roles, four_eyes, claim_minutes FROM policy WHERE id = 1",
        [],
        |r| {
            Ok(Policy {
                signatures_required: r.get(0)?,
                distinct_roles: r.get(1)?,
                four_eyes: r.get(2)?,
                claim_minutes: r.get(3)?,
            })
        },
    )
}

pub(super) fn read_state(
    conn: &rusqlite::Connection,
    form: &str,
    record: i64,
) -> rusqlite::Result<RecordState> {
    Ok(conn
        .query_row(
            "SELECT version, locked, changed_by, changed_at FROM record_state WHERE form = ?1 AND record = ?2",
            params![form, record],
            |r| Ok(RecordState { version: r.get(0)?, locked: r.get(1)?, changed_by: r.get(2)?, changed_at: r.get(3)? }),
        )
        .optional()?
        .unwrap_or_default())
}

pub(super) fn history(
    conn: &rusqlite::Connection,
    form: &str,
    record: i64,
) -> rusqlite::Result<Vec<EventLine>> {
    conn.prepare(
        "SELECT e.id, e.at, e.reviewer, e.kind, e.payload,
                coalesce((SELECT undone_by FROM corrections WHERE event = e.id),
                         (SELECT undone_by FROM explanations WHERE event = e.id),
                         (SELECT undone_by FROM notes WHERE event = e.id),
                         (SELECT voided_by FROM signatures WHERE event = e.id))
         FROM events e WHERE e.form = ?1 AND e.record = ?2 ORDER BY e.id DESC",
    )?
    .query_map(params![form, record], |r| {
        let payload: String = r.get(4)?;
        Ok(EventLine {
            id: r.get(0)?,
            at: r.get(1)?,
            reviewer: r.get(2)?,
            kind: r.get(3)?,
            payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
            undone_by: r.get(5)?,
        })
    })?
    .collect()
}

impl Workspace {
    /// The records of `form` a batch (`batch` in its events' payloads) of `reviewer` acted
    /// on, in the order it acted on them.
    pub fn batch_records(&self, reviewer: &str, form: &str, batch: &str) -> Result<Vec<i64>> {
        self.conn
            .prepare(
                "SELECT record FROM events
                 WHERE reviewer = ?1 AND form = ?2 AND json_extract(payload, '$.batch') = ?3
                 GROUP BY record ORDER BY min(id)",
            )
            .and_then(|mut s| {
                s.query_map(params![reviewer, form, batch], |r| r.get(0))?
                    .collect()
            })
            .map_err(self.error("reading a batch"))
    }
}
