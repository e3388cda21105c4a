//! The errors a reviewer meets on the review screen, in Chinese. What the core says only in
//! English (details from SQLite, the command line's own errors) stays English.

use std::path::PathBuf;

use super::Error;

fn place(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map_or_else(|| "工作区".into(), |p| format!("工作区 {}", p.display()))
}

/// The Chinese message of `error`, when it has one.
pub(super) fn say(error: &Error) -> Option<String> {
    Some(match error {
        Error::Declined { zh, .. } => zh.clone(),
        Error::WrongPassphrase { reviewer } => format!("{reviewer} 的口令不对；未做任何操作"),
        Error::Locked { path, waited_ms } => format!(
            "工作区 {} 正被另一个进程写入（已等待 {waited_ms} 毫秒），未作任何改动；请待其完成后重试",
            path.display()
        ),
        Error::Corrupt { path, detail } => format!(
            "{}已损坏（{detail}），未作任何改动；请从备份恢复，或用 sqlite3 的 .recover 导出仍可读取的内容",
            place(path)
        ),
        Error::ReadOnly { path, doing } => format!(
            "{}对当前账户只读，无法完成（{doing}），未作任何改动；请向文件所有者申请写权限，或在副本上工作",
            place(path)
        ),
        Error::DiskFull { path, doing } => format!(
            "{}所在磁盘已满，无法完成（{doing}），未作任何改动；请腾出空间后重试",
            place(path)
        ),
        Error::UnknownField { form, field } => format!("报表 {form} 没有指标 `{field}`"),
        Error::UnknownRecord { form, key } => format!("报表 {form} 没有记录号为 `{key}` 的记录"),
        Error::NoRules => "工作区尚未载入审核规则；请用 `huishen rules load` 载入规则文件".into(),
        Error::OverBudget(over) => format!("规则 {} 已被中止（{}）", over.rule, over.why),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_and_a_refusal_read_in_chinese() {
        let locked = Error::Locked {
            path: "w.huishen".into(),
            waited_ms: 5000,
        };
        assert!(
            locked
                .in_chinese()
                .starts_with("工作区 w.huishen 正被另一个进程写入")
        );
        assert!(locked.to_string().starts_with("w.huishen is locked"));
        let declined = Error::Declined {
            en: "a note needs text".into(),
            zh: "备注不能为空".into(),
        };
        assert_eq!(declined.in_chinese(), "备注不能为空");
        assert_eq!(declined.to_string(), "a note needs text");
        // What has no Chinese stays as it is.
        let other = Error::Refused("cannot read the passphrase".into());
        assert_eq!(other.in_chinese(), other.to_string());
    }
}
