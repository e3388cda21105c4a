//! The editors over the screen: correcting a field (value, then reason), the multi-line
//! explanation, note and reopen editors, and the record's history.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::overlays::centered;
use crate::cells::fit;
use crate::tui::app::App;
use crate::tui::editing::{EditStage, EditState, TextPurpose, TextState};
use huishen_core::domain::{EventKind, EventLine};

fn frame_block<'a>(app: &App, title: String, hint: &'a str) -> Block<'a> {
    Block::bordered()
        .border_style(app.theme.border(true))
        .title(Span::styled(format!(" {title} "), app.theme.title()))
        .title_bottom(Span::styled(format!(" {hint} "), app.theme.dim()))
}

pub fn edit(frame: &mut Frame<'_>, app: &App, state: &EditState) {
    let lang = app.lang;
    let label = lang.pick(&state.field.label.en, &state.field.label.zh);
    let unit = state
        .field
        .unit
        .as_ref()
        .map_or("", |u| lang.pick(&u.en, &u.zh));
    let title = format!(
        "{} {label} ({}) · {} {} {unit}",
        lang.pick("Correct", "修正"),
        state.field.name,
        lang.pick("now", "当前"),
        if state.current.is_empty() {
            "—"
        } else {
            &state.current
        }
    );
    let reasons = app.session.reasons().unwrap_or_default();
    let area = frame.area();
    let height = match state.stage {
        EditStage::Value(_) => 7,
        EditStage::Reason { .. } => reasons.len() as u16 + 9,
    };
    let popup = centered(area, (area.width * 4 / 5).max(50), height);
    frame.render_widget(Clear, popup);
    let hint = match state.stage {
        EditStage::Value(_) => lang.pick(
            "Enter next: the reason · Esc cancel",
            "回车下一步：原因 · Esc 取消",
        ),
        EditStage::Reason { .. } => lang.pick(
            "↑↓ choose a reason · Enter save · Esc cancel",
            "↑↓ 选择原因 · 回车保存 · Esc 取消",
        ),
    };
    let block = frame_block(app, title, hint);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let error = state
        .error
        .clone()
        .map(|e| Line::styled(e, app.theme.message()));
    match &state.stage {
        EditStage::Value(textarea) => {
            let [label_area, input, message] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Min(1),
            ])
            .areas(inner);
            frame.render_widget(
                Paragraph::new(lang.pick("New value:", "新值：")),
                label_area,
            );
            frame.render_widget(textarea, input);
            if let Some(e) = error {
                frame.render_widget(Paragraph::new(e).wrap(Wrap { trim: true }), message);
            }
        }
        EditStage::Reason {
            value,
            choice,
            other,
        } => {
            let mut lines = vec![
                Line::from(vec![
                    Span::raw(lang.pick("New value: ", "新值：")),
                    Span::styled(
                        format!(
                            "{} → {value} {unit}",
                            if state.current.is_empty() {
                                "—"
                            } else {
                                &state.current
                            }
                        ),
                        app.theme.title(),
                    ),
                ]),
                Line::raw(lang.pick("Reason:", "修正原因：")),
            ];
            for (i, r) in reasons.iter().enumerate() {
                let style = if i == *choice {
                    app.theme.selected()
                } else {
                    Style::new()
                };
                lines.push(Line::styled(
                    format!("  {}", lang.pick(&r.en, &r.zh)),
                    style,
                ));
            }
            let other_style = if *choice == reasons.len() {
                app.theme.selected()
            } else {
                Style::new()
            };
            lines.push(Line::styled(
                format!(
                    "  {}",
                    lang.pick("Another reason (type it):", "其他原因（请输入）：")
                ),
                other_style,
            ));
            let n = lines.len() as u16;
            let [list, input, message] = Layout::vertical([
                Constraint::Length(n),
                Constraint::Length(1),
                Constraint::Min(1),
            ])
            .areas(inner);
            frame.render_widget(Paragraph::new(lines), list);
            let [_, field] =
                Layout::horizontal([Constraint::Length(4), Constraint::Min(1)]).areas(input);
            frame.render_widget(other, field);
            if let Some(e) = error {
                frame.render_widget(Paragraph::new(e).wrap(Wrap { trim: true }), message);
            }
        }
    }
}

pub fn text(frame: &mut Frame<'_>, app: &App, state: &TextState) {
    let lang = app.lang;
    let title = match &state.purpose {
        TextPurpose::Explain { rule } => {
            let title = app
                .session
                .rules()
                .iter()
                .find(|r| &r.id == rule)
                .map_or(String::new(), |r| {
                    lang.pick(&r.title.en, &r.title.zh).to_string()
                });
            format!("{} {rule} · {title}", lang.pick("Explain", "说明"))
        }
        TextPurpose::Note => lang.pick("Note", "备注").to_string(),
        TextPurpose::Reopen => lang.pick("Reopen: why?", "重新打开的原因").to_string(),
    };
    let area = frame.area();
    let popup = centered(area, (area.width * 4 / 5).max(50), 12);
    frame.render_widget(Clear, popup);
    let block = frame_block(
        app,
        fit(&title, popup.width.saturating_sub(4) as usize),
        lang.pick(
            "Ctrl-S save · Enter new line · Esc cancel",
            "Ctrl-S 保存 · 回车换行 · Esc 取消",
        ),
    );
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [input, message] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(inner);
    frame.render_widget(&state.text, input);
    if let Some(e) = &state.error {
        frame.render_widget(
            Paragraph::new(Line::styled(e.clone(), app.theme.message())).wrap(Wrap { trim: true }),
            message,
        );
    }
}

/// One history line in words.
fn describe(app: &App, e: &EventLine) -> String {
    let lang = app.lang;
    let p = &e.payload;
    let s = |k: &str| {
        p.get(k).map_or(String::new(), |v| {
            v.as_str().map_or(v.to_string(), str::to_string)
        })
    };
    let body = match e.kind {
        EventKind::Correct => format!(
            "{} {}: {} → {} ({})",
            lang.pick("corrected", "修正"),
            s("field"),
            s("old"),
            s("new"),
            s("reason")
        ),
        EventKind::Explain => format!(
            "{} {}: {}",
            lang.pick("explained", "说明"),
            s("rule"),
            s("text")
        ),
        EventKind::Note => format!("{}: {}", lang.pick("note", "备注"), s("text")),
        EventKind::Sign => format!("{} ({})", lang.pick("signed", "签字"), s("role")),
        EventKind::Reopen => format!("{}: {}", lang.pick("reopened", "重新打开"), s("reason")),
        EventKind::Undo => format!("{} #{}", lang.pick("undid", "撤销"), s("undoes")),
        other => other.as_str().to_string(),
    };
    let undone = match (e.undone_by, e.kind) {
        (Some(by), EventKind::Sign) => {
            format!(" [{} #{by}]", lang.pick("void since", "已作废，见"))
        }
        (Some(by), _) => format!(" [{} #{by}]", lang.pick("undone by", "已撤销，见")),
        _ => String::new(),
    };
    format!(
        "#{} {} {} {body}{undone}",
        e.id,
        e.at.get(..19).unwrap_or(&e.at).replace('T', " "),
        e.reviewer
    )
}

pub fn history(frame: &mut Frame<'_>, app: &App, lines: &[EventLine], scroll: u16) {
    let lang = app.lang;
    let area = frame.area();
    let popup = centered(
        area,
        area.width.saturating_sub(6),
        area.height.saturating_sub(6),
    );
    frame.render_widget(Clear, popup);
    let key = app.record.as_ref().map_or("", |r| r.key.as_str());
    let block = frame_block(
        app,
        format!("{} {key}", lang.pick("History of", "操作历史：")),
        lang.pick(
            "newest first · ↑↓ scroll · any other key closes",
            "最新在前 · ↑↓ 滚动 · 其他任意键关闭",
        ),
    );
    let text: Vec<Line> = if lines.is_empty() {
        vec![Line::styled(
            lang.pick(
                "Nothing has been done to this record yet.",
                "该记录尚无操作。",
            )
            .to_string(),
            app.theme.dim(),
        )]
    } else {
        lines.iter().map(|e| Line::raw(describe(app, e))).collect()
    };
    frame.render_widget(
        Paragraph::new(text)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        popup,
    );
}

pub fn take_over(frame: &mut Frame<'_>, app: &App, from: &str) {
    let lang = app.lang;
    let area = frame.area();
    let popup = centered(area, 60.min(area.width), 5);
    frame.render_widget(Clear, popup);
    let key = app.record.as_ref().map_or("", |r| r.key.as_str());
    let block = frame_block(
        app,
        lang.pick("Take over", "接管").to_string(),
        lang.pick(
            "y take over · any other key cancels",
            "y 接管 · 其他任意键取消",
        ),
    );
    let question = match lang {
        crate::tui::i18n::Lang::En => {
            format!("{from} is working on {key}. Take it over? (recorded in the audit trail)")
        }
        crate::tui::i18n::Lang::Zh => {
            format!("{from} 正在处理 {key}。确定接管吗？（将记入审计日志）")
        }
    };
    frame.render_widget(
        Paragraph::new(question)
            .block(block)
            .wrap(Wrap { trim: true }),
        popup,
    );
}
