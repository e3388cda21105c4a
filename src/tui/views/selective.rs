//! Selective review on the screen: the preview of a bulk action, and the lines of a record's
//! proposed fixes and scores.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::editors::frame_block;
use super::hint_line;
use super::overlays::centered;
use crate::cells::fit;
use crate::tui::action::{Action, Command, Mode};
use crate::tui::app::App;
use crate::tui::i18n::say;
use huishen_core::domain::{Datum, Located, Proposal, RecordScore};
use huishen_core::review::BulkPlan;

/// How many records the preview lists by key.
const SAMPLE: usize = 8;

pub fn bulk(frame: &mut Frame<'_>, app: &App, plan: &BulkPlan) {
    let lang = app.lang;
    let area = frame.area();
    // The summary, the ready keys on one line (or the nothing-to-do line), and one line per
    // refusal shown (with one for the rest).
    let listed = 2 + plan.refused.len().min(SAMPLE) + usize::from(plan.refused.len() > SAMPLE);
    let popup = centered(
        area,
        (area.width * 9 / 10).max(40).min(area.width),
        (listed as u16 + 2).min(area.height),
    );
    frame.render_widget(Clear, popup);
    let mut hint = if plan.ready.is_empty() {
        Vec::new()
    } else {
        hint_line(
            app,
            Mode::Bulk,
            &[(&[Command::Confirm], say::hint_bulk_confirm)],
        )
    };
    hint.push(say::any_other_key_cancels(lang).to_string());
    let title = format!(
        "{}· {}",
        say::bulk_title(lang),
        say::bulk_verb(lang, &plan.action)
    );
    let block = frame_block(app, title, &hint.join(" · "));
    let w = popup.width.saturating_sub(4) as usize;
    let mut lines = vec![Line::raw(say::bulk_summary(
        lang,
        plan.selected,
        plan.ready.len(),
        plan.refused.len(),
    ))];
    if plan.ready.is_empty() {
        lines.push(Line::styled(say::nothing_to_do(lang), app.theme.message()));
    }
    let keys: Vec<&str> = plan
        .ready
        .iter()
        .take(SAMPLE)
        .map(|r| r.key.as_str())
        .collect();
    if !keys.is_empty() {
        let more = plan.ready.len().saturating_sub(SAMPLE);
        let tail = if more > 0 {
            format!(" … +{more}")
        } else {
            String::new()
        };
        lines.push(Line::raw(fit(&format!("✓ {}{tail}", keys.join(", ")), w)));
    }
    for r in plan.refused.iter().take(SAMPLE) {
        let both = huishen_core::domain::Localized::new(r.why_zh.as_str(), r.why.as_str());
        let why = lang.of(&both);
        lines.push(Line::styled(
            fit(&format!("✗ {}: {why}", r.key), w),
            app.theme.dim(),
        ));
    }
    if plan.refused.len() > SAMPLE {
        lines.push(Line::styled(
            format!("✗ … +{}", plan.refused.len() - SAMPLE),
            app.theme.dim(),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}

/// A value as a proposal shows it: `—` for none.
fn shown(v: &Datum) -> String {
    match v {
        Datum::Null => "—".into(),
        other => other.display(),
    }
}

/// One line per proposal: `✎ F01 label 1000000 → 100 万元 · resolves E02 · A accept · X
/// dismiss · title`.
pub fn proposal_lines(app: &App, proposals: &[Proposal], w: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    proposals
        .iter()
        .map(|p| {
            let changes: Vec<String> = p
                .changes
                .iter()
                .map(|c| {
                    let field = app.session.form.field(&c.field);
                    let label = fit(field.map_or(c.field.as_str(), |f| lang.of(&f.label)), 16);
                    let unit = field
                        .and_then(|f| f.unit.as_ref())
                        .map_or(String::new(), |u| format!(" {}", lang.of(u)));
                    format!("{label} {} → {}{unit}", shown(&c.old), shown(&c.new))
                })
                .collect();
            // What it changes and what to press come first; the title last, cut if need be.
            let mut parts = vec![changes.join(", ")];
            if !p.resolves.is_empty() {
                parts.push(say::resolves(lang, &p.resolves.join(", ")));
            }
            if !p.opens.is_empty() {
                parts.push(say::opens(lang, &p.opens.join(", ")));
            }
            if p.dismissed {
                parts.push(say::dismissed(lang).to_string());
            } else {
                parts.push(format!(
                    "{} {} · {} {}",
                    app.key_of(Action::AcceptFix),
                    say::proposal_keys(lang),
                    app.key_of(Action::DismissFix),
                    say::proposal_dismiss(lang)
                ));
            }
            parts.push(lang.of(&p.title).to_string());
            let style = if p.dismissed {
                app.theme.dim()
            } else {
                app.theme.message()
            };
            Line::from(Span::styled(
                fit(&format!("✎ {} {}", p.fix, parts.join(" · ")), w),
                style,
            ))
        })
        .collect()
}

/// The line of a record's localisation: the fields to change, by their labels.
pub fn located_line(app: &App, located: &Located, w: usize) -> Option<Line<'static>> {
    let lang = app.lang;
    let text = match located {
        Located::Fields {
            fields, failing, ..
        } => {
            let labels: Vec<&str> = fields
                .iter()
                .map(|f| {
                    app.session
                        .form
                        .field(f)
                        .map_or(f.as_str(), |d| lang.of(&d.label))
                })
                .collect();
            say::located_fields(lang, &failing.join(", "), &labels.join(", "))
        }
        Located::Contradictory { rules } => say::located_contradictory(lang, &rules.join(", ")),
        Located::Nothing | Located::OverBudget { .. } => return None,
    };
    Some(Line::from(Span::styled(
        fit(&format!("⌖ {text}"), w),
        app.theme.message(),
    )))
}

/// A score as the screen shows it: one decimal, `—` when the record cannot be scored.
pub fn score_text(value: Option<f64>) -> String {
    match value {
        None => "—".into(),
        Some(v) if v >= 1e6 => format!("{v:.1e}"),
        Some(v) if v >= 1e3 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    }
}

/// The record's scores for its title: `S1 540489.2 ▲` (▲ at or above the threshold).
pub fn scores_text(scores: &[RecordScore]) -> String {
    scores
        .iter()
        .map(|s| {
            let mark = match s.high() {
                Some(true) => " ▲",
                _ => "",
            };
            format!("{} {}{mark}", s.id, score_text(s.value))
        })
        .collect::<Vec<_>>()
        .join(" ")
}
