//! Scores and proposals an edit left due. A correction that moves a peers group's figures
//! moves the scores (and maybe the proposals) of every record in the group: thousands of
//! rows for a prefecture. The action scores its own record and notes the group as due
//! (`mark`); the group is computed again just after (`Workspace::refresh_due`), in a read
//! transaction, and stored a slice at a time in short write transactions, as a full check
//! stores its figures. No action holds the write lock for a whole group, and no reviewer
//! waits for one.
//!
//! A due row carries the edit's newest event. A refresh stores its rows with the newest
//! event its read saw, so a row a later re-check wrote is left as it is, and removes the due
//! row only when its read saw the edit that made it due: an edit that lands while the group
//! is being refreshed leaves it due for the next refresh.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, TransactionBehavior, params};

use super::selective::{
    Over, ProposalRow, ScoreRow, compute_proposals, compute_scores, stamp, store_proposals,
    store_scores,
};
use super::vocabulary::ActiveRules;
use crate::error::Result;
use crate::rules::BudgetKind;
use crate::store::forms::quote;
use crate::store::{Workspace, queue};

/// Which figures are due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Score,
    Fix,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Score => "score",
            Kind::Fix => "fix",
        }
    }
}

/// Notes that the figures of score or fix `id` of `form` over `over` (a group, or the whole
/// form) must be computed again, for an edit whose newest event is `event`.
pub(super) fn mark(
    conn: &Connection,
    (kind, form, id): (Kind, &str, &str),
    over: &Over<'_>,
    event: i64,
) -> rusqlite::Result<()> {
    let (grp, value) = match over {
        Over::Group(expr, value) => (*expr, (*value).clone()),
        Over::Form | Over::Record(_) => ("", SqlValue::Null),
    };
    let known = conn
        .prepare_cached(
            "UPDATE refresh_due SET event = max(event, ?6)
             WHERE form = ?1 AND kind = ?2 AND id = ?3 AND grp = ?4 AND value IS ?5",
        )?
        .execute(params![form, kind.word(), id, grp, value, event])?;
    if known == 0 {
        conn.prepare_cached(
            "INSERT INTO refresh_due (form, kind, id, grp, value, event)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![form, kind.word(), id, grp, value, event])?;
    }
    Ok(())
}

/// Removes the due rows a full check's figures, computed from a read at `stamp`, cover.
pub(super) fn settled_by_check(
    conn: &Connection,
    (kind, form, id): (Kind, &str, &str),
    stamp: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "DELETE FROM refresh_due WHERE form = ?1 AND kind = ?2 AND id = ?3 AND event <= ?4",
    )?
    .execute(params![form, kind.word(), id, stamp])
    .map(|_| ())
}

/// Runs `work` in a write transaction of its own, committed at once: how figures are stored
/// beside working reviewers, a slice at a time.
pub(super) fn short_write(
    ws: &Workspace,
    to_error: &dyn Fn(rusqlite::Error) -> crate::Error,
    work: &dyn Fn(&Connection) -> rusqlite::Result<()>,
) -> Result<()> {
    let tx = rusqlite::Transaction::new_unchecked(&ws.conn, TransactionBehavior::Immediate)
        .map_err(to_error)?;
    work(&tx).map_err(to_error)?;
    tx.commit().map_err(to_error)
}

/// Records per write transaction when a refresh stores a group's figures.
const SLICE: usize = 1_000;

/// One due row, as read.
struct DueRow {
    rowid: i64,
    form: String,
    kind: String,
    id: String,
    grp: String,
    value: SqlValue,
}

/// A due row's figures, computed.
enum Figures {
    Scores(usize, Vec<ScoreRow>),
    Proposals(usize, Vec<ProposalRow>, Option<Vec<i64>>),
    /// The rules in force have no such score or fix, or it ran past its budget (a full
    /// check reports that): nothing to store.
    None,
}

impl Workspace {
    /// How many groups' scores and proposals edits have left due.
    pub fn due(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM refresh_due", [], |r| r.get(0))
            .map_err(self.error("reading the figures left due"))
    }

    /// Computes again the scores and proposals edits left due, oldest first, until none is
    /// left; returns how many due rows it settled.
    pub fn refresh_due(&self) -> Result<u64> {
        let mut settled = 0;
        // Each round settles one row or finds that an edit moved it again meanwhile; a
        // room that keeps moving one group gets it settled by a later call.
        for _ in 0..64 {
            let Some(done) = self.refresh_one()? else {
                break;
            };
            settled += u64::from(done);
        }
        Ok(settled)
    }

    /// Refreshes the oldest due row: `None` when there is none, else whether it was settled.
    fn refresh_one(&self) -> Result<Option<bool>> {
        let to_error = self.error("computing the scores and proposals left due");
        let read = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)
            .map_err(&to_error)?;
        let due = read
            .query_row(
                "SELECT rowid, form, kind, id, grp, value FROM refresh_due
                 ORDER BY event, rowid LIMIT 1",
                [],
                |r| {
                    Ok(DueRow {
                        rowid: r.get(0)?,
                        form: r.get(1)?,
                        kind: r.get(2)?,
                        id: r.get(3)?,
                        grp: r.get(4)?,
                        value: r.get(5)?,
                    })
                },
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(&to_error)?;
        let Some(due) = due else {
            read.commit().map_err(&to_error)?;
            return Ok(None);
        };
        let Some(rules) = self.active_rules()? else {
            read.commit().map_err(&to_error)?;
            return Ok(None);
        };
        let schema = self.schema_cached()?;
        let at = stamp(&read).map_err(&to_error)?;
        let figures = self.figures(&read, &rules, schema, &due)?;
        read.commit().map_err(&to_error)?;
        let write =
            |work: &dyn Fn(&Connection) -> rusqlite::Result<()>| short_write(self, &to_error, work);
        match &figures {
            Figures::Scores(i, rows) => {
                let s = &rules.scores[*i];
                for slice in rows.chunks(SLICE) {
                    write(&|tx| {
                        let changed = store_scores(tx, s, slice, at)?;
                        queue::rescore(tx, &s.form, Some(&changed))
                    })?;
                }
            }
            Figures::Proposals(i, rows, records) => {
                let f = &rules.fixes[*i];
                write(&|tx| {
                    let changed = store_proposals(tx, f, rows, records.as_deref(), at)?;
                    queue::rescore(tx, &f.form, Some(&changed))
                })?;
            }
            Figures::None => {}
        }
        let settled = std::cell::Cell::new(false);
        write(&|tx| {
            let gone = tx
                .prepare_cached("DELETE FROM refresh_due WHERE rowid = ?1 AND event <= ?2")?
                .execute(params![due.rowid, at])?;
            settled.set(gone > 0);
            Ok(())
        })?;
        Ok(Some(settled.get()))
    }

    /// Computes a due row's figures in the read transaction `conn`.
    fn figures(
        &self,
        conn: &Connection,
        rules: &ActiveRules,
        schema: &crate::domain::Schema,
        due: &DueRow,
    ) -> Result<Figures> {
        let over = if due.grp.is_empty() {
            Over::Form
        } else {
            Over::Group(&due.grp, &due.value)
        };
        let _budget = self
            .sandbox
            .meter()
            .start(BudgetKind::Rule, rules.budget.of(BudgetKind::Rule));
        let ran = match due.kind.as_str() {
            "score" => match rules
                .scores
                .iter()
                .position(|s| s.id == due.id && s.form == due.form)
            {
                None => return Ok(Figures::None),
                Some(i) => compute_scores(conn, &self.sandbox, rules, &rules.scores[i], &over)
                    .map(|rows| Figures::Scores(i, rows)),
            },
            _ => match rules
                .fixes
                .iter()
                .position(|f| f.id == due.id && f.form == due.form)
            {
                None => return Ok(Figures::None),
                Some(i) => {
                    let f = &rules.fixes[i];
                    compute_proposals(conn, &self.sandbox, rules, schema, f, &over).and_then(
                        |rows| {
                            let records = match over {
                                Over::Group(expr, value) => Some(
                                    group_members(conn, &f.form, expr, value)
                                        .map_err(self.error("reading a group's records"))?,
                                ),
                                Over::Form | Over::Record(_) => None,
                            };
                            Ok(Figures::Proposals(i, rows, records))
                        },
                    )
                }
            },
        };
        match ran {
            Err(crate::Error::OverBudget(_)) => Ok(Figures::None),
            other => other,
        }
    }
}

/// The rowids of a group's records: those whose `expr` has `value`.
fn group_members(
    conn: &Connection,
    form: &str,
    expr: &str,
    value: &SqlValue,
) -> rusqlite::Result<Vec<i64>> {
    let t = quote(form);
    conn.prepare_cached(&format!("SELECT {t}.rowid FROM {t} WHERE ({expr}) IS ?1"))?
        .query_map([value], |r| r.get(0))?
        .collect()
}
