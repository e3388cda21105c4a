//! The screen shows times in its zone, with the zone: the history window and the dashboard,
//! in both languages at 120×40 and 80×24. The zone is the screen's own (`App::zone`), set here,
//! so that no test reads or changes the environment. Each expected time is the stored UTC
//! time shifted by SQLite; in the snapshots the history's times, which change every run, are
//! replaced by a placeholder once each has been found where it belongs.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use std::path::Path;

use common::Scratch;
use common::demo::{NO_RIVER, reviewed};
use common::screen::{app_on, chars, key, screen};
use huishen::tui::app::{App, Figures, Overlay};
use huishen::tui::i18n::Lang;
use huishen::tui::theme::Theme;
use huishen::tui::views::dashboard;
use huishen_core::domain::time::Zone;
use huishen_core::review::Session;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

fn shanghai() -> Zone {
    Zone::named("Asia/Shanghai").unwrap()
}

/// The times of `record`'s events, newest first, as Beijing time by SQLite.
fn beijing_times(ws: &Path, record: i64) -> Vec<String> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut q = conn
        .prepare(
            "SELECT strftime('%Y-%m-%d %H:%M:%S', at, '+8 hours') FROM events
             WHERE record = ?1 ORDER BY id DESC",
        )
        .unwrap();
    q.query_map([record], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The screen on `NO_RIVER` of the reviewed workspace as 王五, in Beijing time.
fn on_no_river(ws: &Path, lang: Lang, size: (u16, u16)) -> App {
    let mut app = app_on(ws, ("王五", "wangwu-2017"), None, lang, size);
    app.zone = shanghai();
    key(&mut app, KeyCode::Char('/'));
    chars(&mut app, NO_RIVER);
    key(&mut app, KeyCode::Enter);
    app
}

#[test]
fn the_history_shows_each_event_at_its_beijing_time() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let times = beijing_times(&ws, common::rowid(&ws, NO_RIVER));
    // Two corrections, two signatures, a reopening and a note.
    assert_eq!(times.len(), 6, "{times:?}");
    for (lang, name) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        for (w, h) in [(120, 40), (80, 24)] {
            let mut app = on_no_river(&ws, lang, (w, h));
            key(&mut app, KeyCode::Char('h'));
            assert!(matches!(app.overlay, Some(Overlay::History { .. })));
            let mut text = screen(&app);
            assert!(!text.contains("UTC"), "{text}");
            // Newest first, each line with its time in Beijing and the zone.
            let mut rest = text.as_str();
            for time in &times {
                let at = rest
                    .find(&format!("{time} CST"))
                    .unwrap_or_else(|| panic!("{time} CST in\n{text}"));
                rest = &rest[at + 1..];
            }
            for time in &times {
                text = text.replace(time, "YYYY-MM-DD hh:mm:ss");
            }
            insta::assert_snapshot!(format!("history_{name}_{w}x{h}"), text);
        }
    }
}

/// The dashboard of `figures` in `zone`, as plain lines.
fn dashboard_screen(
    figures: &huishen_core::review::Stats,
    lang: Lang,
    (w, h): (u16, u16),
) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| {
            let theme = Theme { color: false };
            dashboard::render(f, f.area(), figures, (lang, theme), &shanghai())
        })
        .unwrap();
    common::screen::text_of(terminal.backend().buffer())
}

#[test]
fn the_dashboard_gives_as_of_and_today_in_beijing_time() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let session = Session::open(&ws, "王五", "wangwu-2017", None).unwrap();
    // Today from midnight in Beijing, 16:00 UTC the day before; read at 09:30 UTC.
    let mut figures = session.figures(Some("2026-05-31T16:00:00Z")).unwrap();
    assert_eq!(figures.since, "2026-05-31T16:00:00.000Z");
    figures.as_of = "2026-06-01T09:30:00.000Z".into();
    for (lang, name, today) in [
        (Lang::En, "en", "Today · since 00:00 CST"),
        (Lang::Zh, "zh", "今日工作 · 自 00:00 CST 起"),
    ] {
        for (w, h) in [(120, 40), (80, 24)] {
            let text = dashboard_screen(&figures, lang, (w, h));
            assert!(text.contains("2026-06-01 17:30 CST"), "{text}");
            assert!(text.contains(today), "{text}");
            assert!(!text.contains("UTC"), "{text}");
            insta::assert_snapshot!(format!("dashboard_beijing_{name}_{w}x{h}"), text);
        }
    }
}

#[test]
fn the_dashboard_on_screen_reads_in_the_screens_zone() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let mut app = on_no_river(&ws, Lang::En, (120, 40));
    key(&mut app, KeyCode::Char('d'));
    while matches!(app.overlay, Some(Overlay::Dashboard(Figures::Loading))) {
        std::thread::sleep(std::time::Duration::from_millis(5));
        common::screen::tick(&mut app);
    }
    let Some(Overlay::Dashboard(Figures::Ready(figures))) = &app.overlay else {
        panic!("{}", screen(&app));
    };
    let as_of: String = common::db::one(
        &ws,
        &format!(
            "SELECT strftime('%Y-%m-%d %H:%M', '{}', '+8 hours')",
            figures.as_of
        ),
    );
    let text = screen(&app);
    assert!(text.contains(&format!("as of {as_of} CST")), "{text}");
    // Today from midnight in the screen's zone, whatever the process's.
    assert!(text.contains("Today · since 00:00 CST"), "{text}");
    let midnight: String = common::db::one(
        &ws,
        "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+8 hours', 'start of day', '-8 hours')",
    );
    assert_eq!(figures.since, midnight);
}
