//! The checks an action on a record must pass, one function each, so that an action on the
//! screen and the same action in a batch from a file pass exactly the same ones: the version
//! the reviewer saw, the reviewer's region scope, another reviewer's live claim, the lock;
//! for a correction, the field, its type, the reason and that it changes something; for an
//! explanation, a warning that flags the record; for a signature, the sign-off policy.

use super::messages::{short_time, type_words};
use crate::domain::{Datum, Field, Form, Reviewer, Severity};
use crate::error::{Error, Result};
use crate::store::Work;

/// A refusal: the text says why and what to do.
pub(super) fn refused(text: impl Into<String>) -> Error {
    Error::Refused(text.into())
}

/// Admits an action on `record`: refuses it when the record changed since the reviewer saw
/// version `seen`, lies outside the reviewer's scope, or another reviewer is working on it.
/// Returns the record's key.
pub(super) fn admit(
    work: &Work<'_>,
    reviewer: &Reviewer,
    form: &Form,
    record: i64,
    seen: i64,
) -> Result<String> {
    let key = work.subject_key(form, record)?;
    let state = work.state(&form.name, record)?;
    if state.version != seen {
        return Err(refused(format!(
            "record {key} was changed by {} at {} after you opened it; nothing was written. \
             It has been reloaded: look at it again before you act",
            state.changed_by.as_deref().unwrap_or("another reviewer"),
            short_time(state.changed_at.as_deref().unwrap_or("?")),
        )));
    }
    in_scope(work, reviewer, form, record, &key)?;
    if let Some(claim) = work.claim_by_other(&form.name, record, &reviewer.name)? {
        return Err(refused(format!(
            "{} is working on record {key} (since {}); you may read it, or take it over (T) if you must",
            claim.reviewer,
            short_time(&claim.since)
        )));
    }
    Ok(key)
}

/// Refuses a record outside the reviewer's region scope.
pub(super) fn in_scope(
    work: &Work<'_>,
    reviewer: &Reviewer,
    form: &Form,
    record: i64,
    key: &str,
) -> Result<()> {
    if reviewer.scope.is_empty() {
        return Ok(());
    }
    let region = match &form.region {
        Some(field) => work.value(form, record, field)?.display(),
        None => String::new(),
    };
    if reviewer.covers(&region) {
        Ok(())
    } else {
        Err(refused(format!(
            "record {key} (region {region}) is outside your scope {}; a reviewer whose \
             scope covers it must act on it",
            reviewer.scope
        )))
    }
}

/// Refuses to change a signed and locked record.
pub(super) fn unlocked(work: &Work<'_>, form: &str, record: i64, key: &str) -> Result<()> {
    if !work.state(form, record)?.locked {
        return Ok(());
    }
    let signers: Vec<String> = work
        .signatures(form, record)?
        .into_iter()
        .map(|s| format!("{} ({})", s.reviewer, s.role))
        .collect();
    Err(refused(format!(
        "record {key} is signed and locked (by {}); reopen it with a reason before changing it",
        signers.join(", ")
    )))
}

/// A correction as asked for, checked against the form: the field, the new value in the
/// field's type, and the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub field: Field,
    pub value: Datum,
    pub reason: String,
}

/// A field of the form, by name.
pub(super) fn field<'f>(form: &'f Form, name: &str) -> Result<&'f Field> {
    form.field(name).ok_or_else(|| Error::UnknownField {
        form: form.name.clone(),
        field: name.to_string(),
    })
}

/// What a reviewer typed as a new value of `field`, in the field's type.
pub(super) fn typed(form: &Form, field: &str, text: &str) -> Result<(Field, Datum)> {
    let def = self::field(form, field)?;
    let value = Datum::parse(def.ty, text).map_err(|why| {
        refused(format!(
            "“{text}” {why}; {} is {}",
            def.name,
            type_words(def.ty)
        ))
    })?;
    Ok((def.clone(), value))
}

/// Checks a correction without reading the record: the field is not the key and a reason is
/// given.
pub(super) fn correction(
    form: &Form,
    field: Field,
    value: Datum,
    reason: &str,
) -> Result<Correction> {
    if field.name == form.key {
        return Err(refused(
            "the key identifies the record and cannot be corrected",
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(refused("a correction needs a reason"));
    }
    Ok(Correction {
        field,
        value,
        reason: reason.to_string(),
    })
}

/// The refusal of a correction to the value the field holds already.
pub(super) fn no_change(field: &Field, key: &str, now: &Datum) -> Error {
    let now = if now.is_null() {
        "empty".to_string()
    } else {
        now.display()
    };
    refused(format!(
        "{} of record {key} is {now} already; nothing was written",
        field.name
    ))
}

/// The sign-off policy for a signature by `reviewer`: no failing error, every failing
/// warning explained, not signed by the reviewer already, another role than the signatures
/// standing (with distinct roles), and not the only corrector giving the last signature (four
/// eyes). Says every block at once; returns whether the signature completes the record.
pub(super) fn may_sign(
    work: &Work<'_>,
    reviewer: &Reviewer,
    form: &str,
    record: i64,
    key: &str,
) -> Result<bool> {
    let flags = work.open_flags(form, record)?;
    let errors: Vec<&str> = flags
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule.as_str())
        .collect();
    let warnings: Vec<&str> = flags
        .iter()
        .filter(|f| f.severity == Severity::Warning && !f.explained)
        .map(|f| f.rule.as_str())
        .collect();
    let mut blocks = Vec::new();
    if !errors.is_empty() {
        blocks.push(format!("errors still failing: {}", errors.join(", ")));
    }
    if !warnings.is_empty() {
        blocks.push(format!(
            "warnings neither fixed nor explained: {}",
            warnings.join(", ")
        ));
    }
    let policy = work.policy()?;
    let signatures = work.signatures(form, record)?;
    if let Some(s) = signatures.iter().find(|s| s.reviewer == reviewer.name) {
        blocks.push(format!("you signed it already at {}", short_time(&s.at)));
    } else if policy.distinct_roles
        && let Some(s) = signatures.iter().find(|s| s.role == reviewer.role)
    {
        blocks.push(format!(
            "role {} signed it already ({}); the next signature must come from another role",
            s.role, s.reviewer
        ));
    }
    let completes = signatures.len() as i64 + 1 >= policy.signatures_required;
    if policy.four_eyes && completes {
        let changers = work.changers(form, record)?;
        if changers == [reviewer.name.clone()] {
            blocks.push("four eyes: you are the only one who corrected it, so someone else must give the last signature".into());
        }
    }
    if !blocks.is_empty() {
        return Err(refused(format!(
            "record {key} cannot be signed: {}",
            blocks.join("; ")
        )));
    }
    Ok(completes)
}

/// Refuses to explain what cannot be explained: a rule that does not flag the record, or an
/// error (errors are corrected, not explained).
pub(super) fn may_explain(
    work: &Work<'_>,
    form: &str,
    record: i64,
    key: &str,
    rule: &str,
) -> Result<()> {
    let flags = work.open_flags(form, record)?;
    match flags.iter().find(|f| f.rule == rule) {
        None => Err(refused(format!(
            "rule {rule} does not flag record {key}; there is nothing to explain"
        ))),
        Some(f) if f.severity == Severity::Error => Err(refused(format!(
            "{rule} is an error: errors must be corrected, not explained"
        ))),
        Some(_) => Ok(()),
    }
}
