//! What a reviewer does with the figures of selective review: accepting a proposed fix (the
//! corrections it proposes, audited as the reviewer's, with the fix's reason and id), or
//! dismissing it (audited); and taking back a whole batch (an accepted fix of several
//! fields, or a bulk action over many records) as one action.

use super::Session;
use super::checks::{self, declined, object, unlocked};
use crate::domain::{EventKind, EventLine, Proposal, RecordScore, Reviewer};
use crate::error::Result;
use crate::store::{RecheckReport, Work};

/// A fresh batch id: every event of one batch carries it.
pub(super) fn batch_id() -> String {
    let mut bytes = [0u8; 8];
    // Without randomness the id is still unique in practice: the time it was made.
    if getrandom::fill(&mut bytes).is_err() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        bytes = now.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The batch an event belongs to, if any.
pub fn batch_of(event: &EventLine) -> Option<&str> {
    event.payload.get("batch").and_then(|b| b.as_str())
}

impl Session {
    /// Scores the groups edits left due (a correction that moved a peers group's figures
    /// scores its own record and leaves the rest of the group due): a slice of records per
    /// short write transaction, so working reviewers are never kept waiting. Any session may,
    /// one that only reads too: these are figures the rules compute, not actions. Returns how
    /// many groups were settled.
    pub fn refresh_due(&self) -> Result<u64> {
        self.ws.refresh_due()
    }

    /// The record's scores.
    pub fn scores(&mut self, record: i64) -> Result<Vec<RecordScore>> {
        let form = self.form.name.clone();
        self.ws.look()?.scores(&form, record)
    }

    /// The record's proposals, each with the flags it would resolve and open.
    pub fn proposals(&mut self, record: i64) -> Result<Vec<Proposal>> {
        let form = self.form.clone();
        self.ws.look()?.proposals(&form, record)
    }

    /// Accepts a fix rule's proposal: each value it proposes becomes a correction by the
    /// reviewer, with the fix's reason, all in one action (undone as one).
    pub fn accept_fix(&mut self, record: i64, seen: i64, fix: &str) -> Result<RecheckReport> {
        let reviewer = self.reviewer.clone();
        let form = self.form.clone();
        let reason = self.fix_reason(fix)?;
        let (mut work, key) = self.begin(record, seen)?;
        unlocked(&work, &form.name, record, &key)?;
        let report = accept_in(&mut work, &reviewer, &form, record, &key, fix, &reason)?;
        work.commit()?;
        Ok(report)
    }

    /// The reason an accepted fix gives its corrections: the fix's, in both languages, with
    /// its id.
    pub(super) fn fix_reason(&self, fix: &str) -> Result<String> {
        let rules = self.ws.active_rules()?;
        let found = rules
            .as_deref()
            .and_then(|r| r.fixes.iter().find(|f| f.id == fix))
            .map(reason_of);
        found.ok_or_else(|| {
            declined(
                format!("there is no fix rule {fix} in the rules in force"),
                format!("现行规则中没有修正规则 {fix}"),
            )
        })
    }

    /// Dismisses a fix rule's proposal for the record (audited). It stays dismissed while
    /// the fix proposes the same values.
    pub fn dismiss_fix(&mut self, record: i64, seen: i64, fix: &str) -> Result<()> {
        let reviewer = self.reviewer.name.clone();
        let form = self.form.clone();
        let (mut work, key) = self.begin(record, seen)?;
        let Some(stored) = work.proposal(&form.name, record, fix)? else {
            return Err(no_proposal(fix, &key));
        };
        if stored.dismissed_by.is_some() {
            return Err(declined(
                format!("the proposal of {fix} for record {key} is dismissed already"),
                format!("记录 {key} 的修正建议 {fix} 已被驳回"),
            ));
        }
        work.dismiss_fix(&reviewer, &form, record, fix, &stored.text)?;
        work.commit()
    }

    /// The batch of the record's last event, when it is the reviewer's own and not undone:
    /// (batch id, records the batch acted on).
    pub fn last_batch(&mut self, record: i64) -> Result<Option<(String, usize)>> {
        let me = self.reviewer.name.clone();
        let form = self.form.name.clone();
        let last = self
            .history(record)?
            .into_iter()
            .find(|e| e.kind != EventKind::TakeOver);
        let Some(batch) = last
            .as_ref()
            .filter(|e| e.reviewer == me && e.undone_by.is_none())
            .and_then(|e| batch_of(e).map(str::to_string))
        else {
            return Ok(None);
        };
        let records = self.ws.batch_records(&me, &form, &batch)?.len();
        Ok(Some((batch, records)))
    }

    /// Takes back the reviewer's whole batch `batch` (see [`batch_of`]): on each record it
    /// acted on, its events are undone, newest first, unless someone acted on the record
    /// since. Returns (records undone, records left as they are, each with why).
    pub fn undo_batch(&mut self, batch: &str) -> Result<(usize, Vec<(String, String)>)> {
        let who = self.reviewer.clone();
        let reviewer = who.name.clone();
        let form = self.form.clone();
        let records = self.ws.batch_records(&reviewer, &form.name, batch)?;
        let mut done = 0;
        let mut left = Vec::new();
        for chunk in records.chunks(super::bulk::CHUNK) {
            let mut work = self.ws.work(Session::signed(&self.signer)?)?;
            work.tag("undoes_batch", serde_json::json!(batch));
            for &record in chunk {
                let key = work.subject_key(&form, record)?;
                match undo_on(&mut work, &who, &form.name, record, &key, batch) {
                    Ok(()) => done += 1,
                    Err(e) => left.push((key, e.to_string())),
                }
            }
            work.commit()?;
        }
        // What the corrections left due (peers groups to score again) is scored now.
        self.ws.refresh_due()?;
        Ok((done, left))
    }
}

/// The reason the corrections of an accepted fix give: the fix's, in both languages, with its
/// id.
pub(super) fn reason_of(f: &crate::rules::Fix) -> String {
    format!("{} {} ({})", f.reason.zh, f.reason.en, f.id)
}

pub(super) fn no_proposal(fix: &str, key: &str) -> crate::Error {
    declined(
        format!("fix {fix} proposes nothing for record {key} (now)"),
        format!("修正规则 {fix} 目前对记录 {key} 没有建议"),
    )
}

/// Accepts a proposal inside an action that passed the record's checks.
pub(super) fn accept_in(
    work: &mut Work<'_>,
    who: &Reviewer,
    form: &crate::domain::Form,
    record: i64,
    key: &str,
    fix: &str,
    reason: &str,
) -> Result<RecheckReport> {
    let Some(stored) = work.proposal(&form.name, record, fix)? else {
        return Err(no_proposal(fix, key));
    };
    // The values must still be those the proposal was made from.
    for c in &stored.changes {
        let now = work.value(form, record, &c.field)?;
        if now != c.old {
            return Err(declined(
                format!(
                    "{} of record {key} is now {} (the fix was proposed for {}); nothing was \
                     written. Look at the record again",
                    c.field,
                    now.display(),
                    c.old.display()
                ),
                format!(
                    "记录 {key} 的 {} 现为 {}（建议基于 {}）；未写入任何内容，请重新查看该记录",
                    c.field,
                    now.display(),
                    c.old.display()
                ),
            ));
        }
    }
    for c in &stored.changes {
        object::may_move(work, who, form, record, key, (&c.field, &c.new))?;
    }
    let reviewer = who.name.as_str();
    let batch = work_batch(work);
    work.tag("fix", serde_json::json!(fix));
    let mut report = RecheckReport::default();
    for c in &stored.changes {
        let def = checks::field(form, &c.field)?.clone();
        let asked = checks::correction(form, def, c.new.clone(), reason)?;
        let old = work.value(form, record, &asked.field.name)?;
        let r = work.correct(
            reviewer,
            form,
            record,
            &asked.field.name,
            (&old, &asked.value),
            &asked.reason,
        )?;
        report.opened.extend(r.opened);
        report.resolved.extend(r.resolved);
        report.runs += r.runs;
    }
    work.untag("fix");
    if batch {
        work.untag("batch");
    }
    Ok(report)
}

/// Tags the action's events with a fresh batch id unless they carry one already (a bulk
/// action's); whether it did.
fn work_batch(work: &mut Work<'_>) -> bool {
    if work.tagged("batch") {
        return false;
    }
    work.tag("batch", serde_json::json!(batch_id()));
    true
}

/// Undoes the batch's events on one record, newest first, when they are the record's last.
pub(super) fn undo_on(
    work: &mut Work<'_>,
    who: &Reviewer,
    form: &str,
    record: i64,
    key: &str,
    batch: &str,
) -> Result<()> {
    let reviewer = who.name.as_str();
    let history: Vec<EventLine> = work
        .history(form, record)?
        .into_iter()
        .filter(|e| e.kind != EventKind::TakeOver)
        .collect();
    let last: Vec<&EventLine> = history
        .iter()
        .take_while(|e| batch_of(e) == Some(batch) && e.undone_by.is_none())
        .collect();
    let later_than_batch = history.iter().any(|e| batch_of(e) == Some(batch)) && last.is_empty();
    let interleaved = history
        .iter()
        .skip(last.len())
        .any(|e| batch_of(e) == Some(batch) && e.undone_by.is_none());
    if later_than_batch || interleaved {
        return Err(declined(
            format!("record {key} was acted on after the batch; undo it record by record"),
            format!("该批操作之后记录 {key} 又有操作；请逐条撤销"),
        ));
    }
    if last
        .iter()
        .any(|e| e.reviewer != reviewer || !e.kind.undoable())
    {
        return Err(declined(
            format!("record {key}: the batch's last event is not yours to undo"),
            format!("记录 {key}：该批的最后操作不是您的，不能撤销"),
        ));
    }
    // A signature may be taken back on a locked record; anything else may not.
    if !last.iter().all(|e| e.kind == EventKind::Sign) {
        unlocked(work, form, record, key)?;
    }
    let def = work.form(form)?;
    for e in &last {
        if e.kind == EventKind::Correct {
            let (field, old) = work.corrected(e.id)?;
            object::may_move(work, who, def, record, key, (&field, &old))?;
        }
    }
    for e in last {
        work.undo(reviewer, form, record, e)?;
    }
    Ok(())
}
