//! Pure rendering of `&App`: nothing here changes state or reads the workspace.

mod bars;
mod confirm;
pub mod dashboard;
mod editors;
mod object;
mod overlays;
mod panes;
mod selective;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::widgets::{Paragraph, Wrap};

use super::action::{Command, Mode};
use super::app::{App, Overlay};
use super::i18n::{Lang, say};
use super::layout::{MIN_HEIGHT, MIN_WIDTH};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let areas = app.areas;
    if areas.too_small() {
        too_small(frame, app, frame.area());
        return;
    }
    bars::top(frame, app, areas.top);
    panes::queue(frame, app, areas.queue);
    panes::record(frame, app, areas.record);
    panes::flags(frame, app, areas.flags);
    bars::status(frame, app, areas.status);
    match &app.overlay {
        Some(Overlay::Help { scroll }) => overlays::help(frame, app, *scroll),
        Some(Overlay::Filter(menu)) => overlays::filter(frame, app, menu),
        Some(Overlay::Edit(state)) => editors::edit(frame, app, state),
        Some(Overlay::Text(state)) => editors::text(frame, app, state),
        Some(Overlay::Sign) => confirm::sign(frame, app),
        Some(Overlay::TakeOver { from }) => editors::take_over(frame, app, from),
        Some(Overlay::Dashboard(figures)) => dashboard::dashboard(frame, app, figures),
        Some(Overlay::History { lines, scroll }) => editors::history(frame, app, lines, *scroll),
        Some(Overlay::Bulk(plan)) => selective::bulk(frame, app, plan),
        Some(Overlay::Search { .. }) | None => {}
    }
}

fn too_small(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let text = say::too_small(app.lang);
    let need = say::size_needed(app.lang, area.width, area.height, MIN_WIDTH, MIN_HEIGHT);
    let y = area.height / 2;
    let body = Rect::new(
        area.x,
        area.y + y.saturating_sub(1),
        area.width,
        area.height.saturating_sub(y).min(3),
    );
    frame.render_widget(
        Paragraph::new(format!("{text}\n{need}"))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .style(app.theme.message()),
        body,
    );
}

/// Commands whose first keys are shown together, and what they do.
pub type Hint<'a> = (&'a [Command], fn(Lang) -> &'static str);

/// A window's hints from the keys in force in `mode`: for each part, the first key of each
/// of its commands run together (`↑↓`), then what they do; parts whose commands have no key
/// are left out. `Esc cancel · Enter apply`.
pub fn hints(app: &App, mode: Mode, parts: &[Hint<'_>]) -> String {
    hint_line(app, mode, parts).join(" · ")
}

/// [`hints`] as separate parts, to join with other words.
pub fn hint_line(app: &App, mode: Mode, parts: &[Hint<'_>]) -> Vec<String> {
    parts
        .iter()
        .filter_map(|(commands, label)| {
            let keys: String = commands
                .iter()
                .filter_map(|&c| app.keymap.command_keys(mode, c).into_iter().next())
                .collect();
            (!keys.is_empty()).then(|| format!("{keys} {}", label(app.lang)))
        })
        .collect()
}
