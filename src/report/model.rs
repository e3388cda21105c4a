//! The report as a document: sections of key figures, tables and charts, every heading and
//! label in both languages. The renderers only lay it out.

use super::sections;
use crate::domain::{Form, Localized};
use crate::reference;
use crate::store::Figures;

/// A text in Chinese and English (the same text twice for data such as names and numbers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

/// A bilingual text.
pub fn t(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

/// A text that reads the same in both languages.
pub fn same(text: impl Into<String>) -> Text {
    let text = text.into();
    Text {
        zh: text.clone(),
        en: text,
    }
}

impl From<&Localized> for Text {
    fn from(l: &Localized) -> Text {
        t(&l.zh, &l.en)
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: Text,
    /// (label, value) lines under the title.
    pub meta: Vec<(Text, Text)>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The anchor of the section.
    pub id: &'static str,
    pub title: Text,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Text),
    /// Key figures: (label, number).
    Tiles(Vec<(Text, String)>),
    Table(Table),
    Chart(Chart),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column headings, and whether the column holds numbers (right-aligned).
    pub columns: Vec<(Text, bool)>,
    pub rows: Vec<Vec<Text>>,
    /// A last row of totals, if any.
    pub total: Option<Vec<Text>>,
}

/// A horizontal bar chart; several series stack.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: Text,
    /// (name, CSS class) of each series.
    pub series: Vec<(Text, &'static str)>,
    pub bars: Vec<(Text, Vec<f64>)>,
    /// Values are shares between 0 and 1.
    pub percent: bool,
}

/// What the report is built from.
pub struct Input<'a> {
    pub workspace: &'a str,
    pub form: &'a Form,
    pub reasons: &'a [Localized],
    pub figures: &'a Figures,
}

/// A count with thousands separators.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(super) fn num(n: u64) -> Text {
    same(count(n))
}

pub(super) fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

pub(super) fn percent(part: u64, whole: u64) -> Text {
    if whole == 0 {
        same("—")
    } else {
        same(format!("{:.1}%", 100.0 * share(part, whole)))
    }
}

pub(super) fn severity(s: &str) -> Text {
    match s {
        "error" => t("强制性", "Error"),
        "warning" => t("提示性", "Warning"),
        other => same(other),
    }
}

/// A prefecture by the first four digits of its code.
pub(super) fn prefecture(prefix: &str) -> Text {
    let code = format!("{prefix:0<6}");
    if let Some(d) = reference::division(&code) {
        return same(format!("{prefix} {}", d.name));
    }
    if let Some(r) = reference::retired_divisions().find(|r| r.code == code) {
        return t(
            &format!("{prefix} {}（已撤销）", r.name),
            &format!("{prefix} {} (retired)", r.name),
        );
    }
    if prefix.is_empty() {
        return t("（无区划代码）", "(no division code)");
    }
    t(
        &format!("{prefix}（不在山东区划表中）"),
        &format!("{prefix} (not a Shandong division)"),
    )
}

pub(super) fn county(code: &str) -> Text {
    match reference::division(code) {
        Some(d) => same(format!("{code} {}", d.name)),
        None => same(code),
    }
}

/// Builds the report.
pub fn build(input: &Input<'_>) -> Document {
    let f = input.figures;
    let rule_set = match &f.rule_set {
        Some((id, file, at)) => same(format!("#{id} {file} ({at})")),
        None => t("尚未载入", "none loaded yet"),
    };
    let newest = match &f.last_event {
        Some((id, hash)) => same(format!("#{id} {}", &hash[..hash.len().min(16)])),
        None => same("—"),
    };
    Document {
        title: t("联合会审报告", "Joint review report"),
        meta: vec![
            (t("报表", "Form"), same(&input.form.name)),
            (t("报表名称", "Form title"), Text::from(&input.form.label)),
            (t("工作区", "Workspace"), same(input.workspace)),
            (t("审核规则", "Rule set"), rule_set),
            (t("审计事件", "Audit events"), same(count(f.events))),
            (t("最新事件", "Newest event"), newest),
            (t("数据时点", "Figures as of"), same(&f.taken_at)),
        ],
        sections: vec![
            overview(f),
            sections::regions(input),
            sections::rules(f),
            sections::quality(f),
            sections::corrections(input),
            sections::reviewers(f),
            sections::open_records(input),
        ],
    }
}

fn overview(f: &Figures) -> Section {
    let n = &f.totals;
    let tiles = vec![
        (t("记录", "Records"), count(n.records)),
        (t("被标记", "Flagged"), count(n.flagged)),
        (t("待处理", "Still open"), count(n.still_open)),
        (t("待签核", "Awaiting sign-off"), count(n.ready)),
        (t("已签核锁定", "Signed and locked"), count(n.signed)),
        (t("修正", "Corrections"), count(n.corrections)),
        (t("说明", "Explanations"), count(n.explanations)),
        (t("备注", "Notes"), count(n.notes)),
    ];
    Section {
        id: "overview",
        title: t("概况", "Overview"),
        blocks: vec![
            Block::Tiles(tiles),
            Block::Para(t(
                &format!(
                    "{} 条记录被审核规则标记；其中 {} 条仍有未通过的强制性规则或未说明的提示性规则，{} 条已处理完毕待签核，{} 条已签核锁定。共修正 {} 处（{} 条记录），说明 {} 处，签名 {} 个。",
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
                    "Rules flagged {} records: {} still have an error failing or a warning neither fixed nor explained, {} are done and await sign-off, and {} are signed and locked. Reviewers made {} corrections (in {} records) and {} explanations, and gave {} signatures.",
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

pub(super) fn progress_series() -> Vec<(Text, &'static str)> {
    vec![
        (t("待处理", "Still open"), "s-open"),
        (t("待签核", "Awaiting sign-off"), "s-ready"),
        (t("已签核", "Signed"), "s-signed"),
    ]
}
