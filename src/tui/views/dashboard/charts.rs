//! The dashboard's charts: signatures per hour as a sparkline, and per rule two bar charts.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph, Sparkline};

use super::{Ctx, row};
use crate::cells::{fit, width};
use crate::tui::i18n::{Lang, say};
use crate::tui::theme::Theme;
use huishen_core::domain::Severity;
use huishen_core::review::stats::RuleStats;

/// Sign events in each of the last 24 hours, oldest left, with an axis below.
pub(super) fn signatures(frame: &mut Frame<'_>, area: Rect, cx: Ctx<'_>) {
    let (hours, lang) = (&cx.s.signatures_per_hour, cx.lang);
    let total: u64 = hours.iter().sum();
    let max = hours.iter().copied().max().unwrap_or(0);
    let title = say::signatures_title(lang, total);
    let block = cx.block(&title, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 2 || hours.is_empty() {
        return;
    }
    // Each hour is as many columns wide as fit, so that the 24 hours fill the pane.
    let per_hour = (inner.width as usize / hours.len()).max(1);
    let data: Vec<u64> = hours
        .iter()
        .flat_map(|&v| std::iter::repeat_n(v, per_hour))
        .collect();
    let spark_w = (data.len() as u16).min(inner.width);
    let spark = Sparkline::default()
        .data(&data)
        .max(max.max(1))
        .style(cx.theme.resolved());
    let spark_area = Rect {
        width: spark_w,
        height: inner.height - 1,
        ..inner
    };
    frame.render_widget(spark, spark_area);
    let middle = say::most_per_hour(lang, max);
    let (start, end) = (say::hours_ago(lang), say::now(lang));
    let w = (spark_w as usize).max(width(start) + width(end) + 1);
    let gap = w.saturating_sub(width(start) + width(&middle) + width(end));
    // The largest hour goes in the middle when it fits with room on both sides.
    let axis = if gap >= 4 {
        let left = gap / 2;
        format!(
            "{start}{}{middle}{}{end}",
            " ".repeat(left),
            " ".repeat(gap - left)
        )
    } else {
        let gap = w.saturating_sub(width(start) + width(end));
        format!("{start}{}{end}", " ".repeat(gap))
    };
    cx.note(frame, inner, inner.height - 1, &axis);
}

/// Columns a rule takes in a chart: two bars two cells wide, each followed by a gap (as
/// ratatui lays them out), then the gap between groups.
const RULE_W: u16 = 7;

/// One of the two rule charts: its title, the two numbers it compares per rule with their
/// styles, and what it says when no rule has either.
struct Chart {
    title: fn(Lang) -> &'static str,
    empty: fn(Lang) -> &'static str,
    pick: fn(&RuleStats) -> (u64, u64),
    styles: fn(&RuleStats, Theme) -> (Style, Style),
}

const CHARTS: [Chart; 2] = [
    Chart {
        title: say::rules_first_and_now,
        empty: say::rules_none_flagged,
        pick: |r| (r.at_first_check, r.failing_now),
        styles: |r, theme| (theme.dim(), theme.severity(r.severity)),
    },
    Chart {
        title: say::rules_corrected_explained,
        empty: say::rules_none_worked,
        pick: |r| (r.corrected, r.explained),
        styles: |_, theme| (theme.resolved(), theme.severity(Severity::Warning)),
    },
];

/// The rules with something to show that fit in `columns`, the largest first (ties in
/// rule-file order), drawn in rule-file order; and how many more there were.
fn chosen<'a>(chart: &Chart, rules: &'a [RuleStats], columns: u16) -> (Vec<&'a RuleStats>, usize) {
    // The last group's two trailing gaps may fall outside.
    let room = ((columns + 2) / RULE_W) as usize;
    let mut order: Vec<usize> = (0..rules.len())
        .filter(|&i| (chart.pick)(&rules[i]) != (0, 0))
        .collect();
    order.sort_by_key(|&i| {
        let (a, b) = (chart.pick)(&rules[i]);
        (std::cmp::Reverse(a + b), i)
    });
    let more = order.len().saturating_sub(room);
    order.truncate(room);
    order.sort_unstable();
    (order.into_iter().map(|i| &rules[i]).collect(), more)
}

/// Two bar charts, one group of two bars per rule: at the first check and failing now; and
/// corrected and explained (a rule mostly explained away is a rule to revisit). Both share
/// one scale, so the second shows how much of the first has been worked off.
pub(super) fn rules(frame: &mut Frame<'_>, area: Rect, cx: Ctx<'_>) {
    let (s, lang, theme) = (cx.s, cx.lang, cx.theme);
    let areas: [Rect; 2] = Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(area);
    let max = s
        .rules
        .iter()
        .map(|r| r.at_first_check.max(r.failing_now))
        .max();
    let max = max.unwrap_or(0).max(1);
    for (chart, area) in CHARTS.iter().zip(areas) {
        let inner_w = area.width.saturating_sub(2);
        let (shown, more) = chosen(chart, &s.rules, inner_w);
        let mut block = cx.block((chart.title)(lang), area);
        if more > 0 {
            let more = say::more_rules(lang, more);
            let more = Span::styled(fit(&more, inner_w as usize), theme.dim());
            block = block.title_bottom(more);
        }
        if shown.is_empty() {
            let empty = (chart.empty)(lang);
            let text = Paragraph::new(empty).style(theme.dim()).block(block);
            frame.render_widget(text, area);
            continue;
        }
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if inner.height < 3 {
            continue;
        }
        // The bars, then a line of their values and a line of the rules, each under its bar:
        // a value drawn inside a bar would cover it.
        let mut bars = BarChart::default()
            .bar_width(2)
            .bar_gap(1)
            .group_gap(RULE_W - 6)
            .max(max);
        let (mut values, mut labels) = (String::new(), String::new());
        for r in &shown {
            let ((a, b), (a_style, b_style)) = ((chart.pick)(r), (chart.styles)(r, theme));
            let group = BarGroup::default().bars(&[
                Bar::default().value(a).text_value("").style(a_style),
                Bar::default().value(b).text_value("").style(b_style),
            ]);
            bars = bars.data(group);
            values.push_str(&format!("{:<3}{:<4}", compact(a), compact(b)));
            labels.push_str(&crate::cells::pad(&r.rule, RULE_W as usize));
        }
        let bars_area = Rect {
            height: inner.height - 2,
            ..inner
        };
        frame.render_widget(bars, bars_area);
        let w = inner.width as usize;
        let values = Paragraph::new(fit(values.trim_end(), w)).style(theme.selected());
        frame.render_widget(values, row(inner, inner.height - 2));
        let labels = Paragraph::new(fit(labels.trim_end(), w)).style(theme.dim());
        frame.render_widget(labels, row(inner, inner.height - 1));
    }
}

/// A count in at most three cells, rounded down: 7, 999, 12k, .3M, 36M.
fn compact(n: u64) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=99_999 => format!("{}k", n / 1_000),
        100_000..=999_999 => format!(".{}M", n / 100_000),
        _ => format!("{}M", n / 1_000_000),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_count_under_a_bar_takes_three_cells_at_most() {
        let shown: Vec<String> = [0, 7, 999, 1_000, 12_345, 99_999, 151_000, 3_600_000]
            .into_iter()
            .map(super::compact)
            .collect();
        assert_eq!(shown, ["0", "7", "999", "1k", "12k", "99k", ".1M", "3M"]);
    }
}
