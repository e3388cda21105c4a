//! The catalogue of everything the screen says, in English and Chinese (the command line's
//! sentences are in [`super::cmd`], made by the same macros).
//!
//! Each entry is a function: `say::queue(lang)` for a word, `say::took_over(lang, from)` for
//! a sentence with arguments, always the language first. The two templates name the arguments,
//! so each language puts them where its grammar wants them.

use huishen_core::domain::{EventKind, Localized, Severity};

use super::Lang;

// A prefecture of another province on the dashboard.
sentences! {
    outside_province(code: &str) = "{code} outside", "{code}（省外）";
}

// A county of another province in the queue's county column.
words! {
    outside_county = "out", "省外";
}

// The demo's team in the help.
sentences! {
    demo_member(role: &str, scope: &str, passphrase: &str) =
        "{role}, scope {scope}, passphrase {passphrase}", "{role}，范围 {scope}，口令 {passphrase}";
    demo_second_terminal(command: &str) = "In a second terminal: {command}", "在另一个终端：{command}";
}

// A flag's detail window: its own file, after the macros it uses.
mod flag;
pub use flag::*;

// The top bar and the status line.
words! {
    filters_cleared = "Search and filters cleared; the cursor stays on its record",
        "已清除搜索和筛选，光标仍在原记录上";
    marks_cleared = "Marks cleared", "已清除标记";
    filter_mine = "mine", "我的任务";
    filter_none = "none", "无";
    hint_next_record = "next record", "下一条";
    hint_next_field = "next field", "下一指标";
    hint_next_flag = "next flag", "下一规则";
    hint_next_error = "next error", "下一个错误";
    hint_search = "search", "搜索";
    hint_filter = "filter", "筛选";
    hint_help = "help", "帮助";
    hint_quit = "quit", "退出";
    hint_pane = "pane", "切换窗格";
    hint_language = "English/中文", "中文/English";
}

sentences! {
    top_title(file: &str, form: &str) = " 会审 huishen │ {file} · {form}", " 会审 huishen │ {file} · {form}";
    top_reviewer(name: &str) = "reviewer {name}", "审核员 {name}";
    top_filter(filter: &str) = "filter: {filter}", "筛选： {filter}";
    top_progress(signed: u64, flagged: u64, open: u64) =
        "signed {signed}/{flagged} · open {open} ", "已签 {signed}/{flagged} · 待审 {open} ";
    quoted(text: &str) = "“{text}”", "“{text}”";
}

// Severities and outcomes.
words! {
    error = "error", "错误";
    warning = "warning", "提示";
    missing = "missing", "缺失";
    not_evaluable = "not evaluable", "无法计算";
    failing = "failing", "未通过";
    fixed = "fixed", "已修正";
    explained = "explained", "已说明";
}

// The panes.
words! {
    queue = "Queue", "待审队列";
    column_key = "Key", "记录号";
    column_name = "Name", "单位名称";
    column_county = "County", "区县";
    column_count = "#", "问题";
    no_record_matches = "No record matches.", "没有符合条件的记录。";
    record = "Record", "记录";
    locked = "locked", "已锁定";
    ready_to_sign = "ready to sign", "可签字";
    flagged = "flagged", "待审";
    flags = "Flags", "审核结果";
    no_flag_on_field = "No rule flags this field.", "此指标没有审核问题。";
    no_flags = "No flags.", "没有审核问题。";
    too_small = "The terminal is too small for huishen", "终端窗口太小，无法显示 huishen";
}

sentences! {
    queue_title(at: u64, count: u64) = " Queue {at}/{count} ", " 待审队列 {at}/{count} ";
    signed_of(signed: usize, required: i64) = "signed {signed}/{required}", "已签字 {signed}/{required}";
    is_on_record(reviewer: &str) = " · {reviewer} is on this record", " · {reviewer} 正在处理";
    record_title(key: &str, state: &str) = " Record {key} · {state} ", " 记录 {key} · {state} ";
    flags_of(field: &str) = " Flags · {field} ", " 审核结果 · {field} ";
    size_needed(width: u16, height: u16, min_width: u16, min_height: u16) =
        "It is {width}×{height}; it needs at least {min_width}×{min_height}",
        "当前 {width}×{height}; 至少需要 {min_width}×{min_height}";
}

// Windows: help, filter, editors, history, take over. Hints name the keys in force.
words! {
    help_title = "Keys", "按键说明";
    any_other_key_closes = "any other key closes", "其他任意键关闭";
    any_other_key_cancels = "any other key cancels", "其他任意键取消";
    hint_scroll = "scroll", "滚动";
    hint_close = "close", "关闭";
    hint_choose = "choose", "选择";
    hint_change = "change", "更改";
    hint_apply = "apply", "应用";
    hint_cancel = "cancel", "取消";
    hint_save = "save", "保存";
    hint_next_reason = "next: the reason", "下一步：原因";
    hint_choose_reason = "choose a reason", "选择原因";
    hint_new_line = "Enter new line", "回车换行";
    hint_take_over = "take over", "接管";
    newest_first = "newest first", "最新在前";
    all = "all", "全部";
    filter_title = "Filter", "筛选";
    filter_severity = "Severity", "严重程度";
    filter_rule = "Rule", "审核规则";
    filter_region = "Region", "区划";
    filter_outcome = "Outcome", "结果";
    filter_impact = "Impact", "影响";
    filter_standing = "Review", "审核进度";
    marks_title = "Marks in the queue", "待审队列中的标记";
    demo_team_title = "The demo's team", "演示审核组";
    everywhere = "everywhere", "全省";
    mark_error = "an error to correct", "有错误待修正";
    mark_warning = "a warning to correct or explain", "有警告待修正或说明";
    mark_ready = "ready to sign: nothing left to correct or explain", "可签字：无待修正或说明的问题";
    mark_signed_once = "signed, waiting for more signatures", "已签字，待其余签字";
    mark_locked = "signed off and locked", "已审毕并锁定";
    mark_marked = "marked for a bulk action", "已标记，待批量操作";
    filter_region_hint = " Region: type a name or a code (济南, 历下, 3701, 370102)",
        " 区划：输入名称或代码（济南、历下、3701、370102）";
    new_value = "New value:", "新值：";
    new_value_then = "New value: ", "新值：";
    reason = "Reason:", "修正原因：";
    another_reason = "Another reason (type it):", "其他原因（请输入）：";
    note_title = "Note", "备注";
    reopen_title = "Reopen: why?", "重新打开的原因";
    nothing_done_yet = "Nothing has been done to this record yet.", "该记录尚无操作。";
    take_over_title = "Take over", "接管";
    sign_title = "Sign", "签字";
    hint_sign = "sign", "签字";
}

// The question before a signature.
sentences! {
    sign_what(key: &str, name: &str) = "Sign record {key} {name}?", "确定为记录 {key} {name} 签字吗？";
    sign_as(name: &str, role: &str) = "You sign as {name} ({role}).", "您以 {name}（{role}）的身份签字。";
    sign_locks(nth: i64, required: i64) =
        "Signature {nth} of {required}: it signs the record off and locks it.",
        "第 {nth} 个签字（共需 {required} 个）：签字后记录审核完毕并锁定。";
    sign_leaves(nth: i64, required: i64) =
        "Signature {nth} of {required}: the record stays open for the signatures still needed.",
        "第 {nth} 个签字（共需 {required} 个）：记录仍待其余签字。";
    signed_before(who: &str) = "Signed before you: {who}.", "已签字：{who}。";
    // One who signed, in a list of them.
    signer(who: &str, role: &str) = "{who} ({role})", "{who}（{role}）";
}

// Between the items of a list in running text.
words! {
    list_separator = ", ", "、";
}

sentences! {
    correct_title(label: &str, field: &str, now: &str, unit: &str) =
        "Correct {label} ({field}) · now {now} {unit}", "修正 {label} ({field}) · 当前 {now} {unit}";
    explain_title(rule: &str, title: &str) = "Explain {rule} · {title}", "说明 {rule} · {title}";
    history_title(key: &str) = "History of {key}", "操作历史：{key}";
    take_over_question(from: &str, key: &str) =
        "{from} is working on {key}. Take it over? (recorded in the audit trail)",
        "{from} 正在处理 {key}。确定接管吗？（将记入审计日志）";
}

// History lines.
sentences! {
    did_correct(field: &str, old: &str, new: &str, reason: &str) =
        "corrected {field}: {old} → {new} ({reason})", "修正{field}：{old} → {new}（{reason}）";
    did_explain(rule: &str, text: &str) = "explained {rule}: {text}", "说明 {rule}：{text}";
    did_note(text: &str) = "note: {text}", "备注：{text}";
    did_sign(role: &str) = "signed ({role})", "签字（{role}）";
    did_reopen(reason: &str) = "reopened: {reason}", "重新打开：{reason}";
    did_undo(event: &str) = "undid #{event}", "撤销 #{event}";
    did_take_over(from: &str) = "took the record over from {from}", "从 {from} 处接管此记录";
    void_since(event: i64) = " [void since #{event}]", "［已作废，见 #{event}］";
    undone_by(event: i64) = " [undone by #{event}]", "［已撤销，见 #{event}］";
}

// Messages after an action, and refusals before one.
words! {
    no_record_selected = "No record is selected", "没有选中的记录";
    no_assignments = "You have no assignments: the queue shows every record",
        "您没有分配任务：队列显示全部记录";
    nobody_else_on_record = "Nobody else is working on this record", "没有其他审核员在处理此记录";
    errors_not_explained = "Errors must be corrected, not explained", "强制性错误必须修正，不能说明";
    no_warning_to_explain = "No open warning to explain on this record", "该记录没有待说明的提示性问题";
    not_signed = "The record is not signed", "该记录尚未签字";
    signed = "Signed", "已签字";
    signed_and_locked = "Signed; the record is locked", "已签字，记录已锁定";
    note_added = "Note added", "已添加备注";
    reopened = "Reopened; its signatures are void", "已重新打开，原签字作废";
    value_unchanged = "The value is unchanged", "数值未改变";
    reason_needed = "A correction needs a reason", "修正必须填写原因";
    warnings_only = "The filter shows warnings only", "当前筛选只显示提示";
    no_further_error = "No further record with an error", "后面没有有错误的记录";
    no_earlier_error = "No earlier record with an error", "前面没有有错误的记录";
}

sentences! {
    locked_reopen_first(key: &str) =
        "The record is signed and locked; reopen it ({key}) with a reason first",
        "该记录已签字锁定；请先填写原因重新打开（{key}）";
    choose_field_first(key: &str) =
        "Choose the field to correct, then press {key} again", "请选择要修正的指标，再按 {key}";
    taken_over_by(who: &str) =
        "{who} took this record over from you; your claim on it has ended",
        "{who} 已接管此记录，您对它的认领已结束";
    took_over(from: &str) = "You took the record over from {from}", "您已接管此记录，原审核员：{from}";
    no_region(typed: &str) = "No prefecture or county matches “{typed}”", "没有匹配的地市或区县：“{typed}”";
    undone(kind: &str) = "Undone: {kind}", "已撤销：{kind}";
    corrected_fixed(rules: &str) = " · fixed: {rules}", " · 已解决：{rules}";
    corrected_new(rules: &str) = " · new: {rules}", " · 新问题：{rules}";
    explained_rule(rule: &str) = "Explained {rule}", "已说明 {rule}";
}

// The dashboard.
words! {
    dashboard_loading = "Reading the figures…", "正在读取统计数据……";
    signed_label = "Signed", "已签字";
    ready_label = "Ready", "可签字";
    open_label = "Open", "待处理";
    by_prefecture = " By prefecture ", " 各地市进度 ";
    column_region = "Region", "地市";
    column_signed = "signed", "已签";
    column_ready = "ready", "可签";
    column_flagged = "flagged", "疑问";
    column_progress = "progress", "进度";
    column_reviewer = "Reviewer", "审核员";
    column_role = "Role", "角色";
    column_signatures = "signed", "签字";
    column_corrections = "corrections", "更正";
    column_explanations = "explanations", "说明";
    column_corrections_short = "corr.", "更正";
    column_explanations_short = "expl.", "说明";
    no_reviewers = "No reviewers yet.", "尚无审核员。";
    hours_ago = "-24 h", "24 小时前";
    now = "now", "现在";
    rules_first_and_now = " Rules: first check │ failing now ", " 各规则：首次审核 │ 当前未通过 ";
    rules_none_flagged = "No rule flagged anything.", "没有规则标记任何记录。";
    rules_corrected_explained = " Rules: corrected │ explained ", " 各规则：已更正 │ 已说明 ";
    rules_none_worked = "Nothing is corrected or explained yet.", "尚无更正或说明。";
}

sentences! {
    dashboard_title(form: &str, at: &str) =
        " 会审 huishen │ Dashboard · {form} · as of {at}", " 会审 huishen │ 审核进度 · {form} · 截至 {at}";
    dashboard_failed(error: &str) = "The figures could not be read: {error}", "无法读取统计数据：{error}";
    progress_title(flagged: u64, records: u64) =
        " Progress · {flagged} of {records} flagged ", " 总体进度 · {records} 条中 {flagged} 条有疑问 ";
    more_regions(more: usize) = "… {more} more (status --by region)", "… 另有 {more} 个（status --by region）";
    today_title(since: &str) = " Today · since {since} ", " 今日工作 · 自 {since} 起 ";
    signatures_title(total: u64) =
        " Signatures per hour, last 24 h · {total} ", " 近 24 小时每小时签字 · 共 {total} ";
    most_per_hour(max: u64) = "max {max}/h", "最多 {max}/时";
    more_rules(more: usize) = " +{more} more: huishen status --by rule ", " 另有 {more} 条：huishen status --by rule ";
}

// The dashboard's dataset rules.
words! {
    datasets_title = " Dataset rules · one verdict per form or group ", " 数据集规则 · 每表或每组一个结论 ";
}

sentences! {
    dataset_passes(rule: &str, items: u64) = "{rule} ✓ {items}/{items} pass", "{rule} ✓ {items} 项全部通过";
    dataset_failing(rule: &str, fails: u64, items: u64, groups: &str) =
        "{rule} ✗ {fails}/{items} failing: {groups}", "{rule} ✗ {items} 项中 {fails} 项未通过：{groups}";
    dataset_missing(missing: u64) = " · {missing} missing", " · {missing} 项缺失";
    dataset_no_verdict(rule: &str, why: &str) = "{rule} no verdict: {why}", "{rule} 无结论：{why}";
    more_datasets(more: usize) = " +{more} more: huishen status --by rule ", " 另有 {more} 条：huishen status --by rule ";
}

// The README's key table.
words! {
    keys_heading = "Keys", "按键";
    action_heading = "Action", "操作";
}

/// A correction done, with the field's label in the language: "Corrected SO2 emitted",
/// "已修正 二氧化硫排放量".
pub fn corrected(lang: Lang, field: &Localized) -> String {
    match lang {
        Lang::En => format!("Corrected {}", field.en),
        Lang::Zh => format!("已修正 {}", field.zh),
    }
}

/// What an event did, as a noun: "Undone: correction", "已撤销：修正".
/// A severity in the language: error (错误) or warning (提示).
pub fn severity(lang: Lang, s: Severity) -> &'static str {
    match s {
        Severity::Error => error(lang),
        Severity::Warning => warning(lang),
    }
}

pub fn action(lang: Lang, kind: EventKind) -> &'static str {
    let (en, zh) = match kind {
        EventKind::Correct => ("correction", "修正"),
        EventKind::Explain => ("explanation", "说明"),
        EventKind::Note => ("note", "备注"),
        EventKind::Sign => ("signature", "签字"),
        EventKind::Reopen => ("reopening", "重新打开"),
        EventKind::Undo => ("undo", "撤销"),
        EventKind::FixDismiss => ("dismissal of a proposed fix", "驳回修正建议"),
        EventKind::TakeOver => ("take-over", "接管"),
        EventKind::Assign => ("assignment", "分配"),
        EventKind::Policy => ("policy change", "规则设置变更"),
        EventKind::ReviewerAdd => ("enrolment", "添加审核员"),
        EventKind::ReviewerChange => ("change of reviewer", "更改审核员"),
        EventKind::ReviewerRemove => ("removal of a reviewer", "移除审核员"),
        EventKind::Import => ("import", "导入"),
        EventKind::RulesLoad => ("rule set loaded", "载入规则"),
        EventKind::Check => ("full check", "全面核查"),
        EventKind::Upgrade => ("upgrade", "升级"),
    };
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// An error from the core as the screen says it: in Chinese where the core has it so.
pub fn failure(lang: Lang, error: &huishen_core::Error) -> String {
    match lang {
        Lang::En => error.to_string(),
        Lang::Zh => error.in_chinese(),
    }
}

/// A typed value that does not fit its field, with why (the core gives the reason in English;
/// the Chinese screen says it in Chinese).
pub fn not_a_value(lang: Lang, text: &str, why: &str) -> String {
    match lang {
        Lang::En => format!("“{text}” {why}"),
        Lang::Zh => format!("“{text}”{}", huishen_core::domain::value::why_zh(why)),
    }
}

// Selective review: scores, proposed fixes and bulk actions.
words! {
    no_proposal = "no fix is proposed for this record", "该记录没有待处理的修正建议";
    bulk_title = " Bulk action: preview ", " 批量操作：预览 ";
    bulk_explain_title = " One explanation for every record listed (the warnings of the filter's rule, or all of each record's) ", " 对列出的全部记录统一说明（筛选规则的提示性问题，或各记录全部待说明问题） ";
    hint_bulk_confirm = "do it", "执行";
    proposal_keys = "accept", "接受";
    proposal_dismiss = "dismiss", "驳回";
    dismissed = "dismissed", "已驳回";
    column_score = "Score", "评分";
    by_score = "by score", "按评分";
    nothing_to_do = "nothing to do: every record listed would be refused", "无可执行：列出的记录均会被拒绝";
}

sentences! {
    fix_accepted(fix: &str) = "fix {fix} accepted", "已接受修正建议 {fix}";
    fix_dismissed(fix: &str) = "fix {fix} dismissed", "已驳回修正建议 {fix}";
    bulk_done(done: usize, refused: usize, batch: &str) = "done on {done} records ({refused} refused as they changed meanwhile); batch {batch}, u undoes it as one", "已处理 {done} 条记录（{refused} 条因期间被修改而拒绝）；批次 {batch}，按 u 可整批撤销";
    batch_undone(records: usize, left: usize) = "batch undone on {records} records ({left} left as they are: acted on since)", "已整批撤销 {records} 条记录（{left} 条此后又有操作，保持原样）";
    bulk_summary(selected: usize, ready: usize, refused: usize) = "{selected} records listed: {ready} would be done, {refused} refused", "列出 {selected} 条记录：将处理 {ready} 条，拒绝 {refused} 条";
    resolves(rules: &str) = "resolves {rules}", "解决 {rules}";
    opens(rules: &str) = "opens {rules}", "新增 {rules}";
}

/// What the queue is ordered by, said when it changes.
pub fn ordered_by(lang: Lang, by_score: bool) -> &'static str {
    match (lang, by_score) {
        (Lang::En, true) => "queue ordered by score: the records that move the totals most first",
        (Lang::Zh, true) => "队列按影响评分排序：对总量影响最大的记录在前",
        (Lang::En, false) => "queue ordered by severity",
        (Lang::Zh, false) => "队列按严重程度排序",
    }
}

/// A bulk action as a verb.
pub fn bulk_verb(lang: Lang, action: &huishen_core::review::BulkAction) -> &'static str {
    use huishen_core::review::BulkAction;
    match (action, lang) {
        (BulkAction::Explain { .. }, Lang::En) => "explain",
        (BulkAction::Explain { .. }, Lang::Zh) => "说明",
        (BulkAction::Accept { .. }, Lang::En) => "accept the proposed fixes",
        (BulkAction::Accept { .. }, Lang::Zh) => "接受修正建议",
        (BulkAction::Sign, Lang::En) => "sign",
        (BulkAction::Sign, Lang::Zh) => "签字",
    }
}

sentences! {
    located_fields(rules: &str, fields: &str) = "to satisfy {rules} change: {fields}", "要满足 {rules}，应修改：{fields}";
    located_contradictory(rules: &str) = "{rules} cannot all hold whatever the number fields", "无论如何修改数值指标，{rules} 都不能同时满足";
}

/// Where records stand in the review, as the filter names it.
pub fn standing_name(lang: Lang, standing: &huishen_core::review::Standing) -> &'static str {
    use huishen_core::review::Standing;
    match (standing, lang) {
        (Standing::ReadyFor(_), Lang::En) => "ready for my signature",
        (Standing::ReadyFor(_), Lang::Zh) => "待我签字",
        (Standing::Ready, Lang::En) => "ready to sign",
        (Standing::Ready, Lang::Zh) => "可签字",
        (Standing::SignedOnce, Lang::En) => "signed, not yet signed off",
        (Standing::SignedOnce, Lang::Zh) => "已签字、未审毕",
        (Standing::Locked, Lang::En) => "signed off (locked)",
        (Standing::Locked, Lang::Zh) => "已审毕（锁定）",
        (Standing::ClaimedBy(_), Lang::En) => "claimed by me",
        (Standing::ClaimedBy(_), Lang::Zh) => "我正在处理",
    }
}

/// A record's impact as the filter names it.
pub fn impact_name(lang: Lang, impact: huishen_core::review::Impact) -> &'static str {
    use huishen_core::review::Impact;
    match (impact, lang) {
        (Impact::High, Lang::En) => "high (score at or above the threshold)",
        (Impact::High, Lang::Zh) => "高（评分达到阈值）",
        (Impact::Low, Lang::En) => "low",
        (Impact::Low, Lang::Zh) => "低",
        (Impact::Unscored, Lang::En) => "cannot be scored",
        (Impact::Unscored, Lang::Zh) => "无法评分",
    }
}

sentences! {
    dashboard_pace(rate: f64, left: u64, hours: f64) = "pace {rate}/h · {left} left · {hours:.0} h to go", "{rate}条/时 · 剩{left}条 · 约{hours:.0}小时";
    dashboard_no_pace(left: u64) = "none signed off in 8 h · {left} left", "8小时内无签核 · 剩{left}条";
    dashboard_scores(pct: f64, high: u64, proposals: u64) = "score {pct}% signed · {high} high left · {proposals} fixes", "评分已签{pct}% · 高影响剩{high} · 建议{proposals}";
    dashboard_due(groups: u64) = " · {groups} groups rescoring", " · {groups}组评分更新中";
}

words! {
    search_covers = "the start of a key, or any part of a name; the queue lists flagged records",
        "记录号开头或单位名称任意部分；队列只列有问题的记录";
}

words! {
    search_called_off = "Search called off", "已取消搜索";
}

sentences! {
    searching(text: &str) = "searching “{text}”…", "正在搜索“{text}”…";
    unflagged_one(text: &str, key: &str) =
        "“{text}” finds {key}, which no rule flagged: it is not in the queue",
        "“{text}”找到 {key}，但没有审核规则标出它，所以不在待审队列中";
    unflagged_many(text: &str, n: u64, keys: &str) =
        "“{text}” finds {n} records no rule flagged, not in the queue: {keys}",
        "“{text}”找到 {n} 条没有审核问题的记录，不在待审队列中：{keys}";
    unflagged_more(text: &str, keys: &str) =
        "“{text}” finds more than 1,000 records no rule flagged, not in the queue: {keys}",
        "“{text}”找到超过 1000 条没有审核问题的记录，不在待审队列中：{keys}";
}

sentences! {
    marked(n: usize) = "{n} records marked for a bulk action (B, F, S); Esc clears the marks", "已标记 {n} 条记录，可批量操作（B、F、S）；Esc 清除标记";
    marked_count(n: usize) = "{n} marked", "已标记 {n}";
}

// A census object of many forms in the record pane.
words! {
    no_row_here = "put the cursor on a row below the fields (a boiler, say) to open it", "请将光标移到指标下方的下级记录（如锅炉）再打开";
}

sentences! {
    child_heading(form: &str, n: usize) = "── {form} · {n} ──", "── {form} · {n}条 ──";
    row_title(object: &str, form: &str, key: &str, state: &str) = " {object} › {form} {key} · {state} ", " {object} › {form} {key} · {state} ";
    row_open_flags(n: usize) = "{n} open flags", "待审问题{n}条";
    row_back(key: &str, object: &str) = "{key}: back to {object}", "{key} 返回 {object}";
}
