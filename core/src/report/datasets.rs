//! The report's section on the dataset rules: each rule's verdicts on the form or its groups
//! as the data stands, then every group it does not pass with the figures of its check.

use super::model::{Block, Section, Table, Text, num, same, severity, t};
use crate::domain::Outcome;
use crate::store::{DatasetVerdicts, Figures};

/// The section, when the rules in force have dataset rules.
pub(super) fn datasets(f: &Figures) -> Option<Section> {
    if f.datasets.is_empty() {
        return None;
    }
    let mut blocks = vec![
        Block::Para(t(
            "数据集规则对整张报表或每组记录（如每个地市）给出一个结论：检查的是合计、均值、覆盖面等汇总数，按当前数据计算，修正后即时更新。",
            "Dataset rules give one verdict on the whole form or on each group of records (each prefecture, say): they check totals, means and coverage, computed from the data as it stands, so a correction moves them at once.",
        )),
        Block::Table(Table {
            columns: vec![
                (t("规则", "Rule"), false),
                (t("类别", "Severity"), false),
                (t("规则标题", "Title"), false),
                (t("范围", "Scope"), false),
                (t("分组依据", "Grouped by"), false),
                (t("结论数", "Verdicts"), true),
                (t("通过", "Passing"), true),
                (t("未通过", "Failing"), true),
                (t("缺失", "Missing"), true),
            ],
            rows: f.datasets.iter().map(summary).collect(),
            total: None,
        }),
    ];
    let groups: Vec<Vec<Text>> = f.datasets.iter().flat_map(group_rows).collect();
    if !groups.is_empty() {
        blocks.push(Block::Table(Table {
            columns: vec![
                (t("规则", "Rule"), false),
                (t("分组", "Group"), false),
                (t("记录", "Records"), true),
                (t("结论", "Verdict"), false),
                (t("计算值", "Figures"), false),
            ],
            rows: groups,
            total: None,
        }));
    }
    Some(Section {
        id: "datasets",
        title: t("数据集规则", "Dataset rules"),
        blocks,
    })
}

fn summary(d: &DatasetVerdicts) -> Vec<Text> {
    let (scope, by) = match &d.group {
        Some(g) => (t("每组", "Per group"), same(g)),
        None => (t("全表", "The form"), same("—")),
    };
    vec![
        same(&d.rule),
        severity(d.severity.as_str()),
        Text::from(&d.title),
        scope,
        by,
        num(d.items),
        num(d.passes),
        num(d.fails),
        num(d.missing),
    ]
}

/// A row per group the rule does not pass; one for a rule that gave no verdict.
fn group_rows(d: &DatasetVerdicts) -> Vec<Vec<Text>> {
    let mut rows = Vec::new();
    if let Some(why) = &d.problem {
        rows.push(vec![
            same(&d.rule),
            same("—"),
            same("—"),
            t("无结论", "No verdict"),
            Text::from(why),
        ]);
    }
    for g in &d.failing {
        let group = match (&g.group, &g.name) {
            (Some(group), Some(name)) => same(format!("{group} {name}")),
            (Some(group), None) => same(group),
            (None, _) => t("全表", "The form"),
        };
        let verdict = match g.outcome {
            Outcome::Missing => t("缺失", "Missing"),
            _ => t("未通过", "Failing"),
        };
        let figures: Vec<String> = (g.figures.iter())
            .map(|f| format!("{} = {}", f.expr, f.value.as_deref().unwrap_or("NULL")))
            .collect();
        rows.push(vec![
            same(&d.rule),
            group,
            num(g.records),
            verdict,
            same(figures.join("; ")),
        ]);
    }
    rows
}
