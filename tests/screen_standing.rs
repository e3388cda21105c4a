//! Where each record stands, on the queue's lines and as a filter: a warning explained and
//! signed once shows ✎ and is listed as ready for a second reviewer's signature, not for
//! the first's; signed off it shows ✔ (not the ! of its explained warning) and is listed as
//! signed off; the marks are explained in the help. Snapshots of the filter in both
//! languages at 80×24 and 120×40.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::Path;

use common::screen::{app_on, chars, key, screen};
use common::{Scratch, act, demo};
use huishen::tui::app::App;
use huishen::tui::i18n::Lang;
use ratatui::crossterm::event::KeyCode;

/// A record whose only flag is the warning R21.
const KILN: &str = "G3714250000019";

fn app(ws: &Path, who: &str, lang: Lang, size: (u16, u16)) -> App {
    app_on(
        ws,
        (who, common::review::passphrase_of(who)),
        None,
        lang,
        size,
    )
}

/// The line of `key` in the queue pane, as shown.
fn line_of(app: &App, key: &str) -> String {
    let shown = screen(app);
    (shown.lines())
        .map(|l| l.split("││").next().unwrap_or(l))
        .find(|l| l.starts_with('│') && l.contains(&format!(" {key} ")))
        .unwrap_or_else(|| panic!("{key} not in the queue:\n{shown}"))
        .to_string()
}

/// The filter menu, on its last line (where the records stand), moved `steps` choices on,
/// then applied.
fn filter_standing(app: &mut App, steps: usize) {
    key(app, KeyCode::Char('f'));
    key(app, KeyCode::Up);
    for _ in 0..steps {
        key(app, KeyCode::Right);
    }
    key(app, KeyCode::Enter);
}

fn search(app: &mut App, text: &str) {
    key(app, KeyCode::Char('/'));
    chars(app, text);
    key(app, KeyCode::Enter);
}

#[test]
fn a_second_signer_lists_what_awaits_their_signature_and_the_marks_say_where_records_stand() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut wangwu = app(&ws, "王五", Lang::En, (120, 40));
    search(&mut wangwu, KILN);
    assert!(
        line_of(&wangwu, KILN).starts_with("│! "),
        "{}",
        line_of(&wangwu, KILN)
    );
    act(&ws, "王五", KILN, |s, r, v| {
        s.explain(r, v, "R21", "水泥窑固硫，企业核实")
    });
    common::screen::tick(&mut wangwu);
    assert!(
        line_of(&wangwu, KILN).starts_with("│✓ "),
        "{}",
        line_of(&wangwu, KILN)
    );
    act(&ws, "王五", KILN, |s, r, v| s.sign(r, v));
    common::screen::tick(&mut wangwu);
    assert!(
        line_of(&wangwu, KILN).starts_with("│✎ "),
        "{}",
        line_of(&wangwu, KILN)
    );

    // 李四 asks for what is ready for his signature: the record 王五 signed is listed.
    let mut lisi = app(&ws, "李四", Lang::En, (120, 40));
    filter_standing(&mut lisi, 1);
    let shown = screen(&lisi);
    assert!(shown.contains("filter: ready for my signature"), "{shown}");
    assert!(lisi.rows.iter().any(|r| r.key == KILN), "{shown}");
    assert!(
        lisi.rows
            .iter()
            .all(|r| r.errors == 0 && !r.locked && !r.to_explain)
    );
    insta::assert_snapshot!("standing_ready_for_me_en_120x40", shown);
    // For 王五 it is not: he has signed it.
    filter_standing(&mut wangwu, 1);
    assert!(
        wangwu.rows.iter().all(|r| r.key != KILN),
        "{}",
        screen(&wangwu)
    );
    // Signed once, for anyone.
    filter_standing(&mut wangwu, 2);
    assert!(screen(&wangwu).contains("filter: signed, not yet signed off"));
    assert_eq!(
        wangwu
            .rows
            .iter()
            .map(|r| r.key.as_str())
            .collect::<Vec<_>>(),
        [KILN]
    );

    // 李四 signs: the record is signed off, and its line shows ✔, not its warning's !.
    act(&ws, "李四", KILN, |s, r, v| s.sign(r, v));
    let mut lisi = app(&ws, "李四", Lang::Zh, (80, 24));
    filter_standing(&mut lisi, 4);
    let shown = screen(&lisi);
    assert!(shown.contains("筛选： 已审毕（锁定）"), "{shown}");
    assert!(line_of(&lisi, KILN).starts_with("│✔ "), "{shown}");
    insta::assert_snapshot!("standing_locked_zh_80x24", shown);
}

#[test]
fn the_help_explains_the_marks_and_the_filter_offers_each_standing() {
    let s = Scratch::new();
    let ws = demo(&s);
    for (lang, size, marks, ready) in [
        (
            Lang::En,
            (120, 40),
            "Marks in the queue",
            "ready to sign: nothing left to correct",
        ),
        (
            Lang::Zh,
            (80, 24),
            "待审队列中的标记",
            "可签字：无待修正或说明的问题",
        ),
    ] {
        let mut app = app(&ws, "王五", lang, size);
        key(&mut app, KeyCode::Char('?'));
        for _ in 0..200 {
            key(&mut app, KeyCode::Down);
        }
        let shown = screen(&app);
        assert!(shown.contains(marks) && shown.contains(ready), "{shown}");
        insta::assert_snapshot!(format!("help_end_{lang:?}_{}x{}", size.0, size.1), shown);
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('f'));
        key(&mut app, KeyCode::Up);
        key(&mut app, KeyCode::Right);
        insta::assert_snapshot!(
            format!("filter_standing_{lang:?}_{}x{}", size.0, size.1),
            screen(&app)
        );
    }
}

#[test]
fn on_the_demo_the_help_lists_the_team_to_sign_in_as_in_a_second_terminal() {
    let s = Scratch::new();
    let ws = demo(&s);
    for (lang, passphrase, second) in [
        (
            Lang::En,
            "市级审核, scope 37, passphrase lisi-2017",
            "In a second terminal",
        ),
        (
            Lang::Zh,
            "市级审核，范围 37，口令 lisi-2017",
            "在另一个终端",
        ),
    ] {
        let mut app = app(&ws, "王五", lang, (120, 40));
        app.demo_team = true;
        key(&mut app, KeyCode::Char('?'));
        for _ in 0..200 {
            key(&mut app, KeyCode::Down);
        }
        let shown = screen(&app);
        assert!(
            shown.contains(passphrase) && shown.contains(second),
            "{shown}"
        );
        // Elsewhere the help keeps passphrases to itself.
        let mut plain = self::app(&ws, "王五", lang, (120, 40));
        key(&mut plain, KeyCode::Char('?'));
        for _ in 0..200 {
            key(&mut plain, KeyCode::Down);
        }
        assert!(!screen(&plain).contains("lisi-2017"));
    }
}
