//! The top bar (where, who, which filter, how far) and the status line (the keys that matter
//! now, or a message).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::cells as text;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, Pane};
use huishen_core::domain::Outcome;

pub fn top(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let lang = app.lang;
    let file = app
        .session
        .path()
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let p = app.progress;
    let mut filters = Vec::new();
    if let Some(s) = app.filter.severity {
        filters.push(severity_name(lang, s).to_string());
    }
    if let Some(r) = &app.filter.rule {
        filters.push(r.clone());
    }
    if let Some(r) = &app.region_label {
        filters.push(r.clone());
    }
    if let Some(o) = &app.filter.outcome {
        filters.push(outcome_name(lang, *o).to_string());
    }
    if let Some(s) = &app.filter.search {
        filters.push(format!("“{s}”"));
    }
    if !app.filter.mine.is_empty() {
        filters.insert(0, lang.pick("mine", "我的任务").to_string());
    }
    let filter = if filters.is_empty() {
        lang.pick("none", "无").to_string()
    } else {
        filters.join(", ")
    };
    let parts = [
        format!(" 会审 huishen │ {file} · {}", app.session.form.name),
        format!(
            "{} {}",
            lang.pick("reviewer", "审核员"),
            app.session.reviewer.name
        ),
        format!("{} {filter}", lang.pick("filter:", "筛选：")),
    ];
    // Progress keeps its place at the right; the rest gives way when the bar is short.
    let right = format!(
        "{} {}/{} · {} {} ",
        lang.pick("signed", "已签"),
        p.signed,
        p.flagged,
        lang.pick("open", "待审"),
        p.open,
    );
    let left_w = (area.width as usize).saturating_sub(text::width(&right) + 1);
    let line = format!("{} {right}", text::pad(&parts.join(" │ "), left_w));
    frame.render_widget(Paragraph::new(line).style(app.theme.bar()), area);
}

pub fn severity_name(
    lang: crate::tui::i18n::Lang,
    s: huishen_core::domain::Severity,
) -> &'static str {
    match s {
        huishen_core::domain::Severity::Error => lang.pick("error", "错误"),
        huishen_core::domain::Severity::Warning => lang.pick("warning", "提示"),
    }
}

pub fn outcome_name(lang: crate::tui::i18n::Lang, outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Missing => lang.pick("missing", "缺失"),
        Outcome::Error => lang.pick("not evaluable", "无法计算"),
        Outcome::Fail => lang.pick("failing", "未通过"),
    }
}

/// `key description` pairs for the status line, first key of each action.
fn hint(
    app: &App,
    action: Action,
    label_en: &'static str,
    label_zh: &'static str,
) -> Option<(String, &'static str)> {
    let key = app.keymap.keys(action).into_iter().next()?;
    Some((key, app.lang.pick(label_en, label_zh)))
}

pub fn status(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let theme = app.theme;
    if let Some(Overlay::Search { input }) = &app.overlay {
        let line = Line::from(vec![
            Span::styled("/ ", theme.key()),
            Span::raw(input.clone()),
            Span::styled("▏", theme.key()),
            Span::styled(
                format!(
                    "   {}",
                    app.lang
                        .pick("Enter search · Esc cancel", "回车搜索 · Esc 取消")
                ),
                theme.dim(),
            ),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    if let Some(message) = &app.message {
        frame.render_widget(
            Paragraph::new(text::fit(message, area.width as usize)).style(theme.message()),
            area,
        );
        return;
    }
    let moving = match app.focus {
        Pane::Queue => ("next record", "下一条"),
        Pane::Record => ("next field", "下一指标"),
        Pane::Flags => ("next flag", "下一规则"),
    };
    let hints: Vec<(String, &str)> = [
        hint(app, Action::MoveDown, moving.0, moving.1),
        hint(app, Action::NextError, "next error", "下一个错误"),
        hint(app, Action::Search, "search", "搜索"),
        hint(app, Action::Filter, "filter", "筛选"),
        hint(app, Action::Help, "help", "帮助"),
        hint(app, Action::Quit, "quit", "退出"),
        hint(app, Action::FocusNext, "pane", "切换窗格"),
        hint(app, Action::ToggleLanguage, "English/中文", "中文/English"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, label) in hints {
        let cost = text::width(&key) + text::width(label) + 3;
        if used + cost > area.width as usize {
            break;
        }
        used += cost;
        spans.push(Span::styled(format!(" {key}"), theme.key()));
        spans.push(Span::raw(format!(" {label} ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
