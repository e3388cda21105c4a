//! The reviewer's actions and the policy that governs them. Each action is one transaction:
//! it passes the checks of `checks` (the record's version, the reviewer's scope, another
//! reviewer's claim, the lock), writes its audit event and re-checks the flags, or changes
//! nothing.

use super::Session;
use super::checks::{self, Correction, admit, declined, object, unlocked};
use super::messages::{action_noun, action_noun_zh, short_time};
use crate::domain::{Datum, EventKind, EventLine, Severity};
use crate::error::Result;
use crate::store::{RecheckReport, Work};

/// Where a record stands in its lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordStatus {
    pub version: i64,
    pub locked: bool,
    /// (reviewer, role) of the signatures that stand.
    pub signatures: Vec<(String, String)>,
    pub signatures_required: i64,
    /// Open error flags.
    pub failing_errors: Vec<String>,
    /// Open warning flags nobody has explained.
    pub unexplained_warnings: Vec<String>,
}

impl RecordStatus {
    /// No failing error, every failing warning explained.
    pub fn ready(&self) -> bool {
        self.failing_errors.is_empty() && self.unexplained_warnings.is_empty()
    }
}

impl Session {
    /// Starts an action on `record` that passed [`admit`], and claims the record for it.
    pub(super) fn begin(&mut self, record: i64, seen: i64) -> Result<(Work<'_>, String)> {
        let mut work = self.ws.work(Session::signed(&self.signer)?)?;
        let key = admit(&work, &self.reviewer, &self.form, record, seen)?;
        work.claim(&self.form.name, record, &self.reviewer.name)?;
        Ok((work, key))
    }

    /// Claims the record for work (others see who is on it) as it was at version `seen`,
    /// unless it changed since or someone else holds it: the checks of any action, before the
    /// reviewer types anything.
    pub fn open_for_work(&mut self, record: i64, seen: i64) -> Result<()> {
        let (work, _) = self.begin(record, seen)?;
        work.commit()
    }

    /// Takes a record over from the reviewer who holds it (an audited event).
    pub fn take_over(&mut self, record: i64) -> Result<String> {
        let me = self.reviewer.name.clone();
        let mut work = self.ws.work(Session::signed(&self.signer)?)?;
        let key = work.subject_key(&self.form, record)?;
        checks::in_scope(&work, &self.reviewer, &self.form, record, &key)?;
        let Some(claim) = work.claim_by_other(&self.form.name, record, &me)? else {
            return Err(declined(
                "nobody else is working on this record",
                "没有其他审核员在处理此记录",
            ));
        };
        work.take_over(&self.form.name, record, &key, &me, &claim.reviewer)?;
        work.commit()?;
        Ok(claim.reviewer)
    }

    /// Ends the reviewer's claims (on exit).
    pub fn release(&self) -> Result<()> {
        if self.signer.is_none() {
            return Ok(());
        }
        self.ws.release_claims(&self.reviewer.name)
    }

    /// Where a record stands.
    pub fn status(&mut self, record: i64) -> Result<RecordStatus> {
        let form = self.form.name.clone();
        let work = self.ws.look()?;
        let state = work.state(&form, record)?;
        let flags = work.open_flags(&form, record)?;
        let policy = work.policy()?;
        // A child row is signed and locked with its census object: it shows the object's.
        let (signed_form, signed_record) = match work.root(&self.form, record)? {
            Some((root, at)) if root.name != form => (root.name.clone(), at),
            _ => (form.clone(), record),
        };
        let locked = if signed_record == record && signed_form == form {
            state.locked
        } else {
            work.state(&signed_form, signed_record)?.locked
        };
        let signatures = work
            .signatures(&signed_form, signed_record)?
            .into_iter()
            .map(|s| (s.reviewer, s.role))
            .collect();
        Ok(RecordStatus {
            version: state.version,
            locked,
            signatures,
            signatures_required: policy.signatures_required,
            failing_errors: flags
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.rule.clone())
                .collect(),
            unexplained_warnings: flags
                .iter()
                .filter(|f| f.severity == Severity::Warning && !f.explained)
                .map(|f| f.rule.clone())
                .collect(),
        })
    }

    /// Corrects one field. The text is checked against the field's type first.
    pub fn correct(
        &mut self,
        record: i64,
        seen: i64,
        field: &str,
        text: &str,
        reason: &str,
    ) -> Result<RecheckReport> {
        let (field, value) = checks::typed(&self.form, field, text)?;
        let asked = checks::correction(&self.form, field, value, reason)?;
        self.write_correction(record, seen, &asked)
    }

    /// What the reviewer typed as a new value of `field`, in the field's type, or why it
    /// does not fit: the screen checks a value once, before it asks for the reason.
    pub fn new_value(&self, field: &str, text: &str) -> Result<Datum> {
        checks::typed(&self.form, field, text).map(|(_, value)| value)
    }

    /// Corrects one field to a value already in the field's type (see [`Session::new_value`]).
    pub fn correct_to(
        &mut self,
        record: i64,
        seen: i64,
        field: &str,
        value: Datum,
        reason: &str,
    ) -> Result<RecheckReport> {
        let def = checks::field(&self.form, field)?.clone();
        let asked = checks::correction(&self.form, def, value, reason)?;
        self.write_correction(record, seen, &asked)
    }

    /// Writes a checked correction as one action.
    fn write_correction(
        &mut self,
        record: i64,
        seen: i64,
        asked: &Correction,
    ) -> Result<RecheckReport> {
        let me = self.reviewer.clone();
        let reviewer = me.name.clone();
        let form = self.form.clone();
        let (mut work, key) = self.begin(record, seen)?;
        unlocked(&work, &form.name, record, &key)?;
        let moved = (asked.field.name.as_str(), &asked.value);
        object::may_move(&work, &me, &form, record, &key, moved)?;
        let old = work.value(&form, record, &asked.field.name)?;
        if old == asked.value {
            return Err(checks::no_change(&asked.field, &key, &old));
        }
        let report = work.correct(
            &reviewer,
            &form,
            record,
            &asked.field.name,
            (&old, &asked.value),
            &asked.reason,
        )?;
        work.commit()?;
        Ok(report)
    }

    /// Explains a failing warning (说明): the data is right as it is.
    pub fn explain(&mut self, record: i64, seen: i64, rule: &str, text: &str) -> Result<()> {
        let text = text.trim();
        if text.is_empty() {
            return Err(declined(
                "an explanation needs text: say why the value is right",
                "说明不能为空：请写明该数值为何属实",
            ));
        }
        let reviewer = self.reviewer.name.clone();
        let form = self.form.name.clone();
        let (mut work, key) = self.begin(record, seen)?;
        unlocked(&work, &form, record, &key)?;
        checks::may_explain(&work, &form, record, &key, rule)?;
        work.explain(&reviewer, &form, record, rule, text)?;
        work.commit()
    }

    /// Adds a note to a record.
    pub fn note(&mut self, record: i64, seen: i64, text: &str) -> Result<()> {
        let text = text.trim();
        if text.is_empty() {
            return Err(declined("a note needs text", "备注不能为空"));
        }
        let reviewer = self.reviewer.name.clone();
        let form = self.form.name.clone();
        let (mut work, key) = self.begin(record, seen)?;
        unlocked(&work, &form, record, &key)?;
        work.note(&reviewer, &form, record, text)?;
        work.commit()
    }

    /// Signs a record off, or says exactly what blocks the signature.
    pub fn sign(&mut self, record: i64, seen: i64) -> Result<bool> {
        let reviewer = self.reviewer.clone();
        let def = self.form.clone();
        let form = def.name.clone();
        let (mut work, key) = self.begin(record, seen)?;
        object::signed_at_root(&work, &def, record, &key)?;
        unlocked(&work, &form, record, &key)?;
        let completes = checks::may_sign(&work, &reviewer, &form, record, &key)?;
        work.sign(&reviewer, &form, record, completes)?;
        // A signature ends the signer's work on the record: the next signer need not wait.
        work.unclaim(&form, record, &reviewer.name)?;
        work.commit()?;
        Ok(completes)
    }

    /// Reopens a locked record; its signatures are void from now on.
    pub fn reopen(&mut self, record: i64, seen: i64, reason: &str) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(declined(
                "reopening a signed record needs a reason",
                "重新打开已签字记录须填写原因",
            ));
        }
        let reviewer = self.reviewer.name.clone();
        let def = self.form.clone();
        let form = def.name.clone();
        let (mut work, key) = self.begin(record, seen)?;
        if !work.state(&form, record)?.locked && work.signatures(&form, record)?.is_empty() {
            object::reopened_at_root(&work, &def, record, &key)?;
            return Err(declined(
                format!("record {key} is not signed; there is nothing to reopen"),
                format!("记录 {key} 尚未签字，无需重新打开"),
            ));
        }
        work.reopen(&reviewer, &form, record, reason)?;
        work.commit()
    }

    /// Takes back the reviewer's own last action on the record.
    pub fn undo(&mut self, record: i64, seen: i64) -> Result<EventLine> {
        let me = self.reviewer.clone();
        let def = self.form.clone();
        let reviewer = me.name.clone();
        let form = def.name.clone();
        let (mut work, key) = self.begin(record, seen)?;
        let Some(last) = work.last_event(&form, record)? else {
            return Err(declined(
                format!("nothing has been done to record {key}; there is nothing to undo"),
                format!("记录 {key} 尚无任何操作，无可撤销"),
            ));
        };
        if last.reviewer != reviewer {
            let at = short_time(&last.at);
            return Err(declined(
                format!(
                    "the last action on record {key} was {}'s {} at {at}; you can undo only your \
                     own last action",
                    last.reviewer,
                    action_noun(last.kind).1,
                ),
                format!(
                    "记录 {key} 的最后一次操作是{}于 {at} 的{}；您只能撤销本人的最后一次操作",
                    last.reviewer,
                    action_noun_zh(last.kind),
                ),
            ));
        }
        if last.undone_by.is_some() {
            return Err(declined(
                format!(
                    "your last action on record {key}, {} {}, was undone already",
                    action_noun(last.kind).0,
                    action_noun(last.kind).1
                ),
                format!(
                    "您对记录 {key} 的最后一次操作（{}）已被撤销",
                    action_noun_zh(last.kind)
                ),
            ));
        }
        if !last.kind.undoable() {
            return Err(declined(
                format!(
                    "your last action on record {key} was {} {}, which cannot be undone",
                    action_noun(last.kind).0,
                    action_noun(last.kind).1
                ),
                format!(
                    "您对记录 {key} 的最后一次操作是{}，不能撤销",
                    action_noun_zh(last.kind)
                ),
            ));
        }
        if let Some(batch) = super::selective::batch_of(&last).map(str::to_string) {
            // One action of several events (an accepted fix of several fields, or a record
            // of a bulk action): all of its events on this record are taken back together.
            super::selective::undo_on(&mut work, &me, &form, record, &key, &batch)?;
            work.commit()?;
            return Ok(last);
        }
        if last.kind != EventKind::Sign {
            unlocked(&work, &form, record, &key)?;
        } else if work.state(&form, record)?.locked {
            // The signature that signed the record off: only a reopening, with its reason,
            // unlocks a signed-off record.
            return Err(declined(
                format!(
                    "your signature signed record {key} off and locked it; an undo does not \
                     unlock a record: reopen it with a reason (o) if it must change"
                ),
                format!(
                    "您的签字已使记录 {key} 审核完毕并锁定；撤销不能解锁记录：如需修改，请说明原因后重新打开（o）"
                ),
            ));
        }
        if last.kind == EventKind::Correct {
            let (field, old) = work.corrected(last.id)?;
            object::may_move(&work, &me, &def, record, &key, (&field, &old))?;
        }
        work.undo(&reviewer, &form, record, &last)?;
        work.commit()?;
        Ok(last)
    }

    /// The record's history, newest first.
    pub fn history(&self, record: i64) -> Result<Vec<EventLine>> {
        self.ws.history(&self.form.name, record)
    }
}
