//! The report as Markdown (GitHub's tables): the same sections and tables as the page; each
//! chart becomes a short table of its bars.

use std::fmt::Write;

use super::Lang;
use super::model::{Block, Chart, Document, Table, Text, count, same, t};

/// A table cell: pipes and line breaks would end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

pub fn render(doc: &Document, lang: Lang) -> String {
    let say = |text: &Text| lang.say(text);
    let mut md = String::new();
    let _ = writeln!(md, "# {}\n", say(&doc.title));
    for (label, value) in &doc.meta {
        let _ = writeln!(md, "- **{}**: {}", say(label), say(value));
    }
    for section in &doc.sections {
        let _ = writeln!(md, "\n## {}\n", say(&section.title));
        // A section's tables say what its charts show; a chart alone becomes a table.
        let has_table = section.blocks.iter().any(|b| matches!(b, Block::Table(_)));
        for block in &section.blocks {
            match block {
                Block::Para(text) => {
                    if lang == Lang::Both && text.zh != text.en {
                        let _ = writeln!(md, "{}\n\n{}\n", text.zh, text.en);
                    } else {
                        let _ = writeln!(md, "{}\n", say(text));
                    }
                }
                Block::Tiles(tiles) => {
                    let rows = tiles
                        .iter()
                        .map(|(label, value)| vec![label.clone(), same(value)])
                        .collect();
                    let table = Table {
                        columns: vec![(t("项目", "Item"), false), (t("数量", "Count"), true)],
                        rows,
                        total: None,
                    };
                    render_table(&mut md, &table, lang);
                }
                Block::Table(table) => render_table(&mut md, table, lang),
                Block::Chart(chart) if !has_table => render_chart(&mut md, chart, lang),
                Block::Chart(_) => {}
            }
        }
    }
    md
}

fn render_table(md: &mut String, table: &Table, lang: Lang) {
    let head: Vec<String> = table
        .columns
        .iter()
        .map(|(h, _)| cell(&lang.say(h)))
        .collect();
    let rule: Vec<&str> = table
        .columns
        .iter()
        .map(|(_, numeric)| if *numeric { "---:" } else { "---" })
        .collect();
    let _ = writeln!(md, "| {} |", head.join(" | "));
    let _ = writeln!(md, "|{}|", rule.join("|"));
    if table.rows.is_empty() {
        let mut none = vec![lang.say(&t("无", "None"))];
        none.resize(table.columns.len(), String::new());
        let _ = writeln!(md, "| {} |", none.join(" | "));
    }
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(&lang.say(c))).collect();
        let _ = writeln!(md, "| {} |", cells.join(" | "));
    }
    if let Some(total) = &table.total {
        let cells: Vec<String> = total
            .iter()
            .map(|c| format!("**{}**", cell(&lang.say(c))))
            .collect();
        let _ = writeln!(md, "| {} |", cells.join(" | "));
    }
    md.push('\n');
}

/// A chart as a table of its bars.
fn render_chart(md: &mut String, chart: &Chart, lang: Lang) {
    let _ = writeln!(md, "**{}**\n", lang.say(&chart.title));
    let mut columns = vec![(t("", ""), false)];
    columns.extend(chart.series.iter().map(|(name, _)| (name.clone(), true)));
    let rows = chart
        .bars
        .iter()
        .map(|(label, values)| {
            let mut row = vec![label.clone()];
            row.extend(values.iter().map(|v| {
                same(if chart.percent {
                    format!("{:.1}%", v * 100.0)
                } else {
                    count(v.round() as u64)
                })
            }));
            row
        })
        .collect();
    render_table(
        md,
        &Table {
            columns,
            rows,
            total: None,
        },
        lang,
    );
}
