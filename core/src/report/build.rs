//! Building the report: the document's header and its sections in order, the overview first.

use super::model::{Block, Chart, Document, Input, Section, Text, count, progress_series, same, t};
use super::sections::{corrections, open_records, quality, regions, reviewers, rules};
use crate::store::Figures;

/// Builds the report.
pub fn build(input: &Input<'_>) -> Document {
    let f = input.figures;
    let zone = crate::domain::time::zone();
    let rule_set = match &f.rule_set {
        Some((id, file, at)) => same(format!("#{id} {file} ({})", zone.minute(at))),
        None => t("尚未载入", "none loaded yet"),
    };
    // In full: a printed report is a witnessed head (see `huishen verify --witness`).
    let newest = match &f.last_event {
        Some((id, hash)) => same(format!("#{id} {hash}")),
        None => same("—"),
    };
    let root = same(f.root.as_deref().unwrap_or("—"));
    Document {
        title: t("联合会审报告", "Joint review report"),
        meta: vec![
            (t("报表", "Form"), same(&input.form.name)),
            (t("报表名称", "Form title"), Text::from(&input.form.label)),
            (t("工作区", "Workspace"), same(input.workspace)),
            (t("审核规则", "Rule set"), rule_set),
            (t("审计事件", "Audit events"), same(count(f.events))),
            (t("最新事件", "Newest event"), newest),
            (t("根密钥指纹", "Root key fingerprint"), root),
            (
                t("数据时点", "Figures as of"),
                same(as_of(zone, &f.taken_at)),
            ),
        ],
        sections: [
            Some(overview(f)),
            Some(regions(input)),
            Some(rules(f)),
            super::datasets::datasets(f),
            Some(quality(f)),
            Some(corrections(input)),
            Some(reviewers(f)),
            Some(open_records(input)),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

/// When the figures were read, in huishen's zone, with the zone's name where its
/// abbreviation alone may not say it (`2026-12-01 14:51:15 CST (Asia/Shanghai)`).
fn as_of(zone: &crate::domain::time::Zone, at: &str) -> String {
    let shown = zone.second(at);
    match zone.name() {
        "UTC" => shown,
        name => format!("{shown} ({name})"),
    }
}

fn overview(f: &Figures) -> Section {
    let n = &f.totals;
    let records = if f.child_rows.is_empty() {
        t("记录", "Records")
    } else {
        t("普查对象", "Census objects")
    };
    let mut tiles = vec![(records, count(n.records))];
    // A census object's rows beneath it: a tile per child form.
    for (label, rows) in &f.child_rows {
        tiles.push((
            t(
                &format!("{}（行）", label.zh),
                &format!("{} (rows)", label.en),
            ),
            count(*rows),
        ));
    }
    tiles.extend([
        (t("被标记", "Flagged"), count(n.flagged)),
        (t("待处理", "Still open"), count(n.still_open)),
        (t("待签核", "Awaiting sign-off"), count(n.ready)),
        (t("已签核锁定", "Signed and locked"), count(n.signed)),
        (t("修正", "Corrections"), count(n.corrections)),
        (t("说明", "Explanations"), count(n.explanations)),
        (t("备注", "Notes"), count(n.notes)),
    ]);
    Section {
        id: "overview",
        title: t("概况", "Overview"),
        blocks: vec![
            Block::Tiles(tiles),
            Block::Para(t(
                &format!(
                    "被标记记录 {}：待处理 {}（强制性规则未通过，或提示性规则既未修正也未说明），待签核 {}，已签核锁定 {}。修正 {} 处，涉及 {} 条记录；说明 {} 处；签名 {} 个。",
                    count(n.flagged),
                    count(n.still_open),
                    count(n.ready),
                    count(n.signed),
                    count(n.corrections),
                    count(n.corrected_records),
                    count(n.explanations),
                    count(n.signatures)
                ),
                &format!(
                    "Flagged records: {}. Still open (an error failing, or a warning neither fixed nor explained): {}; awaiting sign-off: {}; signed and locked: {}. Corrections: {}, in {} records; explanations: {}; signatures: {}.",
                    count(n.flagged),
                    count(n.still_open),
                    count(n.ready),
                    count(n.signed),
                    count(n.corrections),
                    count(n.corrected_records),
                    count(n.explanations),
                    count(n.signatures)
                ),
            )),
            Block::Chart(Chart {
                title: t("被标记记录的进度", "Progress of the flagged records"),
                series: progress_series(),
                bars: vec![(
                    t("全部", "All"),
                    vec![n.still_open as f64, n.ready as f64, n.signed as f64],
                )],
                percent: false,
            }),
        ],
    }
}
