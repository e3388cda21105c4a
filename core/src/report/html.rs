//! The report as one self-contained HTML5 page: its style sheet inline, its charts inline SVG,
//! no script and nothing to fetch, so that it opens the same anywhere, offline, and prints.

use std::fmt::Write;

use super::Lang;
use super::model::{Block, Chart, Document, Table, Text, t};
use super::svg::{self, escape};

const STYLE: &str = r#"
:root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --band: #f4f6f9; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 14px/1.5 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
    system-ui, sans-serif; }
header, nav, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; border-bottom: 3px solid var(--accent); }
h1 { font-size: 26px; margin: 0 0 12px; }
h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.en { color: var(--muted); font-weight: normal; }
h1 .en, h2 .en { margin-left: 6px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 18px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 20px; list-style: none; padding: 0; margin: 14px auto; }
nav a { color: var(--accent); text-decoration: none; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.tile { background: var(--band); border-radius: 6px; padding: 10px 14px; }
.tile .n { display: block; font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .l { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 10px 0 18px; font-size: 13px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
th:first-child, td:first-child { white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
td .en, th .en { display: block; font-size: 12px; }
figure { margin: 12px 0 20px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { max-width: 100%; height: auto; font-size: 12px; }
svg.chart text { fill: var(--ink); }
svg.chart text.tick, svg.chart text.value { fill: var(--muted); font-variant-numeric: tabular-nums; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
.s-open { fill: #c8372d; } .s-ready { fill: #7fa9dc; } .s-signed { fill: #1f5fa8; }
.s-explained { fill: #e3a21a; } .s-fixed { fill: #2e8b57; } .s-note { fill: #8e6bbf; }
p.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; padding: 24px; border-top: 1px solid var(--line); margin-top: 36px; }
@media print { nav { display: none; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; } }
"#;

/// A text as HTML; in both languages the English follows in its own span.
fn say(lang: Lang, text: &Text) -> String {
    if lang == Lang::Both && text.zh != text.en && text.both.is_none() {
        format!(
            r#"{} <span class="en" lang="en">{}</span>"#,
            escape(&text.zh),
            escape(&text.en)
        )
    } else {
        escape(&lang.say(text))
    }
}

/// The whole page.
pub fn render(doc: &Document, lang: Lang) -> String {
    let mut html = String::with_capacity(64 * 1024);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n<dl class=\"meta\">\n",
        lang.tag(),
        escape(&lang.say(&doc.title)),
        say(lang, &doc.title)
    );
    for (label, value) in &doc.meta {
        let _ = writeln!(
            html,
            "<dt>{}</dt><dd>{}</dd>",
            say(lang, label),
            say(lang, value)
        );
    }
    html.push_str("</dl>\n</header>\n<nav>\n<ol>\n");
    for section in &doc.sections {
        let _ = writeln!(
            html,
            "<li><a href=\"#{}\">{}</a></li>",
            section.id,
            escape(&lang.say(&section.title))
        );
    }
    html.push_str("</ol>\n</nav>\n<main>\n");
    let mut charts = 0;
    for section in &doc.sections {
        let _ = writeln!(
            html,
            "<section id=\"{}\">\n<h2>{}</h2>",
            section.id,
            say(lang, &section.title)
        );
        for block in &section.blocks {
            match block {
                Block::Para(text) => {
                    let _ = writeln!(html, "<p>{}</p>", para(lang, text));
                }
                Block::Tiles(tiles) => {
                    html.push_str("<div class=\"tiles\">\n");
                    for (label, value) in tiles {
                        let _ = writeln!(
                            html,
                            "<div class=\"tile\"><span class=\"n\">{}</span><span class=\"l\">{}</span></div>",
                            escape(value),
                            say(lang, label)
                        );
                    }
                    html.push_str("</div>\n");
                }
                Block::Table(table) => render_table(&mut html, table, lang),
                Block::Chart(chart) => {
                    charts += 1;
                    render_chart(&mut html, chart, lang, &format!("chart{charts}"));
                }
            }
        }
        html.push_str("</section>\n");
    }
    let _ = write!(
        html,
        "</main>\n<footer>{} huishen {}</footer>\n</body>\n</html>\n",
        say(lang, &t("由会审生成", "Made by")),
        env!("CARGO_PKG_VERSION")
    );
    html
}

/// A paragraph: in both languages, the English as its own line.
fn para(lang: Lang, text: &Text) -> String {
    if lang == Lang::Both && text.zh != text.en && text.both.is_none() {
        format!(
            "{}<br><span class=\"en\" lang=\"en\">{}</span>",
            escape(&text.zh),
            escape(&text.en)
        )
    } else {
        escape(&lang.say(text))
    }
}

fn render_table(html: &mut String, table: &Table, lang: Lang) {
    html.push_str("<table>\n<thead><tr>");
    for (heading, numeric) in &table.columns {
        let class = if *numeric { " class=\"n\"" } else { "" };
        let _ = write!(html, "<th{class}>{}</th>", say(lang, heading));
    }
    html.push_str("</tr></thead>\n<tbody>\n");
    if table.rows.is_empty() {
        let _ = writeln!(
            html,
            "<tr><td colspan=\"{}\">{}</td></tr>",
            table.columns.len(),
            say(lang, &t("无", "None"))
        );
    }
    let mut row = |cells: &[Text], class: &str| {
        let _ = write!(html, "<tr{class}>");
        for (cell, (_, numeric)) in cells.iter().zip(&table.columns) {
            let class = if *numeric { " class=\"n\"" } else { "" };
            let _ = write!(html, "<td{class}>{}</td>", say(lang, cell));
        }
        html.push_str("</tr>\n");
    };
    for cells in &table.rows {
        row(cells, "");
    }
    if let Some(total) = &table.total {
        row(total, " class=\"total\"");
    }
    html.push_str("</tbody>\n</table>\n");
}

fn render_chart(html: &mut String, chart: &Chart, lang: Lang, id: &str) {
    let _ = write!(
        html,
        "<figure>\n<figcaption>{}</figcaption>\n",
        say(lang, &chart.title)
    );
    if chart.bars.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"empty\">{}</p>",
            say(lang, &t("暂无数据", "Nothing yet"))
        );
    } else {
        html.push_str(&svg::chart(chart, lang, id));
        html.push('\n');
    }
    html.push_str("</figure>\n");
}
