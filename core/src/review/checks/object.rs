//! The census object a row belongs to, as the checks see it: a record of a form without a
//! parent and every row beneath it. The object is signed, locked, scoped and claimed as one:
//! a row beneath the root is in a reviewer's scope when its root is, is locked while its root
//! is, is never signed on its own, and moving it under another record (a correction of its
//! parent key) must be allowed on the object it joins as well.

use super::declined;
use crate::domain::{Datum, Form, Reviewer};
use crate::error::Result;
use crate::store::Work;

/// The root of the census object a child row belongs to.
pub(in crate::review) struct Root<'f> {
    pub form: &'f Form,
    pub record: i64,
    pub key: String,
}

/// The root of the census object above a row of a child form; `None` for a record of a form
/// without a parent (it is its own root), and for a child row whose parent is not there.
pub(in crate::review) fn root_above<'w>(
    work: &Work<'w>,
    form: &Form,
    record: i64,
) -> Result<Option<Root<'w>>> {
    if form.parent.is_none() {
        return Ok(None);
    }
    let Some((root, rowid)) = work.root(form, record)? else {
        return Ok(None);
    };
    Ok(Some(Root {
        form: root,
        record: rowid,
        key: work.subject_key(root, rowid)?,
    }))
}

/// The division code of a record, by its form's region field (empty without one).
pub(in crate::review) fn region(work: &Work<'_>, form: &Form, record: i64) -> Result<String> {
    Ok(match &form.region {
        Some(field) => work.value(form, record, field)?.display(),
        None => String::new(),
    })
}

/// Who signed a locked record, in English and in Chinese; `None` when it is not locked.
pub(in crate::review) fn locked_by(
    work: &Work<'_>,
    form: &str,
    record: i64,
) -> Result<Option<(String, String)>> {
    if !work.state(form, record)?.locked {
        return Ok(None);
    }
    let signatures = work.signatures(form, record)?;
    let signers = |open: &str, close: &str, sep: &str| -> String {
        signatures
            .iter()
            .map(|s| format!("{}{open}{}{close}", s.reviewer, s.role))
            .collect::<Vec<_>>()
            .join(sep)
    };
    Ok(Some((signers(" (", ")", ", "), signers("（", "）", "、"))))
}

/// Refuses a signature of a child row: the census object is signed at its root, and the
/// root's signature binds every row beneath it.
pub(in crate::review) fn signed_at_root(
    work: &Work<'_>,
    form: &Form,
    record: i64,
    key: &str,
) -> Result<()> {
    let Some(link) = &form.parent else {
        return Ok(());
    };
    Err(match root_above(work, form, record)? {
        Some(root) => declined(
            format!(
                "record {key} ({}) is signed with its census object: sign {} ({}), whose \
                 signature covers it and every other row beneath it",
                form.label.en, root.key, root.form.label.en
            ),
            format!(
                "记录 {key}（{}）随其所属普查对象一并签字：请对 {}（{}）签字，该签字涵盖其下所有记录",
                form.label.zh, root.key, root.form.label.zh
            ),
        ),
        None => declined(
            format!(
                "record {key} ({}) is signed with the record of {} it belongs to, and the one \
                 its {} names is not in the workspace",
                form.label.en, link.form, link.key
            ),
            format!(
                "记录 {key}（{}）随其所属的 {} 记录一并签字，而其 {} 所指的记录不在工作区中",
                form.label.zh, link.form, link.key
            ),
        ),
    })
}

/// Refuses a reopening of a child row that is not signed itself while its census object is:
/// the object is reopened at its root.
pub(in crate::review) fn reopened_at_root(
    work: &Work<'_>,
    form: &Form,
    record: i64,
    key: &str,
) -> Result<()> {
    let Some(root) = root_above(work, form, record)? else {
        return Ok(());
    };
    let signed = work.state(&root.form.name, root.record)?.locked
        || !work.signatures(&root.form.name, root.record)?.is_empty();
    if !signed {
        return Ok(());
    }
    Err(declined(
        format!(
            "record {key} is not signed on its own: its census object {} is signed, and is \
             reopened as a whole; reopen {}",
            root.key, root.key
        ),
        format!(
            "记录 {key} 不单独签字：签字的是其所属普查对象 {}，须整体重新打开；请重新打开 {}",
            root.key, root.key
        ),
    ))
}

/// Refuses a change of `field` of a child row to `value` that moves it under a record the
/// reviewer may not change: one that is not in the workspace, outside the reviewer's scope,
/// signed and locked, or taken up by another reviewer. Anything else passes.
pub(in crate::review) fn may_move(
    work: &Work<'_>,
    reviewer: &Reviewer,
    form: &Form,
    record: i64,
    key: &str,
    (field, value): (&str, &Datum),
) -> Result<()> {
    let Some(link) = &form.parent else {
        return Ok(());
    };
    if !link.key.eq_ignore_ascii_case(field) {
        return Ok(());
    }
    let shown = value.display();
    let label = form.field(field).map_or(field, |f| f.label.zh.as_str());
    let Some((to, rowid)) = work.root_under(form, value)? else {
        return Err(if value.is_null() {
            declined(
                format!(
                    "{field} of record {key} cannot be empty: every row of {} belongs to a \
                     record of {}",
                    form.name, link.form
                ),
                format!(
                    "记录 {key} 的{label}不能为空：{} 的每条记录都须属于一条 {} 记录",
                    form.name, link.form
                ),
            )
        } else {
            declined(
                format!(
                    "{field} of record {key} cannot be {shown}: it names a record of {} that \
                     is not in the workspace, and every row of {} belongs to one",
                    link.form, form.name
                ),
                format!(
                    "记录 {key} 的{label}不能改为 {shown}：工作区中没有该 {} 记录，而 {} 的每条记录都须属于一条 {} 记录",
                    link.form, form.name, link.form
                ),
            )
        });
    };
    if work
        .root(form, record)?
        .is_some_and(|(now, r)| now.name == to.name && r == rowid)
    {
        return Ok(());
    }
    let to_key = work.subject_key(to, rowid)?;
    let region = region(work, to, rowid)?;
    if !reviewer.covers(&region) {
        return Err(declined(
            format!(
                "moving record {key} to {shown} changes census object {to_key} (region \
                 {region}), which is outside your scope {}",
                reviewer.scope
            ),
            format!(
                "将记录 {key} 改到 {shown} 会改变普查对象 {to_key}（区划 {region}），其不在您的审核范围 {} 内",
                reviewer.scope
            ),
        ));
    }
    if let Some((en, zh)) = locked_by(work, &to.name, rowid)? {
        return Err(declined(
            format!(
                "moving record {key} to {shown} changes census object {to_key}, which is signed \
                 and locked (by {en}); reopen {to_key} with a reason first"
            ),
            format!(
                "将记录 {key} 改到 {shown} 会改变普查对象 {to_key}，该对象已签字锁定（签字：{zh}）；请先填写原因重新打开 {to_key}"
            ),
        ));
    }
    if let Some(claim) = work.claim_by_other(&to.name, rowid, &reviewer.name)? {
        let since = crate::review::messages::short_time(&claim.since);
        return Err(declined(
            format!(
                "moving record {key} to {shown} changes census object {to_key}, which {} is \
                 working on (since {since}); ask them to finish first",
                claim.reviewer
            ),
            format!(
                "将记录 {key} 改到 {shown} 会改变普查对象 {to_key}，{} 正在处理该对象（自 {since} 起）；请待其完成后再改",
                claim.reviewer
            ),
        ));
    }
    Ok(())
}
