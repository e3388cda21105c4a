//! The child rows of a census object in the record pane, and the pane's title while one of
//! them is open.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::cells::{fit, pad};
use crate::tui::action::Action;
use crate::tui::app::{App, Inside, Pane};
use crate::tui::i18n::say;
use crate::tui::theme::symbol;
use huishen_core::review::{ChildRow, RecordDetail};

/// Adds, below the fields, a heading per child form and a line per row ("E1-2  耗煤量 50 t ·
/// …  ✖ B02"); returns the index of the line the cursor is on (0 when it is on a field).
pub(super) fn rows<'a>(
    app: &'a App,
    record: &'a RecordDetail,
    w: usize,
    lines: &mut Vec<Line<'a>>,
) -> usize {
    if app.inside.is_some() {
        return 0;
    }
    let lang = app.lang;
    let mut at = 0;
    let mut index = record.values.len();
    for child in &record.children {
        let heading = say::child_heading(lang, lang.of(&child.form.label), child.rows.len());
        lines.push(Line::from(Span::styled(fit(&heading, w), app.theme.dim())));
        // A row's key often repeats its object's ("G37…-02"): the rest is shown.
        let shown = |row: &'a ChildRow| -> &'a str {
            match row.key.strip_prefix(record.key.as_str()) {
                Some(rest) if !rest.is_empty() => rest,
                _ => row.key.as_str(),
            }
        };
        let key_w = child
            .rows
            .iter()
            .map(|r| crate::cells::width(shown(r)))
            .max()
            .unwrap_or(4);
        for row in &child.rows {
            let selected = app.focus == Pane::Record && app.field_cursor == index;
            if selected {
                at = lines.len();
            }
            lines.push(row_line(
                app,
                &child.form,
                (row, shown(row)),
                (w, key_w),
                selected,
            ));
            index += 1;
        }
    }
    at
}

/// One child row: its worst open flag, its key, its other values, its open flags' rules.
fn row_line<'a>(
    app: &App,
    form: &huishen_core::domain::Form,
    (row, key): (&ChildRow, &str),
    (w, key_w): (usize, usize),
    selected: bool,
) -> Line<'a> {
    let lang = app.lang;
    let base = if selected {
        app.theme.selected()
    } else {
        Style::new()
    };
    let worst = row.open().map(|f| f.severity).min();
    let mark = match worst {
        Some(s) => Span::styled(format!("{} ", symbol(s)), base.patch(app.theme.severity(s))),
        None => Span::styled("  ", base),
    };
    let parent_key = form.parent.as_ref().map(|p| p.key.as_str());
    let values: Vec<String> = row
        .values
        .iter()
        .filter(|v| v.field.name != form.key && Some(v.field.name.as_str()) != parent_key)
        .filter(|v| !v.is_null)
        .map(|v| {
            let unit = v.field.unit.as_ref().map_or("", |u| lang.of(u));
            let unit = if unit.is_empty() {
                String::new()
            } else {
                format!(" {unit}")
            };
            format!("{} {}{unit}", lang.of(&v.field.label), v.text)
        })
        .collect();
    let rules: Vec<&str> = row.open().map(|f| f.rule.as_str()).collect();
    let rules = if rules.is_empty() {
        String::new()
    } else {
        format!("  {}", rules.join(" "))
    };
    let key = pad(key, key_w);
    let room = w.saturating_sub(2 + key_w + 2 + crate::cells::width(&rules));
    let text = pad(&fit(&values.join(" · "), room), room);
    let rules_style = match worst {
        Some(s) => base.patch(app.theme.severity(s)),
        None => base,
    };
    Line::from(vec![
        mark,
        Span::styled(format!("{key}  "), base),
        Span::styled(text, base.patch(app.theme.dim())),
        Span::styled(rules, rules_style),
    ])
}

/// The pane's title with a row open: the object, the row's form and key, its state and the
/// key back.
pub(super) fn title(app: &App, inside: &Inside, row: &RecordDetail) -> String {
    let lang = app.lang;
    // A row is signed with its object, so its state is its flags'.
    let open = row.flags.iter().filter(|f| f.is_open()).count();
    let state = if row.status.locked {
        say::locked(lang).to_string()
    } else {
        say::row_open_flags(lang, open)
    };
    let back = say::row_back(lang, &app.key_of(Action::CloseRow), &inside.object.key);
    say::row_title(
        lang,
        &inside.object.key,
        lang.of(&inside.label),
        &row.key,
        &format!("{state} · {back}"),
    )
}
