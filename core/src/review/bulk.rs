//! One action over a selection of records (a filter of the queue, or records marked by
//! hand): explain a warning with one text, accept the proposed fixes, or sign. A plan comes
//! first and says how many records it would act on and which it would refuse and why (scope,
//! lock, policy, claim, nothing to do); running it gives each record its own signed, audited
//! event under the same checks as a single action, all with one batch id, so that the whole
//! batch is undone as one action. A record that changed since the plan is refused, not
//! written.

use super::Session;
use super::checks::{admit, may_explain, may_sign, object, unlocked};
use super::selective::{accept_in, batch_id, no_proposal, reason_of};
use crate::domain::{Form, Reviewer, Severity};
use crate::error::{Error, Result};
use crate::store::{Direction, QueueFilter, Work};

/// Records per write transaction: reviewers wait for the write lock at most this long.
pub(super) const CHUNK: usize = 200;

/// What to do to every record of a selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    /// Explain a warning (`rule`; without one, every unexplained failing warning of each
    /// record) with one text.
    Explain { rule: Option<String>, text: String },
    /// Accept the open proposals (of `fix` only, when given).
    Accept { fix: Option<String> },
    /// Sign each record off.
    Sign,
}

/// A record the plan would act on, at the version it was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ready {
    pub record: i64,
    pub key: String,
    pub seen: i64,
}

/// What a bulk action would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkPlan {
    pub action: BulkAction,
    /// Records selected.
    pub selected: usize,
    pub ready: Vec<Ready>,
    /// Each selected record the action would refuse, and why.
    pub refused: Vec<Refused>,
}

/// A record a bulk action refuses, and why, in both languages of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub key: String,
    pub why: String,
    pub why_zh: String,
}

impl Refused {
    fn new(key: String, e: &Error) -> Refused {
        Refused {
            key,
            why: e.to_string(),
            why_zh: e.in_chinese(),
        }
    }
}

/// What a bulk action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkReport {
    /// The id every event of the batch carries (undo it with [`Session::undo_batch`]).
    pub batch: String,
    pub done: usize,
    /// Records refused when the batch was written (changed since the plan).
    pub refused: Vec<Refused>,
    pub opened: usize,
    pub resolved: usize,
}

impl Session {
    /// Every record the filter leaves in the queue, in queue order.
    pub fn select(&mut self, filter: &QueueFilter) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        let mut anchor = None;
        loop {
            let rows = self.ws.queue_window(
                &self.form.name,
                filter,
                anchor.as_ref(),
                Direction::Forward,
                1000,
            )?;
            let Some(last) = rows.last().cloned() else {
                return Ok(out);
            };
            out.extend(rows.iter().map(|r| r.record));
            anchor = Some(last);
        }
    }

    /// Plans `action` over `records`: which it would act on and which it would refuse, and
    /// why. Nothing is written.
    pub fn plan_bulk(&mut self, records: &[i64], action: BulkAction) -> Result<BulkPlan> {
        let reviewer = self.reviewer.clone();
        let form = self.form.clone();
        if let BulkAction::Explain { text, .. } = &action
            && text.trim().is_empty()
        {
            return Err(super::checks::declined(
                "an explanation needs text: say why the values are right",
                "说明不能为空：请写明这些数值为何属实",
            ));
        }
        let work = self.ws.look()?;
        let mut plan = BulkPlan {
            action,
            selected: records.len(),
            ready: Vec::new(),
            refused: Vec::new(),
        };
        for &record in records {
            let seen = work.state(&form.name, record)?.version;
            let checked = admit(&work, &reviewer, &form, record, seen).and_then(|key| {
                would(&work, &reviewer, &form, record, &key, &plan.action).map(|()| key)
            });
            match checked {
                Ok(key) => plan.ready.push(Ready { record, key, seen }),
                Err(e @ Error::Declined { .. }) => {
                    let key = work.subject_key(&form, record)?;
                    plan.refused.push(Refused::new(key, &e));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(plan)
    }

    /// Runs a plan: each ready record passes the checks again (at the version the plan saw)
    /// and gets its own audited events, all tagged with one batch id.
    pub fn run_bulk(&mut self, plan: &BulkPlan) -> Result<BulkReport> {
        let reviewer = self.reviewer.clone();
        let form = self.form.clone();
        if let BulkAction::Accept { fix: Some(fix) } = &plan.action {
            // A fix the rules in force do not have is refused before anything is written.
            self.fix_reason(fix)?;
        }
        let reasons = self.fix_reasons()?;
        let mut report = BulkReport {
            batch: batch_id(),
            done: 0,
            refused: Vec::new(),
            opened: 0,
            resolved: 0,
        };
        for chunk in plan.ready.chunks(CHUNK) {
            let mut work = self.ws.work(Session::signed(&self.signer)?)?;
            work.tag("batch", serde_json::json!(report.batch));
            for r in chunk {
                let checked = admit(&work, &reviewer, &form, r.record, r.seen).and_then(|key| {
                    would(&work, &reviewer, &form, r.record, &key, &plan.action).map(|()| key)
                });
                let key = match checked {
                    Ok(key) => key,
                    Err(e @ Error::Declined { .. }) => {
                        report.refused.push(Refused::new(r.key.clone(), &e));
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                let (opened, resolved) = act(
                    &mut work,
                    &reviewer,
                    &form,
                    (r.record, &key),
                    &plan.action,
                    &reasons,
                )?;
                report.opened += opened;
                report.resolved += resolved;
                report.done += 1;
            }
            work.commit()?;
        }
        // What the corrections left due (peers groups to score again) is scored now.
        self.ws.refresh_due()?;
        Ok(report)
    }

    /// (fix, reason) of every fix rule in force.
    fn fix_reasons(&self) -> Result<Vec<(String, String)>> {
        let rules = self.ws.active_rules()?;
        Ok(rules
            .as_deref()
            .map(|r| {
                r.fixes
                    .iter()
                    .map(|f| (f.id.clone(), reason_of(f)))
                    .collect()
            })
            .unwrap_or_default())
    }
}

/// The rules an explanation in bulk explains on a record.
fn to_explain(work: &Work<'_>, form: &str, record: i64, rule: Option<&str>) -> Result<Vec<String>> {
    Ok(work
        .open_flags(form, record)?
        .into_iter()
        .filter(|f| f.severity == Severity::Warning && !f.explained)
        .filter(|f| rule.is_none_or(|r| r == f.rule))
        .map(|f| f.rule)
        .collect())
}

/// The fixes an acceptance in bulk accepts on a record: its open proposals.
fn to_accept(work: &Work<'_>, form: &Form, record: i64, fix: Option<&str>) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for p in work.proposals(form, record)? {
        if !p.dismissed && fix.is_none_or(|f| f == p.fix) {
            out.push(p.fix);
        }
    }
    Ok(out)
}

/// Refuses what the action could not do on the record (after `admit`).
fn would(
    work: &Work<'_>,
    reviewer: &Reviewer,
    form: &Form,
    record: i64,
    key: &str,
    action: &BulkAction,
) -> Result<()> {
    if *action == BulkAction::Sign {
        object::signed_at_root(work, form, record, key)?;
    }
    unlocked(work, &form.name, record, key)?;
    match action {
        BulkAction::Explain { rule, .. } => {
            if let Some(rule) = rule {
                may_explain(work, &form.name, record, key, rule)?;
            }
            if to_explain(work, &form.name, record, rule.as_deref())?.is_empty() {
                return Err(super::checks::declined(
                    format!("record {key} has no unexplained failing warning to explain"),
                    format!("记录 {key} 没有待说明的提示性问题"),
                ));
            }
            Ok(())
        }
        BulkAction::Accept { fix } => {
            if to_accept(work, form, record, fix.as_deref())?.is_empty() {
                return Err(no_proposal(fix.as_deref().unwrap_or("(any)"), key));
            }
            Ok(())
        }
        BulkAction::Sign => may_sign(work, reviewer, &form.name, record, key).map(|_| ()),
    }
}

/// Does the action on one record that passed `would`: (flags opened, flags resolved).
fn act(
    work: &mut Work<'_>,
    reviewer: &Reviewer,
    form: &Form,
    (record, key): (i64, &str),
    action: &BulkAction,
    reasons: &[(String, String)],
) -> Result<(usize, usize)> {
    work.claim(&form.name, record, &reviewer.name)?;
    let mut counts = (0, 0);
    match action {
        BulkAction::Explain { rule, text } => {
            for r in to_explain(work, &form.name, record, rule.as_deref())? {
                work.explain(&reviewer.name, &form.name, record, &r, text.trim())?;
            }
        }
        BulkAction::Accept { fix } => {
            for f in to_accept(work, form, record, fix.as_deref())? {
                let why = reasons
                    .iter()
                    .find(|(id, _)| *id == f)
                    .map_or_else(|| f.clone(), |(_, r)| r.clone());
                let report = accept_in(work, reviewer, form, record, key, &f, &why)?;
                counts.0 += report.opened.len();
                counts.1 += report.resolved.len();
            }
        }
        BulkAction::Sign => {
            let completes = may_sign(work, reviewer, &form.name, record, key)?;
            work.sign(reviewer, &form.name, record, completes)?;
        }
    }
    work.unclaim(&form.name, record, &reviewer.name)?;
    Ok(counts)
}
