//! Keeping scores and proposals current: the whole of them after a full check's rules are
//! merged, and, inside an action, those an edit can move: the record's own when a score or
//! fix reads the edited field; every record of a peers group whose figures a score or fix
//! reads moved, noted as due and refreshed just after the action (`due`). The queue's score
//! columns follow.

use rusqlite::{Connection, TransactionBehavior};

use super::due::{self, Kind};
use super::peers;
use super::scope::PeersMoved;
use super::selective::{
    Over, ProposalRow, ScoreRow, compute_proposals, compute_scores, store_proposals, store_scores,
};
use super::vocabulary::{ActiveRules, Reads};
use crate::error::{OverBudget, Result};
use crate::rules::BudgetKind;
use crate::store::{Workspace, queue};

impl Workspace {
    /// Stores every score and proposal [`compute_selective`] computed beside working
    /// reviewers, a slice of records at a time in short write transactions. Each row carries
    /// the newest event at the read: a row a reviewer's re-check wrote since (a correction
    /// moved it) is fresher, and is left as it is. Then the queue's score columns, a slice at
    /// a time too. A score or fix that ran past its budget left its rows as they were; they
    /// are returned, as the rules of a check are;
    /// returns the scores and fixes that ran past their budget.
    pub(super) fn store_selective(
        &self,
        rules: &ActiveRules,
        computed: Selective,
    ) -> Result<Vec<OverBudget>> {
        let Selective {
            stamp,
            scores,
            fixes,
            over,
        } = computed;
        let to_error = self.error("computing scores and proposals");
        let write = |work: &dyn Fn(&Connection) -> rusqlite::Result<()>| {
            due::short_write(self, &to_error, work)
        };
        // Each slice's queue lines follow in the same transaction: only those of records
        // whose figures changed.
        for (s, rows) in rules.scores.iter().zip(&scores) {
            let Some(rows) = rows else { continue };
            for slice in rows.chunks(SLICE) {
                write(&|tx| {
                    let changed = store_scores(tx, s, slice, stamp)?;
                    queue::rescore(tx, &s.form, Some(&changed))
                })?;
            }
        }
        for (f, rows) in rules.fixes.iter().zip(&fixes) {
            let Some(rows) = rows else { continue };
            write(&|tx| {
                let changed = store_proposals(tx, f, rows, None, stamp)?;
                queue::rescore(tx, &f.form, Some(&changed))
            })?;
        }
        // What edits left due before the read is computed now.
        write(&|tx| {
            for (s, rows) in rules.scores.iter().zip(&scores) {
                if rows.is_some() {
                    due::settled_by_check(tx, (Kind::Score, &s.form, &s.id), stamp)?;
                }
            }
            for (f, rows) in rules.fixes.iter().zip(&fixes) {
                if rows.is_some() {
                    due::settled_by_check(tx, (Kind::Fix, &f.form, &f.id), stamp)?;
                }
            }
            Ok(())
        })?;
        Ok(over)
    }
}

/// Every score and proposal of the rules in force, computed in one read transaction on
/// `conn`, with the newest event at the read (`None` rows: the score or fix ran past its
/// budget, and is in `over`).
#[derive(Debug, Default)]
pub(super) struct Selective {
    stamp: i64,
    scores: Vec<Option<Vec<ScoreRow>>>,
    fixes: Vec<Option<Vec<ProposalRow>>>,
    over: Vec<OverBudget>,
}

/// Computes every score and proposal afresh in a read transaction of its own on `conn`.
pub(super) fn compute_selective(
    conn: &Connection,
    sandbox: &super::sandbox::Sandbox,
    rules: &ActiveRules,
    schema: &crate::domain::Schema,
) -> Result<Selective> {
    let mut out = Selective::default();
    if rules.scores.is_empty() && rules.fixes.is_empty() {
        return Ok(out);
    }
    let to_error = crate::store::err("computing scores and proposals");
    let budget = rules.budget.of(BudgetKind::Rule);
    let read = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Deferred)
        .map_err(&to_error)?;
    out.stamp = super::selective::stamp(&read).map_err(&to_error)?;
    for s in &rules.scores {
        let _budget = sandbox.meter().start(BudgetKind::Rule, budget);
        let ran = compute_scores(&read, sandbox, rules, s, &Over::Form);
        out.scores.push(stopped(ran, &mut out.over)?);
    }
    for f in &rules.fixes {
        let _budget = sandbox.meter().start(BudgetKind::Rule, budget);
        let ran = compute_proposals(&read, sandbox, rules, schema, f, &Over::Form);
        out.fixes.push(stopped(ran, &mut out.over)?);
    }
    read.commit().map_err(&to_error)?;
    Ok(out)
}

/// What a run computed, or `None` when it ran past its budget (kept in `over`).
fn stopped<T>(ran: Result<T>, over: &mut Vec<OverBudget>) -> Result<Option<T>> {
    match ran {
        Ok(rows) => Ok(Some(rows)),
        Err(crate::Error::OverBudget(o)) => {
            over.push(o);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Records per write transaction when a check stores scores and proposals.
const SLICE: usize = 5_000;

/// Where a score or fix that reads `reads` over `form` must run again after an edit.
#[derive(Debug, Default)]
struct Reach {
    form: bool,
    record: bool,
    groups: Vec<(String, rusqlite::types::Value)>,
}

fn reach(reads: &Reads, own: &str, edited: &str, field: &str, moved: &[PeersMoved<'_>]) -> Reach {
    let mut reach = Reach::default();
    for m in moved {
        let columns = reads
            .columns_of(&m.peers.table())
            .unwrap_or_else(|| peers::COLUMNS.to_vec());
        for change in m.changes.iter().filter(|c| c.moved(&columns)) {
            if m.peers.form == own {
                let group = (m.peers.group.clone(), change.group.clone());
                if !reach.groups.contains(&group) {
                    reach.groups.push(group);
                }
            } else {
                reach.form = true;
            }
        }
    }
    if own == edited && reads.column(edited, field) {
        reach.record = true;
    }
    reach
}

/// Re-scores and re-proposes the edited record `rowid` where a score or fix reads `field`,
/// and notes as due the groups (or whole forms) whose figures the edit moved, to be refreshed
/// just after the action (`due`); returns the records whose queue line must show new figures.
pub(super) fn after_edit(
    conn: &Connection,
    sandbox: &super::sandbox::Sandbox,
    rules: &ActiveRules,
    schema: &crate::domain::Schema,
    (form, field, rowid): (&str, &str, i64),
    moved: &[PeersMoved<'_>],
) -> Result<Vec<(String, Option<Vec<i64>>)>> {
    let err = |e: rusqlite::Error| super::scope::recheck_error(form, &e);
    let stamp = super::selective::stamp(conn).map_err(err)?;
    let mut touched: Vec<(String, Option<Vec<i64>>)> = Vec::new();
    for (i, s) in rules.scores.iter().enumerate() {
        let r = reach(rules.depends.score(i), &s.form, form, field, moved);
        for over in overs(&r, rowid) {
            let Over::Record(record) = over else {
                // A group or a whole form: due, refreshed just after the action.
                due::mark(conn, (Kind::Score, &s.form, &s.id), &over, stamp).map_err(err)?;
                continue;
            };
            let rows = compute_scores(conn, sandbox, rules, s, &over)?;
            if rows.is_empty() {
                super::selective::forget_score(conn, s, record).map_err(err)?;
            }
            store_scores(conn, s, &rows, stamp).map_err(err)?;
            note(&mut touched, &s.form, Some(vec![record]));
        }
    }
    for (i, f) in rules.fixes.iter().enumerate() {
        let r = reach(rules.depends.fix(i), &f.form, form, field, moved);
        for over in overs(&r, rowid) {
            let Over::Record(record) = over else {
                due::mark(conn, (Kind::Fix, &f.form, &f.id), &over, stamp).map_err(err)?;
                continue;
            };
            let rows = compute_proposals(conn, sandbox, rules, schema, f, &over)?;
            store_proposals(conn, f, &rows, Some(&[record]), stamp).map_err(err)?;
            note(&mut touched, &f.form, Some(vec![record]));
        }
    }
    Ok(touched)
}

/// Adds records of `form` (`None`: all of them) to those touched.
fn note(touched: &mut Vec<(String, Option<Vec<i64>>)>, form: &str, records: Option<Vec<i64>>) {
    match touched.iter_mut().find(|t| t.0 == form) {
        None => touched.push((form.to_string(), records)),
        Some(t) => match (&mut t.1, records) {
            (None, _) => {}
            (slot @ Some(_), None) => *slot = None,
            (Some(have), Some(rs)) => have.extend(rs),
        },
    }
}

/// The runs a reach asks for: the whole form, or the record and each group.
fn overs(r: &Reach, rowid: i64) -> Vec<Over<'_>> {
    if r.form {
        return vec![Over::Form];
    }
    let mut overs: Vec<Over<'_>> = Vec::new();
    if r.record {
        overs.push(Over::Record(rowid));
    }
    overs.extend(r.groups.iter().map(|(e, v)| Over::Group(e, v)));
    overs
}
