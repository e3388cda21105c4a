//! What `huishen verify` says it proved, and what it found.

use super::super::Lang;

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
