//! The three panes: the queue, the record and its flags.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::bars::outcome_name;
use crate::cells::{fit, pad, pad_left, width};
use crate::tui::app::{App, Pane};
use crate::tui::i18n::say;
use crate::tui::theme::{FIXED, READY, SIGNED_ONCE, symbol};
use huishen_core::domain::FlagLine;
use huishen_core::domain::Severity;
use huishen_core::review::{QueueRow, RecordDetail, Session};

fn block<'a>(app: &App, pane: Pane, title: String) -> Block<'a> {
    let focused = app.focus == pane && app.overlay.is_none();
    Block::bordered()
        .border_style(app.theme.border(focused))
        .title(Span::styled(title, app.theme.title()))
}

pub fn queue(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let lang = app.lang;
    let at = if app.rows.is_empty() {
        0
    } else {
        app.position + app.cursor as u64 + 1
    };
    let title = say::queue_title(lang, at, app.count);
    let block = block(app, Pane::Queue, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    // Columns: symbol, key, name, county, flags; the name takes what is left.
    let key_w = app
        .rows
        .iter()
        .map(|r| width(&r.key))
        .max()
        .unwrap_or(8)
        .clamp(6, 16);
    let count_w = 4;
    // The score column, once the rules score records; in a narrow pane it takes the county's
    // place, and in a very narrow one only its ▲ stays (the record's title gives the score),
    // so that names keep room enough to tell apart.
    let score_w = match (app.rows.iter().any(|r| r.score.is_some()), w) {
        (false, _) => 0,
        (true, 45..) => 8,
        (true, _) => 1,
    };
    let county_w = match (w, score_w > 0) {
        (60.., _) => 10,
        (45.., _) | (_, false) => 6,
        _ => 0,
    };
    let county_gap = usize::from(county_w > 0);
    let score_gap = usize::from(score_w > 0);
    let name_w =
        w.saturating_sub(2 + key_w + 1 + 1 + county_w + county_gap + count_w + score_w + score_gap);
    let column = |text: &str| {
        if county_w > 0 {
            format!("{} ", pad(text, county_w))
        } else {
            String::new()
        }
    };
    let score_head = match score_w {
        0 => String::new(),
        1 => "  ".to_string(),
        _ => format!(" {}", pad_left(say::column_score(lang), score_w)),
    };
    let mut lines = vec![Line::styled(
        format!(
            "  {} {} {}{}{score_head}",
            pad(say::column_key(lang), key_w),
            pad(say::column_name(lang), name_w),
            column(say::column_county(lang)),
            pad_left(say::column_count(lang), count_w),
        ),
        app.theme.dim(),
    )];
    if app.rows.is_empty() {
        lines.push(Line::styled(
            format!("  {}", say::no_record_matches(lang)),
            app.theme.dim(),
        ));
        if let (Some(text), Some((n, keys))) = (&app.filter.search, &app.unflagged)
            && *n > 0
        {
            let keys = match keys.len() as u64 {
                k if k < *n => format!("{}…", keys.join(", ")),
                _ => keys.join(", "),
            };
            let said = match n {
                1 => say::unflagged_one(lang, text, &keys),
                1001.. => say::unflagged_more(lang, text, &keys),
                n => say::unflagged_many(lang, text, *n, &keys),
            };
            for part in crate::cells::wrap(&said, w.saturating_sub(2)) {
                lines.push(Line::styled(format!("  {part}"), app.theme.dim()));
            }
        }
    }
    for (i, row) in app.rows.iter().enumerate() {
        let county = match Session::region_name(&row.region) {
            Some(name) => name,
            None if Session::region_outside(&row.region) => say::outside_county(lang),
            None => row.region.as_str(),
        };
        let count = (row.errors + row.warnings).to_string();
        let mark = if row.high == Some(true) { "▲" } else { " " };
        let score = match score_w {
            0 => String::new(),
            1 => format!(" {mark}"),
            _ => {
                let text = super::selective::score_text(row.score);
                format!(" {}{mark}", pad_left(&text, score_w - 1))
            }
        };
        let rest = format!(
            "{} {} {}{}{score}",
            pad(&row.key, key_w),
            pad(row.name.as_deref().unwrap_or(""), name_w),
            column(county),
            pad_left(&count, count_w)
        );
        let selected = i == app.cursor;
        let base = if selected {
            app.theme.selected()
        } else {
            Style::new()
        };
        let (mark, style) = if app.marked.contains(&row.record) {
            ("•", app.theme.message())
        } else {
            line_mark(app, row)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), base.patch(style)),
            Span::styled(rest, base),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A queue line's mark: where its record stands. Signed off comes first (a locked record's
/// explained warnings are done with), then an open error, a warning to explain, signed and
/// waiting for more signatures, ready to sign.
pub(super) fn line_mark(app: &App, row: &QueueRow) -> (&'static str, Style) {
    if row.locked {
        (FIXED, app.theme.dim())
    } else if row.errors > 0 {
        (symbol(Severity::Error), app.theme.severity(Severity::Error))
    } else if row.to_explain {
        (
            symbol(Severity::Warning),
            app.theme.severity(Severity::Warning),
        )
    } else if row.signatures > 0 {
        (SIGNED_ONCE, app.theme.key())
    } else {
        (READY, app.theme.resolved())
    }
}

pub fn record(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let lang = app.lang;
    let title = match &app.record {
        Some(r) => record_title(app, r),
        None => format!(" {} ", say::record(lang)),
    };
    let block = block(app, Pane::Record, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(record) = &app.record else {
        return;
    };
    let w = inner.width as usize;
    let longest = record
        .values
        .iter()
        .map(|v| width(lang.of(&v.field.label)))
        .max()
        .unwrap_or(8);
    let label_w = longest.min(w * 2 / 5).max(8);
    let value_w = w.saturating_sub(2 + label_w + 1);
    let rows = inner.height as usize;
    let mut lines = Vec::new();
    // The line the cursor is on, to keep it in view.
    let mut at = 0;
    for (i, v) in record.values.iter().enumerate() {
        let worst = record.flags_on(&v.field.name).map(|f| f.severity).min();
        let label = lang.of(&v.field.label);
        let unit = v.field.unit.as_ref().map_or("", |u| lang.of(u));
        let now = if v.is_null { "—" } else { v.text.as_str() };
        // A corrected field shows where it started: original → current.
        let value = match &v.original {
            Some(o) => format!("{} → {now}", if o.is_empty() { "—" } else { o.as_str() }),
            None => now.to_string(),
        };
        let value = value.as_str();
        let selected = app.focus == Pane::Record && i == app.field_cursor;
        let base = if selected {
            app.theme.selected()
        } else {
            Style::new()
        };
        // A field localisation would change is marked ⌖ beside its flag mark.
        let located = record.located.as_ref().is_some_and(|l| match &l.located {
            huishen_core::domain::Located::Fields { fields, .. } => fields.contains(&v.field.name),
            _ => false,
        });
        let mark = match (worst, located) {
            (_, true) => Span::styled("⌖ ", base.patch(app.theme.message())),
            (Some(s), false) => {
                Span::styled(format!("{} ", symbol(s)), base.patch(app.theme.severity(s)))
            }
            (None, false) => Span::styled("  ", base),
        };
        let value_style = match worst {
            Some(s) => base.patch(app.theme.severity(s)),
            None if v.is_null => base.patch(app.theme.dim()),
            None => base,
        };
        // The unit follows the value; the value is never cut for it.
        let value = fit(value, value_w);
        // A code is followed by what it means (大型, 是, 历下区), a number by its unit.
        let meaning = v.field.meaning(&v.text).filter(|_| !v.is_null);
        let unit = match meaning {
            Some(m) => format!(" · {}", lang.of(&m)),
            None if unit.is_empty() || v.is_null => String::new(),
            None => format!(" {unit}"),
        };
        let unit = pad(&unit, value_w.saturating_sub(width(&value)));
        if selected {
            at = lines.len();
        }
        lines.push(Line::from(vec![
            mark,
            Span::styled(format!("{} ", pad(label, label_w)), base),
            Span::styled(value, value_style),
            Span::styled(unit, base.patch(app.theme.dim())),
        ]));
    }
    at = at.max(super::object::rows(app, record, w, &mut lines));
    let skip = at.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line<'_>> = lines.into_iter().skip(skip).take(rows).collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The record pane's title: its key, where it is in its lifecycle, who else is on it.
fn record_title(app: &App, r: &RecordDetail) -> String {
    let lang = app.lang;
    if let Some(inside) = &app.inside {
        return super::object::title(app, inside, r);
    }
    let st = &r.status;
    let state = if st.locked {
        say::locked(lang).to_string()
    } else if !st.signatures.is_empty() {
        say::signed_of(lang, st.signatures.len(), st.signatures_required)
    } else if st.ready() {
        say::ready_to_sign(lang).to_string()
    } else {
        say::flagged(lang).to_string()
    };
    let claim = match &r.claimed_by {
        Some(c) => say::is_on_record(lang, &c.reviewer),
        None => String::new(),
    };
    let scores = if r.scores.is_empty() {
        String::new()
    } else {
        format!(" · {}", super::selective::scores_text(&r.scores))
    };
    say::record_title(lang, &r.key, &format!("{state}{claim}{scores}"))
}

pub fn flags(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let lang = app.lang;
    let field = match (&app.record, app.focus) {
        (Some(r), Pane::Record) => r.values.get(app.field_cursor).map(|v| v.field.clone()),
        _ => None,
    };
    let title = match &field {
        Some(f) => say::flags_of(lang, lang.of(&f.label)),
        None => format!(" {} ", say::flags(lang)),
    };
    let block = block(app, Pane::Flags, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(record) = &app.record else {
        return;
    };
    let w = inner.width as usize;
    // Proposed fixes come first: they are what the reviewer can settle with one key.
    let proposals = if field.is_none() {
        let mut lines = super::selective::proposal_lines(app, &record.proposals, w);
        lines.extend(
            record
                .located
                .as_ref()
                .and_then(|l| super::selective::located_line(app, &l.located, w)),
        );
        lines
    } else {
        Vec::new()
    };
    let inner = if proposals.is_empty() {
        inner
    } else {
        let n = (proposals.len() as u16).min(inner.height.saturating_sub(1));
        frame.render_widget(Paragraph::new(proposals), Rect { height: n, ..inner });
        Rect {
            y: inner.y + n,
            height: inner.height - n,
            ..inner
        }
    };
    let shown: Vec<_> = record
        .flags
        .iter()
        .filter(|f| field.as_ref().is_none_or(|fd| f.fields.contains(&fd.name)))
        .collect();
    if shown.is_empty() {
        let text = if field.is_some() {
            say::no_flag_on_field(lang)
        } else {
            say::no_flags(lang)
        };
        frame.render_widget(Paragraph::new(Span::styled(text, app.theme.dim())), inner);
        return;
    }
    let rows = inner.height as usize;
    let fields_w = (w / 4).clamp(8, 40);
    // The selected flag shows its whole title, wrapped beneath its line; the others one line.
    let blocks: Vec<Vec<Line<'static>>> = shown
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let selected = app.focus == Pane::Flags && i == app.flag_cursor;
            flag_lines(app, f, (w, fields_w), selected)
        })
        .collect();
    let cursor = app.flag_cursor.min(blocks.len() - 1);
    let mut skip = 0;
    while skip < cursor && blocks[skip..=cursor].iter().map(Vec::len).sum::<usize>() > rows {
        skip += 1;
    }
    let lines: Vec<Line<'static>> = blocks.into_iter().skip(skip).flatten().take(rows).collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A flag's line; when selected and its title does not fit its column, the rest of the
/// title wrapped beneath it, under the title column and the columns after it.
fn flag_lines(
    app: &App,
    f: &FlagLine,
    (w, fields_w): (usize, usize),
    selected: bool,
) -> Vec<Line<'static>> {
    let title = app.lang.pick(&f.title_en, &f.title_zh);
    let title_w = w.saturating_sub(2 + 5 + FLAG_SEVERITY_W + 1 + 1 + fields_w + 1 + FLAG_STATE_W);
    if !selected || width(title) <= title_w || title_w == 0 {
        return vec![flag_line(app, f, (w, fields_w), selected, title)];
    }
    let first = super::flag::wrap(title, title_w)
        .into_iter()
        .next()
        .unwrap_or_default();
    let rest = title.get(first.len()..).unwrap_or("").trim_start();
    let indent = 2 + 5 + FLAG_SEVERITY_W + 1;
    let mut lines = vec![flag_line(app, f, (w, fields_w), selected, &first)];
    for piece in super::flag::wrap(rest, w.saturating_sub(indent)) {
        lines.push(Line::from(vec![
            Span::raw(" ".repeat(indent)),
            Span::styled(pad(&piece, w.saturating_sub(indent)), app.theme.selected()),
        ]));
    }
    lines
}

const FLAG_SEVERITY_W: usize = 8;
const FLAG_STATE_W: usize = 10;

/// One flag: its mark, rule, severity, `title` (its title, or the first piece of it), the
/// fields it names and its state, in a line `w` cells wide whose fields column is `fields_w`.
fn flag_line(
    app: &App,
    f: &FlagLine,
    (w, fields_w): (usize, usize),
    selected: bool,
    title: &str,
) -> Line<'static> {
    let lang = app.lang;
    let state_w = FLAG_STATE_W;
    let sev_w = FLAG_SEVERITY_W;
    let title_w = w.saturating_sub(2 + 5 + sev_w + 1 + 1 + fields_w + 1 + state_w);
    let open = f.is_open();
    let base = if selected {
        app.theme.selected()
    } else {
        Style::new()
    };
    let (mark, mark_style) = if open && !f.explained {
        (symbol(f.severity), app.theme.severity(f.severity))
    } else {
        (FIXED, app.theme.resolved())
    };
    let state = if !open {
        say::fixed(lang)
    } else if f.explained {
        say::explained(lang)
    } else {
        outcome_name(lang, f.outcome)
    };
    let labels: Vec<&str> = f
        .fields
        .iter()
        .map(|name| {
            app.session
                .form
                .field(name)
                .map_or(name.as_str(), |fd| lang.of(&fd.label))
        })
        .collect();
    let fields = fit(&labels.join(", "), fields_w);
    Line::from(vec![
        Span::styled(format!("{mark} "), base.patch(mark_style)),
        Span::styled(pad(&f.rule, 5), base),
        Span::styled(
            pad(say::severity(lang, f.severity), sev_w),
            base.patch(app.theme.severity(f.severity)),
        ),
        Span::styled(format!(" {} ", pad(title, title_w)), base),
        Span::styled(pad(&fields, fields_w), base.patch(app.theme.dim())),
        Span::styled(format!(" {}", pad(state, state_w)), base.patch(mark_style)),
    ])
}
