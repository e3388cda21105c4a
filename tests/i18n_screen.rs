//! The Chinese review screen says in Chinese what a reviewer meets where it matters: a value
//! of the wrong type, an empty explanation, a record another reviewer is working on, an undo that cannot be, what was undone and corrected (by its
//! label, not its name), and the four-eyes refusal, whole, with who signed and who must sign.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use std::path::Path;

use common::demo::KILN;
use common::screen::{app_on, chars, ctrl, key, screen};
use common::{Scratch, act, demo};
use huishen::tui::app::App;
use huishen::tui::i18n::Lang;
use huishen_core::review::Session;
use ratatui::crossterm::event::KeyCode;

/// The record with the unit error: PM emitted 20.3 t for 0.0203 t; only R15 flags it.
const UNIT_ERROR: &str = "G3710730000206";

/// The Chinese screen as `reviewer`, 120×40, with the queue searched down to `record`.
fn chinese_on(ws: &Path, reviewer: &str, record: &str) -> App {
    let passphrase = common::review::passphrase_of(reviewer);
    let mut app = app_on(ws, (reviewer, passphrase), None, Lang::Zh, (120, 40));
    key(&mut app, KeyCode::Char('/'));
    chars(&mut app, record);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.selected().unwrap().key, record);
    app
}

/// No English sentence of the core on the screen: none of the words its refusals use.
fn no_english(text: &str) {
    for english in [
        "is not a",
        "needs text",
        "outside your scope",
        "is working on",
        "your last action",
        "four eyes",
        "cannot be signed",
        "Undone",
        "Corrected",
    ] {
        assert!(
            !text.contains(english),
            "“{english}” on the Chinese screen:\n{text}"
        );
    }
}

/// The field editor on PM emitted, its value cleared.
fn edit_pm_emitted(app: &mut App) {
    key(app, KeyCode::Tab);
    for _ in 0..27 {
        key(app, KeyCode::Down);
    }
    assert!(
        screen(app).contains("审核结果 · 颗粒物排放量"),
        "{}",
        screen(app)
    );
    key(app, KeyCode::Char('e'));
    for _ in 0..4 {
        key(app, KeyCode::Backspace);
    }
}

#[test]
fn a_value_that_is_not_a_number_is_refused_in_chinese() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = chinese_on(&ws, "王五", UNIT_ERROR);
    edit_pm_emitted(&mut app);
    chars(&mut app, "四点二");
    key(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("“四点二”不是数字"), "{text}");
    no_english(&text);
}

#[test]
fn an_explanation_without_text_is_refused_in_chinese() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = chinese_on(&ws, "王五", KILN);
    key(&mut app, KeyCode::Char('x'));
    ctrl(&mut app, 's');
    let text = screen(&app);
    assert!(
        text.contains("说明不能为空：请写明该数值为何属实"),
        "{text}"
    );
    no_english(&text);
}

#[test]
fn a_record_another_reviewer_works_on_is_refused_in_chinese_with_the_way_out() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut li = Session::open(&ws, "李四", "lisi-2017", None).unwrap();
    let record = li.find(KILN).unwrap().unwrap();
    let seen = li.status(record).unwrap().version;
    li.open_for_work(record, seen).unwrap();
    let mut app = chinese_on(&ws, "王五", KILN);
    // The note editor claims the record before any typing: the claim is said at once.
    key(&mut app, KeyCode::Char('a'));
    let text = screen(&app);
    assert!(
        text.contains(&format!("李四 正在处理记录 {KILN}")),
        "{text}"
    );
    assert!(text.contains("确有必要时可接管（T）"), "{text}");
    no_english(&text);
}

#[test]
fn undo_says_what_it_undid_and_why_it_cannot_in_chinese() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut app = chinese_on(&ws, "王五", UNIT_ERROR);
    edit_pm_emitted(&mut app);
    chars(&mut app, "0.0203");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let text = screen(&app);
    // The correction is said with the field's label, not its name.
    assert!(text.contains("已修正 颗粒物排放量 · 已解决：R15"), "{text}");
    assert!(!text.contains("已修正 pm_emit_t"), "{text}");
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Char('y'));
    assert!(screen(&app).contains("已签字"), "{}", screen(&app));
    key(&mut app, KeyCode::Char('u'));
    let text = screen(&app);
    assert!(text.contains("已撤销：签字"), "{text}");
    no_english(&text);
    // The last action is now the undo, which cannot itself be undone.
    key(&mut app, KeyCode::Char('u'));
    let text = screen(&app);
    assert!(
        text.contains(&format!(
            "您对记录 {UNIT_ERROR} 的最后一次操作是撤销，不能撤销"
        )),
        "{text}"
    );
    no_english(&text);
    // The history names the field by its label too.
    key(&mut app, KeyCode::Char('h'));
    let text = screen(&app);
    assert!(text.contains("修正颗粒物排放量：20.3 → 0.0203"), "{text}");
}

#[test]
fn the_four_eyes_refusal_is_shown_whole_with_who_signed_and_who_must_sign() {
    let s = Scratch::new();
    let ws = demo(&s);
    // 王五 corrects the unit error alone; 李四 (市级审核) gives the first signature.
    act(&ws, "王五", UNIT_ERROR, |session, record, seen| {
        session.correct(record, seen, "pm_emit_t", "0.0203", "单位错误")
    });
    let record = common::rowid(&ws, UNIT_ERROR);
    assert!(!common::review::sign_as(&ws, record, &["李四"]));
    let mut wang = chinese_on(&ws, "王五", UNIT_ERROR);
    // 王五 corrected it alone, so he may not give the last signature: asked to confirm, he
    // is refused.
    key(&mut wang, KeyCode::Char('s'));
    key(&mut wang, KeyCode::Char('y'));
    let text = screen(&wang);
    let whole: String = text.lines().map(str::trim_end).collect();
    for part in [
        &format!("记录 {UNIT_ERROR} 不能签字"),
        "四眼原则：该记录只有您（王五）修正过，您不能签最后一个字",
        "已签字：李四（市级审核）",
        "须由另一位角色不是市级审核的审核员签最后一个字",
    ] {
        assert!(
            whole.contains(part),
            "“{part}” is not on the screen:\n{text}"
        );
    }
    no_english(&text);
    // The English screen says it whole as well.
    wang.send(huishen::tui::action::Action::ToggleLanguage);
    key(&mut wang, KeyCode::Char('s'));
    key(&mut wang, KeyCode::Char('y'));
    let text = screen(&wang);
    let whole: String = text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join(" ");
    for part in [
        "four eyes: you (王五) are the only one who corrected it",
        "signed so far by 李四 (市级审核)",
        "another reviewer, of a role other than 市级审核, must give the last signature",
    ] {
        assert!(
            whole.contains(part),
            "“{part}” is not on the screen:\n{text}"
        );
    }
}
