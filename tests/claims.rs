//! Two reviewers on one record: a write made on a version another reviewer has changed since is
//! refused naming who and when; a record someone works on is read-only to the others until
//! they take it over (explicitly, audited, and only inside their scope); claims lapse after the
//! policy's minutes.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::{fingerprint, rowid, stored};
use common::demo::{KILN, PM_KG};
use common::review::{
    assert_verifies, claimed_since, leave, open, outside, queued, refusal, seen, shown, working_on,
};
use common::{Scratch, demo};
use huishen_core::domain::EventKind;
use rusqlite::types::Value as Sql;

#[test]
fn a_stale_write_by_a_second_reviewer_is_refused_naming_the_first() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, PM_KG);
    // Two reviewers at two terminals load the same record at the same version.
    let mut a = open(&ws, "李四");
    let mut b = open(&ws, "王五");
    let v = seen(&mut a, rec);
    assert_eq!(seen(&mut b, rec), v);

    a.correct(rec, v, "pm_emit_t", "0.0164", "单位换算错误")
        .unwrap();
    let at = a.history(rec).unwrap()[0].at.clone();
    let after_a = fingerprint(&ws);

    let message = format!(
        "record {PM_KG} was changed by 李四 at {} after you opened it; nothing was written. \
         It has been reloaded: look at it again before you act",
        common::review::hh_mm(&at)
    );
    assert_eq!(
        refusal(b.correct(rec, v, "pm_emit_t", "0.0165", "录入错误")),
        message
    );
    assert_eq!(
        refusal(b.correct(rec, v, "pm_gen_t", "16.4", "企业核实")),
        message
    );
    assert_eq!(refusal(b.note(rec, v, "已核实")), message);
    assert_eq!(refusal(b.sign(rec, v)), message);
    assert_eq!(refusal(b.undo(rec, v)), message);
    // B's write did not happen: A's value stands and nothing else moved.
    assert_eq!(fingerprint(&ws), after_a);
    assert_eq!(stored(&ws, PM_KG, "pm_emit_t"), Sql::Real(0.0164));
    assert_eq!(shown(&mut b, rec, "pm_emit_t"), "0.0164");

    // Having looked again, B may act on the new version once A has left the record; while A
    // is on it, B may only read it.
    let v = seen(&mut b, rec);
    assert_eq!(v, 1);
    assert_eq!(
        refusal(b.note(rec, v, "千克误填为吨，已由李四更正")),
        working_on("李四", PM_KG, &claimed_since(&ws, "李四"))
    );
    assert_eq!(fingerprint(&ws), after_a);
    leave(&a);
    b.note(rec, v, "千克误填为吨，已由李四更正").unwrap();
    let history = b.history(rec).unwrap();
    let kinds: Vec<(&str, &str)> = history
        .iter()
        .map(|e| (e.kind.as_str(), e.reviewer.as_str()))
        .collect();
    assert_eq!(kinds, [("note", "王五"), ("correct", "李四")]);
}

#[test]
fn a_record_someone_works_on_can_be_read_by_others_or_taken_over() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, PM_KG);
    let mut lisi = open(&ws, "李四");
    let mut wangwu = open(&ws, "王五");
    lisi.correct(rec, 0, "pm_emit_t", "0.0164", "单位换算错误")
        .unwrap();
    let since = claimed_since(&ws, "李四");
    let before = fingerprint(&ws);
    // 王五 may read it...
    let detail = wangwu.record(rec).unwrap().unwrap();
    assert_eq!(
        detail.claimed_by.as_ref().map(|c| c.reviewer.as_str()),
        Some("李四")
    );
    assert_eq!(wangwu.status(rec).unwrap().version, 1);
    // ...but not change it.
    let message = working_on("李四", PM_KG, &since);
    assert_eq!(refusal(wangwu.note(rec, 1, "已核实")), message);
    assert_eq!(refusal(wangwu.sign(rec, 1)), message);
    assert_eq!(
        refusal(wangwu.correct(rec, 1, "pm_gen_t", "0.72", "企业核实")),
        message
    );
    assert_eq!(fingerprint(&ws), before);

    // Taking it over is explicit and audited; then 李四 is the one who may only read.
    assert_eq!(wangwu.take_over(rec).unwrap(), "李四");
    let history = wangwu.history(rec).unwrap();
    assert_eq!(
        (history[0].kind.as_str(), history[0].reviewer.as_str()),
        ("takeover", "王五")
    );
    assert_eq!(history[0].payload["from"], "李四");
    assert_eq!(
        refusal(lisi.note(rec, 1, "已核实")),
        working_on("王五", PM_KG, &claimed_since(&ws, "王五"))
    );
    assert_eq!(
        refusal(wangwu.take_over(rec)),
        "nobody else is working on this record"
    );
    wangwu.note(rec, 1, "已核实").unwrap();
    assert_verifies(&s, &ws);
}

/// Reviewers act only inside their region scope, and a take-over is an act (an audited event
/// that keeps the record's reviewer off it): 张三 (3701) may not take a Qingdao record away
/// from 李四, whose scope covers it, when he cannot act on it himself.
#[test]
fn a_record_outside_ones_scope_cannot_be_taken_over() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, PM_KG);
    let mut lisi = open(&ws, "李四");
    lisi.correct(rec, 0, "pm_emit_t", "0.0164", "单位换算错误")
        .unwrap();
    let mut zhangsan = open(&ws, "张三");
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(zhangsan.take_over(rec)),
        outside(PM_KG, "370211", "3701")
    );
    assert_eq!(fingerprint(&ws), before);
    lisi.note(rec, 1, "疑似千克误填为吨，已更正").unwrap();
}

/// A take-over changes who holds a record, not the record (its version stays the same): the
/// author of the record's last change may still undo it once the record is theirs again.
#[test]
fn a_take_over_does_not_stop_the_author_undoing_their_last_change() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, PM_KG);
    let mut lisi = open(&ws, "李四");
    let mut wangwu = open(&ws, "王五");
    lisi.correct(rec, 0, "pm_emit_t", "0.0164", "单位换算错误")
        .unwrap();
    assert_eq!(wangwu.take_over(rec).unwrap(), "李四");
    assert_eq!(wangwu.status(rec).unwrap().version, 1);
    leave(&wangwu);
    let undone = lisi.undo(rec, 1).unwrap();
    assert_eq!(
        (undone.kind.as_str(), undone.reviewer.as_str()),
        ("correct", "李四")
    );
    assert_eq!(stored(&ws, PM_KG, "pm_emit_t"), Sql::Real(16.4));
    assert_eq!(lisi.status(rec).unwrap().failing_errors, ["R15"]);
}

#[test]
fn a_claimed_record_is_read_only_to_others_until_taken_over() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut wang = open(&ws, "王五");
    let mut li = open(&ws, "李四");
    let record = queued(&wang, KILN);
    {
        let r = record;
        let seen = wang.status(r).unwrap().version;
        wang.open_for_work(r, seen).unwrap();
    }
    let detail = li.record(record).unwrap().unwrap();
    assert_eq!(
        detail.claimed_by.as_ref().map(|c| c.reviewer.as_str()),
        Some("王五")
    );
    let v = detail.status.version;
    let err = li.note(record, v, "我也看看").unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("王五 is working on record {KILN} (since ")),
        "{err}"
    );
    assert!(
        err.ends_with("you may read it, or take it over (T) if you must"),
        "{err}"
    );
    assert_eq!(li.take_over(record).unwrap(), "王五");
    li.note(record, v, "接管后备注").unwrap();
    // Now 王五 is the one refused, and the take-over is in the history.
    let seen = wang.status(record).unwrap().version;
    let err = wang.note(record, seen, "x").unwrap_err().to_string();
    assert!(err.starts_with("李四 is working on record"), "{err}");
    let history = li.history(record).unwrap();
    assert_eq!(history[1].kind, EventKind::TakeOver);
    assert_eq!(history[1].payload["from"], "王五");
    // Claims end on exit.
    li.release().unwrap();
    assert!(wang.record(record).unwrap().unwrap().claimed_by.is_none());
}

#[test]
fn claims_lapse_after_the_policys_minutes() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut wang = open(&ws, "王五");
    let mut li = open(&ws, "李四");
    let record = queued(&wang, KILN);
    {
        let r = record;
        let seen = wang.status(r).unwrap().version;
        wang.open_for_work(r, seen).unwrap();
    }
    assert!(li.record(record).unwrap().unwrap().claimed_by.is_some());
    // Eleven minutes of inactivity, with the default of ten.
    rusqlite::Connection::open(&ws)
        .unwrap()
        .execute(
            "UPDATE claims SET last_seen = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-11 minutes')",
            [],
        )
        .unwrap();
    assert!(li.record(record).unwrap().unwrap().claimed_by.is_none());
    let v = li.status(record).unwrap().version;
    li.note(record, v, "认领已过期").unwrap();
}
