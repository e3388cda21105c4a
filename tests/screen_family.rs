//! A census object on the screen, headless, on the fixture `tests/fixtures/family/`: the
//! queue of enterprises counting their boilers' flags, an enterprise with its three boilers
//! in the record pane, a boiler opened with Enter, its coal corrected with the same keys as
//! any field, the enterprise's total rule resolved, and Backspace back to the enterprise;
//! whole screens as snapshots in both languages at 120×40 and 80×24.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::Path;

use common::fixtures::family;
use common::screen::{app_on, chars, key, screen};
use common::{ADMIN, ADMIN_PASSPHRASE, Scratch};
use huishen::tui::app::App;
use huishen::tui::i18n::Lang;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;

fn app(ws: &Path, lang: Lang, w: u16, h: u16) -> App {
    app_on(ws, (ADMIN, ADMIN_PASSPHRASE), Some("E"), lang, (w, h))
}

/// From the queue to E1's second boiler, opened.
fn open_e1_2(app: &mut App) {
    assert_eq!(app.selected().unwrap().key, "E1");
    key(app, KeyCode::Tab);
    let fields = app.record.as_ref().unwrap().values.len();
    for _ in 0..fields + 1 {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Enter);
}

#[test]
fn an_enterprise_shows_its_boilers_and_a_boiler_opens_and_is_corrected_in_place() {
    let s = Scratch::new();
    let ws = family(&s);
    let mut app = app(&ws, Lang::En, 120, 40);
    key(&mut app, KeyCode::Tab);
    let shown = screen(&app);
    assert!(shown.contains("── Boilers · 3 ──"), "{shown}");
    assert!(shown.contains("-2  Coal burnt 50 t"), "{shown}");
    insta::assert_snapshot!("family_object_en_120x40", shown);
    key(&mut app, KeyCode::BackTab);

    open_e1_2(&mut app);
    let shown = screen(&app);
    assert!(
        shown.contains("E1 › Boilers E1-2 · 0 open flags · Backspace: back to E1"),
        "{shown}"
    );
    insta::assert_snapshot!("family_row_en_120x40", shown);
    // The boiler's coal, corrected as any field is: E1's boilers now burn its 100 t.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('e'));
    for _ in 0..2 {
        key(&mut app, KeyCode::Backspace);
    }
    chars(&mut app, "35");
    key(&mut app, KeyCode::Enter);
    chars(&mut app, "keying error");
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.message.as_deref(),
        Some("Corrected Coal burnt · fixed: E01"),
        "{}",
        screen(&app)
    );
    assert!(screen(&app).contains("50 → 35 t"));
    // Back to the enterprise: its total rule resolved, its boiler shows the new coal.
    key(&mut app, KeyCode::Backspace);
    let shown = screen(&app);
    assert!(shown.contains("Record E1 · ready to sign"), "{shown}");
    assert!(shown.contains("-2  Coal burnt 35 t"), "{shown}");
    // Signed off (one signature in this fixture), the object's rows show its lock and refuse
    // a correction.
    key(&mut app, KeyCode::Char('s'));
    assert!(
        screen(&app).contains("Signature 1 of 1: it signs the record off and locks it."),
        "{}",
        screen(&app)
    );
    key(&mut app, KeyCode::Char('y'));
    assert!(
        screen(&app).contains("Record E1 · locked"),
        "{}",
        screen(&app)
    );
    key(&mut app, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("E1 › Boilers E1-2 · locked"), "{shown}");
    key(&mut app, KeyCode::Char('e'));
    assert!(app.overlay.is_none(), "{}", screen(&app));
}

#[test]
fn the_object_and_its_rows_read_in_chinese_and_at_80x24() {
    let s = Scratch::new();
    let ws = family(&s);
    let mut app = app(&ws, Lang::Zh, 80, 24);
    // E2: its boiler burns more coal than the enterprise.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Tab);
    let shown = screen(&app);
    assert!(shown.contains("── 锅炉 · 1条 ──"), "{shown}");
    insta::assert_snapshot!("family_object_zh_80x24", shown);
    let fields = app.record.as_ref().unwrap().values.len();
    for _ in 0..fields {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("E2 › 锅炉 E2-1 · 待审问题1条"), "{shown}");
    insta::assert_snapshot!("family_row_zh_80x24", shown);
    let mut big = app;
    big.on_resize(Rect::new(0, 0, 120, 40));
    insta::assert_snapshot!("family_row_zh_120x40", screen(&big));
}

#[test]
fn an_enterprise_with_three_boilers_reads_at_both_sizes_in_both_languages() {
    let s = Scratch::new();
    let ws = family(&s);
    for (lang, rows) in [
        (Lang::En, "── Boilers · 3 ──"),
        (Lang::Zh, "── 锅炉 · 3条 ──"),
    ] {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut app = app(&ws, lang, w, h);
            assert_eq!(app.selected().unwrap().key, "E1");
            key(&mut app, KeyCode::Tab);
            let shown = screen(&app);
            assert!(shown.contains(rows), "{shown}");
            for boiler in ["E1-1", "E1-2", "E1-3"] {
                assert!(shown.contains(&boiler[2..]), "{boiler} missing:\n{shown}");
            }
            insta::assert_snapshot!(format!("three_boilers_{lang:?}_{w}x{h}"), shown);
        }
    }
}
