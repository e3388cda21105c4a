//! The dashboard: how far the review has come (overall and per prefecture), each reviewer's
//! work today, signatures per hour, and per rule what failed at the first check, what fails
//! now, what was corrected and what was explained away. Pure rendering of the figures that
//! `review::stats` reads, the same as `huishen status` prints.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Clear, Gauge, Paragraph, Sparkline};

use crate::review::stats::{RuleStats, Stats, minute};
use crate::rules::Severity;
use crate::tui::app::App;
use crate::tui::i18n::Lang;
use crate::tui::text::{fit, pad, pad_left, width};
use crate::tui::theme::Theme;

/// Draws the dashboard over the whole screen.
pub fn dashboard(frame: &mut Frame<'_>, app: &App, figures: &Stats) {
    render(frame, frame.area(), figures, app.lang, app.theme);
}

/// Draws the dashboard into `area`.
pub fn render(frame: &mut Frame<'_>, area: Rect, s: &Stats, lang: Lang, theme: Theme) {
    frame.render_widget(Clear, area);
    let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    title(frame, top, s, lang, theme);
    let left_w = if area.width >= 100 {
        area.width * 9 / 20
    } else {
        area.width / 2
    };
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_w), Constraint::Fill(1)]).areas(body);
    let [progress, regions] =
        Layout::vertical([Constraint::Length(5), Constraint::Fill(1)]).areas(left);
    overall(frame, progress, s, lang, theme);
    prefectures(frame, regions, s, lang, theme);
    let today_h = s.reviewers.len().clamp(1, 8) as u16 + 3;
    let [today, hourly, rules] = Layout::vertical([
        Constraint::Length(today_h),
        Constraint::Length(5),
        Constraint::Fill(1),
    ])
    .areas(right);
    reviewers(frame, today, s, lang, theme);
    signatures(frame, hourly, s, lang, theme);
    rule_charts(frame, rules, s, lang, theme);
}

fn block<'a>(title: String, theme: Theme) -> Block<'a> {
    Block::bordered()
        .border_style(theme.border(false))
        .title(Span::styled(title, theme.title()))
}

fn title(frame: &mut Frame<'_>, area: Rect, s: &Stats, lang: Lang, theme: Theme) {
    let right = format!("{} ", lang.pick("Esc close", "Esc 关闭"));
    let left = format!(
        " 会审 huishen │ {} · {} · {} {}",
        lang.pick("Dashboard", "审核进度"),
        s.form,
        lang.pick("as of", "截至"),
        minute(&s.as_of),
    );
    let left_w = (area.width as usize).saturating_sub(width(&right) + 1);
    let line = format!("{} {right}", pad(&left, left_w));
    frame.render_widget(Paragraph::new(line).style(theme.bar()), area);
}

/// `part` of `whole` in per cent, one decimal.
fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// One line: a label, a gauge of `part / whole` and the numbers.
#[allow(clippy::too_many_arguments)]
fn gauge_line(
    frame: &mut Frame<'_>,
    area: Rect,
    label: &str,
    label_w: usize,
    part: u64,
    whole: u64,
    numbers: &str,
    style: Style,
) {
    let numbers_w = width(numbers) as u16;
    let label_w = label_w as u16;
    if area.width < label_w + numbers_w + 4 {
        return;
    }
    let gauge_w = area.width - label_w - numbers_w - 2;
    let line = Rect { height: 1, ..area };
    frame.render_widget(
        Paragraph::new(pad(label, label_w as usize)),
        Rect {
            width: label_w,
            ..line
        },
    );
    let ratio = if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    };
    frame.render_widget(
        Gauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(format!("{:.1}%", percent(part, whole)))
            .use_unicode(true)
            .gauge_style(style),
        Rect {
            x: line.x + label_w + 1,
            width: gauge_w,
            ..line
        },
    );
    frame.render_widget(
        Paragraph::new(numbers.to_string()),
        Rect {
            x: line.x + label_w + 1 + gauge_w + 1,
            width: numbers_w,
            ..line
        },
    );
}

fn overall(frame: &mut Frame<'_>, area: Rect, s: &Stats, lang: Lang, theme: Theme) {
    let o = &s.overall;
    let title = match lang {
        Lang::En => format!(
            " Progress · {} of {} records flagged ",
            o.flagged, s.records
        ),
        Lang::Zh => format!(" 总体进度 · {} 条记录中 {} 条有疑问 ", s.records, o.flagged),
    };
    let block = block(title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = [
        (lang.pick("Signed", "已签字"), o.signed, theme.resolved()),
        (lang.pick("Ready", "可签字"), o.ready, theme.key()),
        (
            lang.pick("Open", "待处理"),
            o.open,
            theme.severity(Severity::Error),
        ),
    ];
    let label_w = lines.iter().map(|l| width(l.0)).max().unwrap_or(0);
    let digits = o.flagged.to_string().len();
    for (i, (label, value, style)) in lines.into_iter().enumerate() {
        if i as u16 >= inner.height {
            break;
        }
        let numbers = format!("{}/{}", pad_left(&value.to_string(), digits), o.flagged);
        let row = Rect {
            y: inner.y + i as u16,
            height: 1,
            ..inner
        };
        gauge_line(
            frame, row, label, label_w, value, o.flagged, &numbers, style,
        );
    }
}

fn prefectures(frame: &mut Frame<'_>, area: Rect, s: &Stats, lang: Lang, theme: Theme) {
    let block = block(
        format!(" {} ", lang.pick("By prefecture", "各地市进度")),
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let names: Vec<&str> = s
        .prefectures
        .iter()
        .map(|p| p.name.as_deref().unwrap_or(&p.code))
        .collect();
    let heads = [
        lang.pick("Region", "地市"),
        lang.pick("signed", "已签"),
        lang.pick("ready", "可签"),
        lang.pick("flagged", "疑问"),
    ];
    let most = s
        .prefectures
        .iter()
        .map(|p| p.tally.flagged)
        .max()
        .unwrap_or(0);
    let num_w: Vec<usize> = heads[1..]
        .iter()
        .map(|h| width(h).max(most.to_string().len()))
        .collect();
    let name_w = names
        .iter()
        .map(|n| width(n))
        .chain([width(heads[0])])
        .max()
        .unwrap_or(0);
    let numbers_w: usize = num_w.iter().map(|w| w + 1).sum::<usize>() - 1;
    let gauge_w = (inner.width as usize).saturating_sub(name_w + numbers_w + 2);
    let numbers = |cells: [String; 3]| {
        cells
            .iter()
            .zip(&num_w)
            .map(|(c, w)| pad_left(c, *w))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let head = format!(
        "{} {} {}",
        pad(heads[0], name_w),
        pad(lang.pick("progress", "进度"), gauge_w),
        numbers([heads[1].into(), heads[2].into(), heads[3].into()])
    );
    frame.render_widget(
        Paragraph::new(fit(&head, inner.width as usize)).style(theme.dim()),
        Rect { height: 1, ..inner },
    );
    let room = inner.height as usize - 1;
    let shown = if s.prefectures.len() > room {
        room.saturating_sub(1)
    } else {
        s.prefectures.len()
    };
    for (i, (p, name)) in s.prefectures.iter().zip(&names).take(shown).enumerate() {
        let t = &p.tally;
        let row = Rect {
            y: inner.y + 1 + i as u16,
            height: 1,
            ..inner
        };
        let cells = [
            t.signed.to_string(),
            t.ready.to_string(),
            t.flagged.to_string(),
        ];
        let style = theme.resolved();
        gauge_line(
            frame,
            row,
            name,
            name_w,
            t.signed,
            t.flagged,
            &numbers(cells),
            style,
        );
    }
    if shown < s.prefectures.len() {
        let more = s.prefectures.len() - shown;
        let text = match lang {
            Lang::En => format!("… {more} more: huishen status --by region"),
            Lang::Zh => format!("… 另有 {more} 个：huishen status --by region"),
        };
        frame.render_widget(
            Paragraph::new(fit(&text, inner.width as usize)).style(theme.dim()),
            Rect {
                y: inner.y + 1 + shown as u16,
                height: 1,
                ..inner
            },
        );
    }
}

fn reviewers(frame: &mut Frame<'_>, area: Rect, s: &Stats, lang: Lang, theme: Theme) {
    let since = s.since.get(11..16).unwrap_or(&s.since);
    let title = match lang {
        Lang::En => format!(" Today · since {since} UTC "),
        Lang::Zh => format!(" 今日工作 · 自 UTC {since} 起 "),
    };
    let block = block(title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let heads = [
        lang.pick("Reviewer", "审核员"),
        lang.pick("Role", "角色"),
        lang.pick("signed", "签字"),
        lang.pick("corrections", "更正"),
        lang.pick("explanations", "说明"),
    ];
    let rows: Vec<[String; 5]> = s
        .reviewers
        .iter()
        .map(|r| {
            [
                r.name.clone(),
                r.role.clone(),
                r.signed_today.to_string(),
                r.corrections_today.to_string(),
                r.explanations_today.to_string(),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .map(|r| width(&r[i]))
                .chain([width(heads[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    // The role gives way first when the pane is narrow.
    if widths.iter().map(|w| w + 1).sum::<usize>() > inner.width as usize + 1 {
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
    let mut lines = vec![Line::styled(line(heads), theme.dim())];
    for r in &rows {
        lines.push(Line::raw(line([&r[0], &r[1], &r[2], &r[3], &r[4]])));
    }
    if rows.is_empty() {
        lines.push(Line::styled(
            lang.pick("No reviewers yet.", "尚无审核员。"),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn signatures(frame: &mut Frame<'_>, area: Rect, s: &Stats, lang: Lang, theme: Theme) {
    let total: u64 = s.signatures_per_hour.iter().sum();
    let max = s.signatures_per_hour.iter().copied().max().unwrap_or(0);
    let title = match lang {
        Lang::En => format!(" Signatures per hour, last 24 h · {total} "),
        Lang::Zh => format!(" 近 24 小时每小时签字 · 共 {total} "),
    };
    let block = block(title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 || s.signatures_per_hour.is_empty() {
        return;
    }
    // Each hour is as many columns wide as fit, so that the 24 hours fill the pane.
    let per_hour = (inner.width as usize / s.signatures_per_hour.len()).max(1);
    let data: Vec<u64> = s
        .signatures_per_hour
        .iter()
        .flat_map(|&v| std::iter::repeat_n(v, per_hour))
        .collect();
    let spark_w = (data.len() as u16).min(inner.width);
    frame.render_widget(
        Sparkline::default()
            .data(&data)
            .max(max.max(1))
            .style(theme.resolved()),
        Rect {
            width: spark_w,
            height: inner.height - 1,
            ..inner
        },
    );
    let middle = match lang {
        Lang::En => format!("max {max}/h"),
        Lang::Zh => format!("最多 {max}/时"),
    };
    let (start, end) = (lang.pick("-24 h", "24 小时前"), lang.pick("now", "现在"));
    let w = spark_w as usize;
    let gap = w.saturating_sub(width(start) + width(middle.as_str()) + width(end));
    let axis = format!(
        "{start}{}{middle}{}{end}",
        " ".repeat(gap / 2),
        " ".repeat(gap - gap / 2)
    );
    frame.render_widget(
        Paragraph::new(fit(&axis, inner.width as usize)).style(theme.dim()),
        Rect {
            y: inner.y + inner.height - 1,
            height: 1,
            ..inner
        },
    );
}

/// Columns a rule takes in the charts: two bars two cells wide, then a gap.
const RULE_W: u16 = 5;

/// The rules that fit in `columns`: those that flagged most (at the first check or now),
/// shown in rule-file order.
fn chosen(rules: &[RuleStats], columns: u16) -> Vec<&RuleStats> {
    let fit = ((columns + 1) / RULE_W) as usize;
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_by_key(|&i| {
        let r = &rules[i];
        (std::cmp::Reverse(r.at_first_check.max(r.failing_now)), i)
    });
    order.truncate(fit);
    order.sort_unstable();
    order.into_iter().map(|i| &rules[i]).collect()
}

fn rule_charts(frame: &mut Frame<'_>, area: Rect, s: &Stats, lang: Lang, theme: Theme) {
    let [first_now, worked] =
        Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(area);
    let charts = [
        (
            first_now,
            lang.pick(
                " Rules: at the first check │ failing now ",
                " 各规则：首次审核 │ 当前未通过 ",
            ),
        ),
        (
            worked,
            lang.pick(
                " Rules: corrected │ explained ",
                " 各规则：已更正 │ 已说明 ",
            ),
        ),
    ];
    let inner_w = first_now.width.saturating_sub(2);
    let shown = chosen(&s.rules, inner_w);
    let max = shown
        .iter()
        .map(|r| {
            r.at_first_check
                .max(r.failing_now)
                .max(r.corrected)
                .max(r.explained)
        })
        .max()
        .unwrap_or(0)
        .max(1);
    for (i, (area, title)) in charts.into_iter().enumerate() {
        let mut block = block(title.to_string(), theme);
        let hidden = s.rules.len() - shown.len();
        if i == 1 && hidden > 0 {
            let more = match lang {
                Lang::En => format!(" +{hidden} more: huishen status --by rule "),
                Lang::Zh => format!(" 另有 {hidden} 条：huishen status --by rule "),
            };
            block = block.title_bottom(Span::styled(more, theme.dim()));
        }
        if shown.is_empty() {
            let none = lang.pick("No rules are loaded.", "尚未载入审核规则。");
            frame.render_widget(Paragraph::new(none).style(theme.dim()).block(block), area);
            continue;
        }
        let groups: Vec<BarGroup<'_>> = shown
            .iter()
            .map(|r| {
                let (a, b) = if i == 0 {
                    (
                        (r.at_first_check, theme.dim()),
                        (r.failing_now, theme.severity(r.severity)),
                    )
                } else {
                    (
                        (r.corrected, theme.resolved()),
                        (r.explained, theme.severity(Severity::Warning)),
                    )
                };
                BarGroup::default()
                    .label(Line::from(r.rule.clone()))
                    .bars(&[
                        Bar::default().value(a.0).style(a.1),
                        Bar::default().value(b.0).style(b.1),
                    ])
            })
            .collect();
        let mut chart = BarChart::default()
            .block(block)
            .bar_width(2)
            .bar_gap(0)
            .group_gap(RULE_W - 4)
            .max(max)
            .value_style(theme.selected())
            .label_style(theme.dim());
        for g in groups {
            chart = chart.data(g);
        }
        frame.render_widget(chart, area);
    }
}
