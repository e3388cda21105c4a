//! Codes read as what they mean in the record pane: the schema's value labels (企业规模 2 →
//! 中型), yes or no for a true-or-false field, industry and division names from the reference
//! tables; a year without a unit after it; and in the record's history, where a corrected
//! scale reads "2 · 中型 → 3 · 小型". Both languages, 80×24 and 120×40.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::sqlite3;
use common::demo::KILN;
use common::review::open;
use common::screen::{app_on, chars, key, screen, timeless};
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

const SCALES: [(&str, &str, &str); 4] = [
    ("1", "大型", "large"),
    ("2", "中型", "medium"),
    ("3", "小型", "small"),
    ("4", "微型", "micro"),
];

#[test]
fn history_shows_what_a_corrected_code_means() {
    let s = Scratch::new();
    let ws = demo(&s);
    let out = sqlite3(
        &ws,
        &format!("SELECT scale_code FROM G101_1 WHERE record_id = '{KILN}'"),
    );
    let was = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let old = SCALES.iter().find(|s| s.0 == was).unwrap();
    let new = SCALES.iter().find(|s| s.0 != was).unwrap();
    let mut session = open(&ws, "王五");
    let record = common::db::rowid(&ws, KILN);
    let seen = session.status(record).unwrap().version;
    session
        .correct(record, seen, "scale_code", new.0, "按营业执照更正")
        .unwrap();
    session.release().unwrap();
    drop(session);
    for lang in [Lang::En, Lang::Zh] {
        for size in [(120, 40), (80, 24)] {
            let mut app = app_on(&ws, ("王五", "wangwu-2017"), None, lang, size);
            key(&mut app, KeyCode::Char('/'));
            chars(&mut app, KILN);
            key(&mut app, KeyCode::Enter);
            key(&mut app, KeyCode::Char('h'));
            let shown = screen(&app);
            // The history window's text: what lies between its borders, on its rows.
            let window: String = (shown.lines())
                .skip_while(|l| !l.contains("┌ History") && !l.contains("┌ 操作历史"))
                .skip(1)
                .filter_map(|l| l.split('│').nth(2))
                .collect::<String>()
                .split_whitespace()
                .collect();
            let (from, to) = match lang {
                Lang::En => (
                    format!("{}·{}", old.0, old.2),
                    format!("{}·{}", new.0, new.2),
                ),
                Lang::Zh => (
                    format!("{}·{}", old.0, old.1),
                    format!("{}·{}", new.0, new.1),
                ),
            };
            assert!(
                window.contains(&format!("{from}→{to}")),
                "{window}\n{shown}"
            );
            insta::assert_snapshot!(
                format!("history_scale_{lang:?}_{}x{}", size.0, size.1),
                timeless(&shown)
            );
        }
    }
}
