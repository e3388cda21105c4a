//! Every error in Chinese. The match has no fallback, so a new variant does not compile until
//! it is said in Chinese too. What comes from outside huishen (the system's reason a file
//! cannot be read, a detail from SQLite) is quoted as it came, inside a Chinese sentence.

use std::path::PathBuf;

use super::Error;

fn place(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map_or_else(|| "工作区".into(), |p| format!("工作区 {}", p.display()))
}

/// The Chinese message of `error`.
pub(super) fn say(error: &Error) -> String {
    match error {
        Error::Schema(e) => format!(
            "架构文件有 {} 处问题，未作任何改动；请逐处修改后重试：\n{e}",
            e.problems.len()
        ),
        Error::Read { path, reason } => {
            format!(
                "无法读取 {}：{reason}；请检查路径和读取权限",
                path.display()
            )
        }
        Error::Write { path, reason } => {
            format!(
                "无法写入 {}：{reason}；请检查路径、写权限和磁盘空间",
                path.display()
            )
        }
        Error::WorkspaceExists { path } => format!(
            "{} 已存在；新建工作区从不覆盖已有文件。请换一个路径，或确需重来时先删除该文件",
            path.display()
        ),
        Error::NoWorkspace { path } => format!(
            "{0} 处没有工作区；请用 `huishen init {0} --schema FILE` 新建",
            path.display()
        ),
        Error::Folder { path, inside } => format!(
            "{} 是文件夹，不是工作区；请给出工作区文件的路径{}",
            path.display(),
            if inside.is_empty() {
                String::new()
            } else {
                format!("（其中有：{}）", inside.join("、"))
            }
        ),
        Error::NotAWorkspace { path, detail } => format!(
            "{} 不是 huishen 工作区（{detail}），未作任何改动；请检查路径，或用 `huishen init` 新建工作区",
            path.display()
        ),
        Error::NewerWorkspace {
            path,
            found,
            supported,
        } => format!(
            "{} 由更新版本的 huishen 写入（工作区格式 {found}；本版本最高只能读取 {supported}），未作任何改动；请使用更新版本的 huishen",
            path.display()
        ),
        Error::Locked { path, waited_ms } => format!(
            "工作区 {} 正被另一个进程写入（已等待 {waited_ms} 毫秒），未作任何改动；请待其完成后重试",
            path.display()
        ),
        Error::Corrupt { path, detail } => format!(
            "{}已损坏（{detail}），未作任何改动；请从备份恢复，或用 `sqlite3 {} .recover > recovered.sql` 导出仍可读取的内容",
            place(path),
            path.as_ref()
                .map_or_else(|| "WORKSPACE".into(), |p| p.display().to_string())
        ),
        Error::ReadOnly { path, doing } => format!(
            "{}对当前账户只读，无法完成（{doing}），未作任何改动；请向文件所有者申请该文件及其文件夹的写权限（见 README“多个系统账户共用一个工作区”），或在副本上工作",
            place(path)
        ),
        Error::DiskFull { path, doing } => format!(
            "{}所在磁盘已满，无法完成（{doing}），未作任何改动；请腾出空间后重试",
            place(path)
        ),
        Error::BadText { path, doing, cell } => format!(
            "{}中有不是合法 UTF-8 的文本{}（在{doing}时发现）：它在 huishen 之外被改动过，未作任何改动；请从备份恢复，或用 sqlite3 命令行改正该值，再运行 `huishen verify`",
            place(path),
            cell.as_ref()
                .map_or_else(String::new, |c| format!("（{c}）"))
        ),
        Error::UnknownForm { form, known } => {
            format!("工作区没有报表 `{form}`；已有的报表：{known}")
        }
        Error::UnknownField { form, field } => format!("报表 {form} 没有指标 `{field}`"),
        Error::UnknownRecord { form, key } => format!("报表 {form} 没有记录号为 `{key}` 的记录"),
        Error::Import(e) => e.in_chinese(),
        Error::Rules(e) => format!(
            "规则文件有 {} 处问题，未载入任何规则；请逐处修改后重试：\n{e}",
            e.problems.len()
        ),
        Error::NoRules => {
            "工作区尚未载入审核规则；请用 `huishen rules load WORKSPACE FILE` 载入规则文件".into()
        }
        Error::UnknownRules { unknown, known } => {
            format!("现行规则中没有规则 {unknown}；现行规则为：{known}")
        }
        Error::OverBudget(over) => format!(
            "规则 {} 已被中止：{}{}",
            over.rule,
            over.why.zh,
            if over.setting.is_empty() {
                String::new()
            } else {
                format!("；请简化该规则，或调高 {}", over.setting)
            }
        ),
        Error::WrongPassphrase { reviewer } => format!("{reviewer} 的口令不对；未做任何操作"),
        Error::Declined { zh, .. } => zh.clone(),
        Error::OutputClosed => "标准输出在全部写出之前已关闭".into(),
        Error::Storage { context, detail } => format!("{context}时出错：{detail}"),
    }
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
        let declined = Error::declined("a note needs text", "备注不能为空");
        assert_eq!(declined.in_chinese(), "备注不能为空");
        assert_eq!(declined.to_string(), "a note needs text");
    }

    #[test]
    fn the_workspace_errors_read_in_chinese() {
        let cases = [
            Error::NoWorkspace {
                path: "w.huishen".into(),
            },
            Error::WorkspaceExists {
                path: "w.huishen".into(),
            },
            Error::NewerWorkspace {
                path: "w.huishen".into(),
                found: 9,
                supported: 8,
            },
            Error::UnknownForm {
                form: "G9".into(),
                known: "G101_1".into(),
            },
            Error::NoRules,
            Error::OutputClosed,
        ];
        for e in cases {
            let zh = e.in_chinese();
            assert_ne!(zh, e.to_string());
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
        }
    }
}
