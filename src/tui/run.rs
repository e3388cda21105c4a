//! The terminal and the event loop: restore the terminal on every way out, drain pending
//! events before drawing once, poll the workspace on a tick.

use std::io::stdout;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use ratatui::layout::Rect;

use super::app::App;
use super::i18n::Lang;
use super::keymap::Keymap;
use super::theme::Theme;
use super::views;
use huishen_core::review::Session;
use huishen_core::{Error, Result};

/// How often the screen asks whether another process changed the workspace.
const TICK: Duration = Duration::from_millis(250);

pub struct RunOptions {
    pub lang: Lang,
    pub keymap: Keymap,
    /// The screen opens on the demo workspace: its help lists the sample team and their
    /// passphrases, to try a second reviewer in another terminal.
    pub demo_team: bool,
}

fn io(e: std::io::Error) -> Error {
    Error::Storage {
        context: "using the terminal".into(),
        detail: e.to_string(),
    }
}

/// Runs the review screen until the reviewer quits.
pub fn run(session: Session, options: RunOptions) -> Result<()> {
    let mut terminal = ratatui::init();
    let _ = execute!(stdout(), EnableMouseCapture);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture);
        previous(info);
    }));
    let result = (|| -> Result<()> {
        let size = terminal.size().map_err(io)?;
        let mut app = App::new(
            session,
            options.keymap,
            options.lang,
            Theme::from_env(),
            Rect::new(0, 0, size.width, size.height),
        )?;
        app.demo_team = options.demo_team;
        let outcome = event_loop(&mut terminal, &mut app);
        // Claims end with the session.
        let released = app.close();
        outcome.and(released)
    })();
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    let _ = std::panic::take_hook();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> Result<()> {
    let mut last_tick = Instant::now();
    loop {
        terminal.draw(|frame| views::draw(frame, app)).map_err(io)?;
        if app.quit {
            return Ok(());
        }
        let timeout = TICK.saturating_sub(last_tick.elapsed());
        if event::poll(timeout).map_err(io)? {
            // Drain what is pending, then draw once. A failure (a locked workspace, say)
            // is shown as a message by the app, not fatal.
            loop {
                match event::read().map_err(io)? {
                    Event::Key(key) => app.on_key(key),
                    Event::Mouse(mouse) => app.on_mouse(mouse),
                    Event::Resize(w, h) => app.on_resize(Rect::new(0, 0, w, h)),
                    _ => {}
                }
                if app.quit || !event::poll(Duration::ZERO).map_err(io)? {
                    break;
                }
            }
        }
        if last_tick.elapsed() >= TICK {
            // The worker's answers (the dashboard's figures) arrive with the tick.
            app.on_tick();
            last_tick = Instant::now();
        }
    }
}
