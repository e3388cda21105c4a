//! The report's sections after the overview: by prefecture, by rule, rule quality,
//! corrections, reviewers and the records still open.

use super::model::{
    Block, Chart, Input, Section, Table, Text, area, count, county, num, percent, prefecture,
    progress_series, same, severity, share, t,
};
use crate::store::{Figures, RegionFigures};

pub(super) fn regions(input: &Input<'_>) -> Section {
    let f = input.figures;
    let row = |label: Text, r: &RegionFigures| {
        vec![
            label,
            num(r.records),
            num(r.flagged),
            num(r.still_open),
            num(r.ready),
            num(r.corrected),
            num(r.signed),
        ]
    };
    let mut total = RegionFigures::default();
    for r in &f.regions {
        total.records += r.records;
        total.flagged += r.flagged;
        total.still_open += r.still_open;
        total.ready += r.ready;
        total.corrected += r.corrected;
        total.signed += r.signed;
    }
    let has_region = input.form.region.is_some();
    Section {
        id: "regions",
        title: t("按地市", "By prefecture"),
        blocks: vec![
            Block::Chart(Chart {
                title: t("各地市被标记记录", "Flagged records by prefecture"),
                series: progress_series(),
                bars: f
                    .regions
                    .iter()
                    .filter(|r| r.flagged > 0 || r.signed > 0)
                    .map(|r| {
                        let values = [r.still_open, r.ready, r.signed];
                        (prefecture(&r.prefix), values.map(|v| v as f64).to_vec())
                    })
                    .collect(),
                percent: false,
            }),
            Block::Table(Table {
                columns: vec![
                    (
                        if has_region {
                            t("地市", "Prefecture")
                        } else {
                            t("地区", "Region")
                        },
                        false,
                    ),
                    (t("记录", "Records"), true),
                    (t("被标记", "Flagged"), true),
                    (t("待处理", "Still open"), true),
                    (t("待签核", "Awaiting sign-off"), true),
                    (t("已修正", "Corrected"), true),
                    (t("已签核", "Signed"), true),
                ],
                rows: f
                    .regions
                    .iter()
                    .map(|r| row(prefecture(&r.prefix), r))
                    .collect(),
                total: Some(row(t("合计", "Total"), &total)),
            }),
        ],
    }
}

pub(super) fn rules(f: &Figures) -> Section {
    let flagged: Vec<_> = f.rules.iter().filter(|r| r.flagged > 0).collect();
    Section {
        id: "rules",
        title: t("按审核规则", "By rule"),
        blocks: vec![
            Block::Chart(Chart {
                title: t("各规则标记的记录", "Records each rule flagged"),
                series: vec![
                    (t("未通过", "Failing"), "s-open"),
                    (t("已说明", "Explained"), "s-explained"),
                    (t("已修正", "Fixed"), "s-fixed"),
                ],
                bars: flagged
                    .iter()
                    .map(|r| {
                        let values = [r.failing, r.explained, r.fixed];
                        (same(&r.id), values.map(|v| v as f64).to_vec())
                    })
                    .collect(),
                percent: false,
            }),
            Block::Table(Table {
                columns: vec![
                    (t("规则", "Rule"), false),
                    (t("类别", "Severity"), false),
                    (t("规则标题", "Title"), false),
                    (t("标记", "Flagged"), true),
                    (t("未通过", "Failing"), true),
                    (t("已说明", "Explained"), true),
                    (t("已修正", "Fixed"), true),
                    (t("说明占比", "Explained share"), true),
                ],
                rows: f
                    .rules
                    .iter()
                    .map(|r| {
                        vec![
                            same(&r.id),
                            severity(&r.severity),
                            t(&r.title_zh, &r.title_en),
                            num(r.flagged),
                            num(r.failing),
                            num(r.explained),
                            num(r.fixed),
                            if r.severity == "error" {
                                same("—")
                            } else {
                                percent(r.explained, r.flagged)
                            },
                        ]
                    })
                    .collect(),
                total: None,
            }),
        ],
    }
}

pub(super) fn quality(f: &Figures) -> Section {
    let mut warnings: Vec<_> = f
        .rules
        .iter()
        .filter(|r| r.severity == "warning" && r.flagged > 0)
        .collect();
    warnings.sort_by(|a, b| {
        share(b.explained, b.flagged)
            .total_cmp(&share(a.explained, a.flagged))
            .then_with(|| a.id.cmp(&b.id))
    });
    Section {
        id: "quality",
        title: t("规则质量", "Rule quality"),
        blocks: vec![
            Block::Para(t(
                "提示性规则标记的记录中经说明为正确数据的比例。比例高的规则多为误报，可考虑调整阈值；强制性规则只能修正，不能说明。",
                "The share of each warning's flagged records that reviewers explained as right. A rule whose flags are mostly explained away may be too strict; errors cannot be explained, only fixed.",
            )),
            Block::Chart(Chart {
                title: t("说明占比", "Share of flags explained away"),
                series: vec![(t("已说明", "Explained"), "s-explained")],
                bars: warnings
                    .iter()
                    .map(|r| (same(&r.id), vec![share(r.explained, r.flagged)]))
                    .collect(),
                percent: true,
            }),
        ],
    }
}

pub(super) fn corrections(input: &Input<'_>) -> Section {
    let f = input.figures;
    let field = |name: &str| -> Text {
        input
            .form
            .field(name)
            .map_or_else(|| same(name), |field| Text::from(&field.label))
    };
    let reason = |text: &str| -> Text {
        input
            .reasons
            .iter()
            .find(|r| r.zh == text || r.en == text)
            .map_or_else(|| same(text), Text::from)
    };
    Section {
        id: "corrections",
        title: t("修正", "Corrections"),
        blocks: vec![
            Block::Chart(Chart {
                title: t("各指标修正次数", "Corrections by field"),
                series: vec![(t("修正", "Corrections"), "s-fixed")],
                bars: f
                    .fields
                    .iter()
                    .map(|(name, n, _)| (field(name), vec![*n as f64]))
                    .collect(),
                percent: false,
            }),
            Block::Table(Table {
                columns: vec![
                    (t("指标", "Field"), false),
                    (t("字段名", "Name"), false),
                    (t("修正", "Corrections"), true),
                    (t("记录", "Records"), true),
                ],
                rows: f
                    .fields
                    .iter()
                    .map(|(name, n, records)| vec![field(name), same(name), num(*n), num(*records)])
                    .collect(),
                total: None,
            }),
            Block::Chart(Chart {
                title: t("修正原因", "Corrections by reason"),
                series: vec![(t("修正", "Corrections"), "s-signed")],
                bars: f
                    .reasons
                    .iter()
                    .map(|(text, n)| (reason(text), vec![*n as f64]))
                    .collect(),
                percent: false,
            }),
            Block::Table(Table {
                columns: vec![
                    (t("修正原因", "Reason"), false),
                    (t("修正", "Corrections"), true),
                ],
                rows: f
                    .reasons
                    .iter()
                    .map(|(text, n)| vec![reason(text), num(*n)])
                    .collect(),
                total: None,
            }),
        ],
    }
}

pub(super) fn reviewers(f: &Figures) -> Section {
    Section {
        id: "reviewers",
        title: t("审核人员", "Reviewers"),
        blocks: vec![
            Block::Chart(Chart {
                title: t("各审核人员的操作", "What each reviewer did"),
                series: vec![
                    (t("修正", "Corrections"), "s-fixed"),
                    (t("说明", "Explanations"), "s-explained"),
                    (t("备注", "Notes"), "s-note"),
                    (t("签核", "Signatures"), "s-signed"),
                ],
                bars: f
                    .reviewers
                    .iter()
                    .map(|r| {
                        let values = [r.corrections, r.explanations, r.notes, r.signatures];
                        (same(&r.name), values.map(|v| v as f64).to_vec())
                    })
                    .collect(),
                percent: false,
            }),
            Block::Table(Table {
                columns: vec![
                    (t("审核人", "Reviewer"), false),
                    (t("角色", "Role"), false),
                    (t("范围", "Scope"), false),
                    (t("修正", "Corrections"), true),
                    (t("说明", "Explanations"), true),
                    (t("备注", "Notes"), true),
                    (t("签核", "Signatures"), true),
                    (t("记录", "Records"), true),
                    (t("最近操作", "Last action"), false),
                ],
                rows: f
                    .reviewers
                    .iter()
                    .map(|r| {
                        vec![
                            same(&r.name),
                            same(&r.role),
                            if r.scope.is_empty() {
                                t("全部", "everywhere")
                            } else {
                                area(&r.scope)
                            },
                            num(r.corrections),
                            num(r.explanations),
                            num(r.notes),
                            num(r.signatures),
                            num(r.records),
                            same(r.last_action.as_deref().unwrap_or("—")),
                        ]
                    })
                    .collect(),
                total: None,
            }),
        ],
    }
}

pub(super) fn open_records(input: &Input<'_>) -> Section {
    let f = input.figures;
    let listed = f.open_records.len() as u64;
    let mut blocks = Vec::new();
    if listed < f.totals.still_open {
        blocks.push(Block::Para(t(
            &format!(
                "列出前 {} 条，共 {} 条；全部待处理标记见 `huishen export --what flags`。",
                count(listed),
                count(f.totals.still_open)
            ),
            &format!(
                "The first {} of {}; `huishen export --what flags` lists every flag.",
                count(listed),
                count(f.totals.still_open)
            ),
        )));
    }
    let display = input
        .form
        .display
        .as_deref()
        .and_then(|d| input.form.field(d))
        .map_or_else(|| t("名称", "Name"), |d| Text::from(&d.label));
    let key = input
        .form
        .field(&input.form.key)
        .map_or_else(|| t("记录号", "Record"), |k| Text::from(&k.label));
    blocks.push(Block::Table(Table {
        columns: vec![
            (key, false),
            (display, false),
            (t("区县", "County"), false),
            (t("未通过的规则", "Rules still failing"), false),
        ],
        rows: f
            .open_records
            .iter()
            .map(|r| {
                vec![
                    same(&r.key),
                    same(r.name.as_deref().unwrap_or("")),
                    county(&r.region),
                    same(r.rules.join(" ")),
                ]
            })
            .collect(),
        total: None,
    }));
    Section {
        id: "open",
        title: t("待处理记录", "Records still open"),
        blocks,
    }
}
