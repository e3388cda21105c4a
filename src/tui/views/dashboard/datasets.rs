//! The dashboard's dataset rules: one line per rule, what it says of the form or its groups
//! on the data as it stands, the groups it does not pass named.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Ctx;
use crate::cells::fit;
use crate::tui::i18n::say;
use huishen_core::review::DatasetVerdicts;

/// Rows the pane takes for `n` rules in `room` rows: a line each, at most six, and its
/// border; one line for them all when the charts beneath would have too little room.
pub(super) fn height(n: usize, room: u16) -> u16 {
    let full = n.min(6) as u16 + 2;
    match n {
        0 => 0,
        _ if room >= full + 12 => full,
        _ => 3,
    }
}

pub(super) fn datasets(frame: &mut Frame<'_>, area: Rect, cx: Ctx<'_>) {
    let (s, lang, theme) = (cx.s, cx.lang, cx.theme);
    let mut block = cx.block(say::datasets_title(lang), area);
    let inner = block.inner(area);
    let room = inner.height as usize;
    let all = s.datasets.len();
    if all > room {
        let more = say::more_datasets(lang, all - room);
        block = block.title_bottom(Span::styled(fit(&more, inner.width as usize), theme.dim()));
    }
    let w = inner.width as usize;
    if room == 1 && all > 1 {
        // One line for them all: each rule and its mark, the line in the colour of the worst.
        let worst = (s.datasets.iter().filter(|d| d.failing()))
            .map(|d| d.severity)
            .min();
        let style = worst.map_or(theme.resolved(), |s| theme.severity(s));
        let text: Vec<String> = s.datasets.iter().map(short).collect();
        let line = Line::styled(fit(&text.join("  "), w), style);
        let block = cx.block(say::datasets_title(lang), area);
        frame.render_widget(Paragraph::new(line).block(block), area);
        return;
    }
    let lines: Vec<Line> = (s.datasets.iter().take(room))
        .map(|d| {
            let style = if d.failing() {
                theme.severity(d.severity)
            } else {
                theme.resolved()
            };
            Line::styled(fit(&line(lang, d), w), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// A rule in a few cells: `D01 ✓`, `D02 ✗3/19` (failing), `D03 ?2/5` (missing only),
/// `D04 ?` (no verdict).
fn short(d: &DatasetVerdicts) -> String {
    match (&d.problem, d.fails, d.missing) {
        (Some(_), _, _) => format!("{} ?", d.rule),
        (None, 0, 0) => format!("{} ✓", d.rule),
        (None, 0, missing) => format!("{} ?{missing}/{}", d.rule, d.items),
        (None, fails, _) => format!("{} ✗{fails}/{}", d.rule, d.items),
    }
}

/// What one rule says: all pass, which groups fail and how many are missing, or why it gave
/// no verdict.
fn line(lang: crate::tui::i18n::Lang, d: &DatasetVerdicts) -> String {
    if let Some(why) = &d.problem {
        return say::dataset_no_verdict(lang, &d.rule, lang.of(why));
    }
    let mut text = if d.fails == 0 {
        say::dataset_passes(lang, &d.rule, d.passes)
    } else {
        let groups: Vec<&str> = (d.failing.iter())
            .filter(|g| g.outcome == huishen_core::domain::Outcome::Fail)
            .map(|g| (g.name.as_deref().or(g.group.as_deref())).unwrap_or(d.form.as_str()))
            .collect();
        say::dataset_failing(lang, &d.rule, d.fails, d.items, &groups.join(" "))
    };
    if d.missing > 0 {
        text.push_str(&say::dataset_missing(lang, d.missing));
    }
    text
}
