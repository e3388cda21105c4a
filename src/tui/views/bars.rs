//! The top bar (where, who, which filter, how far) and the status line (the keys that matter
//! now, or a message).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::hints;
use crate::cells as text;
use crate::tui::action::{Action, Command, Mode};
use crate::tui::app::{App, Overlay, Pane};
use crate::tui::i18n::{Lang, say};
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
    if !app.filter.mine.is_empty() {
        filters.push(say::filter_mine(lang).to_string());
    }
    if let Some(s) = app.filter.severity {
        filters.push(say::severity(lang, s).to_string());
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
    if let Some(i) = app.filter.impact {
        filters.push(say::impact_name(lang, i).to_string());
    }
    if let Some(s) = &app.filter.standing {
        filters.push(say::standing_name(lang, s).to_string());
    }
    if let Some(s) = &app.filter.search {
        filters.push(say::quoted(lang, s));
    }
    if let Some(text) = app.searching.as_ref().and_then(|f| f.search.as_ref()) {
        filters.push(say::searching(lang, text));
    }
    if app.filter.by_score {
        filters.push(say::by_score(lang).to_string());
    }
    if !app.marked.is_empty() {
        filters.push(say::marked_count(lang, app.marked.len()));
    }
    let filter = if filters.is_empty() {
        say::filter_none(lang).to_string()
    } else {
        filters.join(", ")
    };
    let mut parts = [
        say::top_title(lang, &file, &app.session.form.name),
        say::top_reviewer(lang, &app.session.reviewer.name),
        say::top_filter(lang, &filter),
    ];
    // Progress keeps its place at the right; when the bar is short, the program's name and
    // the file give way first (the filter says what the queue lists), then the rest is cut.
    let right = say::top_progress(lang, p.signed, p.flagged, p.open);
    let left_w = (area.width as usize).saturating_sub(text::width(&right) + 1);
    if text::width(&parts.join(" │ ")) > left_w {
        parts[0] = format!(" {}", app.session.form.name);
    }
    let line = format!("{} {right}", text::pad(&parts.join(" │ "), left_w));
    frame.render_widget(Paragraph::new(line).style(app.theme.bar()), area);
}

pub fn outcome_name(lang: Lang, outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Missing => say::missing(lang),
        Outcome::Error => say::not_evaluable(lang),
        Outcome::Fail => say::failing(lang),
    }
}

/// `key description` pairs for the status line, first key of each action.
fn hint(
    app: &App,
    action: Action,
    label: fn(Lang) -> &'static str,
) -> Option<(String, &'static str)> {
    let key = app.keymap.keys(action).into_iter().next()?;
    Some((key, label(app.lang)))
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
                    "   {}   {}",
                    say::search_covers(app.lang),
                    hints(
                        app,
                        Mode::Search,
                        &[
                            (&[Command::Confirm], say::hint_search),
                            (&[Command::Cancel], say::hint_cancel),
                        ]
                    )
                ),
                theme.dim(),
            ),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    if let Some(message) = &app.message {
        message_lines(frame, app, message, area);
        return;
    }
    let moving = match app.focus {
        Pane::Queue => say::hint_next_record,
        Pane::Record => say::hint_next_field,
        Pane::Flags => say::hint_next_flag,
    };
    let hints: Vec<(String, &str)> = [
        hint(app, Action::MoveDown, moving),
        hint(app, Action::NextError, say::hint_next_error),
        hint(app, Action::Search, say::hint_search),
        hint(app, Action::Filter, say::hint_filter),
        hint(app, Action::Help, say::hint_help),
        hint(app, Action::Quit, say::hint_quit),
        hint(app, Action::FocusNext, say::hint_pane),
        hint(app, Action::ToggleLanguage, say::hint_language),
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

/// A message in the status line; one too long for it grows upwards over the flags pane, line
/// by line, so that a refusal is read whole (what blocks, who, and what to do).
fn message_lines(frame: &mut Frame<'_>, app: &App, message: &str, area: Rect) {
    let width = area.width.max(1) as usize;
    let mut lines = wrap(message, width);
    let most = app.areas.flags.height as usize + 1;
    if lines.len() > most {
        lines.truncate(most);
        if let Some(last) = lines.last_mut() {
            *last = text::fit(&format!("{last}…"), width);
        }
    }
    let height = lines.len() as u16;
    let rect = Rect::new(
        area.x,
        (area.y + 1).saturating_sub(height),
        area.width,
        height,
    );
    frame.render_widget(ratatui::widgets::Clear, rect);
    let lines: Vec<Line<'_>> = lines.into_iter().map(Line::from).collect();
    frame.render_widget(Paragraph::new(lines).style(app.theme.message()), rect);
}

/// `text` in lines of at most `width` cells, broken after a space or a wide character (Chinese
/// breaks between any two characters), else where the line is full.
fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut cells = 0;
    // Where the line may break: the byte after a space or a wide character.
    let mut last_break: Option<usize> = None;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if cells + w > width && !line.is_empty() {
            let cut = last_break.filter(|&b| b > 0).unwrap_or(line.len());
            let rest = line.split_off(cut);
            lines.push(line.trim_end().to_string());
            line = rest.trim_start().to_string();
            cells = unicode_width::UnicodeWidthStr::width(line.as_str());
            last_break = None;
        }
        if c == ' ' && line.is_empty() {
            continue;
        }
        line.push(c);
        cells += w;
        if c == ' ' || w == 2 {
            last_break = Some(line.len());
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn a_long_message_wraps_at_spaces_and_between_chinese_characters() {
        assert_eq!(wrap("one two three", 8), ["one two", "three"]);
        assert_eq!(wrap("记录不能签字", 8), ["记录不能", "签字"]);
        assert_eq!(wrap("short", 80), ["short"]);
    }
}
