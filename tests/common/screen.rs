//! The review screen, headless: keys into an [`App`] and its frame as plain text.

use std::path::Path;

use huishen::tui::app::App;
use huishen::tui::i18n::Lang;
use huishen::tui::keymap::Keymap;
use huishen::tui::theme::Theme;
use huishen::tui::views;
use huishen_core::review::Session;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

/// The review screen on `ws` as `reviewer` (signed in with `passphrase`) on `form` (the
/// first when `None`), without colour, `w` × `h` cells.
pub fn app_on(
    ws: &Path,
    (reviewer, passphrase): (&str, &str),
    form: Option<&str>,
    lang: Lang,
    (w, h): (u16, u16),
) -> App {
    let session = Session::open(ws, reviewer, passphrase, form).unwrap();
    App::new(
        session,
        Keymap::builtin(),
        lang,
        Theme { color: false },
        Rect::new(0, 0, w, h),
    )
    .unwrap()
}

/// A key pressed on its own, and (a search's Enter) its answer from the searcher awaited,
/// as a reviewer sees it a moment later.
pub fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    settle(app);
}

/// Waits for the search on its way, taking in the searcher's answer (and the worker's).
pub fn settle(app: &mut App) {
    let since = std::time::Instant::now();
    while app.waiting() {
        // Not a limit on speed: a searcher that died would otherwise hang the test.
        assert!(
            since.elapsed() < std::time::Duration::from_secs(120),
            "the search never answered"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
        app.collect();
    }
}

/// Ctrl and a character.
pub fn ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

/// Each character of `text` typed in turn.
pub fn chars(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The screen as plain lines, each wide character once.
pub fn screen(app: &App) -> String {
    let size = app.areas.size;
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal.draw(|f| views::draw(f, app)).unwrap();
    text_of(terminal.backend().buffer())
}

/// A drawn buffer as plain lines, each wide character once.
pub fn text_of(buffer: &ratatui::buffer::Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let symbol = buffer[(x, y)].symbol();
            out.push_str(symbol);
            x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

/// `text` with each time of day (2026-12-01 17:45:12) as `YYYY-MM-DD hh:mm:ss`, width kept:
/// for screens showing times of the trail, which differ from run to run.
pub fn timeless(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let digit = |c: Option<&char>| c.is_some_and(char::is_ascii_digit);
    while i < chars.len() {
        let stamp = (0..19).all(|k| match k {
            4 | 7 => chars.get(i + k) == Some(&'-'),
            10 => chars.get(i + k) == Some(&' '),
            13 | 16 => chars.get(i + k) == Some(&':'),
            _ => digit(chars.get(i + k)),
        });
        if stamp {
            out.push_str("YYYY-MM-DD hh:mm:ss");
            i += 19;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A tick of the screen's clock, and what it asked for taken in.
pub fn tick(app: &mut App) {
    app.on_tick();
    settle(app);
}
