//! The question asked before a signature: what is signed, as whom, and what the signature
//! does (whether it locks the record, or how many more it needs).

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::editors::frame_block;
use super::hint_line;
use super::overlays::centered;
use crate::tui::action::{Command, Mode};
use crate::tui::app::App;
use crate::tui::i18n::say;

pub fn sign(frame: &mut Frame<'_>, app: &App) {
    let lang = app.lang;
    let Some(record) = app.record.as_ref() else {
        return;
    };
    let status = &record.status;
    let name = app
        .selected()
        .and_then(|r| r.name.clone())
        .unwrap_or_default();
    let me = &app.session.reviewer;
    let nth = status.signatures.len() as i64 + 1;
    let mut lines = vec![
        Line::from(say::sign_what(lang, &record.key, &name)),
        Line::from(say::sign_as(lang, &me.name, &me.role)),
        Line::from(if nth >= status.signatures_required {
            say::sign_locks(lang, nth, status.signatures_required)
        } else {
            say::sign_leaves(lang, nth, status.signatures_required)
        }),
    ];
    let before: Vec<String> = (status.signatures.iter())
        .map(|(who, role)| say::signer(lang, who, role))
        .collect();
    if !before.is_empty() {
        let who = before.join(say::list_separator(lang));
        lines.push(Line::from(say::signed_before(lang, &who)));
    }
    let area = frame.area();
    let popup = centered(area, 70.min(area.width), lines.len() as u16 + 4);
    frame.render_widget(Clear, popup);
    let mut hint = hint_line(app, Mode::Sign, &[(&[Command::Confirm], say::hint_sign)]);
    hint.push(say::any_other_key_cancels(lang).to_string());
    let block = frame_block(app, say::sign_title(lang).to_string(), &hint.join(" · "));
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        popup,
    );
}
