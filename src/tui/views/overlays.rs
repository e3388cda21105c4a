//! Windows over the screen: help (generated from the live keymap) and the filter menu.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::bars::outcome_name;
use super::{hint_line, hints};
use crate::cells::width;
use crate::cells::{pad, wrap};
use crate::tui::action::{Command, Mode, OtherKeys};
use crate::tui::app::{App, FilterMenu};
use crate::tui::i18n::say;

pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

pub fn help(frame: &mut Frame<'_>, app: &App, scroll: u16) {
    let lang = app.lang;
    let groups = app.keymap.help(lang);
    let key_w = groups
        .iter()
        .flat_map(|g| &g.rows)
        .map(|(k, _)| width(&k.join(", ")))
        .max()
        .unwrap_or(4)
        .min(24);
    let area = frame.area();
    let rows: usize = groups.iter().map(|g| g.rows.len() + 2).sum();
    let room = area.height.saturating_sub(4) as usize;
    let longest = groups
        .iter()
        .flat_map(|g| &g.rows)
        .map(|(_, d)| width(d))
        .max()
        .unwrap_or(0);
    // Two columns when one does not fit and the screen is wide enough for two whole ones;
    // else one, which scrolls.
    let two_fit = area.width as usize >= 6 + 2 * (key_w + 4 + longest);
    let columns: u16 = if rows > room && two_fit { 2 } else { 1 };
    let w = if columns == 2 {
        area.width.saturating_sub(4)
    } else {
        (area.width * 4 / 5).max(40)
    };
    let description_w = ((w.saturating_sub(2) / columns) as usize).saturating_sub(key_w + 4);
    // One block of lines per section or mode.
    // A description longer than its column goes on over the next lines, under itself.
    let mut sections: Vec<Vec<Line<'static>>> = groups
        .iter()
        .map(|group| {
            let mut block = vec![Line::styled(group.title.to_string(), app.theme.title())];
            for (keys, description) in &group.rows {
                for (i, part) in wrap(description, description_w).into_iter().enumerate() {
                    let keys = if i == 0 {
                        keys.join(", ")
                    } else {
                        String::new()
                    };
                    block.push(Line::from(vec![
                        Span::styled(format!("  {} ", pad(&keys, key_w)), app.theme.key()),
                        Span::raw(part),
                    ]));
                }
            }
            block
        })
        .collect();
    sections.push(marks_legend(app, key_w, description_w));
    if app.demo_team {
        sections.push(demo_team(app));
    }
    let total: usize = sections.iter().map(|s| s.len() + 1).sum();
    let (left, right) = split_columns(&sections, columns == 2, total);
    let height = left.len().max(right.len()) as u16 + 2;
    let h = height.min(area.height.saturating_sub(2));
    let popup = centered(area, w, h);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(app.theme.border(true))
        .title(Span::styled(
            format!(" {} ", say::help_title(lang)),
            app.theme.title(),
        ))
        .title_bottom(Span::styled(
            format!(" {} ", closing_hints(app, Mode::Help)),
            app.theme.dim(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    // Scrolled no further than its last line at the bottom.
    let longest_column = left.len().max(right.len()) as u16;
    let scroll = scroll.min(longest_column.saturating_sub(inner.height));
    if columns == 2 {
        let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner);
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), l);
        frame.render_widget(Paragraph::new(right).scroll((scroll, 0)), r);
    } else {
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), inner);
    }
}

/// The demo's team, to sign in as another reviewer in a second terminal.
fn demo_team(app: &App) -> Vec<Line<'static>> {
    let lang = app.lang;
    let mut block = vec![Line::styled(
        say::demo_team_title(lang).to_string(),
        app.theme.title(),
    )];
    for (name, role, scope, passphrase) in huishen_core::sample::TEAM {
        let scope = if scope.is_empty() {
            say::everywhere(lang).to_string()
        } else {
            scope.to_string()
        };
        block.push(Line::from(vec![
            Span::styled(format!("  {name} "), app.theme.key()),
            Span::raw(say::demo_member(lang, role, &scope, passphrase)),
        ]));
    }
    block.push(Line::styled(
        format!(
            "  {}",
            say::demo_second_terminal(
                lang,
                &format!(
                    "huishen review {} --reviewer 李四",
                    app.session.path().display()
                )
            )
        ),
        app.theme.dim(),
    ));
    block
}

/// What the marks at the start of the queue's lines mean.
fn marks_legend(app: &App, key_w: usize, description_w: usize) -> Vec<Line<'static>> {
    use crate::tui::theme::{FIXED, READY, SIGNED_ONCE};
    let lang = app.lang;
    let mut block = vec![Line::styled(
        say::marks_title(lang).to_string(),
        app.theme.title(),
    )];
    for (mark, meaning) in [
        ("✖", say::mark_error(lang)),
        ("!", say::mark_warning(lang)),
        (READY, say::mark_ready(lang)),
        (SIGNED_ONCE, say::mark_signed_once(lang)),
        (FIXED, say::mark_locked(lang)),
        ("•", say::mark_marked(lang)),
    ] {
        for (i, part) in wrap(meaning, description_w).into_iter().enumerate() {
            let mark = if i == 0 { mark } else { "" };
            block.push(Line::from(vec![
                Span::styled(format!("  {} ", pad(mark, key_w)), app.theme.key()),
                Span::raw(part),
            ]));
        }
    }
    block
}

pub fn filter(frame: &mut Frame<'_>, app: &App, menu: &FilterMenu) {
    let area = frame.area();
    let w = (area.width * 3 / 4).clamp(50, 90);
    let area = centered(area, w, 12);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(app.theme.border(true))
        .title(Span::styled(
            format!(" {} ", say::filter_title(app.lang)),
            app.theme.title(),
        ));
    let mut lines = filter_rows(app, menu, w.saturating_sub(2) as usize);
    lines.push(Line::raw(""));
    let keys = hints(
        app,
        Mode::Filter,
        &[
            (&[Command::PrevRow, Command::NextRow], say::hint_choose),
            (&[Command::PrevValue, Command::NextValue], say::hint_change),
            (&[Command::Confirm], say::hint_apply),
            (&[Command::Cancel], say::hint_cancel),
        ],
    );
    for hint in [
        format!(" {keys}"),
        say::filter_region_hint(app.lang).to_string(),
    ] {
        lines.push(Line::styled(hint, app.theme.dim()));
    }
    if let Some(message) = &menu.error {
        lines.push(Line::styled(format!(" {message}"), app.theme.message()));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: false }),
        area,
    );
}

/// The menu's lines, `inner_w` cells wide: severity, rule, region, outcome, impact, standing.
fn filter_rows(app: &App, menu: &FilterMenu, inner_w: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    let all = say::all(lang);
    let rule = menu
        .rule
        .and_then(|i| app.session.rules().get(i))
        .map_or(all.to_string(), |r| {
            format!("{} {}", r.id, lang.of(&r.title))
        });
    let values = [
        (
            say::filter_severity(lang),
            menu.severity
                .map_or(all, |s| say::severity(lang, s))
                .to_string(),
            true,
        ),
        (say::filter_rule(lang), rule, true),
        (say::filter_region(lang), format!("{}▏", menu.region), false),
        (
            say::filter_outcome(lang),
            menu.outcome
                .map_or(all, |o| outcome_name(lang, o))
                .to_string(),
            true,
        ),
        (
            say::filter_impact(lang),
            menu.impact
                .map_or(all, |i| say::impact_name(lang, i))
                .to_string(),
            true,
        ),
        (
            say::filter_standing(lang),
            menu.standing
                .as_ref()
                .map_or(all, |s| say::standing_name(lang, s))
                .to_string(),
            true,
        ),
    ];
    let label_w = 10;
    let mut lines = Vec::new();
    for (i, (label, value, cycles)) in values.iter().enumerate() {
        let style = if i == menu.row {
            app.theme.selected()
        } else {
            Style::new()
        };
        let shown = if *cycles {
            format!("‹ {value} ›")
        } else {
            value.clone()
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", pad(label, label_w)), app.theme.title()),
            Span::styled(pad(&shown, inner_w.saturating_sub(label_w + 3)), style),
        ]));
    }
    lines
}

/// The help's blocks as one column, or as two of about equal height (`total` lines in all).
fn split_columns(
    sections: &[Vec<Line<'static>>],
    two: bool,
    total: usize,
) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let mut split = sections.len();
    if two {
        let mut acc = 0;
        split = sections
            .iter()
            .position(|s| {
                acc += s.len() + 1;
                acc * 2 >= total
            })
            .map_or(sections.len(), |i| i + 1);
    }
    let column = |blocks: &[Vec<Line<'static>>]| -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            if i > 0 {
                lines.push(Line::raw(""));
            }
            lines.extend(b.iter().cloned());
        }
        lines
    };
    (column(&sections[..split]), column(&sections[split..]))
}

/// The hints of a window that scrolls and closes: `↑↓ scroll · any other key closes`, or with
/// the close keys when other keys do not close it.
pub fn closing_hints(app: &App, mode: Mode) -> String {
    let mut parts = hint_line(
        app,
        mode,
        &[(&[Command::ScrollUp, Command::ScrollDown], say::hint_scroll)],
    );
    match mode.other_keys() {
        OtherKeys::Close => parts.push(say::any_other_key_closes(app.lang).to_string()),
        OtherKeys::Type => parts.extend(hint_line(
            app,
            mode,
            &[(&[Command::Close], say::hint_close)],
        )),
    }
    parts.join(" · ")
}
