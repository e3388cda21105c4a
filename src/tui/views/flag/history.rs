//! What localisation and the fix rules say about the flag, and its history on the record.

use ratatui::style::Style;

use super::super::bars::outcome_name;
use super::text::{at, number, shown};
use super::{Out, label, label_on, unit};
use crate::cells::width;
use crate::tui::i18n::{Lang, say};
use huishen_core::domain::EventKind;
use huishen_core::review::{FlagDetail, FlagEvent, FlagLocated, FlagStep};

pub(super) fn located(out: &mut Out<'_>, d: &FlagDetail) {
    let (app, lang) = (out.app, out.app.lang);
    let text = match &d.located {
        FlagLocated::Nothing => None,
        FlagLocated::Fields { fields, weight } => {
            let labels: Vec<&str> = fields.iter().map(|f| label(d, lang, f)).collect();
            Some(format!(
                "⌖ {}",
                say::fd_located_fields(lang, &labels.join(", "), &number(*weight))
            ))
        }
        FlagLocated::Contradictory { rules } => Some(format!(
            "⌖ {}",
            say::located_contradictory(lang, &rules.join(", "))
        )),
        FlagLocated::OverBudget => Some(say::fd_located_over_budget(lang).into()),
        FlagLocated::LeftOut { construct } => Some(say::fd_left_out(lang, construct)),
    };
    if let Some(text) = text {
        out.heading(say::fd_localisation(lang).into());
        out.para("", 2, &text, app.theme.message());
    }
    if d.proposals.is_empty() {
        return;
    }
    out.heading(say::fd_proposals(lang).into());
    for p in &d.proposals {
        let changes: Vec<String> = p
            .changes
            .iter()
            .map(|c| {
                let unit = d
                    .form
                    .field(&c.field)
                    .map_or(String::new(), |f| unit(lang, f));
                format!(
                    "{} {} → {}{unit}",
                    label(d, lang, &c.field),
                    shown(&c.old),
                    shown(&c.new)
                )
            })
            .collect();
        let mut text = format!("✎ {} {}: {}", p.fix, lang.of(&p.title), changes.join(", "));
        if !p.resolves.is_empty() {
            text.push_str(&format!(
                " · {}",
                say::resolves(lang, &p.resolves.join(", "))
            ));
        }
        if !p.opens.is_empty() {
            text.push_str(&format!(" · {}", say::opens(lang, &p.opens.join(", "))));
        }
        if p.dismissed {
            text.push_str(&format!(" · {}", say::dismissed(lang)));
        }
        out.para("", 2, &text, app.theme.message());
    }
}

pub(super) fn history(out: &mut Out<'_>, d: &FlagDetail) {
    let (app, lang) = (out.app, out.app.lang);
    out.heading(say::fd_history(lang).into());
    for e in &d.history {
        let text = step(lang, d, e);
        let style = match e.step {
            FlagStep::Opened { .. } => app.theme.severity(d.flag.severity),
            FlagStep::Resolved => app.theme.resolved(),
            _ if e.undone => app.theme.dim(),
            _ => Style::new(),
        };
        let lead = format!("  {}  ", at(&e.at));
        out.para(&lead, width(&lead), &text, style);
    }
}

pub(super) fn step(lang: Lang, d: &FlagDetail, e: &FlagEvent) -> String {
    let who = e.reviewer.as_deref().unwrap_or("");
    let mut text = match &e.step {
        FlagStep::Opened { outcome, by } => {
            let outcome = outcome_name(lang, *outcome);
            match by {
                Some(b) if b.kind == EventKind::Check => {
                    say::fd_opened_by_check(lang, outcome, &b.reviewer)
                }
                Some(b) => {
                    let on = match &b.key {
                        Some(k) if *k != d.key => say::fd_on_row(lang, k),
                        _ => String::new(),
                    };
                    say::fd_opened_by_action(
                        lang,
                        outcome,
                        say::action(lang, b.kind),
                        &b.reviewer,
                        &on,
                    )
                }
                None => say::fd_opened(lang, outcome),
            }
        }
        FlagStep::Resolved => say::fd_resolved(lang).into(),
        FlagStep::Corrected {
            form,
            key,
            field,
            old,
            new,
            reason,
        } => {
            let on = if *key != d.key {
                say::fd_on_row(lang, key)
            } else {
                String::new()
            };
            let field = format!("{}{on}", label_on(d, lang, form, field));
            say::fd_corrected(lang, who, &field, &shown(old), &shown(new), reason)
        }
        FlagStep::Explained { text } => say::fd_explained(lang, who, text),
        FlagStep::Undone { kind, field } => {
            let what = match field {
                Some(f) => format!("{} ({})", say::action(lang, *kind), label(d, lang, f)),
                None => say::action(lang, *kind).to_string(),
            };
            say::fd_undid(lang, who, &what)
        }
    };
    if e.undone {
        text.push_str(say::fd_since_undone(lang));
    }
    text
}
