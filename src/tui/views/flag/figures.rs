//! The figures a rule reads beyond the record: its peers groups and the rows of other
//! forms of the census object.

use ratatui::style::Style;
use ratatui::text::Line;

use super::text::{number, opt, value_text};
use super::{Out, unit};
use crate::cells::{fit, pad, width};
use crate::tui::i18n::say;
use huishen_core::domain::Datum;
use huishen_core::review::{LinkedRows, PeersFigures};

pub(super) fn peers(out: &mut Out<'_>, p: &PeersFigures) {
    let (app, lang) = (out.app, out.app.lang);
    out.heading(say::fd_peers(lang, &p.name));
    let labels = [
        say::fd_group(lang),
        say::fd_value(lang),
        say::fd_where(lang),
    ];
    let indent = 2 + labels.iter().map(|l| width(l)).max().unwrap_or(6) + 1;
    let lead = |l: &str| format!("  {l}");
    out.para(
        &lead(labels[0]),
        indent,
        &format!("{} = {}", p.group_expr, value_text(lang, &p.group)),
        Style::new(),
    );
    out.para(
        &lead(labels[1]),
        indent,
        &format!(
            "{} = {} {}",
            p.value_expr,
            value_text(lang, &p.own),
            say::fd_this_record(lang)
        ),
        Style::new(),
    );
    if let Some(filter) = &p.filter {
        out.para(&lead(labels[2]), indent, filter, Style::new());
    }
    match p.counted {
        Some(true) => out.para("", indent, say::fd_counted(lang), app.theme.dim()),
        Some(false) => out.para("", indent, say::fd_not_counted(lang), app.theme.dim()),
        None => {}
    }
    match &p.stats {
        None => out.para("", 2, say::fd_no_figures(lang), app.theme.dim()),
        Some(s) => {
            let figures = format!(
                "n {} · min {} · Q1 {} · {} {} · Q3 {} · max {} · {} {} · {} {}",
                s.n,
                opt(s.min),
                opt(s.q1),
                say::fd_median(lang),
                opt(s.median),
                opt(s.q3),
                opt(s.max),
                say::fd_mean(lang),
                opt(s.mean),
                say::fd_sum(lang),
                opt(s.sum),
            );
            out.para("", 2, &figures, app.theme.message());
            match (s.q1, s.q3) {
                (Some(q1), Some(q3)) => out.para(
                    "",
                    2,
                    &format!("IQR = Q3 − Q1 = {}", number(q3 - q1)),
                    app.theme.message(),
                ),
                _ => out.para("", 2, say::fd_no_quartiles(lang), app.theme.dim()),
            }
        }
    }
    if !p.columns.is_empty() {
        out.para(
            "",
            2,
            &say::fd_columns_read(lang, &format!("peers_{}", p.name), &p.columns.join(", ")),
            app.theme.dim(),
        );
    }
}

pub(super) fn linked(out: &mut Out<'_>, l: &LinkedRows) {
    let lang = out.app.lang;
    out.heading(say::fd_linked(
        lang,
        lang.of(&l.label),
        l.rows.len(),
        l.total as usize,
    ));
    table(out, l);
}

/// The other records that share the rule's `related` value with this one.
pub(super) fn related(out: &mut Out<'_>, expr: &str, value: &Option<Datum>, l: &LinkedRows) {
    let lang = out.app.lang;
    out.heading(say::fd_related_records(
        lang,
        expr,
        &value_text(lang, value),
        l.rows.len(),
        l.total as usize,
    ));
    if matches!(value, Some(Datum::Null) | None) {
        out.para("", 2, say::fd_related_none(lang), out.app.theme.dim());
        return;
    }
    if l.rows.is_empty() {
        out.para("", 2, say::fd_related_alone(lang), out.app.theme.dim());
        return;
    }
    table(out, l);
}

/// Rows as a table: the key, then each field (label and unit), each column as wide as it
/// needs (at most 24 cells).
fn table(out: &mut Out<'_>, l: &LinkedRows) {
    let (app, lang) = (out.app, out.app.lang);
    if l.rows.is_empty() {
        out.para("", 2, say::fd_no_rows(lang), app.theme.dim());
        return;
    }
    // A column each: the key, then each field it reads (label, with its unit).
    let heads: Vec<String> = std::iter::once(say::column_key(lang).to_string())
        .chain(
            l.fields
                .iter()
                .map(|f| format!("{}{}", lang.of(&f.label), unit(lang, f))),
        )
        .collect();
    let cells: Vec<Vec<String>> = l
        .rows
        .iter()
        .map(|(_, key, values)| {
            std::iter::once(key.clone())
                .chain(values.iter().map(|v| match v {
                    Datum::Null => "—".to_string(),
                    Datum::Real(x) => number(*x),
                    other => other.display(),
                }))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..heads.len())
        .map(|i| {
            cells
                .iter()
                .map(|r| width(&r[i]))
                .chain([width(&heads[i])])
                .max()
                .unwrap_or(4)
                .min(24)
        })
        .collect();
    let row = |texts: &[String]| {
        let joined: Vec<String> = texts.iter().zip(&widths).map(|(t, w)| pad(t, *w)).collect();
        fit(&format!("  {}", joined.join("  ")), out.w)
    };
    let head = row(&heads);
    out.lines.push(Line::styled(head, app.theme.dim()));
    for r in &cells {
        let text = row(r);
        out.lines.push(Line::raw(text));
    }
    if l.total as usize > l.rows.len() {
        out.para(
            "",
            2,
            &say::fd_more_rows(lang, l.total as usize - l.rows.len()),
            app.theme.dim(),
        );
    }
}
