//! An import's errors in Chinese: the same lines as the English, `文件:行:列 指标：值 原因`.

use super::import::{HeaderProblem, ImportError, RowProblem};
use crate::domain::value::why_zh;

impl ImportError {
    /// The error in Chinese, line for line as [`Display`](std::fmt::Display) says it.
    pub fn in_chinese(&self) -> String {
        match self {
            ImportError::File {
                file,
                problem,
                problem_zh,
            } => {
                let problem = problem_zh.as_ref().unwrap_or(problem);
                format!("{file} 无法导入：{problem}；未导入任何内容")
            }
            ImportError::Header {
                file,
                form,
                problems,
                hint,
            } => {
                let mut out = format!(
                    "{file}:1: 表头与报表 {} 不符，未导入任何内容：\n",
                    form.name
                );
                for p in problems {
                    out.push_str(&match p {
                        HeaderProblem::Unknown {
                            column,
                            header,
                            nearest,
                        } => match nearest {
                            Some(near) => format!(
                                "  第 {column} 列“{header}”不是 {} 的指标；最接近的是 {near}\n",
                                form.name
                            ),
                            None => {
                                format!("  第 {column} 列“{header}”不是 {} 的指标\n", form.name)
                            }
                        },
                        HeaderProblem::OtherUnit {
                            column,
                            header,
                            field,
                            unit,
                        } => match unit {
                            Some(unit) => format!(
                                "  第 {column} 列“{header}”以另一计量单位给出指标 {field}：该指标的单位是{}；请换算数值，或去掉列名中的单位\n",
                                unit.zh
                            ),
                            None => format!(
                                "  第 {column} 列“{header}”给指标 {field} 加了计量单位，而该指标没有单位；请去掉列名中的单位\n"
                            ),
                        },
                        HeaderProblem::Missing { field } => format!(
                            "  缺少必填列 {}（{} / {}）\n",
                            field.name, field.label.zh, field.label.en
                        ),
                        HeaderProblem::Duplicate {
                            first,
                            second,
                            field,
                        } => format!("  第 {first} 列和第 {second} 列都是指标 {field}\n"),
                    });
                }
                let fields: Vec<String> = form
                    .fields
                    .iter()
                    .map(|fl| format!("{}（{}）", fl.name, fl.label.zh))
                    .collect();
                out.push_str(&format!(
                    "表头可写指标名、其中文或英文标签或别名，其后可带括号中的计量单位（其他列名可用 import --map 文件 对应）。{} 的指标有：{}",
                    form.name,
                    fields.join("、")
                ));
                if let Some(hint) = hint {
                    out.push('\n');
                    out.push_str(&hint.zh);
                }
                out
            }
            ImportError::Rows {
                file,
                problems,
                bad_rows,
                rows,
                skipping,
                sheet,
            } => {
                let listed = problems
                    .iter()
                    .map(|p| p.line)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len();
                let mut out = format!(
                    "{file}：{rows} 行中有 {bad_rows} 行有误，未导入任何内容。{}：\n",
                    if (listed as u64) < *bad_rows {
                        format!("前 {listed} 行为")
                    } else {
                        "它们是".to_string()
                    }
                );
                for p in problems {
                    out.push_str(&format!("  {}\n", p.describe_zh(file, sheet.as_deref())));
                }
                out.push_str(if *skipping {
                    "没有一行是好的，因此未存入任何内容。请修改文件后重新导入"
                } else {
                    "请修改这些行后重新导入，或用 --skip-bad-rows 只导入好的行（有误的行写入输入文件旁的 rejects 文件）"
                });
                out
            }
        }
    }
}

impl RowProblem {
    /// `文件:行:列 指标：值 原因` on one line, in Chinese.
    pub fn describe_zh(&self, file: &str, sheet: Option<&str>) -> String {
        let place = self.place(file, sheet);
        match (&self.field, &self.value) {
            (Some(field), Some(value)) => format!(
                "{place} {field}：值“{}”{}",
                super::import::shorten(value),
                reason_zh(&self.reason)
            ),
            _ => format!("{place} 该行{}", reason_zh(&self.reason)),
        }
    }
}

/// A row's reason in Chinese, where huishen words it; any other stays as it is.
fn reason_zh(reason: &str) -> String {
    if reason.starts_with("is not a") || reason.starts_with("is not yes or no") {
        return why_zh(reason);
    }
    if reason.starts_with("is empty; every record needs its key") {
        return "为空；每条记录都需要记录号".into();
    }
    if let Some(rest) = reason.strip_prefix("is a duplicate: the same key stands at line ") {
        let line = rest.split_whitespace().next().unwrap_or(rest);
        return format!("重复：本文件第 {line} 行已有相同的记录号");
    }
    if reason.starts_with("is already in the workspace") {
        return format!("已在工作区中{}", brackets(reason));
    }
    if let Some(at) =
        reason.strip_prefix("has a quote inside a value that does not start with one (")
    {
        let at = at.split(')').next().unwrap_or("");
        return format!(
            "在不以引号开头的值中有引号（{}）；请把整个值放在引号中并把其中的引号写两遍（\"\"），或删去多余的引号",
            at_zh(at)
        );
    }
    if let Some(at) = reason.strip_prefix("has text after its closing quote (") {
        let at = at.split(')').next().unwrap_or("");
        return format!(
            "结束引号之后还有文字（{}）；请把整个值放在引号中并把其中的引号写两遍（\"\"），或删去多余的引号",
            at_zh(at)
        );
    }
    if let Some(error) = reason.strip_prefix("is the spreadsheet error ") {
        let error = error.split(' ').next().unwrap_or("");
        return format!(
            "是电子表格的错误值 {error}（公式未能算出）；请在工作簿中改正该单元格后重新导入"
        );
    }
    if reason.starts_with("is stored in the workbook as a number") {
        return "在工作簿中存为数字，而 Excel 只保留 15 位有效数字，这个代码可能已不是原来输入的；请把该列设为文本格式，重新输入代码后再导入".into();
    }
    if reason.starts_with("stands under an empty header") {
        return "位于空表头之下；请给该列写上表头，或删去该值".into();
    }
    if reason.starts_with("holds a NUL byte") {
        return "含 NUL 字节（显示为 \\0），不是文本；请从文件中删除".into();
    }
    if let Some(parent) = reason
        .strip_prefix("is empty: the row needs the key of its ")
        .and_then(|r| r.strip_suffix(" record"))
    {
        return format!("为空：该行需要其上级 {parent} 记录的记录号");
    }
    if let Some(parent) = reason
        .strip_prefix("names a record of ")
        .and_then(|r| r.split(' ').next())
    {
        return format!("指向的 {parent} 记录不在工作区中：请先导入该记录，或改正记录号");
    }
    if let Some(rest) = reason.strip_prefix("has ")
        && let Some((cells, columns)) = rest.split_once(" fields; the header has ")
    {
        return format!("有 {cells} 个字段，而表头有 {columns} 列");
    }
    reason.to_string()
}

/// `line 3, character 7` in Chinese.
fn at_zh(at: &str) -> String {
    let mut numbers = at
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty());
    match (numbers.next(), numbers.next()) {
        (Some(line), Some(column)) => format!("第 {line} 行第 {column} 个字符"),
        _ => at.to_string(),
    }
}

/// `(…)` at the end of a reason, in Chinese brackets.
fn brackets(reason: &str) -> String {
    match (reason.find('('), reason.rfind(')')) {
        (Some(a), Some(b)) if a < b => format!("（{}）", &reason[a + 1..b]),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_reasons_read_in_chinese() {
        assert_eq!(reason_zh("is not a number"), "不是数字");
        assert_eq!(
            reason_zh("is a duplicate: the same key stands at line 38 of this file"),
            "重复：本文件第 38 行已有相同的记录号"
        );
        assert_eq!(
            reason_zh("has 3 fields; the header has 4"),
            "有 3 个字段，而表头有 4 列"
        );
    }
}
