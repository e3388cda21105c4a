//! Undo takes back exactly one's own last action on a record: the value and its flag come back,
//! an explanation is withdrawn, the locking signature unlocks; anyone else's action, an undo
//! and a record nothing was done to are refused in plain words.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::{fingerprint, rowid, stored};
use common::demo::{CLEAN_QINGDAO, KILN, PM_KG, PM_KG_2};
use common::review::{
    assert_verifies, find_in_queue, flag_states, hh_mm, leave, open, refusal, shown, sign_as,
    still_open, with_errors,
};
use common::{Scratch, demo};
use huishen_core::domain::EventKind;
use huishen_core::domain::Severity;
use rusqlite::types::Value as Sql;

#[test]
fn undo_restores_the_value_and_the_flag() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut lisi = open(&ws, "李四");
    let rec = rowid(&ws, PM_KG_2);
    let open_before = still_open(&lisi);
    let errors = with_errors(&lisi);
    lisi.correct(rec, 0, "pm_emit_t", "0.1111", "单位换算错误")
        .unwrap();
    assert_eq!(
        flag_states(&mut lisi, rec),
        [("R15".into(), "resolved".into())]
    );
    assert_eq!(still_open(&lisi), open_before - 1);
    assert_eq!(with_errors(&lisi), errors - 1);

    let undone = lisi.undo(rec, 1).unwrap();
    assert_eq!(undone.kind, EventKind::Correct);
    assert_eq!(undone.reviewer, "李四");
    assert_eq!(stored(&ws, PM_KG_2, "pm_emit_t"), Sql::Real(111.1));
    assert_eq!(shown(&mut lisi, rec, "pm_emit_t"), "111.1");
    assert_eq!(flag_states(&mut lisi, rec), [("R15".into(), "open".into())]);
    assert_eq!(still_open(&lisi), open_before);
    assert_eq!(with_errors(&lisi), errors);
    let line = find_in_queue(&lisi, PM_KG_2).unwrap();
    assert_eq!((line.severity, line.errors), (Some(Severity::Error), 1));
    let status = lisi.status(rec).unwrap();
    assert_eq!(status.failing_errors, ["R15"]);
    assert_eq!(status.version, 2);
    let history = lisi.history(rec).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].kind, EventKind::Undo);
    assert_eq!(history[0].payload["undoes"], history[1].id);
    assert_eq!(history[1].undone_by, Some(history[0].id));
    // The correction no longer stands: there is no original to show.
    let detail = lisi.record(rec).unwrap().unwrap();
    assert!(detail.values.iter().all(|v| v.original.is_none()));

    // An undo cannot itself be undone.
    let before = fingerprint(&ws);
    assert!(refusal(lisi.undo(rec, 2)).ends_with("which cannot be undone"));
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn undoing_twice_is_refused_in_plain_words() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut lisi = open(&ws, "李四");
    let rec = rowid(&ws, PM_KG_2);
    lisi.note(rec, 0, "待核实").unwrap();
    lisi.undo(rec, 1).unwrap();
    assert_eq!(
        refusal(lisi.undo(rec, 2)),
        format!("your last action on record {PM_KG_2} was an undo, which cannot be undone")
    );
}

#[test]
fn undo_of_an_explanation_leaves_the_warning_unexplained() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, KILN);
    let mut wangwu = open(&ws, "王五");
    wangwu.explain(rec, 0, "R21", "水泥窑内物料固硫").unwrap();
    assert!(wangwu.status(rec).unwrap().ready());
    let undone = wangwu.undo(rec, 1).unwrap();
    assert_eq!(undone.kind, EventKind::Explain);
    let status = wangwu.status(rec).unwrap();
    assert_eq!(status.unexplained_warnings, ["R21"]);
    assert!(refusal(wangwu.sign(rec, 2)).contains("warnings neither fixed nor explained: R21"));
}

#[test]
fn undo_of_someone_elses_action_is_refused() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, PM_KG);
    let mut lisi = open(&ws, "李四");
    let mut wangwu = open(&ws, "王五");
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(wangwu.undo(rec, 0)),
        format!("nothing has been done to record {PM_KG}; there is nothing to undo")
    );
    assert_eq!(fingerprint(&ws), before);

    lisi.correct(rec, 0, "pm_emit_t", "0.0164", "单位换算错误")
        .unwrap();
    let at = lisi.history(rec).unwrap()[0].at.clone();
    leave(&lisi);
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(wangwu.undo(rec, 1)),
        format!(
            "the last action on record {PM_KG} was 李四's correction at {}; you can undo only your own last action",
            hh_mm(&at)
        )
    );
    assert_eq!(fingerprint(&ws), before);
    assert_eq!(stored(&ws, PM_KG, "pm_emit_t"), Sql::Real(0.0164));

    // Once 王五 has acted after it, 李四's correction is no longer the last action either.
    wangwu.note(rec, 1, "已核实").unwrap();
    let at = wangwu.history(rec).unwrap()[0].at.clone();
    leave(&wangwu);
    assert_eq!(
        refusal(lisi.undo(rec, 2)),
        format!(
            "the last action on record {PM_KG} was 王五's note at {}; you can undo only your own last action",
            hh_mm(&at)
        )
    );
}

#[test]
fn undo_of_the_locking_signature_is_refused_for_only_a_reopening_unlocks() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, CLEAN_QINGDAO);
    assert!(sign_as(&ws, rec, &["李四", "王五"]));
    let mut wangwu = open(&ws, "王五");
    assert!(wangwu.status(rec).unwrap().locked);
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(wangwu.undo(rec, 2)),
        format!(
            "your signature signed record {CLEAN_QINGDAO} off and locked it; an undo does not \
             unlock a record: reopen it with a reason (o) if it must change"
        )
    );
    assert_eq!(fingerprint(&ws), before);
    assert!(wangwu.status(rec).unwrap().locked);
    // A reopening, with its reason, unlocks it; it can be signed again, and locks again.
    wangwu.reopen(rec, 2, "企业补报新数据").unwrap();
    let status = wangwu.status(rec).unwrap();
    assert!(!status.locked && status.signatures.is_empty());
    assert!(!wangwu.sign(rec, 3).unwrap());
    assert_verifies(&s, &ws);
}
