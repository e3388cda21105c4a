//! A flag's detail window: why the record was flagged. Its rule (id, severity, state, both
//! titles with the screen's language first), its `when` and `check` as written, the values it
//! reads on the record, each comparison it makes with its sides computed, the peers groups
//! and the rows of other forms it reads, what localisation and the fix rules say, and the
//! flag's history on the record. The lines are wrapped here to the window's width, so that
//! the model knows how far the window scrolls.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::bars::{outcome_name, severity_name};
use super::editors::frame_block;
use super::overlays::{centered, closing_hints};
use crate::cells::{fit, pad, width};
use crate::tui::action::{Command, Mode};
use crate::tui::app::App;
use crate::tui::i18n::{Lang, say};
use crate::tui::theme::{FIXED, symbol};
use huishen_core::domain::{Datum, EventKind, Field};
use huishen_core::review::{
    Comparison, Figure, FlagDetail, FlagEvent, FlagLocated, FlagStep, LinkedRows, PeersFigures,
};

/// The window on a screen of `size` and its lines: as wide as the screen allows less a
/// margin, as tall as its lines need (or the screen less a margin).
fn layout(app: &App, detail: &FlagDetail, size: Rect) -> (Rect, Vec<Line<'static>>) {
    let w = size.width.saturating_sub(4);
    let text = lines(app, detail, w.saturating_sub(2) as usize);
    let need = u16::try_from(text.len() + 2).unwrap_or(u16::MAX);
    let h = need.min(size.height.saturating_sub(2));
    (centered(size, w, h), text)
}

/// How far the window can scroll: its lines less those that fit.
pub fn scroll_room(app: &App, detail: &FlagDetail) -> u16 {
    let (area, text) = layout(app, detail, app.areas.size);
    let h = area.height.saturating_sub(2) as usize;
    u16::try_from(text.len().saturating_sub(h)).unwrap_or(u16::MAX)
}

pub fn flag_detail(frame: &mut Frame<'_>, app: &App, detail: &FlagDetail, scroll: u16) {
    let lang = app.lang;
    let (area, text) = layout(app, detail, frame.area());
    frame.render_widget(Clear, area);
    let h = area.height.saturating_sub(2) as usize;
    let scroll = (scroll as usize).min(text.len().saturating_sub(h));
    let last = (scroll + h).min(text.len());
    let mut hint = vec![closing_hints(app, Mode::FlagDetail)];
    hint.extend(super::hint_line(
        app,
        Mode::FlagDetail,
        &[(&[Command::ToggleLanguage], say::hint_language)],
    ));
    if text.len() > h {
        hint.push(say::fd_lines_shown(lang, scroll + 1, last, text.len()));
    }
    let block = frame_block(
        app,
        say::fd_title(lang, &detail.flag.rule, &detail.key),
        &hint.join(" · "),
    );
    let shown: Vec<Line<'static>> = text.into_iter().skip(scroll).take(h).collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
}

/// Text cut into lines of at most `w` cells: at spaces where it can, else between
/// characters (Chinese has no spaces).
pub fn wrap(text: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in words(paragraph) {
            let ww = width(word);
            if used + ww > w && used > 0 {
                out.push(line.trim_end().to_string());
                line = String::new();
                used = 0;
                if word.trim().is_empty() {
                    continue;
                }
            }
            if ww > w {
                for c in word.chars() {
                    let cw = width(c.encode_utf8(&mut [0; 4]));
                    if used + cw > w {
                        out.push(std::mem::take(&mut line));
                        used = 0;
                    }
                    line.push(c);
                    used += cw;
                }
            } else {
                line.push_str(word);
                used += ww;
            }
        }
        out.push(line.trim_end().to_string());
    }
    out
}

/// Words with their trailing spaces; each wide character is a word of its own.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let wide = width(c.encode_utf8(&mut [0; 4])) > 1;
        let next = chars.peek().map(|&(j, n)| (j, n));
        let ends = match next {
            None => true,
            Some((_, n)) => {
                let next_wide = width(n.encode_utf8(&mut [0; 4])) > 1;
                wide || next_wide || (c == ' ' && n != ' ')
            }
        };
        if ends {
            let end = next.map_or(text.len(), |(j, _)| j);
            out.push(&text[start..end]);
            start = end;
        }
        let _ = i;
    }
    out
}

/// Lines of the window, in order.
struct Out<'a> {
    app: &'a App,
    w: usize,
    lines: Vec<Line<'static>>,
}

impl Out<'_> {
    /// `text` wrapped after `lead` (the first line's label, padded to `indent`), the lines
    /// after it indented as far.
    fn para(&mut self, lead: &str, indent: usize, text: &str, style: Style) {
        let lead = if lead.is_empty() {
            " ".repeat(indent)
        } else {
            pad(lead, indent)
        };
        for (i, piece) in wrap(text, self.w.saturating_sub(indent))
            .into_iter()
            .enumerate()
        {
            let head = if i == 0 {
                lead.clone()
            } else {
                " ".repeat(indent)
            };
            self.lines.push(Line::from(vec![
                Span::styled(head, self.app.theme.dim()),
                Span::styled(piece, style),
            ]));
        }
    }

    fn heading(&mut self, text: String) {
        self.lines.push(Line::raw(""));
        self.lines
            .push(Line::styled(fit(&text, self.w), self.app.theme.title()));
    }
}

fn lines(app: &App, d: &FlagDetail, w: usize) -> Vec<Line<'static>> {
    let mut out = Out {
        app,
        w,
        lines: Vec::new(),
    };
    header(&mut out, d);
    expressions(&mut out, d);
    reads(&mut out, d);
    for c in &d.comparisons {
        comparison(&mut out, c);
    }
    for p in &d.peers {
        peers(&mut out, p);
    }
    for l in &d.linked {
        linked(&mut out, l);
    }
    for l in &d.unlinked {
        let fields: Vec<&str> = l.fields.iter().map(|f| app.lang.of(&f.label)).collect();
        out.heading(say::fd_unlinked(
            app.lang,
            app.lang.of(&l.label),
            &fields.join(", "),
        ));
    }
    located(&mut out, d);
    history(&mut out, d);
    out.lines
}

fn header(out: &mut Out<'_>, d: &FlagDetail) {
    let (app, lang) = (out.app, out.app.lang);
    let f = &d.flag;
    let state = if !f.is_open() {
        say::fixed(lang)
    } else if f.explained {
        say::explained(lang)
    } else {
        outcome_name(lang, f.outcome)
    };
    let mark = if f.is_open() && !f.explained {
        symbol(f.severity)
    } else {
        FIXED
    };
    out.lines.push(Line::from(vec![
        Span::styled(
            format!("{mark} {} ", f.rule),
            app.theme.severity(f.severity),
        ),
        Span::styled(
            format!("{} · {state}", severity_name(lang, f.severity)),
            app.theme.severity(f.severity),
        ),
    ]));
    let first = lang.pick(&f.title_en, &f.title_zh);
    let second = lang.other().pick(&f.title_en, &f.title_zh);
    out.para("", 2, first, Style::new());
    out.para("", 2, second, app.theme.dim());
    if let Some(hint) = &d.hint {
        out.para(
            "",
            2,
            &say::fd_hint(lang, lang.of(hint)),
            app.theme.message(),
        );
    }
}

fn expressions(out: &mut Out<'_>, d: &FlagDetail) {
    let lang = out.app.lang;
    out.heading(say::fd_as_written(lang).into());
    let labels = [
        say::fd_when(lang),
        say::fd_check(lang),
        say::fd_related(lang),
    ];
    let indent = 2 + labels.iter().map(|l| width(l)).max().unwrap_or(6) + 1;
    let lead = |l: &str| format!("  {l}");
    match &d.when {
        Some(when) => out.para(&lead(labels[0]), indent, when, Style::new()),
        None => out.para(
            &lead(labels[0]),
            indent,
            say::fd_always(lang),
            out.app.theme.dim(),
        ),
    }
    out.para(&lead(labels[1]), indent, &d.check, Style::new());
    if let Some(related) = &d.related {
        out.para(&lead(labels[2]), indent, related, Style::new());
    }
}

/// A field's label, by name, from the record's form.
fn label<'a>(d: &'a FlagDetail, lang: Lang, name: &'a str) -> &'a str {
    d.form.field(name).map_or(name, |f| lang.of(&f.label))
}

/// A field's label on `form`: the record's, or one of the forms it reads through the link.
fn label_on<'a>(d: &'a FlagDetail, lang: Lang, form: &str, name: &'a str) -> &'a str {
    if form == d.form.name {
        return label(d, lang, name);
    }
    d.linked
        .iter()
        .filter(|l| l.form == form)
        .flat_map(|l| &l.fields)
        .find(|f| f.name == name)
        .map_or(name, |f| lang.of(&f.label))
}

fn unit(lang: Lang, f: &Field) -> String {
    f.unit
        .as_ref()
        .map_or(String::new(), |u| format!(" {}", lang.of(u)))
}

fn reads(out: &mut Out<'_>, d: &FlagDetail) {
    let (app, lang) = (out.app, out.app.lang);
    out.heading(say::fd_reads(lang).into());
    if d.reads.is_empty() {
        out.para("", 2, say::fd_reads_nothing(lang), app.theme.dim());
        return;
    }
    let label_w = d
        .reads
        .iter()
        .map(|v| width(lang.of(&v.field.label)))
        .max()
        .unwrap_or(8)
        .min(out.w * 3 / 10)
        .max(8);
    for v in &d.reads {
        let now = if v.is_null { "—" } else { v.text.as_str() };
        let value = match &v.original {
            Some(o) => format!("{} → {now}", if o.is_empty() { "—" } else { o.as_str() }),
            None => now.to_string(),
        };
        let unit = if v.is_null {
            String::new()
        } else {
            unit(lang, &v.field)
        };
        let lead = format!("  {}", pad(lang.of(&v.field.label), label_w));
        out.para(
            &lead,
            label_w + 3,
            &format!("{value}{unit}  ({})", v.field.name),
            Style::new(),
        );
    }
}

/// A computed value as the window shows it (numbers as [`number`] writes them).
pub fn value_text(lang: Lang, value: &Option<Datum>) -> String {
    match value {
        None => say::fd_not_computed(lang).into(),
        Some(Datum::Null) => "NULL".into(),
        Some(Datum::Integer(i)) => i.to_string(),
        Some(Datum::Real(x)) => number(*x),
        Some(Datum::Text(t)) => format!("'{t}'"),
    }
}

/// A number as it is when that is short (`657.4269`), else to eight significant digits
/// without trailing zeros; very large or small ones in exponent form (`1e308`).
pub fn number(x: f64) -> String {
    let plain = x.to_string();
    if x == 0.0 || !x.is_finite() || plain.len() <= 12 {
        return plain;
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..12).contains(&magnitude) {
        return format!("{x:.7e}");
    }
    let decimals = (7 - magnitude).max(0) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn comparison(out: &mut Out<'_>, c: &Comparison) {
    let (app, lang) = (out.app, out.app.lang);
    out.heading(say::fd_compares(lang).into());
    let between = c.op.ends_with("BETWEEN");
    for (i, side) in c.sides.iter().enumerate() {
        let op = match (i, between) {
            (0, _) => String::new(),
            (1, _) => c.op.clone(),
            (_, true) => "AND".into(),
            (_, false) => String::new(),
        };
        let lead = if op.is_empty() {
            "  ".to_string()
        } else {
            format!("  {op} ")
        };
        out.para(&lead, width(&lead), &side.expr, Style::new());
        let indent = width(&lead) + 2;
        out.para(
            "",
            indent,
            &format!("= {}", figure(lang, side)),
            app.theme.message(),
        );
    }
}

fn figure(lang: Lang, f: &Figure) -> String {
    // The number the rule compared, as the rule computed it.
    value_text(lang, &f.value)
}

fn opt(x: Option<f64>) -> String {
    x.map_or("—".into(), number)
}

fn peers(out: &mut Out<'_>, p: &PeersFigures) {
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

fn linked(out: &mut Out<'_>, l: &LinkedRows) {
    let (app, lang) = (out.app, out.app.lang);
    out.heading(say::fd_linked(
        lang,
        lang.of(&l.label),
        l.rows.len(),
        l.total as usize,
    ));
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

fn located(out: &mut Out<'_>, d: &FlagDetail) {
    let (app, lang) = (out.app, out.app.lang);
    let text = match &d.located {
        FlagLocated::Nothing => None,
        FlagLocated::Fields { fields, weight } => {
            let labels: Vec<&str> = fields.iter().map(|f| label(d, lang, f)).collect();
            Some(format!(
                "⌖ {}",
                say::fd_located_fields(lang, &labels.join(", "), &number(*weight))
            ))
        }
        FlagLocated::Contradictory { rules } => Some(format!(
            "⌖ {}",
            say::located_contradictory(lang, &rules.join(", "))
        )),
        FlagLocated::OverBudget => Some(say::fd_located_over_budget(lang).into()),
        FlagLocated::LeftOut { construct } => Some(say::fd_left_out(lang, construct)),
    };
    if let Some(text) = text {
        out.heading(say::fd_localisation(lang).into());
        out.para("", 2, &text, app.theme.message());
    }
    if d.proposals.is_empty() {
        return;
    }
    out.heading(say::fd_proposals(lang).into());
    for p in &d.proposals {
        let changes: Vec<String> = p
            .changes
            .iter()
            .map(|c| {
                let unit = d
                    .form
                    .field(&c.field)
                    .map_or(String::new(), |f| unit(lang, f));
                format!(
                    "{} {} → {}{unit}",
                    label(d, lang, &c.field),
                    shown(&c.old),
                    shown(&c.new)
                )
            })
            .collect();
        let mut text = format!("✎ {} {}: {}", p.fix, lang.of(&p.title), changes.join(", "));
        if !p.resolves.is_empty() {
            text.push_str(&format!(
                " · {}",
                say::resolves(lang, &p.resolves.join(", "))
            ));
        }
        if !p.opens.is_empty() {
            text.push_str(&format!(" · {}", say::opens(lang, &p.opens.join(", "))));
        }
        if p.dismissed {
            text.push_str(&format!(" · {}", say::dismissed(lang)));
        }
        out.para("", 2, &text, app.theme.message());
    }
}

fn shown(d: &Datum) -> String {
    match d {
        Datum::Null => "—".into(),
        Datum::Real(x) => number(*x),
        other => other.display(),
    }
}

/// A time of the trail as the window shows it.
fn at(text: &str) -> String {
    format!("{} UTC", text.get(..19).unwrap_or(text).replace('T', " "))
}

fn history(out: &mut Out<'_>, d: &FlagDetail) {
    let (app, lang) = (out.app, out.app.lang);
    out.heading(say::fd_history(lang).into());
    for e in &d.history {
        let text = step(lang, d, e);
        let style = match e.step {
            FlagStep::Opened { .. } => app.theme.severity(d.flag.severity),
            FlagStep::Resolved => app.theme.resolved(),
            _ if e.undone => app.theme.dim(),
            _ => Style::new(),
        };
        let lead = format!("  {}  ", at(&e.at));
        out.para(&lead, width(&lead), &text, style);
    }
}

fn step(lang: Lang, d: &FlagDetail, e: &FlagEvent) -> String {
    let who = e.reviewer.as_deref().unwrap_or("");
    let mut text = match &e.step {
        FlagStep::Opened { outcome, by } => {
            let outcome = outcome_name(lang, *outcome);
            match by {
                Some(b) if b.kind == EventKind::Check => {
                    say::fd_opened_by_check(lang, outcome, &b.reviewer)
                }
                Some(b) => {
                    let on = match &b.key {
                        Some(k) if *k != d.key => say::fd_on_row(lang, k),
                        _ => String::new(),
                    };
                    say::fd_opened_by_action(
                        lang,
                        outcome,
                        say::action(lang, b.kind),
                        &b.reviewer,
                        &on,
                    )
                }
                None => say::fd_opened(lang, outcome),
            }
        }
        FlagStep::Resolved => say::fd_resolved(lang).into(),
        FlagStep::Corrected {
            form,
            key,
            field,
            old,
            new,
            reason,
        } => {
            let on = if *key != d.key {
                say::fd_on_row(lang, key)
            } else {
                String::new()
            };
            let field = format!("{}{on}", label_on(d, lang, form, field));
            say::fd_corrected(lang, who, &field, &shown(old), &shown(new), reason)
        }
        FlagStep::Explained { text } => say::fd_explained(lang, who, text),
        FlagStep::Undone { kind, field } => {
            let what = match field {
                Some(f) => format!("{} ({})", say::action(lang, *kind), label(d, lang, f)),
                None => say::action(lang, *kind).to_string(),
            };
            say::fd_undid(lang, who, &what)
        }
    };
    if e.undone {
        text.push_str(say::fd_since_undone(lang));
    }
    text
}
