//! Selective review on the screen, headless, on the hand-worked fixture
//! `tests/fixtures/selective/`: the queue ordered by score with its score column, a proposed
//! unit fix accepted with one key and undone with one, and a bulk explanation previewed,
//! run and undone as one batch; whole screens as snapshots in both languages.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::Path;

use common::fixtures::selective;
use common::screen::{app_on, chars, ctrl, key, screen};
use common::{ADMIN, ADMIN_PASSPHRASE, Scratch};
use huishen::tui::app::{App, Overlay};
use huishen::tui::i18n::Lang;
use ratatui::crossterm::event::KeyCode;

fn app(ws: &Path, lang: Lang, w: u16, h: u16) -> App {
    app_on(ws, (ADMIN, ADMIN_PASSPHRASE), None, lang, (w, h))
}

fn selected_key(app: &App) -> String {
    app.selected().unwrap().key.clone()
}

#[test]
fn p_orders_by_score_and_a_accepts_the_proposed_fix_which_u_undoes() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut app = app(&ws, Lang::En, 120, 40);
    assert_eq!(
        selected_key(&app),
        "A3",
        "the error comes first by severity"
    );
    key(&mut app, KeyCode::Char('p'));
    assert_eq!(selected_key(&app), "A2", "the highest score first");
    let shown = screen(&app);
    assert!(shown.contains("Score"), "{shown}");
    assert!(
        shown.contains("✎ F01 Output 1000000 → 100 10k yuan · resolves E02 · A accept · X dismiss · Output reported in yuan, not 10k yuan"),
        "{shown}"
    );
    insta::assert_snapshot!("selective_proposal_en_120x40", shown);
    key(&mut app, KeyCode::Down);
    let shown = screen(&app);
    assert!(
        shown.contains("⌖ to satisfy E01 change: Emitted"),
        "{shown}"
    );
    assert!(shown.contains("⌖ Emitted"), "{shown}");
    insta::assert_snapshot!("selective_located_en_120x40", shown);
    key(&mut app, KeyCode::Up);

    key(&mut app, KeyCode::Char('A'));
    let detail = app.record.as_ref().unwrap();
    assert_eq!(detail.values[4].text, "100");
    assert!(detail.proposals.is_empty());
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .contains("fix F01 accepted · fixed: E02"),
        "{:?}",
        app.message
    );
    key(&mut app, KeyCode::Char('u'));
    let detail = app.record.as_ref().unwrap();
    assert_eq!(detail.values[4].text, "1000000");
    assert_eq!(detail.proposals.len(), 1);
}

#[test]
fn the_proposal_and_the_bulk_preview_read_in_chinese() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut app = app(&ws, Lang::Zh, 120, 40);
    key(&mut app, KeyCode::Char('p'));
    let shown = screen(&app);
    assert!(shown.contains("产值疑似以元填报（应为万元）"), "{shown}");
    assert!(shown.contains("解决 E02"), "{shown}");
    insta::assert_snapshot!("selective_proposal_zh_120x40", shown);
    key(&mut app, KeyCode::Char('B'));
    chars(&mut app, "企业核实：属实");
    ctrl(&mut app, 's');
    assert!(matches!(app.overlay, Some(Overlay::Bulk(_))));
    let shown = screen(&app);
    assert!(
        shown.contains("列出 2 条记录：将处理 1 条，拒绝 1 条"),
        "{shown}"
    );
    insta::assert_snapshot!("selective_bulk_zh_120x40", shown);
}

#[test]
fn a_bulk_explanation_is_previewed_done_on_enter_and_undone_as_one_batch() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut app = app(&ws, Lang::En, 80, 24);
    key(&mut app, KeyCode::Char('B'));
    chars(&mut app, "confirmed with the enterprise");
    ctrl(&mut app, 's');
    let shown = screen(&app);
    assert!(
        shown.contains("2 records listed: 1 would be done, 1 refused"),
        "{shown}"
    );
    assert!(shown.contains("✗ A3"), "{shown}");
    insta::assert_snapshot!("selective_bulk_en_80x24", shown);
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .starts_with("done on 1 records"),
        "{:?}",
        app.message
    );
    // A2 is explained now; u on it undoes the batch.
    while selected_key(&app) != "A2" {
        key(&mut app, KeyCode::Down);
    }
    assert!(
        app.record
            .as_ref()
            .unwrap()
            .flags
            .iter()
            .any(|f| f.rule == "E02" && f.explained)
    );
    key(&mut app, KeyCode::Char('u'));
    assert!(
        app.record
            .as_ref()
            .unwrap()
            .flags
            .iter()
            .any(|f| f.rule == "E02" && !f.explained)
    );
}

#[test]
fn space_marks_records_and_a_bulk_action_is_for_the_marked_ones_only() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut app = app(&ws, Lang::En, 120, 40);
    assert_eq!(selected_key(&app), "A3");
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(app.marked.len(), 1);
    assert_eq!(
        selected_key(&app),
        "A2",
        "marking moves on to the next line"
    );
    let shown = screen(&app);
    assert!(shown.contains("• A3"), "{shown}");
    assert!(shown.contains("1 marked"), "{shown}");
    key(&mut app, KeyCode::Char('B'));
    chars(&mut app, "confirmed");
    ctrl(&mut app, 's');
    let Some(Overlay::Bulk(plan)) = &app.overlay else {
        panic!("no preview: {:?}", app.message);
    };
    // Only A3 is marked, and it has no warning to explain; A2, listed but not marked, is left out.
    assert_eq!((plan.selected, plan.ready.len()), (1, 0));
    assert_eq!(plan.refused[0].key, "A3");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert!(
        app.marked.is_empty(),
        "Esc on the main screen clears the marks"
    );
}
