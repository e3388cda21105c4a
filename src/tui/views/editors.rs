//! The editors over the screen: correcting a field (value, then reason), the multi-line
//! explanation, note and reopen editors, and the record's history.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::overlays::{centered, closing_hints};
use super::{hint_line, hints};
use crate::cells::fit;
use crate::tui::action::{Command, Mode};
use crate::tui::app::App;
use crate::tui::editing::{EditStage, EditState, TextPurpose, TextState};
use crate::tui::i18n::say;
use huishen_core::domain::{EventKind, EventLine};

pub(super) fn frame_block<'a>(app: &App, title: String, hint: &str) -> Block<'a> {
    Block::bordered()
        .border_style(app.theme.border(true))
        .title(Span::styled(format!(" {title} "), app.theme.title()))
        .title_bottom(Span::styled(format!(" {hint} "), app.theme.dim()))
}

pub fn edit(frame: &mut Frame<'_>, app: &App, state: &EditState) {
    let lang = app.lang;
    let label = lang.of(&state.field.label);
    let unit = state.field.unit.as_ref().map_or("", |u| lang.of(u));
    let now = if state.current.is_empty() {
        "—"
    } else {
        &state.current
    };
    let title = say::correct_title(lang, label, &state.field.name, now, unit);
    let reasons = &app.reasons;
    let area = frame.area();
    let height = match state.stage {
        EditStage::Value(_) => 7,
        EditStage::Reason { .. } => reasons.len() as u16 + 9,
    };
    let popup = centered(area, (area.width * 4 / 5).max(50), height);
    frame.render_widget(Clear, popup);
    let block = frame_block(app, title, &edit_hints(app, &state.stage));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let error = state
        .error
        .clone()
        .map(|e| Line::styled(e, app.theme.message()));
    let message = match &state.stage {
        EditStage::Value(textarea) => {
            let [label_area, input, message] = Layout::vertical([
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Min(1),
            ])
            .areas(inner);
            frame.render_widget(Paragraph::new(say::new_value(lang)), label_area);
            frame.render_widget(textarea, input);
            message
        }
        EditStage::Reason {
            value,
            choice,
            other,
        } => {
            let mut lines = vec![
                Line::from(vec![
                    Span::raw(say::new_value_then(lang)),
                    Span::styled(
                        format!("{now} → {} {unit}", value.display()),
                        app.theme.title(),
                    ),
                ]),
                Line::raw(say::reason(lang)),
            ];
            lines.extend(reason_lines(app, *choice));
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
            message
        }
    };
    if let Some(e) = error {
        frame.render_widget(Paragraph::new(e).wrap(Wrap { trim: true }), message);
    }
}

/// The field editor's hints, from the keys of its stage's mode.
fn edit_hints(app: &App, stage: &EditStage) -> String {
    match stage {
        EditStage::Value(_) => hints(
            app,
            Mode::FieldEditor,
            &[
                (&[Command::Confirm], say::hint_next_reason),
                (&[Command::Cancel], say::hint_cancel),
            ],
        ),
        EditStage::Reason { .. } => hints(
            app,
            Mode::Reason,
            &[
                (
                    &[Command::PrevReason, Command::NextReason],
                    say::hint_choose_reason,
                ),
                (&[Command::Confirm], say::hint_save),
                (&[Command::Cancel], say::hint_cancel),
            ],
        ),
    }
}

/// The schema's reasons and "another reason", the chosen one marked.
fn reason_lines(app: &App, choice: usize) -> Vec<Line<'static>> {
    let style = |i: usize| {
        if i == choice {
            app.theme.selected()
        } else {
            Style::new()
        }
    };
    let mut lines: Vec<Line<'static>> = app
        .reasons
        .iter()
        .enumerate()
        .map(|(i, r)| Line::styled(format!("  {}", app.lang.of(r)), style(i)))
        .collect();
    lines.push(Line::styled(
        format!("  {}", say::another_reason(app.lang)),
        style(app.reasons.len()),
    ));
    lines
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
                .map_or("", |r| lang.of(&r.title));
            say::explain_title(lang, rule, title)
        }
        TextPurpose::Note => say::note_title(lang).to_string(),
        TextPurpose::Reopen => say::reopen_title(lang).to_string(),
        TextPurpose::BulkExplain => say::bulk_explain_title(lang).to_string(),
    };
    let area = frame.area();
    let popup = centered(area, (area.width * 4 / 5).max(50), 12);
    frame.render_widget(Clear, popup);
    let mut hint = hint_line(app, Mode::TextEditor, &[(&[Command::Save], say::hint_save)]);
    hint.push(say::hint_new_line(lang).to_string());
    hint.extend(hint_line(
        app,
        Mode::TextEditor,
        &[(&[Command::Cancel], say::hint_cancel)],
    ));
    let block = frame_block(
        app,
        fit(&title, popup.width.saturating_sub(4) as usize),
        &hint.join(" · "),
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
        EventKind::Correct => {
            let field = app.session.field_named(&s("field"));
            let label = app.session.label_of(&s("field"));
            // A code is followed by what it means, as in the record pane: 2 · 中型.
            let value = |text: String| match field.as_ref().and_then(|f| f.meaning(&text)) {
                Some(m) => format!("{text} · {}", lang.of(&m)),
                None => text,
            };
            // An empty value reads as the record pane shows it.
            let shown = |k: &str| match p.get(k) {
                None | Some(serde_json::Value::Null) => "—".to_string(),
                Some(_) => value(s(k)),
            };
            let (old, new) = (shown("old"), shown("new"));
            say::did_correct(lang, lang.of(&label), &old, &new, &s("reason"))
        }
        EventKind::Explain => say::did_explain(lang, &s("rule"), &s("text")),
        EventKind::Note => say::did_note(lang, &s("text")),
        EventKind::Sign => say::did_sign(lang, &s("role")),
        EventKind::Reopen => say::did_reopen(lang, &s("reason")),
        EventKind::Undo => say::did_undo(lang, &s("undoes")),
        EventKind::TakeOver => say::did_take_over(lang, &s("from")),
        other => say::action(lang, other).to_string(),
    };
    let undone = match (e.undone_by, e.kind) {
        (Some(by), EventKind::Sign) => say::void_since(lang, by),
        (Some(by), _) => say::undone_by(lang, by),
        _ => String::new(),
    };
    format!(
        "#{} {} {} {body}{undone}",
        e.id,
        app.zone.second(&e.at),
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
    let hint = format!(
        "{} · {}",
        say::newest_first(lang),
        closing_hints(app, Mode::History)
    );
    let block = frame_block(app, say::history_title(lang, key), &hint);
    let text: Vec<Line> = if lines.is_empty() {
        vec![Line::styled(say::nothing_done_yet(lang), app.theme.dim())]
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
    let key = app.record.as_ref().map_or("", |r| r.key.as_str());
    let question = say::take_over_question(lang, from, key);
    // As tall as the question is long once wrapped, so that it reads whole.
    let w = 64.min(area.width);
    let lines = crate::cells::wrap(&question, w.saturating_sub(2) as usize).len() as u16;
    let popup = centered(area, w, lines + 2);
    frame.render_widget(Clear, popup);
    let mut hint = hint_line(
        app,
        Mode::TakeOver,
        &[(&[Command::Confirm], say::hint_take_over)],
    );
    hint.push(say::any_other_key_cancels(lang).to_string());
    let block = frame_block(
        app,
        say::take_over_title(lang).to_string(),
        &hint.join(" · "),
    );
    frame.render_widget(
        Paragraph::new(crate::cells::wrap(&question, w.saturating_sub(2) as usize).join("\n"))
            .block(block)
            .wrap(Wrap { trim: true }),
        popup,
    );
}
