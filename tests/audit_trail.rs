//! The audit trail and `huishen verify`: after a day's work by the whole team the chain verifies;
//! the trail refuses UPDATE and DELETE; and whoever drops the triggers with the sqlite3 shell to
//! edit, delete or swap events, or changes a signed record behind huishen's back, is named, and
//! verify exits with its "tampered" status (3).

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::{event_at, event_count, fingerprint, rowid, sqlite3, sqlite3_ok};
use common::demo::{CLEAN_QINGDAO, KILN, NO_RIVER, OUTLIER, PM_KG, TWICE_A, TWICE_B};
use common::review::{
    DOES_NOT_VERIFY, PAGES_WHOLE, add_reviewer, assert_verifies, leave, open, sign_as, verified,
};
use common::{DEMO, Scratch, demo, hs};
use huishen_core::review::Workspace;
use predicates::str::contains;
use std::path::Path;

/// `huishen verify`'s exit status when the trail or a signature does not hold.
const TAMPERED: i32 = 3;

/// A day's work on the demo workspace by the whole team, through every kind of action.
/// Returns the rowid of a locked record and the ids of its two signature events.
fn a_days_work(s: &Scratch, ws: &Path) -> (i64, i64, i64) {
    add_reviewer(s, "赵六", "统计部门", "", "zhaoliu-2017");
    hs(s)
        .args(["policy", DEMO, "--four-eyes", "yes"])
        .assert()
        .success();
    let mut zhangsan = open(ws, "张三");
    let mut lisi = open(ws, "李四");
    let mut wangwu = open(ws, "王五");
    let mut zhaoliu = open(ws, "赵六");

    let pm = rowid(ws, PM_KG);
    lisi.correct(pm, 0, "pm_emit_t", "0.0164", "单位换算错误")
        .unwrap();
    lisi.note(pm, 1, "企业确认千克误填为吨").unwrap();
    lisi.undo(pm, 2).unwrap();
    assert!(!lisi.sign(pm, 3).unwrap());
    leave(&lisi);
    assert!(zhaoliu.sign(pm, 4).unwrap());

    let river = rowid(ws, NO_RIVER);
    zhangsan
        .correct(river, 0, "receiving_water", "小清河", "企业核实")
        .unwrap();
    zhangsan
        .correct(river, 1, "receiving_water", "小清河（济南段）", "企业核实")
        .unwrap();
    leave(&zhangsan);
    assert!(!wangwu.sign(river, 2).unwrap());
    leave(&wangwu);
    assert!(lisi.sign(river, 3).unwrap());
    leave(&lisi);
    wangwu.reopen(river, 4, "受纳水体名称需按名录填写").unwrap();
    leave(&wangwu);
    zhangsan
        .correct(
            river,
            5,
            "receiving_water",
            "小清河",
            "依据环境统计数据修正",
        )
        .unwrap();

    let kiln = rowid(ws, KILN);
    wangwu.explain(kiln, 0, "R21", "水泥窑内物料固硫").unwrap();
    wangwu.undo(kiln, 1).unwrap();
    wangwu
        .explain(kiln, 2, "R21", "水泥窑内物料固硫，石灰石吸收二氧化硫")
        .unwrap();
    leave(&wangwu);
    assert!(!zhaoliu.sign(kiln, 3).unwrap());

    // Cross-record: one of the twice-entered records gets its own credit code.
    let twice = rowid(ws, TWICE_B);
    let report = lisi
        .correct(twice, 0, "credit_code", "91371703MA3C5LXX1K", "企业核实")
        .unwrap();
    assert!(
        report
            .resolved
            .contains(&("R27".to_string(), TWICE_A.to_string()))
    );

    let outlier = rowid(ws, OUTLIER);
    zhangsan
        .explain(outlier, 0, "R29", "产值偏小系停产半年所致")
        .unwrap();
    // 赵六 takes the outlier over from 张三 (an audited event).
    assert_eq!(zhaoliu.take_over(outlier).unwrap(), "张三");
    zhaoliu.note(outlier, 1, "已电话核实停产时间").unwrap();

    let clean = rowid(ws, CLEAN_QINGDAO);
    let signed_a = event_count(ws) + 1;
    assert!(!lisi.sign(clean, 0).unwrap());
    leave(&lisi);
    let signed_b = event_count(ws) + 1;
    assert!(wangwu.sign(clean, 1).unwrap());
    (clean, signed_a, signed_b)
}

#[test]
fn verify_passes_on_an_honest_workspace_after_a_days_work() {
    let s = Scratch::new();
    let ws = demo(&s);
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .success()
        .stdout(verified(&ws));
    a_days_work(&s, &ws);
    let n = event_count(&ws);
    assert!(n >= 20, "{n} events");
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .success()
        .stdout(verified(&ws));
    let v = Workspace::open(&ws).unwrap().verify().unwrap();
    assert!(v.ok(), "{v:?}");
    assert_eq!(v.events, n as u64);
}

#[test]
fn the_audit_trail_refuses_update_and_delete() {
    let s = Scratch::new();
    let ws = demo(&s);
    a_days_work(&s, &ws);
    let before = fingerprint(&ws);
    for sql in [
        "UPDATE events SET payload = '{}' WHERE id = 5",
        "UPDATE events SET reviewer = '王五' WHERE reviewer = '李四'",
        "DELETE FROM events WHERE id = 5",
        "DELETE FROM events",
    ] {
        let out = sqlite3(&ws, sql);
        assert!(!out.status.success(), "{sql} succeeded");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("the audit trail is append-only"),
            "{sql}: {stderr}"
        );
    }
    assert_eq!(fingerprint(&ws), before);
    assert_verifies(&s, &ws);
}

#[test]
fn verify_names_an_event_whose_payload_was_edited() {
    let s = Scratch::new();
    let ws = demo(&s);
    a_days_work(&s, &ws);
    // 李四's first correction (of the PM record's unit error).
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let (id, at, payload): (i64, String, String) = conn
        .query_row(
            "SELECT id, at, payload FROM events WHERE kind = 'correct' AND reviewer = '李四' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    drop(conn);
    let forged = payload.replace("单位换算错误", "企业核实");
    assert_ne!(forged, payload);
    sqlite3_ok(
        &ws,
        &format!(
            "DROP TRIGGER events_append_only_update; UPDATE events SET payload = '{forged}' WHERE id = {id}"
        ),
    );
    let n = event_count(&ws);
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .failure()
        .code(TAMPERED)
        .stdout(predicates::str::starts_with(format!(
            "{PAGES_WHOLE}audit trail BROKEN: event #{id} (correct by 李四 at {at}) was changed after it was written: its content no longer matches its hash\n"
        )))
        // The correction's row no longer says what its (forged) event says.
        .stdout(contains(format!(
            "corrections: the correction of event {id} has reason = \"单位换算错误\", but the audit trail says \"企业核实\""
        )))
        .stderr(DOES_NOT_VERIFY);
    let v = Workspace::open(&ws).unwrap().verify().unwrap();
    assert_eq!(v.events, n as u64);
    assert!(!v.ok());

    // Changing who did it is caught the same way.
    let s = Scratch::new();
    let ws = demo(&s);
    a_days_work(&s, &ws);
    let at = event_at(&ws, id);
    sqlite3_ok(
        &ws,
        &format!(
            "DROP TRIGGER events_append_only_update; UPDATE events SET reviewer = '王五' WHERE id = {id}"
        ),
    );
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .failure()
        .code(TAMPERED)
        .stdout(contains(format!(
            "audit trail BROKEN: event #{id} (correct by 王五 at {at}) was changed after it was written"
        )));
}

#[test]
fn verify_names_the_gap_where_an_event_was_deleted() {
    let s = Scratch::new();
    let ws = demo(&s);
    a_days_work(&s, &ws);
    let n = event_count(&ws);
    let gone = 10;
    let (kind, reviewer): (String, String) = rusqlite::Connection::open(&ws)
        .unwrap()
        .query_row(
            "SELECT kind, reviewer FROM events WHERE id = ?1",
            [gone + 1],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let at = event_at(&ws, gone + 1);
    sqlite3_ok(
        &ws,
        &format!("DROP TRIGGER events_append_only_delete; DELETE FROM events WHERE id = {gone}"),
    );
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .failure()
        .code(TAMPERED)
        .stdout(predicates::str::starts_with(format!(
            "{PAGES_WHOLE}audit trail BROKEN: event #{} ({kind} by {reviewer} at {at}) does not follow event #{}: the events between them were deleted\n",
            gone + 1,
            gone - 1
        )))
        .stderr(DOES_NOT_VERIFY);
    assert_eq!(event_count(&ws), n - 1);

    // The very first event.
    let s = Scratch::new();
    let ws = demo(&s);
    a_days_work(&s, &ws);
    let at = event_at(&ws, 2);
    sqlite3_ok(
        &ws,
        "DROP TRIGGER events_append_only_delete; DELETE FROM events WHERE id = 1",
    );
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .failure()
        .code(TAMPERED)
        .stdout(contains(format!(
            "audit trail BROKEN: event #2 (reviewer_add by 王五 at {at}) is not the first event written: earlier events were deleted\n"
        )));
}

/// Deleting the newest event — here the correction that changed a value — leaves a chain that
/// links from its first event to its (new) last: the correction's value stays, with no trace
/// in the trail. The workspace still knows better: the `events` sequence has handed out a
/// higher id, and the `corrections` row names an event that is gone.
#[test]
fn verify_notices_that_the_newest_event_was_deleted() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, PM_KG);
    let mut lisi = open(&ws, "李四");
    lisi.correct(rec, 0, "pm_emit_t", "0.0164", "单位换算错误")
        .unwrap();
    drop(lisi);
    assert_verifies(&s, &ws);
    let n = event_count(&ws);
    sqlite3_ok(
        &ws,
        &format!("DROP TRIGGER events_append_only_delete; DELETE FROM events WHERE id = {n}"),
    );
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .failure()
        .code(TAMPERED)
        .stdout(contains("audit trail BROKEN"))
        .stdout(contains(format!("#{n}")))
        .stderr(DOES_NOT_VERIFY);
}

#[test]
fn verify_notices_two_events_swapped() {
    let s = Scratch::new();
    let ws = demo(&s);
    a_days_work(&s, &ws);
    let (a, b) = (8, 9);
    let (kind, reviewer, at): (String, String, String) = rusqlite::Connection::open(&ws)
        .unwrap()
        .query_row(
            "SELECT kind, reviewer, at FROM events WHERE id = ?1",
            [b],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    sqlite3_ok(
        &ws,
        &format!(
            "DROP TRIGGER events_append_only_update;
             CREATE TEMP TABLE swap AS SELECT * FROM events WHERE id IN ({a}, {b});
             UPDATE events SET (at, reviewer, kind, form, record, key, payload, prev_hash, hash) =
                 (SELECT at, reviewer, kind, form, record, key, payload, prev_hash, hash FROM swap
                  WHERE swap.id = CASE events.id WHEN {a} THEN {b} ELSE {a} END)
             WHERE id IN ({a}, {b});"
        ),
    );
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .failure()
        .code(TAMPERED)
        .stdout(predicates::str::starts_with(format!(
            "{PAGES_WHOLE}audit trail BROKEN: event #{a} ({kind} by {reviewer} at {at}) does not link to event #{}: events were deleted, inserted or reordered\n",
            a - 1
        )))
        .stderr(DOES_NOT_VERIFY);
}

#[test]
fn verify_names_the_signatures_of_a_record_changed_behind_huishens_back() {
    let s = Scratch::new();
    let ws = demo(&s);
    let (clean, signed_a, signed_b) = a_days_work(&s, &ws);
    assert_eq!(rowid(&ws, CLEAN_QINGDAO), clean);
    let n = event_count(&ws);
    sqlite3_ok(
        &ws,
        &format!(
            "UPDATE G101_1 SET output_value_10k_yuan = output_value_10k_yuan * 10 WHERE record_id = '{CLEAN_QINGDAO}'"
        ),
    );
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .failure()
        .code(TAMPERED)
        .stdout(predicates::str::starts_with(format!(
            "{PAGES_WHOLE}audit trail: {n} events, every one linked to the one before and unchanged\n"
        )))
        .stdout(contains(format!(
            "G101_1/{CLEAN_QINGDAO}: its values (with its corrections taken back) are not those \
             imported by event #4: they were changed outside huishen\n"
        )))
        .stdout(predicates::str::ends_with(format!(
            "signatures that no longer match their record:\n  \
             G101_1/{CLEAN_QINGDAO}: signed by 李四 (event #{signed_a}), but its values have changed since\n  \
             G101_1/{CLEAN_QINGDAO}: signed by 王五 (event #{signed_b}), but its values have changed since\n"
        )))
        .stderr(DOES_NOT_VERIFY);
    // Putting the value back makes the signatures match again.
    sqlite3_ok(
        &ws,
        &format!(
            "UPDATE G101_1 SET output_value_10k_yuan = output_value_10k_yuan / 10 WHERE record_id = '{CLEAN_QINGDAO}'"
        ),
    );
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .success()
        .stdout(verified(&ws));
}

/// The signatures table indexes the trail's sign events; verify must not take it on trust.
/// Reviving the signatures a reopen voided (and the lock) with sqlite3 makes a reopened
/// record look signed off again, with values that match.
#[test]
fn verify_notices_a_voided_signature_revived_behind_huishens_back() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, CLEAN_QINGDAO);
    assert!(sign_as(&ws, rec, &["李四", "王五"]));
    let mut wangwu = open(&ws, "王五");
    wangwu.reopen(rec, 2, "企业更正产值").unwrap();
    leave(&wangwu);
    assert_verifies(&s, &ws);
    sqlite3_ok(
        &ws,
        &format!(
            "UPDATE signatures SET voided_by = NULL WHERE record = {rec};
             UPDATE record_state SET locked = 1 WHERE record = {rec};"
        ),
    );
    let status = wangwu.status(rec).unwrap();
    assert!(status.locked && status.signatures.len() == 2, "{status:?}");
    hs(&s)
        .args(["verify", DEMO])
        .assert()
        .failure()
        .code(TAMPERED)
        .stdout(contains(format!("G101_1/{CLEAN_QINGDAO}")))
        .stderr(DOES_NOT_VERIFY);
}
