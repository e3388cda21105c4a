//! Pure rendering of `&App`: nothing here changes state or reads the workspace.

mod bars;
pub mod dashboard;
mod editors;
mod overlays;
mod panes;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::widgets::{Paragraph, Wrap};

use super::app::{App, Overlay};
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
        Some(Overlay::TakeOver { from }) => editors::take_over(frame, app, from),
        Some(Overlay::Dashboard(figures)) => dashboard::dashboard(frame, app, figures),
        Some(Overlay::History { lines, scroll }) => editors::history(frame, app, lines, *scroll),
        Some(Overlay::Search { .. }) | None => {}
    }
}

fn too_small(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let text = app.lang.pick(
        "The terminal is too small for huishen",
        "终端窗口太小，无法显示 huishen",
    );
    let need = format!(
        "{} {}×{}; {} {MIN_WIDTH}×{MIN_HEIGHT}",
        app.lang.pick("It is", "当前"),
        area.width,
        area.height,
        app.lang.pick("it needs at least", "至少需要"),
    );
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
