//! Search on the screen, as a reviewer meets it: the prompt says what it looks at (the start
//! of a key, any part of a name, flagged records only), two Chinese characters find names,
//! and a search that finds only records no rule flagged says so, with their keys, instead
//! of a bare "no record matches". In both languages, at 120×40 and 80×24.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::sqlite3;
use common::screen::{app_on, chars, key, screen};
use common::{Scratch, demo};
use huishen::tui::i18n::Lang;
use ratatui::crossterm::event::KeyCode;

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

/// The key of a record no rule flagged.
fn unflagged_key(ws: &std::path::Path) -> String {
    let out = sqlite3(
        ws,
        "SELECT record_id FROM G101_1 t WHERE NOT EXISTS \
         (SELECT 1 FROM queue q WHERE q.form = 'G101_1' AND q.record = t.rowid) \
         ORDER BY record_id LIMIT 1",
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn the_prompt_says_what_search_looks_at() {
    let s = Scratch::new();
    let ws = demo(&s);
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app_on(&ws, ("王五", "wangwu-2017"), None, lang, (120, 40));
        key(&mut app, KeyCode::Char('/'));
        chars(&mut app, "济南");
        let shown = screen(&app);
        let says = match lang {
            Lang::En => "the start of a key, or any part of a name",
            Lang::Zh => "记录号开头或单位名称任意部分",
        };
        assert!(shown.contains(says), "{shown}");
        key(&mut app, KeyCode::Enter);
        // Two characters find the names that hold them, and nothing else.
        assert!(app.count > 0, "{}", screen(&app));
        assert!(
            app.rows
                .iter()
                .all(|r| r.name.as_deref().unwrap_or("").contains("济南")),
            "{:?}",
            app.rows
        );
    }
}

#[test]
fn a_search_that_finds_only_unflagged_records_says_so() {
    let s = Scratch::new();
    let ws = demo(&s);
    let wanted = unflagged_key(&ws);
    for lang in [Lang::En, Lang::Zh] {
        for size in SIZES {
            let mut app = app_on(&ws, ("王五", "wangwu-2017"), None, lang, size);
            key(&mut app, KeyCode::Char('/'));
            chars(&mut app, &wanted);
            key(&mut app, KeyCode::Enter);
            assert_eq!(app.count, 0);
            let shown = screen(&app);
            let says = match lang {
                Lang::En => "which no rule flagged: it is not in the queue",
                Lang::Zh => "但没有审核规则标出它，所以不在待审队列中",
            };
            // The sentence wraps within the queue pane (the record pane beside it is empty).
            let flat: String = (shown.chars())
                .filter(|c| !c.is_whitespace() && *c != '│')
                .collect();
            assert!(flat.contains(&says.replace(' ', "")), "{shown}");
            assert!(flat.contains(&wanted), "{shown}");
            insta::assert_snapshot!(
                format!("search_unflagged_{lang:?}_{}x{}", size.0, size.1),
                shown
            );
        }
    }
}

#[test]
fn a_search_that_finds_nothing_at_all_says_only_that() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app_on(&ws, ("王五", "wangwu-2017"), None, Lang::En, (120, 40));
    key(&mut app, KeyCode::Char('/'));
    chars(&mut app, "不在任何名称中");
    key(&mut app, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("No record matches."), "{shown}");
    assert!(!shown.contains("no rule flagged"), "{shown}");
}

#[test]
fn a_search_runs_off_the_key_path_and_the_latest_one_wins() {
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app_on(&ws, ("王五", "wangwu-2017"), None, Lang::En, (120, 40));
    let press = |app: &mut huishen::tui::app::App, code| {
        app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    };
    let all = app.count;
    let first = app.selected().unwrap().key.clone();
    // Enter sends the search away: the queue stays as it was, the top bar says it searches,
    // and the keys still move the cursor.
    press(&mut app, KeyCode::Char('/'));
    for c in "济南".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.waiting());
    let shown = screen(&app);
    assert!(shown.contains("searching “济南”…"), "{shown}");
    assert_eq!(
        (app.count, app.selected().unwrap().key.as_str()),
        (all, first.as_str())
    );
    press(&mut app, KeyCode::Down);
    assert_ne!(app.selected().unwrap().key, first);
    // A second search before the first answered: only the second is shown.
    press(&mut app, KeyCode::Char('/'));
    for _ in 0..2 {
        press(&mut app, KeyCode::Backspace);
    }
    for c in "G3714".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    common::screen::settle(&mut app);
    assert_eq!(app.filter.search.as_deref(), Some("G3714"));
    assert!(app.count > 0 && app.rows.iter().all(|r| r.key.starts_with("G3714")));
    let shown = screen(&app);
    assert!(!shown.contains("searching"), "{shown}");
    // One more, called off with Esc before it answers: the queue stays as it is.
    let before = app.count;
    press(&mut app, KeyCode::Char('/'));
    for c in "济南".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    assert!(!app.waiting());
    assert!(screen(&app).contains("Search called off"));
    std::thread::sleep(std::time::Duration::from_millis(200));
    app.collect();
    assert_eq!(app.filter.search.as_deref(), Some("G3714"));
    assert_eq!(app.count, before);
}

#[test]
fn under_a_search_ticks_with_nothing_new_do_not_stop_later_changes_from_showing() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app_on(&ws, ("王五", "wangwu-2017"), None, Lang::En, (120, 40));
    key(&mut app, KeyCode::Char('/'));
    chars(&mut app, "G37");
    key(&mut app, KeyCode::Enter);
    let first = app.rows[0].key.clone();
    let before = app.count;
    // Quiet ticks: nothing changed, nothing is read again, and the screen keeps polling.
    for _ in 0..3 {
        common::screen::tick(&mut app);
        assert!(!app.waiting());
    }
    // Then another reviewer renames the record on screen: the next tick shows it.
    assert!(!screen(&app).contains("新名测试"));
    common::correct(&ws, "G101_1", &first, "unit_name", "新名测试有限公司");
    common::screen::tick(&mut app);
    let shown = screen(&app);
    assert!(shown.contains("→ 新名测试"), "{shown}");
    assert_eq!(app.filter.search.as_deref(), Some("G37"));
    assert_eq!(
        (app.rows[0].key.as_str(), app.count),
        (first.as_str(), before)
    );
}

#[test]
fn in_the_search_prompt_ctrl_u_clears_and_ctrl_w_takes_back_a_word() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = app_on(&ws, ("王五", "wangwu-2017"), None, Lang::Zh, (80, 24));
    key(&mut app, KeyCode::Char('/'));
    chars(&mut app, "济南 历下");
    common::screen::ctrl(&mut app, 'w');
    let shown = screen(&app);
    let prompt = shown.lines().last().unwrap();
    assert!(prompt.starts_with("/ 济南 ▏"), "{shown}");
    common::screen::ctrl(&mut app, 'u');
    chars(&mut app, "G3714");
    key(&mut app, KeyCode::Enter);
    // Neither chord typed a letter: the search is exactly what was typed after them.
    assert_eq!(app.filter.search.as_deref(), Some("G3714"));
    assert!(app.count > 0 && app.rows.iter().all(|r| r.key.starts_with("G3714")));
}
