//! The catalogue of what the command line says, in English and Chinese: the same macros as the
//! screen's [`super::say`], each entry a function of the language first. The command line picks
//! its language once (`--lang`, then `HUISHEN_LANG`, then `LC_ALL` / `LC_MESSAGES` / `LANG`).

use super::Lang;

mod commands;
mod verify;

pub use commands::*;
pub use verify::*;

// Any command.
words! {
    error_prefix = "error: ", "错误：";
    none = "none", "无";
}

// Passphrases.
words! {
    nothing_opened = "nothing was opened", "未打开任何内容";
    nothing_done = "nothing was done", "未做任何操作";
    nothing_changed = "nothing was changed", "未作任何改动";
    no_workspace_made = "no workspace was made", "未建立工作区";
    same_passphrase_again = "the same passphrase again: ", "再输入一遍同一口令：";
}

sentences! {
    passphrase_for(who: &str) = "passphrase for {who}: ", "{who} 的口令：";
    new_passphrase_for(who: &str) = "new passphrase for {who}: ", "{who} 的新口令：";
    no_passphrase(undone: &str) =
        "no passphrase given: the input ended before one was typed; {undone}. Type it at \
         the prompt, or give it as a line of standard input",
        "未给出口令：输入在键入口令之前已结束，{undone}。请在提示处键入，或作为标准输入的一行给出";
    no_passphrase_for(who: &str, undone: &str) =
        "no passphrase given for {who}: the input ended before one was typed; {undone}. \
         Type it at the prompt, or give it as a line of standard input",
        "未给出 {who} 的口令：输入在键入口令之前已结束，{undone}。请在提示处键入，或作为标准输入的一行给出";
    cannot_read_passphrase(reason: &str) = "cannot read the passphrase: {reason}", "无法读取口令：{reason}";
    wrong_three_times(who: &str, undone: &str) =
        "wrong passphrase for {who} three times; {undone}", "{who} 的口令连续三次不对，{undone}";
    passphrases_differ(undone: &str) = "the two passphrases differ; {undone}", "两次输入的口令不一致，{undone}";
}

/// A wrong passphrase and the tries left.
pub fn tries_left(lang: Lang, left: u64) -> String {
    match (lang, left) {
        (Lang::En, 1) => "wrong passphrase; 1 try left".to_string(),
        (Lang::En, n) => format!("wrong passphrase; {n} tries left"),
        (Lang::Zh, n) => format!("口令不对；还可再试 {n} 次"),
    }
}

// `huishen check`.
words! {
    check_rule = "rule", "规则";
    check_severity = "severity", "严重程度";
    check_items = "items", "条数";
    check_passes = "passes", "通过";
    check_fails = "fails", "未通过";
    check_missing = "missing", "缺失";
    check_not_applicable = "n/a", "不适用";
    check_errors = "errors", "出错";
    check_total = "total", "合计";
    check_datasets = "dataset rules (one verdict on a form, or one per group of records)",
        "数据集规则（每张表一个结论，或每组记录一个结论）";
    check_the_form = "the form", "全表";
    whole_form = "one verdict on the form", "全表一个结论";
    records_one = "1 record", "1 条记录";
    check_figure_separator = "; ", "；";
    check_figures_start = ": ", "：";
    check_group_fails = "fails", "未通过";
    check_group_missing = "is missing (NULL)", "缺失";
}

sentences! {
    checking(rule: &str, at: usize, all: usize) = "checking {rule} ({at}/{all})", "正在核查 {rule}（{at}/{all}）";
    check_runtime_error(rule: &str, record: &str, message: &str) =
        "rule {rule} could not be evaluated for record {record}: {message}",
        "规则 {rule} 无法对记录 {record} 计算：{message}";
    check_over_budget(rule: &str, why: &str, raise: &str) =
        "rule {rule} was stopped: it {why}; its flags are as they were. Make it cheaper{raise}",
        "规则 {rule} 已被中止：{why}；其审核结果保持原样。请简化该规则{raise}";
    check_group_verdict(rule: &str, group: &str, outcome: &str, records: &str, figures: &str) =
        "  {rule} {group} {outcome} ({records}){figures}",
        "  {rule} {group} {outcome}（{records}）{figures}";
    records_many(n: u64) = "{n} records", "{n} 条记录";
    check_dataset_problem(rule: &str, why: &str) =
        "  {rule} gave no verdict: {why}",
        "  {rule} 未能得出结论：{why}";
    dataset_summary(rule: &str, severity: &str, items: u64, fails: u64, missing: u64, title: &str) =
        "{rule} {severity}: {fails} of {items} failing, {missing} missing · {title}",
        "{rule} {severity}：{items} 项中 {fails} 项未通过、{missing} 项缺失 · {title}";
    per_group(group: &str) = "one verdict per {group}", "每个 {group} 一个结论";
    check_or_raise(setting: &str) = ", or raise {setting}", "，或调高 {setting}";
    check_unsettled(rules: &str) =
        "reviewers kept correcting what {rules} read while the check merged them: their flags \
         stand as the reviewers' re-checks left them; check them again in a quieter moment \
         (huishen check --rule ID)",
        "核查合并期间审核员一直在修正 {rules} 读取的数据：其审核结果保持审核员重新核查后的状态；请在空闲时再核查一次（huishen check --rule ID）";
    check_summary(set: &str, opened: u64, resolved: u64) =
        "rule set {set}: {opened} flags opened, {resolved} resolved",
        "规则集 {set}：新增 {opened} 条审核问题，解决 {resolved} 条";
}

words! {
    counting_figures = "counting the figures", "正在统计";
}

// `huishen import`.
sentences! {
    importing(file: &str) = "importing {file}", "正在导入 {file}";
    rows(rows: u64) = "{rows} rows", "{rows} 行";
    per_second(rows: u64) = "{rows} rows/s", "每秒 {rows} 行";
    time_left(time: &str) = "{time} left", "还需 {time}";
    seconds(s: u64) = "{s} s", "{s} 秒";
    minutes(m: u64, s: &str) = "{m} min {s} s", "{m} 分 {s} 秒";
    exporting(file: &str) = "exporting to {file}", "正在导出到 {file}";
    writing_report(file: &str) = "writing the report to {file}", "正在写出报告到 {file}";
    imported(rows: u64, form: &str, file: &str, encoding: &str, sha: &str) =
        "imported {rows} records into {form} from {file} ({encoding}, sha256 {sha})",
        "已从 {file} 向 {form} 导入 {rows} 条记录（{encoding}，sha256 {sha}）";
    set_aside(rejected: u64, file: &str) =
        "set aside {rejected} bad rows with their reasons in {file}",
        "有误的 {rejected} 行及其原因已另存于 {file}";
    read_as_missing(tokens: &str) =
        "read as no value: {tokens}",
        "视为无值：{tokens}";
    token_cells(token: &str, cells: u64) = "“{token}” ×{cells}", "“{token}” ×{cells}";
    bad_delimiter(given: &str) =
        "`{given}` cannot separate fields: give one ASCII character other than a quote or a line break, or `tab`",
        "`{given}` 不能作分隔符：请给出引号和换行以外的一个 ASCII 字符，或 `tab`";
}

// `huishen check --fail-on`.
sentences! {
    failing_rules(count: usize, rules: &str) =
        "{count} rules of the --fail-on severity have failing records or groups: {rules}",
        "有 {count} 条达到 --fail-on 严重程度的规则有未通过的记录或分组：{rules}";
}

// `huishen man`.
sentences! {
    not_a_folder(dir: &str) =
        "{dir} is not a folder; give --out an existing folder for the pages",
        "{dir} 不是文件夹；请为 --out 指定一个已有的文件夹";
    cannot_write(file: &str, why: &str) = "cannot write {file}: {why}", "无法写入 {file}：{why}";
    man_written(pages: usize, dir: &str) =
        "wrote {pages} manual pages to {dir}",
        "已把 {pages} 个手册页写入 {dir}";
}

// `huishen export`.
words! {
    what_records = "records", "条记录";
    what_corrections = "corrections", "条修正";
    what_flags = "flags", "条审核结果";
    what_signatures = "signatures", "个签字";
    what_notes = "notes", "条备注";
    what_tables = "rows (records, corrections, flags, signatures, notes)", "行（记录、修正、审核结果、签字、备注）";
}

sentences! {
    exported(rows: u64, what: &str, form: &str, file: &str, how: &str) =
        "exported {rows} {what} of {form} to {file} ({how})",
        "已将 {form} 的 {rows} {what}导出到 {file}（{how}）";
    wrote_report(file: &str) = "wrote the review report to {file}", "审核报告已写入 {file}";
}

// `huishen status`.
words! {
    by_prefecture = "\nby prefecture\n", "\n各地市\n";
    by_reviewer = "\nby reviewer\n", "\n各审核员\n";
    by_rule = "\nby rule\n", "\n各规则\n";
    kind_region = "region", "区划";
    kind_reviewer = "reviewer", "审核员";
}

sentences! {
    status_records(form: &str, records: u64, at: &str) =
        "{form}: {records} records, as of {at}", "{form}：{records} 条记录，截至 {at}";
    status_flagged(flagged: u64, signed: u64, pct: f64, ready: u64, open: u64) =
        "flagged {flagged}: signed {signed} ({pct:.1}%), ready {ready}, open {open}",
        "有疑问 {flagged} 条：已签字 {signed} 条（{pct:.1}%），可签字 {ready} 条，待处理 {open} 条";
    status_per_hour(spark: &str, total: u64) =
        "signatures per hour, last 24 h: {spark} ({total} in all)",
        "近 24 小时每小时签字：{spark}（共 {total} 个）";
    status_head(event: i64, hash: &str, root: &str) =
        "audit trail head: event #{event} hash {hash}, root key {root} (keep it outside the \
         workspace: huishen verify --witness FILE)",
        "审计日志链头：事件 #{event}，散列 {hash}，根密钥 {root}（请保存在工作区之外：huishen verify --witness FILE）";
    status_children(rows: u64, form: &str, label: &str) =
        "  and {rows} rows of {form} ({label}) beneath them, whose flags count on their census objects",
        "  其下另有 {form}（{label}）{rows} 行，其审核问题计入所属普查对象";
    status_today(since: &str) =
        "(today: since {since}; scope progress: signed / flagged in the scope)",
        "（今日：自 {since} 起；范围进度：范围内已签字 / 有疑问）";
    status_scores(scored: u64, all: u64, unscored: u64, pct: f64, high: u64, high_left: u64, proposals: u64) =
        "scores: {scored} of {all} flagged records scored ({unscored} cannot be scored); {pct:.1}% of their \
         total score signed off; {high} at or above the threshold, {high_left} of them left; {proposals} proposed \
         fixes open",
        "评分：{all} 条有疑问的记录中 {scored} 条已评分（{unscored} 条无法评分）；总评分的 {pct:.1}% 已签字；{high} 条达到阈值，其中 {high_left} 条未完成；待处理修正建议 {proposals} 条";
    status_due(groups: u64) =
        "scores: {groups} peers groups moved by corrections are being scored again; until \
         then their records show the scores from before (`huishen check` or any \
         reviewer's screen refreshes them)",
        "评分：{groups} 个同类组因修正而变动，正在重新评分；在此之前其记录显示原来的评分（`huishen check` 或任一审核员的屏幕会刷新它们）";
    status_pace(rate: f64, left: u64, hours: &str, finish: &str, high_left: u64, high_hours: &str) =
        "pace: {rate} records signed off per hour (last 8 h); {left} left, done in {hours} (at {finish}); \
         {high_left} at or above the threshold left, done in {high_hours}",
        "进度：每小时签字 {rate} 条（近 8 小时）；剩 {left} 条，约 {hours} 完成（{finish}）；达到阈值的剩 {high_left} 条，约 {high_hours} 完成";
    status_no_pace(left: u64, high_left: u64) =
        "pace: no record signed off in the last 8 h; {left} left ({high_left} at or above the threshold)",
        "进度：近 8 小时无签字；剩 {left} 条（其中达到阈值的 {high_left} 条）";
    hours(h: f64) = "{h:.1} h", "{h:.1} 小时";
    nothing_behind(pct: f64) = "nothing is below {pct}% signed", "没有签字比例低于 {pct}% 的地市或审核员";
    behind_heading(pct: f64) =
        "below {pct}% signed (signed / flagged; a reviewer's in their scope):",
        "签字比例低于 {pct}%（已签字 / 有疑问；审核员按其范围计）：";
    not_a_percentage(text: &str) = "`{text}` is not a percentage from 0 to 100", "`{text}` 不是 0 到 100 之间的百分比";
}

words! {
    behind_by_rule = "--behind lists prefectures and reviewers, which have a progress; rules do not: leave out --by rule",
        "--behind 列出有进度的地市和审核员；规则没有进度：请去掉 --by rule";
}

/// A column of the `status` tables in the language (the CSV keeps the names).
pub fn status_column(lang: Lang, name: &str) -> &str {
    let zh = match name {
        "code" => "代码",
        "name" => "名称",
        "kind" => "类别",
        "id" => "代码",
        "role" => "角色",
        "scope" => "范围",
        "flagged" => "有疑问",
        "signed" => "已签字",
        "ready" => "可签字",
        "open" => "待处理",
        "progress_pct" => "进度%",
        "signed_today" => "今日签字",
        "corrections_today" => "今日修正",
        "explanations_today" => "今日说明",
        "rule" => "规则",
        "severity" => "严重程度",
        "at_first_check" => "首次核查",
        "failing_now" => "当前未通过",
        "corrected" => "已修正",
        "explained" => "已说明",
        "title_en" | "title_zh" | "title" => "名称",
        _ => return name,
    };
    match lang {
        Lang::En => name,
        Lang::Zh => zh,
    }
}

/// A language the command line does not speak, said in both (the language is not known yet).
pub fn unknown_language(given: &str) -> String {
    format!("`{given}` is not a language huishen speaks: use en or zh-CN（请用 en 或 zh-CN）")
}
