//! Words the workflow's messages share.

use crate::domain::{EventKind, FieldType};

/// An event kind as a noun with its article, for messages.
pub fn action_noun(kind: EventKind) -> (&'static str, &'static str) {
    match kind {
        EventKind::Correct => ("a", "correction"),
        EventKind::Explain => ("an", "explanation"),
        EventKind::Note => ("a", "note"),
        EventKind::Sign => ("a", "signature"),
        EventKind::Reopen => ("a", "reopening"),
        EventKind::Undo => ("an", "undo"),
        EventKind::FixDismiss => ("a", "dismissal of a proposed fix"),
        EventKind::TakeOver => ("a", "take-over"),
        EventKind::Assign => ("an", "assignment"),
        EventKind::Policy => ("a", "policy change"),
        EventKind::ReviewerAdd => ("an", "enrolment"),
        EventKind::ReviewerChange => ("a", "change of reviewer"),
        EventKind::ReviewerRemove => ("a", "removal of a reviewer"),
        EventKind::Import => ("an", "import"),
        EventKind::RulesLoad => ("a", "rule set loaded"),
        EventKind::Check => ("a", "full check"),
        EventKind::Upgrade => ("an", "upgrade"),
    }
}

/// An event kind as a noun, in Chinese.
pub fn action_noun_zh(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Correct => "修正",
        EventKind::Explain => "说明",
        EventKind::Note => "备注",
        EventKind::Sign => "签字",
        EventKind::Reopen => "重新打开",
        EventKind::Undo => "撤销",
        EventKind::FixDismiss => "驳回修正建议",
        EventKind::TakeOver => "接管",
        EventKind::Assign => "分配",
        EventKind::Policy => "规则设置变更",
        EventKind::ReviewerAdd => "添加审核员",
        EventKind::ReviewerChange => "更改审核员",
        EventKind::ReviewerRemove => "移除审核员",
        EventKind::Import => "导入",
        EventKind::RulesLoad => "载入规则",
        EventKind::Check => "全面核查",
        EventKind::Upgrade => "升级",
    }
}

/// `2026-11-29T06:03:07.123Z` as `14:03 CST` (in huishen's zone, see
/// [`crate::domain::time`]), for messages: the trail keeps UTC, and a time is shown with its
/// zone so that nobody reads it in another.
pub fn short_time(at: &str) -> String {
    crate::domain::time::zone().clock(at)
}

/// What a field of the type holds, for messages.
pub(super) fn type_words(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Text => "text",
        FieldType::Code => "a code",
        FieldType::Integer => "a whole number",
        FieldType::Real => "a number",
        FieldType::Bool => "yes or no (1/0)",
    }
}

/// What a field of the type holds, in Chinese.
pub(super) fn type_words_zh(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Text => "文本",
        FieldType::Code => "代码",
        FieldType::Integer => "整数",
        FieldType::Real => "数值",
        FieldType::Bool => "是或否（1/0）",
    }
}
