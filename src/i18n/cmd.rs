//! The catalogue of what the command line says, in English and Chinese: the same macros as the
//! screen's [`super::say`], each entry a function of the language first. The command line picks
//! its language once (`--lang`, then `HUISHEN_LANG`, then `LC_ALL` / `LC_MESSAGES` / `LANG`).

use super::Lang;

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
}

sentences! {
    checking(rule: &str, at: usize, all: usize) = "checking {rule} ({at}/{all})", "正在核查 {rule}（{at}/{all}）";
    check_runtime_error(rule: &str, record: &str, message: &str) =
        "rule {rule} could not be evaluated for record {record}: {message}",
        "规则 {rule} 无法对记录 {record} 计算：{message}";
    check_over_budget(rule: &str, why: &str, raise: &str) =
        "rule {rule} was stopped: it {why}; its flags are as they were. Make it cheaper{raise}",
        "规则 {rule} 已被中止：{why}；其审核结果保持原样。请简化该规则{raise}";
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

// `huishen import`.
sentences! {
    importing(file: &str) = "importing {file}", "正在导入 {file}";
    rows(rows: u64) = "{rows} rows", "{rows} 行";
    imported(rows: u64, form: &str, file: &str, encoding: &str, sha: &str) =
        "imported {rows} records into {form} from {file} ({encoding}, sha256 {sha})",
        "已从 {file} 向 {form} 导入 {rows} 条记录（{encoding}，sha256 {sha}）";
    set_aside(rejected: u64, file: &str) =
        "set aside {rejected} bad rows with their reasons in {file}",
        "有误的 {rejected} 行及其原因已另存于 {file}";
    bad_delimiter(given: &str) =
        "`{given}` cannot separate fields: give one ASCII character other than a quote or a line break, or `tab`",
        "`{given}` 不能作分隔符：请给出引号和换行以外的一个 ASCII 字符，或 `tab`";
}

// `huishen export`.
words! {
    what_records = "records", "条记录";
    what_corrections = "corrections", "条修正";
    what_flags = "flags", "条审核结果";
    what_signatures = "signatures", "个签字";
    what_notes = "notes", "条备注";
}

sentences! {
    exported(rows: u64, what: &str, form: &str, file: &str, how: &str) =
        "exported {rows} {what} of {form} to {file} ({how})",
        "已将 {form} 的 {rows} {what}导出到 {file}（{how}）";
    wrote_report(file: &str) = "wrote the review report to {file}", "审核报告已写入 {file}";
}

// `huishen verify`.
words! {
    verify_pages = "page integrity: every page of the file is whole (SQLite's quick_check)",
        "页面完整性：文件的每一页都完好（SQLite quick_check）";
    verify_changed_heading = "changed outside huishen", "在 huishen 之外被改动";
    verify_flags_hold = "flags (deep): every rule run again gives the open flags and peers figures stored",
        "审核结果（深度）：每条规则重新运行，得到的未决审核问题和同类统计与所存一致";
    verify_flags_differ = "flags (deep) that are not what the rules give now:",
        "与规则现在的结果不符的审核结果（深度）：";
    verify_signatures_hold = "signatures: every standing signature matches its record",
        "签字：每个有效签字都与其记录相符";
    verify_signatures_stale = "signatures that no longer match their record:",
        "与记录不再相符的签字：";
    verify_tables_agree = "tables: reviewers, policy, work split, rule sets, imports, \
corrections, explanations, notes, signatures and locks agree with the trail; the data is the \
imported records with their corrections",
        "数据表：审核员、签字规则、分工、规则集、导入、修正、说明、备注、签字和锁定都与审计日志一致；数据即导入的记录加上其修正";
}

sentences! {
    verify_trail(events: u64) =
        "audit trail: {events} events, every one linked to the one before and unchanged",
        "审计日志：{events} 个事件，每个都与前一个相连且未被改动";
    verify_trail_broken(why: &str) = "audit trail BROKEN: {why}", "审计日志已断裂：{why}";
    verify_attested(n: u64) =
        " ({n} written before keys, attested by the upgrade)", "（其中 {n} 个写于签名密钥之前，由升级证明）";
    verify_keys(signed: u64, attested: &str, root: &str) =
        "keys: {signed} events signed, each by its reviewer's key as an administrator enrolled it{attested}; root key {root}",
        "密钥：{signed} 个事件已签名，每个都由管理员登记的审核员本人密钥签名{attested}；根密钥 {root}";
    verify_changed(root: &str) = "changed outside huishen (root key {root}):", "在 huishen 之外被改动（根密钥 {root}）：";
    and_more(n: usize) = "  … and {n} more", "  ……另有 {n} 项";
    verify_flags_unchecked(n: usize) =
        "flags (deep): the rules run again give the open flags stored, but {n} could not be run again",
        "审核结果（深度）：重新运行的规则得到的未决审核问题与所存一致，但有 {n} 条规则无法重新运行";
    witness_empty(file: &str) = "witness {file}: no heads yet, nothing to hold the trail to",
        "见证文件 {file}：尚无链头，无可比对";
    witness_holds(file: &str, heads: u64) = "witness {file}: the trail holds every one of its {heads} heads",
        "见证文件 {file}：审计日志与其全部 {heads} 个链头相符";
    witness_broken(file: &str) = "witness {file}: the trail does NOT hold what was witnessed:",
        "见证文件 {file}：审计日志与见证的内容不符：";
    witness_added(file: &str, event: i64) = "witness {file}: added the head at event #{event}, signed",
        "见证文件 {file}：已加入事件 #{event} 处的链头并签名";
    witness_unsigned(file: &str) =
        "witness {file}: no head added: an administrator signs it (--as ADMINISTRATOR)",
        "见证文件 {file}：未加入链头：须由管理员签名（--as ADMINISTRATOR）";
    tampered(file: &str) =
        "{file} does not verify: it was changed outside huishen; restore it from a backup and compare",
        "{file} 未通过验证：它在 huishen 之外被改动过；请从备份恢复并比对";
    before_keys(file: &str, events: u64) =
        "{file} was written by a huishen from before signing keys: none of its {events} events is \
         signed, so nothing in it can be proved. An administrator attests it with `huishen \
         upgrade {file} --as NAME`; then verify proves it unchanged since",
        "{file} 由签名密钥之前的 huishen 写入：其 {events} 个事件都没有签名，因此无法证明其中任何内容。请管理员用 `huishen upgrade {file} --as NAME` 证明它，之后 verify 即可证明它此后未被改动";
    deep_unchecked(file: &str, rules: &str) =
        "{file} verifies, but --deep could not check the flags of every rule: {rules}",
        "{file} 通过验证，但 --deep 未能核对每条规则的审核结果：{rules}";
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

// `huishen apply`.
words! {
    already_has_value = "already has this value; skipped", "已是此值，跳过";
}

sentences! {
    would_write(n: usize) = "{n} corrections would be written; run again with --commit to write them",
        "将写入 {n} 条修正；加 --commit 再运行一次即写入";
    wrote_corrections(n: usize, who: &str, resolved: usize, opened: usize) =
        "wrote {n} corrections as {who}; {resolved} flags resolved, {opened} opened",
        "已以 {who} 的名义写入 {n} 条修正；解决 {resolved} 条审核问题，新增 {opened} 条";
}

// `huishen assign`.
sentences! {
    no_assignments(who: &str) = "{who} has no assignments: their queue shows every record",
        "{who} 没有分配任务：其队列显示全部记录";
    reviews(who: &str, list: &str) = "{who} reviews: {list}", "{who} 负责审核：{list}";
}

// `huishen bulk`.
words! {
    bulk_what = "say what to do: --explain TEXT, --accept, --sign or --undo BATCH",
        "请说明要做什么：--explain TEXT、--accept、--sign 或 --undo BATCH";
    bulk_explained = "explained", "说明";
    bulk_accepted = "corrected by their proposed fixes", "按修正建议修正";
    bulk_signed = "signed", "签字";
    nothing_written_commit = "nothing was written; run again with --commit to write",
        "未写入任何内容；加 --commit 再运行一次即写入";
}

sentences! {
    bad_severity(given: &str) = "--severity {given}: write error or warning", "--severity {given}：请写 error 或 warning";
    bad_impact(given: &str) = "--impact {given}: write high, low or unscored", "--impact {given}：请写 high、low 或 unscored";
    undid_batch(batch: &str, done: usize) = "undid batch {batch} on {done} records", "已撤销批次 {batch}，涉及 {done} 条记录";
    left_as_it_is(why: &str) = "left as it is: {why}", "保持原样：{why}";
    bulk_plan(selected: usize, ready: usize, verb: &str, refused: usize) =
        "{selected} records selected; {ready} would be {verb}, {refused} refused",
        "选中 {selected} 条记录；将{verb} {ready} 条，拒绝 {refused} 条";
    refused(why: &str) = "refused: {why}", "拒绝：{why}";
    refused_when_written(why: &str) = "refused when written: {why}", "写入时被拒绝：{why}";
    bulk_done(done: usize, verb: &str, who: &str, batch: &str, resolved: usize, opened: usize, ws: &str) =
        "{done} records {verb} by {who} as batch {batch}; {resolved} flags resolved, {opened} opened; undo with \
         `huishen bulk {ws} --reviewer {who} --undo {batch}`",
        "{who} 已{verb} {done} 条记录，批次 {batch}；解决 {resolved} 条审核问题，新增 {opened} 条；可用 `huishen bulk {ws} --reviewer {who} --undo {batch}` 撤销";
}

// `huishen demo`.
words! {
    demo_not_a_terminal = "(standard input or output is not a terminal, so the review screen was not opened)",
        "（标准输入或输出不是终端，因此未打开审核界面）";
    all_of_shandong = "all of Shandong", "山东全省";
    demo_leader = "  administrator (组长)", "  管理员（组长）";
    look_inside = "Look inside with the sqlite3 CLI:", "可用 sqlite3 命令行查看：";
}

sentences! {
    no_temporary_folder(reason: &str) = "cannot create a temporary folder for the demo: {reason}",
        "无法为演示建立临时文件夹：{reason}";
    demo_workspace(file: &str) = "huishen demo workspace: {file}", "huishen 演示工作区：{file}";
    demo_form(form: &str, label: &str, records: u64) = "  form {form} ({label}): {records} records",
        "  报表 {form}（{label}）：{records} 条记录";
    demo_reference(regions: u64, retired: u64, industries: u64) =
        "  reference: {regions} Shandong divisions ({retired} retired codes kept apart), {industries} GB/T 4754-2017 industries",
        "  参考表：山东行政区划 {regions} 个（另存已撤销代码 {retired} 个），GB/T 4754-2017 行业 {industries} 个";
    demo_team(file: &str) = "The sample team (log in with `huishen review {file} --reviewer NAME`):",
        "示例审核组（用 `huishen review {file} --reviewer NAME` 登录）：";
    demo_member(name: &str, role: &str, scope: &str, secret: &str, leader: &str) =
        "  {name}  {role}  scope {scope}  passphrase {secret}{leader}",
        "  {name}  {role}  范围 {scope}  口令 {secret}{leader}";
    demo_root(root: &str) = "  root key fingerprint (keep it on paper): {root}", "  根密钥指纹（请抄在纸上保存）：{root}";
}

// `huishen init`.
sentences! {
    init_form(form: &str, label: &str, fields: usize, key: &str) = "form {form} ({label}): {fields} fields, key {key}",
        "报表 {form}（{label}）：{fields} 个指标，记录号 {key}";
    created(file: &str) = "created {file}", "已建立 {file}";
    created_shared(file: &str) = "created {file}; its group may read and write it", "已建立 {file}；其所属组可读写";
    init_admin(name: &str, role: &str, root: &str) =
        "administrator {name} ({role}); root key fingerprint {root} — keep it on paper: `huishen verify` \
         and `huishen status` print it, and a copy that differs is not this workspace's trail",
        "管理员 {name}（{role}）；根密钥指纹 {root}——请抄在纸上保存：`huishen verify` 和 `huishen status` 都会打印它，不一致的副本就不是本工作区的审计日志";
}

// `huishen locate`.
sentences! {
    left_out(rule: &str, why: &str) = "left out: {rule}: not linear: {why}", "未纳入：{rule}：不是线性规则：{why}";
    located(fields: &str, weight: f64, rules: &str) = "change {fields}\t(weight {weight})\tto satisfy {rules}",
        "修改 {fields}\t（权重 {weight}）\t以满足 {rules}";
    contradictory(rules: &str) = "no change of its number fields satisfies {rules} together",
        "无论如何修改数值指标，{rules} 都不能同时满足";
    search_over_budget(rules: &str) = "not found within the search budget (fails {rules})",
        "在搜索预算内未找到（未通过 {rules}）";
}

// `huishen policy`.
words! {
    yes = "yes", "是";
    no = "no", "否";
    policy_needs_admin = "changing the policy is an administrator's action: say who you are with --as \
                 ADMINISTRATOR (you will be asked for the passphrase); nothing was changed",
        "更改签字规则须由管理员操作：请用 --as ADMINISTRATOR 说明您是谁（将询问口令），未作任何改动";
}

sentences! {
    policy_signatures(n: i64) = "signatures required: {n}", "所需签字数：{n}";
    policy_roles(v: &str) = "distinct roles:      {v}", "须不同角色：{v}";
    policy_four_eyes(v: &str) = "four eyes:           {v}", "四眼原则：  {v}";
    policy_claims(n: i64) = "claims lapse after:  {n} minutes", "认领失效：  {n} 分钟后";
}

// `huishen review`.
words! {
    neither_is_terminal = "neither standard input nor standard output is one", "标准输入和标准输出都不是终端";
    input_not_terminal = "standard input is not one", "标准输入不是终端";
    output_not_terminal = "standard output is not one", "标准输出不是终端";
}

sentences! {
    needs_terminal(command: &str, which: &str) =
        "{command} opens the review screen, which needs a terminal, and {which}; nothing was \
         opened. Run it in a terminal window (over SSH, with `ssh -t`), without redirecting \
         its input or output; for scripts, use `huishen status`, `huishen apply` or `huishen \
         export`",
        "{command} 会打开审核界面，需要终端，而{which}，未打开任何内容。请在终端窗口中运行（经 SSH 时用 `ssh -t`），不要重定向其输入或输出；脚本请用 `huishen status`、`huishen apply` 或 `huishen export`";
}

// `huishen reviewer`.
words! {
    everywhere = "everywhere", "全部区划";
    as_administrator = ", administrator", "，管理员";
    no_key_yet = "none yet", "尚无";
}

sentences! {
    reviewer_line(name: &str, role: &str, admin: &str, scope: &str, key: &str) =
        "{name} ({role}{admin}), scope {scope}, key {key}", "{name}（{role}{admin}），范围 {scope}，密钥 {key}";
    added_reviewer(who: &str) = "added reviewer {who}", "已添加审核员 {who}";
    changed_reviewer(who: &str) = "changed reviewer {who}", "已更改审核员 {who}";
    removed_reviewer(name: &str) = "removed reviewer {name}; what they did stays in the audit trail",
        "已移除审核员 {name}；其所做操作仍保留在审计日志中";
}

// `huishen rules`.
sentences! {
    rule_set(set: i64) = "rule set {set}:", "规则集 {set}：";
    loaded_rules(rules: usize, file: &str, set: i64) = "loaded {rules} rules from {file} as rule set {set}",
        "已从 {file} 载入 {rules} 条规则，作为规则集 {set}";
    rules_unchanged(file: &str, set: i64) = "{file} is rule set {set} already; nothing changed",
        "{file} 已是规则集 {set}，未作任何改动";
}

// `huishen sample`.
sentences! {
    out_clashes(file: &str) =
        "--out {file} would be overwritten by the child rows written beside it; name the records file otherwise",
        "--out {file} 会被写在其旁的下级记录覆盖；请给记录文件另起一个名字";
    wrote_children(file: &str) = "wrote the rows beneath the records to {file}", "下级记录已写入 {file}";
    generated(records: u64, defective: u64, seed: u64) =
        "generated {records} records ({defective} seeded defect rows, the rows beneath them included) with seed {seed}",
        "已用种子 {seed} 生成 {records} 条记录（含下级记录在内，植入缺陷的行 {defective} 行）";
}

// `huishen upgrade`.
sentences! {
    upgraded(file: &str, events: i64, name: &str, root: &str) =
        "upgraded {file}: {events} events written before signing are attested by one upgrade event \
         signed by {name}, now its first administrator; root key fingerprint {root} — keep it on \
         paper",
        "已升级 {file}：签名之前写入的 {events} 个事件由 {name} 签名的一个升级事件证明，{name} 现为其首位管理员；根密钥指纹 {root}——请抄在纸上保存";
}
