//! The checks an action on a record must pass, one function each, so that an action on the
//! screen and the same action in a batch from a file pass exactly the same ones: the version
//! the reviewer saw, the reviewer's region scope, another reviewer's live claim, the lock;
//! for a correction, the field, its type, the reason and that it changes something; for an
//! explanation, a warning that flags the record; for a signature, the sign-off policy. A row
//! beneath a census object's root passes them as its object (`object`): its root's scope,
//! claim and lock.

pub(super) mod object;

use super::messages::{short_time, type_words, type_words_zh};
use crate::domain::value::why_zh;
use crate::domain::{Datum, Field, Form, Reviewer, Severity};
use crate::error::{Error, Result};
use crate::store::Work;
use object::root_above;

/// A refusal in both languages of the screen.
pub(super) fn declined(en: impl Into<String>, zh: impl Into<String>) -> Error {
    Error::Declined {
        en: en.into(),
        zh: zh.into(),
    }
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
        let at = short_time(state.changed_at.as_deref().unwrap_or("?"));
        return Err(declined(
            format!(
                "record {key} was changed by {} at {at} after you opened it; nothing was \
                 written. It has been reloaded: look at it again before you act",
                state.changed_by.as_deref().unwrap_or("another reviewer"),
            ),
            format!(
                "记录 {key} 在您打开后已被{}于 {at} 修改，未写入任何内容。已重新载入，请再看一遍后操作",
                state.changed_by.as_deref().unwrap_or("其他审核员"),
            ),
        ));
    }
    in_scope(work, reviewer, form, record, &key)?;
    if let Some(claim) = work.claim_by_other(&form.name, record, &reviewer.name)? {
        let since = short_time(&claim.since);
        // A claim covers the whole census object: on a child row, it is held on its root.
        if let Some(root) = root_above(work, form, record)? {
            return Err(declined(
                format!(
                    "{} is working on census object {} (since {since}), which record {key} \
                     belongs to; you may read it, or take it over (T) if you must",
                    claim.reviewer, root.key
                ),
                format!(
                    "{} 正在处理记录 {key} 所属的普查对象 {}（自 {since} 起）；您可以查看，确有必要时可接管（T）",
                    claim.reviewer, root.key
                ),
            ));
        }
        return Err(declined(
            format!(
                "{} is working on record {key} (since {since}); you may read it, or take it over \
                 (T) if you must",
                claim.reviewer
            ),
            format!(
                "{} 正在处理记录 {key}（自 {since} 起）；您可以查看，确有必要时可接管（T）",
                claim.reviewer
            ),
        ));
    }
    Ok(key)
}

/// Refuses a record outside the reviewer's region scope. A row beneath a census object's
/// root is in scope when its root is: the object's region is its root's.
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
    if let Some(root) = root_above(work, form, record)? {
        let region = object::region(work, root.form, root.record)?;
        if reviewer.covers(&region) {
            return Ok(());
        }
        return Err(declined(
            format!(
                "record {key} belongs to census object {} (region {region}), which is outside \
                 your scope {}; a reviewer whose scope covers it must act on it",
                root.key, reviewer.scope
            ),
            format!(
                "记录 {key} 所属的普查对象 {}（区划 {region}）不在您的审核范围 {} 内，须由范围覆盖它的审核员处理",
                root.key, reviewer.scope
            ),
        ));
    }
    let region = object::region(work, form, record)?;
    if reviewer.covers(&region) {
        Ok(())
    } else {
        Err(declined(
            format!(
                "record {key} (region {region}) is outside your scope {}; a reviewer whose \
                 scope covers it must act on it",
                reviewer.scope
            ),
            format!(
                "记录 {key}（区划 {region}）不在您的审核范围 {} 内，须由范围覆盖它的审核员处理",
                reviewer.scope
            ),
        ))
    }
}

/// Refuses to change a signed and locked record, or a row of a census object whose root is
/// signed and locked: the lock covers the object.
pub(super) fn unlocked(work: &Work<'_>, form: &str, record: i64, key: &str) -> Result<()> {
    if let Some((en, zh)) = object::locked_by(work, form, record)? {
        return Err(declined(
            format!(
                "record {key} is signed and locked (by {en}); reopen it with a reason before \
                 changing it"
            ),
            format!("记录 {key} 已签字锁定（签字：{zh}）；修改前请填写原因重新打开"),
        ));
    }
    let def = work.form(form)?;
    let Some(root) = root_above(work, def, record)? else {
        return Ok(());
    };
    if let Some((en, zh)) = object::locked_by(work, &root.form.name, root.record)? {
        let object = &root.key;
        return Err(declined(
            format!(
                "record {key} belongs to census object {object}, which is signed and locked (by \
                 {en}); reopen {object} with a reason before changing it"
            ),
            format!(
                "记录 {key} 所属的普查对象 {object} 已签字锁定（签字：{zh}）；修改前请填写原因重新打开 {object}"
            ),
        ));
    }
    Ok(())
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
        declined(
            format!("“{text}” {why}; {} is {}", def.name, type_words(def.ty)),
            format!(
                "“{text}”{}；{}应为{}",
                why_zh(&why),
                def.label.zh,
                type_words_zh(def.ty)
            ),
        )
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
        return Err(declined(
            "the key identifies the record and cannot be corrected",
            "记录号用于标识记录，不能修正",
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(declined("a correction needs a reason", "修正必须填写原因"));
    }
    Ok(Correction {
        field,
        value,
        reason: reason.to_string(),
    })
}

/// The refusal of a correction to the value the field holds already.
pub(super) fn no_change(field: &Field, key: &str, now: &Datum) -> Error {
    let (en, zh) = if now.is_null() {
        ("empty".to_string(), "空".to_string())
    } else {
        (now.display(), now.display())
    };
    declined(
        format!(
            "{} of record {key} is {en} already; nothing was written",
            field.name
        ),
        format!("记录 {key} 的{}已经是{zh}，未写入任何内容", field.label.zh),
    )
}

/// The sign-off policy for a signature by `reviewer`: a record of a form without a parent
/// (a child row is signed with its census object), no failing error, every failing warning
/// explained (on the record and on every row beneath it, which its signature binds), not
/// signed by the reviewer already, another role than the signatures standing (with distinct
/// roles), and not the only corrector of the object giving the last signature (four eyes).
/// Says every block at once; returns whether the signature completes the record.
pub(super) fn may_sign(
    work: &Work<'_>,
    reviewer: &Reviewer,
    form: &str,
    record: i64,
    key: &str,
) -> Result<bool> {
    let def = work.form(form)?;
    object::signed_at_root(work, def, record, key)?;
    let mut errors: Vec<String> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut changers = work.changers(form, record)?;
    let mut rows = vec![(def, record, None)];
    for (f, r) in work.rows_beneath(def, record)? {
        rows.push((f, r, Some(work.subject_key(f, r)?)));
    }
    for (row_form, row, row_key) in rows {
        // A flag of a row beneath the record is named with the row: `B02 (E1-2)`.
        let name = |rule: &str| match &row_key {
            Some(k) => format!("{rule} ({k})"),
            None => rule.to_string(),
        };
        for f in work.open_flags(&row_form.name, row)? {
            if f.severity == Severity::Error {
                errors.push(name(&f.rule));
            } else if f.severity == Severity::Warning && !f.explained {
                warnings.push(name(&f.rule));
            }
        }
        if row_key.is_some() {
            changers.extend(work.changers(&row_form.name, row)?);
        }
    }
    changers.sort();
    changers.dedup();
    // What blocks the signature, in English and in Chinese.
    let mut blocks: Vec<(String, String)> = Vec::new();
    if !errors.is_empty() {
        let list = errors.join(", ");
        let list_zh = list.replace(" (", "（").replace(')', "）");
        blocks.push((
            format!("errors still failing: {list}"),
            format!("仍有未通过的强制性错误：{list_zh}"),
        ));
    }
    if !warnings.is_empty() {
        let list = warnings.join(", ");
        let list_zh = list.replace(" (", "（").replace(')', "）");
        blocks.push((
            format!("warnings neither fixed nor explained: {list}"),
            format!("提示性问题既未修正也未说明：{list_zh}"),
        ));
    }
    let policy = work.policy()?;
    let signatures = work.signatures(form, record)?;
    if let Some(s) = signatures.iter().find(|s| s.reviewer == reviewer.name) {
        let at = short_time(&s.at);
        blocks.push((
            format!("you signed it already at {at}"),
            format!("您已于 {at} 签过字"),
        ));
    } else if policy.distinct_roles
        && let Some(s) = signatures.iter().find(|s| s.role == reviewer.role)
    {
        blocks.push((
            format!(
                "role {} signed it already ({}); the next signature must come from another role",
                s.role, s.reviewer
            ),
            format!(
                "{}已签字（{}）；下一个签字须来自其他角色",
                s.role, s.reviewer
            ),
        ));
    }
    let completes = signatures.len() as i64 + 1 >= policy.signatures_required;
    if policy.four_eyes && completes && changers == [reviewer.name.clone()] {
        blocks.push(four_eyes(&signatures, policy.distinct_roles, reviewer));
    }
    if !blocks.is_empty() {
        let (en, zh): (Vec<String>, Vec<String>) = blocks.into_iter().unzip();
        return Err(declined(
            format!("record {key} cannot be signed: {}", en.join("; ")),
            format!("记录 {key} 不能签字：{}", zh.join("；")),
        ));
    }
    Ok(completes)
}

/// The four-eyes block: who signed so far, and who may give the last signature.
fn four_eyes(
    signatures: &[crate::domain::Signature],
    distinct_roles: bool,
    reviewer: &Reviewer,
) -> (String, String) {
    let signed_en = if signatures.is_empty() {
        "nobody has signed it yet".to_string()
    } else {
        let who: Vec<String> = signatures
            .iter()
            .map(|s| format!("{} ({})", s.reviewer, s.role))
            .collect();
        format!("signed so far by {}", who.join(", "))
    };
    let signed_zh = if signatures.is_empty() {
        "尚无人签字".to_string()
    } else {
        let who: Vec<String> = signatures
            .iter()
            .map(|s| format!("{}（{}）", s.reviewer, s.role))
            .collect();
        format!("已签字：{}", who.join("、"))
    };
    let mut roles: Vec<&str> = signatures.iter().map(|s| s.role.as_str()).collect();
    roles.sort_unstable();
    roles.dedup();
    let (who_en, who_zh) = if distinct_roles && !roles.is_empty() {
        (
            format!(
                "another reviewer, of a role other than {}, must give the last signature",
                roles.join(", ")
            ),
            format!("须由另一位角色不是{}的审核员签最后一个字", roles.join("、")),
        )
    } else {
        (
            "another reviewer must give the last signature".to_string(),
            "须由另一位审核员签最后一个字".to_string(),
        )
    };
    (
        format!(
            "four eyes: you ({}) are the only one who corrected it, so you may not give its last \
             signature; {signed_en}; {who_en}",
            reviewer.name
        ),
        format!(
            "四眼原则：该记录只有您（{}）修正过，您不能签最后一个字；{signed_zh}；{who_zh}",
            reviewer.name
        ),
    )
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
        None => Err(declined(
            format!("rule {rule} does not flag record {key}; there is nothing to explain"),
            format!("规则 {rule} 没有标记记录 {key}，无需说明"),
        )),
        Some(f) if f.severity == Severity::Error => Err(declined(
            format!("{rule} is an error: errors must be corrected, not explained"),
            format!("{rule} 是强制性错误：必须修正，不能说明"),
        )),
        Some(_) => Ok(()),
    }
}
