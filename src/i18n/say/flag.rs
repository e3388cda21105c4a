//! What a flag's detail window says (and the flags pane about it). Its own file, included by
//! the catalogue after its macros, so that the window's words stay together.

use super::Lang;

words! {
    no_flag_here = "no flag here: move to a flag in the flags pane", "此处没有问题：请在问题窗格中选择一条";
    flag_gone = "that flag is no longer on the record; the record was read again", "该问题已不在此记录上，记录已重新读取";
    fd_as_written = "Rule as written", "规则原文";
    fd_when = "when", "适用条件";
    fd_check = "check", "审核条件";
    fd_related = "related", "关联记录";
    fd_always = "— (applies to every record)", "—（适用于所有记录）";
    fd_reads = "What it reads on this record", "本记录中读取的指标";
    fd_reads_nothing = "no field of this record (what it reads could not be learned)", "未读取本记录指标（无法得知其读取内容）";
    fd_compares = "What it compares, computed on this record", "比较的数值（按本记录计算）";
    fd_not_computed = "could not be computed", "无法计算";
    fd_group = "group", "分组";
    fd_value = "value", "数值";
    fd_where = "where", "条件";
    fd_this_record = "(this record)", "（本记录）";
    fd_counted = "this record counts in its group", "本记录计入所在组";
    fd_not_counted = "this record does not count in its group", "本记录不计入所在组";
    fd_no_figures = "its group has no figures (no record of it counts)", "所在组无统计数值（组内无计入记录）";
    fd_no_quartiles = "quartiles not computed (nothing reads them)", "未计算四分位数（无规则读取）";
    fd_median = "median", "中位数";
    fd_mean = "mean", "均值";
    fd_sum = "sum", "合计";
    fd_no_rows = "no rows", "无下级记录";
    fd_related_alone = "no other record shares it", "没有其他记录与之相同";
    fd_related_none = "this record has no value of it, so it relates to no other record", "本记录此项为空，不与其他记录关联";
    fd_localisation = "Error localisation", "错误定位";
    fd_located_over_budget = "localisation stopped at its budget before it could name the fields", "错误定位超出计算上限，未能给出指标";
    fd_proposals = "Proposed fix", "修正建议";
    fd_history = "History on this record", "本记录上的历史";
    fd_resolved = "the rule passes again: resolved", "规则重新通过：已解决";
    fd_since_undone = " — undone since", " ——已撤销";
}

sentences! {
    fd_title(rule: &str, key: &str) = "Why {rule} flagged {key}", "{key} 为何触发 {rule}";
    fd_lines_shown(from: usize, to: usize, total: usize) = "lines {from}–{to} of {total}", "第 {from}–{to} 行，共 {total} 行";
    fd_hint(hint: &str) = "Hint: {hint}", "提示：{hint}";
    fd_peers(name: &str) = "Peer group figures: {name}", "同组统计：{name}";
    fd_columns_read(table: &str, columns: &str) = "the rule reads {table}: {columns}", "规则读取 {table}：{columns}";
    fd_linked(form: &str, shown: usize, total: usize) = "Rows of {form} it reads ({shown} of {total})", "读取的{form}（{total} 条中的 {shown} 条）";
    fd_related_records(expr: &str, value: &str, shown: usize, total: usize) = "Other records with {expr} = {value} ({shown} of {total})", "{expr} = {value} 的其他记录（{total} 条中的 {shown} 条）";
    fd_more_rows(n: usize) = "… and {n} more", "……另有 {n} 条";
    fd_unlinked(form: &str, fields: &str) = "It also reads {form} beyond this object: {fields}", "另读取本对象以外的{form}：{fields}";
    fd_located_fields(fields: &str, weight: &str) = "to satisfy it with the record's other linear rules change: {fields} (weight {weight})", "要同时满足本记录的其他线性规则，应修改：{fields}（权重 {weight}）";
    fd_left_out(construct: &str) = "localisation leaves this rule out: it is not linear ({construct})", "错误定位不处理此规则：非线性（{construct}）";
    fd_opened(outcome: &str) = "flagged ({outcome})", "触发（{outcome}）";
    fd_opened_by_check(outcome: &str, by: &str) = "flagged ({outcome}) by {by}'s full check", "{by} 运行全面核查时触发（{outcome}）";
    fd_opened_by_action(outcome: &str, action: &str, by: &str, on: &str) = "flagged ({outcome}) by the re-check after {by}'s {action}{on}", "{by} 的{action}{on}重新审核后触发（{outcome}）";
    fd_on_row(key: &str) = " on {key}", "（{key}）";
    fd_corrected(by: &str, field: &str, old: &str, new: &str, reason: &str) = "{by} corrected {field}: {old} → {new} ({reason})", "{by} 修正 {field}：{old} → {new}（{reason}）";
    fd_explained(by: &str, text: &str) = "{by} explained: {text}", "{by} 说明：{text}";
    fd_undid(by: &str, what: &str) = "{by} undid the {what}", "{by} 撤销了{what}";
}
