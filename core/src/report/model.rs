//! The report as a document: sections of key figures, tables and charts, every heading and
//! label in both languages. The renderers only lay it out.

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
    crate::domain::text::thousands(n)
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
    if reference::outside_province(&code) {
        remarked(prefix, "省外", "outside Shandong")
    } else {
        remarked(prefix, "不在区划表中", "not in the division table")
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

pub(super) fn progress_series() -> Vec<(Text, &'static str)> {
    vec![
        (t("待处理", "Still open"), "s-open"),
        (t("待签核", "Awaiting sign-off"), "s-ready"),
        (t("已签核", "Signed"), "s-signed"),
    ]
}
