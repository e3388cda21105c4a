//! Windows over the screen: help (generated from the live keymap) and the filter menu.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::bars::{outcome_name, severity_name};
use crate::cells::{fit, pad, width};
use crate::tui::app::{App, FilterMenu};

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
    let rows = app.keymap.help_rows(lang);
    let key_w = rows
        .iter()
        .map(|(_, k, _)| width(k))
        .max()
        .unwrap_or(4)
        .min(24);
    let area = frame.area();
    let mut sizes: Vec<usize> = Vec::new();
    let mut current = None;
    for (s, _, _) in &rows {
        if current != Some(*s) {
            sizes.push(1);
            current = Some(*s);
        }
        if let Some(n) = sizes.last_mut() {
            *n += 1;
        }
    }
    let total: usize = sizes.iter().map(|n| n + 1).sum();
    let room = area.height.saturating_sub(4) as usize;
    // Two columns when one does not fit and the screen is wide enough for two.
    let columns: u16 = if total > room && area.width >= 70 {
        2
    } else {
        1
    };
    let w = if columns == 2 {
        area.width.saturating_sub(4)
    } else {
        (area.width * 4 / 5).max(40)
    };
    let description_w = (w.saturating_sub(2) / columns) as usize - key_w - 4;
    // One block of lines per section.
    let mut sections: Vec<Vec<Line<'static>>> = Vec::new();
    let mut current = None;
    for (s, keys, description) in &rows {
        if current != Some(*s) {
            sections.push(vec![Line::styled(
                s.title(lang).to_string(),
                app.theme.title(),
            )]);
            current = Some(*s);
        }
        if let Some(block) = sections.last_mut() {
            block.push(Line::from(vec![
                Span::styled(format!("  {} ", pad(keys, key_w)), app.theme.key()),
                Span::raw(fit(description, description_w)),
            ]));
        }
    }
    let mut split = sections.len();
    if columns == 2 {
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
    let left = column(&sections[..split]);
    let right = column(&sections[split..]);
    let height = left.len().max(right.len()) as u16 + 2;
    let h = height.min(area.height.saturating_sub(2));
    let popup = centered(area, w, h);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(app.theme.border(true))
        .title(Span::styled(
            format!(" {} ", lang.pick("Keys", "按键说明")),
            app.theme.title(),
        ))
        .title_bottom(Span::styled(
            format!(
                " {} ",
                lang.pick(
                    "↑↓ scroll · any other key closes",
                    "↑↓ 滚动 · 其他任意键关闭"
                )
            ),
            app.theme.dim(),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    if columns == 2 {
        let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner);
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), l);
        frame.render_widget(Paragraph::new(right).scroll((scroll, 0)), r);
    } else {
        frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), inner);
    }
}

pub fn filter(frame: &mut Frame<'_>, app: &App, menu: &FilterMenu) {
    let lang = app.lang;
    let all = lang.pick("all", "全部");
    let rule = menu
        .rule
        .and_then(|i| app.session.rules().get(i))
        .map_or(all.to_string(), |r| {
            format!("{} {}", r.id, lang.pick(&r.title.en, &r.title.zh))
        });
    let values = [
        (
            lang.pick("Severity", "严重程度"),
            menu.severity
                .map_or(all, |s| severity_name(lang, s))
                .to_string(),
            true,
        ),
        (lang.pick("Rule", "审核规则"), rule, true),
        (
            lang.pick("Region", "区划"),
            format!("{}▏", menu.region),
            false,
        ),
        (
            lang.pick("Outcome", "结果"),
            menu.outcome
                .map_or(all, |o| outcome_name(lang, o))
                .to_string(),
            true,
        ),
    ];
    let area = frame.area();
    let w = (area.width * 3 / 4).clamp(50, 90);
    let area = centered(area, w, 10);
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(app.theme.border(true))
        .title(Span::styled(
            format!(" {} ", lang.pick("Filter", "筛选")),
            app.theme.title(),
        ));
    let inner_w = w.saturating_sub(2) as usize;
    let label_w = 10;
    let mut lines = Vec::new();
    for (i, (label, value, cycles)) in values.iter().enumerate() {
        let selected = i == menu.row;
        let style = if selected {
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
    lines.push(Line::raw(""));
    for hint in [
        lang.pick(
            " ↑↓ choose · ←→ change · Enter apply · Esc cancel",
            " ↑↓ 选择 · ←→ 更改 · 回车应用 · Esc 取消",
        ),
        lang.pick(
            " Region: type a name or a code (济南, 历下, 3701, 370102)",
            " 区划：输入名称或代码（济南、历下、3701、370102）",
        ),
    ] {
        lines.push(Line::styled(hint.to_string(), app.theme.dim()));
    }
    if let Some(message) = &app.message {
        lines.push(Line::styled(format!(" {message}"), app.theme.message()));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(ratatui::widgets::Wrap { trim: false }),
        area,
    );
}
