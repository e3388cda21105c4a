//! A flag's detail window: why the record was flagged. Its rule (id, severity, state, both
//! titles with the screen's language first), its `when` and `check` as written, the values it
//! reads on the record, each comparison it makes with its sides computed, the peers groups
//! and the rows of other forms it reads, what localisation and the fix rules say, and the
//! flag's history on the record. The lines are wrapped here to the window's width, so that
//! the model knows how far the window scrolls.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::bars::outcome_name;
use super::editors::frame_block;
use super::overlays::{centered, closing_hints};
use crate::cells::{fit, pad, width};
use crate::tui::action::{Command, Mode};
use crate::tui::app::App;
use crate::tui::i18n::{Lang, say};
use crate::tui::theme::{FIXED, symbol};
use huishen_core::domain::Field;
use huishen_core::review::{Comparison, Figure, FlagDetail};

mod figures;
mod history;
mod text;

use figures::{linked, peers};
use history::{history, located};
use text::value_text;
pub use text::wrap;

/// The window on a screen of `size` and its lines: as wide as the screen allows less a
/// margin, as tall as its lines need (or the screen less a margin).
fn layout(app: &App, detail: &FlagDetail, size: Rect) -> (Rect, Vec<Line<'static>>) {
    let w = size.width.saturating_sub(4);
    let text = lines(app, detail, w.saturating_sub(2) as usize);
    let need = u16::try_from(text.len() + 2).unwrap_or(u16::MAX);
    let h = need.min(size.height.saturating_sub(2));
    (centered(size, w, h), text)
}

/// How far the window can scroll: its lines less those that fit.
pub fn scroll_room(app: &App, detail: &FlagDetail) -> u16 {
    let (area, text) = layout(app, detail, app.areas.size);
    let h = area.height.saturating_sub(2) as usize;
    u16::try_from(text.len().saturating_sub(h)).unwrap_or(u16::MAX)
}

pub fn flag_detail(frame: &mut Frame<'_>, app: &App, detail: &FlagDetail, scroll: u16) {
    let lang = app.lang;
    let (area, text) = layout(app, detail, frame.area());
    frame.render_widget(Clear, area);
    let h = area.height.saturating_sub(2) as usize;
    let scroll = (scroll as usize).min(text.len().saturating_sub(h));
    let last = (scroll + h).min(text.len());
    let mut hint = vec![closing_hints(app, Mode::FlagDetail)];
    hint.extend(super::hint_line(
        app,
        Mode::FlagDetail,
        &[(&[Command::ToggleLanguage], say::hint_language)],
    ));
    if text.len() > h {
        hint.push(say::fd_lines_shown(lang, scroll + 1, last, text.len()));
    }
    let block = frame_block(
        app,
        say::fd_title(lang, &detail.flag.rule, &detail.key),
        &hint.join(" · "),
    );
    let shown: Vec<Line<'static>> = text.into_iter().skip(scroll).take(h).collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
}

/// Lines of the window, in order.
struct Out<'a> {
    app: &'a App,
    w: usize,
    lines: Vec<Line<'static>>,
}

impl Out<'_> {
    /// `text` wrapped after `lead` (the first line's label, padded to `indent`), the lines
    /// after it indented as far.
    fn para(&mut self, lead: &str, indent: usize, text: &str, style: Style) {
        let lead = if lead.is_empty() {
            " ".repeat(indent)
        } else {
            pad(lead, indent)
        };
        for (i, piece) in wrap(text, self.w.saturating_sub(indent))
            .into_iter()
            .enumerate()
        {
            let head = if i == 0 {
                lead.clone()
            } else {
                " ".repeat(indent)
            };
            self.lines.push(Line::from(vec![
                Span::styled(head, self.app.theme.dim()),
                Span::styled(piece, style),
            ]));
        }
    }

    fn heading(&mut self, text: String) {
        self.lines.push(Line::raw(""));
        self.lines
            .push(Line::styled(fit(&text, self.w), self.app.theme.title()));
    }
}

fn lines(app: &App, d: &FlagDetail, w: usize) -> Vec<Line<'static>> {
    let mut out = Out {
        app,
        w,
        lines: Vec::new(),
    };
    header(&mut out, d);
    expressions(&mut out, d);
    reads(&mut out, d);
    for c in &d.comparisons {
        comparison(&mut out, c);
    }
    for p in &d.peers {
        peers(&mut out, p);
    }
    for l in &d.linked {
        linked(&mut out, l);
    }
    if let (Some((value, rows)), Some(expr)) = (&d.related_records, &d.related) {
        figures::related(&mut out, expr, value, rows);
    }
    for l in &d.unlinked {
        let fields: Vec<&str> = l.fields.iter().map(|f| app.lang.of(&f.label)).collect();
        out.heading(say::fd_unlinked(
            app.lang,
            app.lang.of(&l.label),
            &fields.join(", "),
        ));
    }
    located(&mut out, d);
    history(&mut out, d);
    out.lines
}

fn header(out: &mut Out<'_>, d: &FlagDetail) {
    let (app, lang) = (out.app, out.app.lang);
    let f = &d.flag;
    let state = if !f.is_open() {
        say::fixed(lang)
    } else if f.explained {
        say::explained(lang)
    } else {
        outcome_name(lang, f.outcome)
    };
    let mark = if f.is_open() && !f.explained {
        symbol(f.severity)
    } else {
        FIXED
    };
    out.lines.push(Line::from(vec![
        Span::styled(
            format!("{mark} {} ", f.rule),
            app.theme.severity(f.severity),
        ),
        Span::styled(
            format!("{} · {state}", say::severity(lang, f.severity)),
            app.theme.severity(f.severity),
        ),
    ]));
    let first = lang.pick(&f.title_en, &f.title_zh);
    let second = lang.other().pick(&f.title_en, &f.title_zh);
    out.para("", 2, first, Style::new());
    out.para("", 2, second, app.theme.dim());
    if let Some(hint) = &d.hint {
        out.para(
            "",
            2,
            &say::fd_hint(lang, lang.of(hint)),
            app.theme.message(),
        );
    }
}

fn expressions(out: &mut Out<'_>, d: &FlagDetail) {
    let lang = out.app.lang;
    out.heading(say::fd_as_written(lang).into());
    let labels = [
        say::fd_when(lang),
        say::fd_check(lang),
        say::fd_related(lang),
    ];
    let indent = 2 + labels.iter().map(|l| width(l)).max().unwrap_or(6) + 1;
    let lead = |l: &str| format!("  {l}");
    match &d.when {
        Some(when) => out.para(&lead(labels[0]), indent, when, Style::new()),
        None => out.para(
            &lead(labels[0]),
            indent,
            say::fd_always(lang),
            out.app.theme.dim(),
        ),
    }
    out.para(&lead(labels[1]), indent, &d.check, Style::new());
    if let Some(related) = &d.related {
        out.para(&lead(labels[2]), indent, related, Style::new());
    }
}

/// A field's label, by name, from the record's form.
fn label<'a>(d: &'a FlagDetail, lang: Lang, name: &'a str) -> &'a str {
    d.form.field(name).map_or(name, |f| lang.of(&f.label))
}

/// A field's label on `form`: the record's, or one of the forms it reads through the link.
fn label_on<'a>(d: &'a FlagDetail, lang: Lang, form: &str, name: &'a str) -> &'a str {
    if form == d.form.name {
        return label(d, lang, name);
    }
    d.linked
        .iter()
        .filter(|l| l.form == form)
        .flat_map(|l| &l.fields)
        .find(|f| f.name == name)
        .map_or(name, |f| lang.of(&f.label))
}

fn unit(lang: Lang, f: &Field) -> String {
    f.unit
        .as_ref()
        .map_or(String::new(), |u| format!(" {}", lang.of(u)))
}

fn reads(out: &mut Out<'_>, d: &FlagDetail) {
    let (app, lang) = (out.app, out.app.lang);
    out.heading(say::fd_reads(lang).into());
    if d.reads.is_empty() {
        out.para("", 2, say::fd_reads_nothing(lang), app.theme.dim());
        return;
    }
    let label_w = d
        .reads
        .iter()
        .map(|v| width(lang.of(&v.field.label)))
        .max()
        .unwrap_or(8)
        .min(out.w * 3 / 10)
        .max(8);
    for v in &d.reads {
        let now = if v.is_null { "—" } else { v.text.as_str() };
        let value = match &v.original {
            Some(o) => format!("{} → {now}", if o.is_empty() { "—" } else { o.as_str() }),
            None => now.to_string(),
        };
        let unit = if v.is_null {
            String::new()
        } else {
            unit(lang, &v.field)
        };
        let lead = format!("  {}", pad(lang.of(&v.field.label), label_w));
        out.para(
            &lead,
            label_w + 3,
            &format!("{value}{unit}  ({})", v.field.name),
            Style::new(),
        );
    }
}

fn comparison(out: &mut Out<'_>, c: &Comparison) {
    let (app, lang) = (out.app, out.app.lang);
    out.heading(say::fd_compares(lang).into());
    let between = c.op.ends_with("BETWEEN");
    for (i, side) in c.sides.iter().enumerate() {
        let op = match (i, between) {
            (0, _) => String::new(),
            (1, _) => c.op.clone(),
            (_, true) => "AND".into(),
            (_, false) => String::new(),
        };
        let lead = if op.is_empty() {
            "  ".to_string()
        } else {
            format!("  {op} ")
        };
        out.para(&lead, width(&lead), &side.expr, Style::new());
        let indent = width(&lead) + 2;
        out.para(
            "",
            indent,
            &format!("= {}", figure(lang, side)),
            app.theme.message(),
        );
    }
}

fn figure(lang: Lang, f: &Figure) -> String {
    // The number the rule compared, as the rule computed it.
    value_text(lang, &f.value)
}
