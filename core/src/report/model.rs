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
    /// How it reads in both languages when that is not simply the Chinese, then the English
    /// (a name with a bilingual remark: "3712 莱芜市（已撤销 retired）").
    pub both: Option<String>,
}

/// A bilingual text.
pub fn t(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
        both: None,
    }
}

/// A text that reads the same in both languages.
pub fn same(text: impl Into<String>) -> Text {
    let text = text.into();
    Text {
        zh: text.clone(),
        en: text,
        both: None,
    }
}

/// A name followed by a remark in each language.
fn remarked(name: &str, zh: &str, en: &str) -> Text {
    Text {
        zh: format!("{name}（{zh}）"),
        en: format!("{name} ({en})"),
        both: Some(format!("{name}（{zh} {en}）")),
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
        return remarked(&format!("{prefix} {}", r.name), "已撤销", "retired");
    }
    if prefix.is_empty() {
        return t("（无区划代码）", "(no division code)");
    }
    if prefix.starts_with("37") {
        remarked(prefix, "不在区划表中", "not in the division table")
    } else {
        remarked(prefix, "省外", "outside Shandong")
    }
}

/// A division-code prefix (a reviewer's scope) with the name of the division it is.
pub(super) fn area(prefix: &str) -> Text {
    match reference::division(&format!("{prefix:0<6}")) {
        Some(d) => same(format!("{prefix} {}", d.name)),
        None => same(prefix),
    }
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

pub(super) fn progress_series() -> Vec<(Text, &'static str)> {
    vec![
        (t("待处理", "Still open"), "s-open"),
        (t("待签核", "Awaiting sign-off"), "s-ready"),
        (t("已签核", "Signed"), "s-signed"),
    ]
}
