//! The cursor stays where the reviewer was: Esc clears the search and filters without
//! leaving the record on screen (so the next `s` signs the record the reviewer was looking
//! at), and a new filter keeps the record under the cursor when it still lists it.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::screen::{app_on, chars, key, screen};
use common::{Scratch, demo};
use huishen::tui::i18n::Lang;
use ratatui::crossterm::event::KeyCode;

#[test]
fn esc_clears_the_search_and_stays_on_the_record() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app_on(&ws, ("王五", "wangwu-2017"), None, Lang::En, (120, 40));
    let all = app.count;
    for _ in 0..7 {
        key(&mut app, KeyCode::Down);
    }
    let here = app.selected().unwrap().key.clone();
    // A search for the record's own key lists it alone.
    key(&mut app, KeyCode::Char('/'));
    chars(&mut app, &here);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        (app.count, app.selected().unwrap().key.as_str()),
        (1, here.as_str())
    );
    key(&mut app, KeyCode::Esc);
    let shown = screen(&app);
    assert_eq!(app.count, all, "{shown}");
    assert_eq!(app.selected().unwrap().key, here, "{shown}");
    assert_eq!(app.record.as_ref().unwrap().key, here);
    assert!(
        shown.contains("Search and filters cleared; the cursor stays on its record"),
        "{shown}"
    );
    // Esc with nothing to clear changes nothing.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.selected().unwrap().key, here);
}

#[test]
fn a_filter_that_still_lists_the_record_keeps_the_cursor_on_it() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app_on(&ws, ("王五", "wangwu-2017"), None, Lang::Zh, (80, 24));
    for _ in 0..30 {
        key(&mut app, KeyCode::Down);
    }
    let here = app.selected().unwrap().clone();
    assert!(here.errors > 0);
    // Errors only: the record (it has one) stays under the cursor.
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("筛选： 错误"), "{}", screen(&app));
    assert_eq!(app.selected().unwrap().key, here.key, "{}", screen(&app));
    // Warnings only: it is not listed, and the cursor goes to the nearest record after it.
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Enter);
    let now = app.selected().unwrap();
    assert!(
        now.errors == 0
            && (now.region.as_str(), now.key.as_str()) > (here.region.as_str(), here.key.as_str())
            || now.severity > here.severity,
        "{}",
        screen(&app)
    );
}
