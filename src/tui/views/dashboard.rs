//! The dashboard: how far the review has come (overall and per prefecture), each reviewer's
//! work today, signatures per hour, and per rule what failed at the first check, what fails
//! now, what was corrected and what was explained away. Pure rendering of the figures that
//! `review::stats` reads, the same as `huishen status` prints.

mod charts;
mod datasets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Gauge, Paragraph};

use crate::cells::{fit, pad, pad_left, width};
use crate::tui::action::{Command, Mode};
use crate::tui::app::{App, Figures};
use crate::tui::i18n::{Lang, say};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;
use huishen_core::domain::Severity;
use huishen_core::domain::time::Zone;
use huishen_core::review::stats::Stats;

/// Draws the dashboard over the whole screen: the figures, or while the worker reads them
/// (or when it could not), a line saying so.
pub fn dashboard(frame: &mut Frame<'_>, app: &App, figures: &Figures) {
    let close = close_hint(&app.keymap, app.lang);
    let area = frame.area();
    let waiting = match figures {
        Figures::Ready(s) => return draw(frame, area, s, (app.lang, app.theme, &app.zone), &close),
        Figures::Loading => say::dashboard_loading(app.lang).to_string(),
        Figures::Failed(error) => say::dashboard_failed(app.lang, error),
    };
    frame.render_widget(Clear, area);
    let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let right = format!("{close} ");
    let left_w = (top.width as usize).saturating_sub(width(&right) + 1);
    let left = say::dashboard_title(app.lang, &app.session.form.name, "…");
    let line = format!("{} {right}", pad(&left, left_w));
    frame.render_widget(Paragraph::new(line).style(app.theme.bar()), top);
    let [middle] = Layout::vertical([Constraint::Length(1)])
        .flex(ratatui::layout::Flex::Center)
        .areas(body);
    let text = Paragraph::new(fit(&waiting, middle.width as usize))
        .alignment(ratatui::layout::Alignment::Center)
        .style(app.theme.dim());
    frame.render_widget(text, middle);
}

/// `Esc close`, from the dashboard's keys in `keymap`.
fn close_hint(keymap: &Keymap, lang: Lang) -> String {
    let key = keymap.command_keys(Mode::Dashboard, Command::Close);
    key.first()
        .map_or(String::new(), |k| format!("{k} {}", say::hint_close(lang)))
}

/// What every pane draws from.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    s: &'a Stats,
    lang: Lang,
    theme: Theme,
    /// The zone its times are shown in.
    zone: &'a Zone,
    /// How to close the dashboard, for the title bar.
    close: &'a str,
}

impl Ctx<'_> {
    /// A bordered pane whose title is cut to fit `area`.
    fn block(&self, title: &str, area: Rect) -> Block<'static> {
        let title = fit(title, area.width.saturating_sub(2) as usize);
        Block::bordered()
            .border_style(self.theme.border(false))
            .title(Span::styled(title, self.theme.title()))
    }

    /// One dim line of text at row `y` of `area`, cut to fit.
    fn note(&self, frame: &mut Frame<'_>, area: Rect, y: u16, text: &str) {
        if y < area.height {
            let line = Paragraph::new(fit(text, area.width as usize)).style(self.theme.dim());
            frame.render_widget(line, row(area, y));
        }
    }
}

/// Row `y` of `area`.
fn row(area: Rect, y: u16) -> Rect {
    Rect {
        y: area.y + y,
        height: 1,
        ..area
    }
}

/// Rows of the overall progress: three gauges in a border.
const PROGRESS_H: u16 = 7;
/// Rows of signatures per hour: a sparkline, its axis and a border.
const HOURLY_H: u16 = 5;

/// Draws the dashboard into `area`. The progress and the prefectures take the left; the
/// reviewers' work today and the rules the right; signatures per hour go under the
/// prefectures when there is room, else above the rules. Its times are shown in `zone`.
pub fn render(
    frame: &mut Frame<'_>,
    area: Rect,
    s: &Stats,
    (lang, theme): (Lang, Theme),
    zone: &Zone,
) {
    let close = close_hint(&Keymap::builtin(), lang);
    draw(frame, area, s, (lang, theme, zone), &close);
}

/// [`render`] with the keys that close the dashboard given.
fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    s: &Stats,
    (lang, theme, zone): (Lang, Theme, &Zone),
    close: &str,
) {
    let cx = Ctx {
        s,
        lang,
        theme,
        zone,
        close,
    };
    frame.render_widget(Clear, area);
    let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    title(frame, top, cx);
    let left_w = if area.width >= 100 {
        area.width * 5 / 12
    } else {
        area.width / 2
    };
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_w), Constraint::Fill(1)]).areas(body);
    let regions_h = s.prefectures.len() as u16 + 3;
    let today_h = s.reviewers.len().clamp(1, 8) as u16 + 3;
    let [progress, rest] = split(left, [PROGRESS_H, 0]);
    let [today, rest_right] = split(right, [today_h, 0]);
    overall(frame, progress, cx);
    reviewers(frame, today, cx);
    if rest.height >= regions_h + HOURLY_H {
        let [regions, hourly] = split(rest, [regions_h, 0]);
        prefectures(frame, regions, cx);
        charts::signatures(frame, hourly, cx);
        rules(frame, rest_right, cx);
    } else {
        let [hourly, rules_area] = split(rest_right, [HOURLY_H, 0]);
        prefectures(frame, rest, cx);
        charts::signatures(frame, hourly, cx);
        rules(frame, rules_area, cx);
    }
}

/// The dataset rules, when there are any, above the charts of the record rules.
fn rules(frame: &mut Frame<'_>, area: Rect, cx: Ctx<'_>) {
    let height = datasets::height(cx.s.datasets.len(), area.height);
    if height == 0 {
        return charts::rules(frame, area, cx);
    }
    let [sets, charts_area] = split(area, [height, 0]);
    datasets::datasets(frame, sets, cx);
    charts::rules(frame, charts_area, cx);
}

/// Splits `area` into rows of the given heights, where 0 takes what is left.
fn split<const N: usize>(area: Rect, heights: [u16; N]) -> [Rect; N] {
    let constraints = heights.map(|h| match h {
        0 => Constraint::Fill(1),
        h => Constraint::Length(h),
    });
    Layout::vertical(constraints).areas(area)
}

fn title(frame: &mut Frame<'_>, area: Rect, cx: Ctx<'_>) {
    let lang = cx.lang;
    let right = format!("{} ", cx.close);
    let left = say::dashboard_title(lang, &cx.s.form, &cx.zone.minute(&cx.s.as_of));
    let left_w = (area.width as usize).saturating_sub(width(&right) + 1);
    let line = format!("{} {right}", pad(&left, left_w));
    frame.render_widget(Paragraph::new(line).style(cx.theme.bar()), area);
}

/// One line: a label `label_w` cells wide, a gauge of `part / whole` labelled with the per
/// cent, and the numbers.
fn gauge_line(
    frame: &mut Frame<'_>,
    line: Rect,
    (label, label_w): (&str, usize),
    (part, whole): (u64, u64),
    numbers: &str,
    style: Style,
) {
    let numbers_w = width(numbers) as u16;
    let label_w = label_w as u16;
    if line.width < label_w + numbers_w + 4 {
        return;
    }
    let gauge_w = line.width - label_w - numbers_w - 2;
    let at = |x: u16, width: u16| Rect {
        x: line.x + x,
        width,
        ..line
    };
    let ratio = if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    };
    let pct = (ratio * 1000.0).round() / 10.0;
    let gauge = Gauge::default()
        .ratio(ratio.clamp(0.0, 1.0))
        .label(format!("{pct:.1}%"))
        .use_unicode(true)
        .gauge_style(style);
    frame.render_widget(Paragraph::new(pad(label, label_w as usize)), at(0, label_w));
    frame.render_widget(gauge, at(label_w + 1, gauge_w));
    let numbers = Paragraph::new(numbers.to_string());
    frame.render_widget(numbers, at(label_w + 1 + gauge_w + 1, numbers_w));
}

fn overall(frame: &mut Frame<'_>, area: Rect, cx: Ctx<'_>) {
    let (s, lang, theme) = (cx.s, cx.lang, cx.theme);
    let o = &s.overall;
    let title = say::progress_title(lang, o.flagged, s.records);
    let block = cx.block(&title, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let open = theme.severity(Severity::Error);
    let lines = [
        (say::signed_label(lang), o.signed, theme.resolved()),
        (say::ready_label(lang), o.ready, theme.key()),
        (say::open_label(lang), o.open, open),
    ];
    let label_w = lines.iter().map(|l| width(l.0)).max().unwrap_or(0);
    let digits = o.flagged.to_string().len();
    for (i, (label, value, style)) in lines.into_iter().enumerate().take(inner.height as usize) {
        let numbers = format!("{}/{}", pad_left(&value.to_string(), digits), o.flagged);
        let line = row(inner, i as u16);
        gauge_line(
            frame,
            line,
            (label, label_w),
            (value, o.flagged),
            &numbers,
            style,
        );
    }
    // The pace and, when the rules score records, how much of the total score is signed off.
    let p = &s.pace;
    let pace = match p.hours_left {
        Some(h) => say::dashboard_pace(lang, p.records_per_hour, p.left, h),
        None => say::dashboard_no_pace(lang, p.left),
    };
    let c = &s.scores;
    let score = (c.scored > 0).then(|| {
        let mut line = say::dashboard_scores(lang, c.reviewed_pct, c.high_left, c.proposals);
        if c.due > 0 {
            line.push_str(&say::dashboard_due(lang, c.due));
        }
        line
    });
    for (i, text) in [Some(pace), score].into_iter().flatten().enumerate() {
        // Below the three gauges.
        let y = 3 + i as u16;
        if y < inner.height {
            frame.render_widget(
                Paragraph::new(fit(&text, inner.width as usize)).style(theme.dim()),
                row(inner, y),
            );
        }
    }
}

fn prefectures(frame: &mut Frame<'_>, area: Rect, cx: Ctx<'_>) {
    let (s, lang) = (cx.s, cx.lang);
    let block = cx.block(say::by_prefecture(lang), area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    // A prefecture of another province has no name in the division table: its four digits
    // say which it is, and that it lies outside Shandong (as the report says it).
    let names: Vec<String> = (s.prefectures.iter())
        .map(|p| match &p.name {
            Some(name) => name.clone(),
            None if !p.code.starts_with("37") && p.code.len() >= 4 => {
                say::outside_province(lang, &p.code[..4])
            }
            None => p.code.clone(),
        })
        .collect();
    let heads = [
        say::column_region(lang),
        say::column_signed(lang),
        say::column_ready(lang),
        say::column_flagged(lang),
    ];
    let most = s.prefectures.iter().map(|p| p.tally.flagged).max();
    let digits = most.unwrap_or(0).to_string().len();
    let num_w: Vec<usize> = heads[1..].iter().map(|h| width(h).max(digits)).collect();
    let name_w = (names.iter().map(|n| width(n)))
        .chain([width(heads[0])])
        .max();
    let name_w = name_w.unwrap_or(0);
    let numbers = |cells: [&str; 3]| {
        let cells = cells.iter().zip(&num_w).map(|(c, w)| pad_left(c, *w));
        cells.collect::<Vec<_>>().join(" ")
    };
    let numbers_w = width(&numbers(["", "", ""]));
    let gauge_w = (inner.width as usize).saturating_sub(name_w + numbers_w + 2);
    let head = format!(
        "{} {} {}",
        pad(heads[0], name_w),
        pad(say::column_progress(lang), gauge_w),
        numbers([heads[1], heads[2], heads[3]])
    );
    cx.note(frame, inner, 0, &head);
    let room = inner.height as usize - 1;
    let all = s.prefectures.len();
    let shown = if all > room {
        room.saturating_sub(1)
    } else {
        all
    };
    for (i, (p, name)) in s.prefectures.iter().zip(&names).take(shown).enumerate() {
        let t = &p.tally;
        let cells = [t.signed, t.ready, t.flagged].map(|n| n.to_string());
        let numbers = numbers([&cells[0], &cells[1], &cells[2]]);
        let line = row(inner, 1 + i as u16);
        let style = cx.theme.resolved();
        gauge_line(
            frame,
            line,
            (name, name_w),
            (t.signed, t.flagged),
            &numbers,
            style,
        );
    }
    if shown < all {
        let more = all - shown;
        let text = say::more_regions(lang, more);
        cx.note(frame, inner, 1 + shown as u16, &text);
    }
}

fn reviewers(frame: &mut Frame<'_>, area: Rect, cx: Ctx<'_>) {
    let (s, lang) = (cx.s, cx.lang);
    let title = say::today_title(lang, &cx.zone.clock(&s.since));
    let block = cx.block(&title, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut heads = [
        say::column_reviewer(lang),
        say::column_role(lang),
        say::column_signatures(lang),
        say::column_corrections(lang),
        say::column_explanations(lang),
    ];
    let rows: Vec<[String; 5]> = s
        .reviewers
        .iter()
        .map(|r| {
            let counts = [r.signed_today, r.corrections_today, r.explanations_today];
            let [a, b, c] = counts.map(|n| n.to_string());
            [r.name.clone(), r.role.clone(), a, b, c]
        })
        .collect();
    let widths_of = |heads: &[&str; 5]| -> [usize; 5] {
        std::array::from_fn(|i| {
            let cells = rows.iter().map(|r| width(&r[i]));
            cells.chain([width(heads[i])]).max().unwrap_or(0)
        })
    };
    let too_wide =
        |w: &[usize; 5]| w.iter().map(|w| w + 1).sum::<usize>() > inner.width as usize + 1;
    // When the pane is narrow the long headings give way first, then the role.
    let mut widths = widths_of(&heads);
    if too_wide(&widths) {
        heads[3] = say::column_corrections_short(lang);
        heads[4] = say::column_explanations_short(lang);
        widths = widths_of(&heads);
    }
    if too_wide(&widths) {
        widths[1] = 0;
    }
    let line = |cells: [&str; 5]| {
        let mut out = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            match (i, widths[i]) {
                (_, 0) => {}
                (0 | 1, w) => out.push(pad(cell, w)),
                (_, w) => out.push(pad_left(cell, w)),
            }
        }
        fit(&out.join(" "), inner.width as usize)
    };
    let mut lines = vec![Line::styled(line(heads), cx.theme.dim())];
    for r in &rows {
        lines.push(Line::raw(line([&r[0], &r[1], &r[2], &r[3], &r[4]])));
    }
    if rows.is_empty() {
        let none = say::no_reviewers(lang);
        lines.push(Line::styled(none, cx.theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
