//! What the commands that act on the review say: apply, assign, bulk, demo, init, locate,
//! policy, review, reviewer, rules, sample and upgrade.

use super::super::Lang;

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
