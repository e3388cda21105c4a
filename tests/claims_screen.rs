//! A claim taken on the screen ends when its holder moves on: 李四 adds a note to a record on
//! the review screen, and while she stays on it a batch of 王五's (another process) is
//! refused; a short grace after she moves to the next record, the same batch goes in. A
//! reviewer whose claim is taken over is told by whom.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::Path;

use common::screen::{chars, ctrl, key, screen};
use common::{Scratch, demo, huishen};
use huishen::tui::app::App;
use huishen::tui::i18n::Lang;
use huishen::tui::keymap::Keymap;
use huishen::tui::theme::Theme;
use huishen_core::review::Session;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;

/// The review screen of `reviewer` on the first record of the queue, and that record's key.
fn on_first(ws: &Path, reviewer: &str, lang: Lang) -> (App, String) {
    let session =
        Session::open(ws, reviewer, common::review::passphrase_of(reviewer), None).unwrap();
    let app = App::new(
        session,
        Keymap::builtin(),
        lang,
        Theme { color: false },
        Rect::new(0, 0, 120, 40),
    )
    .unwrap();
    let record = app.selected().unwrap().key.clone();
    (app, record)
}

/// 王五's batch correcting the record, run by the command line: whether it went in, and what
/// it said.
fn batch(s: &Scratch, ws: &Path, record: &str) -> (bool, String) {
    s.write(
        "fix.csv",
        format!("key,field,value,reason\n{record},production_hours,7200,企业核实\n"),
    );
    let out = huishen()
        .current_dir(s.dir.path())
        .arg("apply")
        .arg(ws)
        .args(["fix.csv", "--reviewer", "王五", "--commit"])
        .write_stdin("wangwu-2017\n")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    (out.status.success(), text)
}

/// 李四 (Chinese screen) adds a note to the first record of her queue, and so claims it;
/// 王五 (English screen) finds that record: both screens, and its key.
fn noted_by_lisi_and_found_by_wangwu(ws: &Path) -> (App, App, String) {
    let (mut lisi, record) = on_first(ws, "李四", Lang::Zh);
    key(&mut lisi, KeyCode::Char('a'));
    chars(&mut lisi, "电话核实中");
    ctrl(&mut lisi, 's');
    let (mut wangwu, _) = on_first(ws, "王五", Lang::En);
    key(&mut wangwu, KeyCode::Char('/'));
    chars(&mut wangwu, &record);
    key(&mut wangwu, KeyCode::Enter);
    (lisi, wangwu, record)
}

#[test]
fn a_claim_ends_a_short_grace_after_its_holder_moves_to_another_record() {
    let s = Scratch::new();
    let ws = demo(&s);
    let (mut lisi, record) = on_first(&ws, "李四", Lang::En);
    key(&mut lisi, KeyCode::Char('a'));
    chars(&mut lisi, "电话核实中");
    ctrl(&mut lisi, 's');
    assert!(screen(&lisi).contains("Note added"), "{}", screen(&lisi));
    // While she is on the record, it is hers.
    let (went_in, said) = batch(&s, &ws, &record);
    assert!(!went_in, "{said}");
    assert!(
        said.contains(&format!("李四 is working on record {record}")),
        "{said}"
    );
    // A glance at the next record and back keeps the claim.
    key(&mut lisi, KeyCode::Down);
    for _ in 0..5 {
        common::screen::tick(&mut lisi);
    }
    key(&mut lisi, KeyCode::Up);
    assert_eq!(lisi.selected().unwrap().key, record);
    for _ in 0..30 {
        common::screen::tick(&mut lisi);
    }
    let (went_in, said) = batch(&s, &ws, &record);
    assert!(!went_in, "{said}");
    // She moves on: once the grace has passed, the record is free for 王五's batch.
    key(&mut lisi, KeyCode::Down);
    assert_ne!(lisi.selected().unwrap().key, record);
    for _ in 0..12 {
        common::screen::tick(&mut lisi);
    }
    let (went_in, said) = batch(&s, &ws, &record);
    assert!(went_in, "{said}");
}

#[test]
fn a_reviewer_whose_record_is_taken_over_is_told_who_took_it() {
    let s = Scratch::new();
    let ws = demo(&s);
    let (mut lisi, mut wangwu, record) = noted_by_lisi_and_found_by_wangwu(&ws);
    assert_eq!(wangwu.selected().unwrap().key, record);
    key(&mut wangwu, KeyCode::Char('T'));
    // The question reads whole, with the record and who is on it.
    let asked = screen(&wangwu);
    assert!(
        asked.contains(&format!("李四 is working on {record}. Take it over?"))
            && asked.contains("(recorded in")
            && asked.contains("the audit trail)"),
        "{asked}"
    );
    insta::assert_snapshot!("take_over_question_en_120x40", asked);
    key(&mut wangwu, KeyCode::Char('y'));
    assert!(
        screen(&wangwu).contains("You took the record over from 李四"),
        "{}",
        screen(&wangwu)
    );
    // The history says from whom.
    key(&mut wangwu, KeyCode::Char('h'));
    let history = screen(&wangwu);
    assert!(
        history.contains("took the record over from 李四"),
        "{history}"
    );
    key(&mut wangwu, KeyCode::Esc);
    // 李四's screen sees the change on its next tick.
    common::screen::tick(&mut lisi);
    let shown = screen(&lisi);
    assert!(
        shown.contains("王五 已接管此记录，您对它的认领已结束"),
        "{shown}"
    );
}

#[test]
fn a_scoped_reviewer_s_queue_lists_only_the_records_of_their_scope() {
    let s = Scratch::new();
    let ws = demo(&s);
    let (zhangsan, _) = on_first(&ws, "张三", Lang::En);
    let (wangwu, _) = on_first(&ws, "王五", Lang::En);
    assert!(zhangsan.count > 0 && zhangsan.count < wangwu.count);
    assert!(
        zhangsan.rows.iter().all(|r| r.region.starts_with("3701")),
        "{}",
        screen(&zhangsan)
    );
    // Clearing the filters keeps the scope.
    let mut zhangsan = zhangsan;
    let listed = zhangsan.count;
    key(&mut zhangsan, KeyCode::Char('/'));
    chars(&mut zhangsan, "G37");
    key(&mut zhangsan, KeyCode::Enter);
    key(&mut zhangsan, KeyCode::Esc);
    assert_eq!(zhangsan.count, listed);
}

#[test]
fn a_note_on_a_record_another_reviewer_is_on_is_refused_before_any_typing() {
    let s = Scratch::new();
    let ws = demo(&s);
    let (_lisi, mut wangwu, record) = noted_by_lisi_and_found_by_wangwu(&ws);
    key(&mut wangwu, KeyCode::Char('a'));
    assert!(wangwu.overlay.is_none(), "{}", screen(&wangwu));
    let shown = screen(&wangwu);
    assert!(
        shown.contains(&format!("李四 is working on record {record}")),
        "{shown}"
    );
}
