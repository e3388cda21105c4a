//! Codes read as what they mean in the record pane: the schema's value labels (企业规模 2 →
//! 中型), yes or no for a true-or-false field, industry and division names from the reference
//! tables; a year without a unit after it. Both languages, 80×24 and 120×40.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::screen::{app_on, chars, key, screen};
use common::{Scratch, demo};
use huishen::tui::i18n::Lang;
use ratatui::crossterm::event::KeyCode;

#[test]
fn the_record_pane_says_what_codes_mean() {
    let s = Scratch::new();
    let ws = demo(&s);
    for (lang, size, expected) in [
        (
            Lang::En,
            (120, 40),
            [
                "2 · medium",
                "2911 · 轮胎制造",
                "370102 · 历下区",
                "1 · yes",
                "Year opened               1986\n",
            ],
        ),
        (
            Lang::Zh,
            (80, 24),
            [
                "2 · 中型",
                "2911 · 轮胎制造",
                "370102 · 历下区",
                "1 · 是",
                "开业年份        1986 ",
            ],
        ),
    ] {
        let mut app = app_on(&ws, ("王五", "wangwu-2017"), None, lang, size);
        key(&mut app, KeyCode::Char('/'));
        chars(&mut app, "G3701020000108");
        key(&mut app, KeyCode::Enter);
        key(&mut app, KeyCode::Tab);
        let mut seen = String::new();
        // Down the record pane, so that each field passes through view at 80×24.
        for _ in 0..app.record.as_ref().unwrap().values.len() {
            seen.push_str(&screen(&app));
            key(&mut app, KeyCode::Down);
        }
        let seen = seen.replace(" │\n", "\n").replace("│\n", "\n");
        for text in expected {
            assert!(
                seen.lines().any(|l| l.trim_end().contains(text.trim_end())),
                "{text:?} not shown:\n{}",
                screen(&app)
            );
        }
        insta::assert_snapshot!(
            format!("labels_{lang:?}_{}x{}", size.0, size.1),
            screen(&app)
        );
    }
}
