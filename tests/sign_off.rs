//! Signing off and the policy: what blocks a signature (failing errors, unexplained warnings,
//! a second signature by the same person or role, four eyes), how many signatures lock a
//! record, what a locked record refuses, and `huishen policy` switching each rule.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::{event_at, event_count, fingerprint, rowid};
use common::demo::{CLEAN_JINAN, CLEAN_QINGDAO, COAL_NO_SO2, KILN, NO_RIVER, NO_SULPHUR, PM_KG};
use common::review::{
    add_reviewer, assert_verifies, hh_mm, leave, locked_by, open, policy_table, refusal, sign_as,
};
use common::{DEMO, Scratch, demo, hs};
use predicates::str::contains;

#[test]
fn signing_with_a_failing_error_is_refused() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, PM_KG);
    let both = rowid(&ws, COAL_NO_SO2);
    let mut lisi = open(&ws, "李四");
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(lisi.sign(rec, 0)),
        "record G3702110001616 cannot be signed: errors still failing: R15"
    );
    assert_eq!(
        refusal(lisi.sign(both, 0)),
        "record G3707040000041 cannot be signed: errors still failing: R20; warnings neither fixed nor explained: R21"
    );
    // Explaining the warning leaves the error in the way.
    lisi.explain(both, 0, "R21", "该企业以生物质为主要燃料，煤仅用于点火")
        .unwrap();
    let after_explaining = fingerprint(&ws);
    assert_eq!(
        refusal(lisi.sign(both, 1)),
        "record G3707040000041 cannot be signed: errors still failing: R20"
    );
    assert_eq!(fingerprint(&ws), after_explaining);
    assert_ne!(after_explaining, before);
    let status = lisi.status(rec).unwrap();
    assert_eq!(status.failing_errors, ["R15"]);
    assert!(!status.ready());
    assert!(status.signatures.is_empty());
}

#[test]
fn signing_with_an_unexplained_warning_is_refused() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, KILN);
    let mut lisi = open(&ws, "李四");
    let before = fingerprint(&ws);
    let status = lisi.status(rec).unwrap();
    assert_eq!(status.unexplained_warnings, ["R21"]);
    assert!(status.failing_errors.is_empty());
    assert_eq!(
        refusal(lisi.sign(rec, 0)),
        "record G3714250000019 cannot be signed: warnings neither fixed nor explained: R21"
    );
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn a_second_signature_by_the_same_person_is_refused() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, CLEAN_QINGDAO);
    let mut lisi = open(&ws, "李四");
    assert!(!lisi.sign(rec, 0).unwrap());
    let at = lisi.history(rec).unwrap()[0].at.clone();
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(lisi.sign(rec, 1)),
        format!(
            "record {CLEAN_QINGDAO} cannot be signed: you signed it already at {}",
            common::review::hh_mm(&at)
        )
    );
    assert_eq!(fingerprint(&ws), before);
    // Even with distinct roles off and one signature enough, one person cannot sign twice.
    hs(&s)
        .args(["policy", DEMO, "--distinct-roles", "no"])
        .assert()
        .success();
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(lisi.sign(rec, 1)),
        format!(
            "record {CLEAN_QINGDAO} cannot be signed: you signed it already at {}",
            common::review::hh_mm(&at)
        )
    );
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn a_second_signature_by_the_same_role_is_refused_when_roles_must_differ() {
    let s = Scratch::new();
    let ws = demo(&s);
    add_reviewer(&s, "赵六", "市级审核", "37", "zhaoliu-2017");
    let rec = rowid(&ws, CLEAN_QINGDAO);
    let mut lisi = open(&ws, "李四");
    assert!(!lisi.sign(rec, 0).unwrap());
    leave(&lisi);
    let mut zhaoliu = open(&ws, "赵六");
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(zhaoliu.sign(rec, 1)),
        format!(
            "record {CLEAN_QINGDAO} cannot be signed: role 市级审核 signed it already (李四); the next signature must come from another role"
        )
    );
    assert_eq!(fingerprint(&ws), before);
    assert!(!zhaoliu.status(rec).unwrap().locked);
}

#[test]
fn a_locked_record_cannot_be_edited() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, CLEAN_QINGDAO);
    assert!(sign_as(&ws, rec, &["李四", "王五"]));
    let mut wangwu = open(&ws, "王五");
    let status = wangwu.status(rec).unwrap();
    assert!(status.locked);
    let v = status.version;
    assert_eq!(v, 2);
    let before = fingerprint(&ws);

    let message = locked_by(CLEAN_QINGDAO, "李四 (市级审核), 王五 (省级审核)");
    assert_eq!(
        refusal(wangwu.correct(rec, v, "output_value_10k_yuan", "1", "录入错误")),
        message
    );
    assert_eq!(
        refusal(wangwu.explain(rec, v, "R21", "燃料中含固硫剂")),
        message
    );
    assert_eq!(refusal(wangwu.sign(rec, v)), message);
    let mut lisi = open(&ws, "李四");
    assert_eq!(
        refusal(lisi.correct(rec, v, "output_value_10k_yuan", "1", "录入错误")),
        message
    );
    // Undo of anything but the last signature is refused too (李四's signature is not the last
    // action; 王五's is, and undoing it is the subject of another test).
    assert_eq!(
        refusal(lisi.undo(rec, v)),
        format!(
            "the last action on record {CLEAN_QINGDAO} was 王五's signature at {}; you can undo only your own last action",
            hh_mm(&event_at(&ws, event_count(&ws)))
        )
    );
    assert_eq!(fingerprint(&ws), before);
}

/// 李四 signs a ready record first; then 王五 corrects one of its values. 李四 signed other
/// values than the record now holds: the correction voids his signature, which no longer
/// counts toward the lock (both must sign the new values), and `verify` passes on this
/// honest workspace.
#[test]
fn a_correction_after_a_first_signature_does_not_leave_a_stale_signature() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, CLEAN_QINGDAO);
    let mut lisi = open(&ws, "李四");
    let mut wangwu = open(&ws, "王五");
    assert!(!lisi.sign(rec, 0).unwrap());
    leave(&lisi);
    wangwu
        .correct(rec, 1, "unit_name", "青岛某某机械有限公司", "企业核实")
        .unwrap();
    let status = wangwu.status(rec).unwrap();
    assert!(
        status.signatures.is_empty(),
        "李四's signature of the old values still stands: {:?}",
        status.signatures
    );
    assert!(!status.locked);
    // 王五 corrected it, so his signature cannot be the last; 李四's must be given anew.
    let v = status.version;
    assert_eq!(v, 2);
    assert!(!wangwu.sign(rec, v).unwrap());
    leave(&wangwu);
    assert!(lisi.sign(rec, v + 1).unwrap());
    assert_eq!(
        lisi.status(rec).unwrap().signatures,
        [
            ("王五".to_string(), "省级审核".to_string()),
            ("李四".to_string(), "市级审核".to_string())
        ]
    );
    assert_verifies(&s, &ws);
}

#[test]
fn the_policy_says_how_many_signatures_lock_a_record() {
    let s = Scratch::new();
    let ws = demo(&s);
    hs(&s)
        .args(["policy", DEMO])
        .assert()
        .success()
        .stdout(policy_table(2, true, true));

    // Two signatures by default: the first does not lock, the second does.
    let first = rowid(&ws, CLEAN_QINGDAO);
    let mut lisi = open(&ws, "李四");
    assert!(!lisi.sign(first, 0).unwrap());
    let status = lisi.status(first).unwrap();
    assert!(!status.locked);
    assert_eq!(
        status.signatures,
        [("李四".to_string(), "市级审核".to_string())]
    );
    assert_eq!(status.signatures_required, 2);
    leave(&lisi);
    let mut wangwu = open(&ws, "王五");
    assert!(wangwu.sign(first, 1).unwrap());
    assert!(wangwu.status(first).unwrap().locked);

    // One signature once the policy says so.
    hs(&s)
        .args(["policy", DEMO, "--signatures", "1"])
        .assert()
        .success()
        .stdout(policy_table(1, true, true));
    let second = rowid(&ws, CLEAN_JINAN);
    assert!(lisi.sign(second, 0).unwrap());
    let status = lisi.status(second).unwrap();
    assert!(status.locked);
    assert_eq!(status.signatures_required, 1);

    // A policy no record can meet is refused and changes nothing.
    let before = fingerprint(&ws);
    hs(&s)
        .args(["policy", DEMO, "--signatures", "0"])
        .assert()
        .failure()
        .code(1)
        .stderr("error: a record needs at least one signature\n");
    hs(&s)
        .args(["policy", DEMO, "--four-eyes", "perhaps"])
        .assert()
        .failure()
        .code(2)
        .stderr(contains(
            "error: invalid value 'perhaps' for '--four-eyes <FOUR_EYES>'",
        ));
    assert_eq!(fingerprint(&ws), before);
    // Changing the policy is an audited event, and the trail still verifies.
    assert_verifies(&s, &ws);
}

#[test]
fn distinct_roles_can_be_switched_off() {
    let s = Scratch::new();
    let ws = demo(&s);
    add_reviewer(&s, "赵六", "市级审核", "37", "zhaoliu-2017");
    let rec = rowid(&ws, CLEAN_QINGDAO);
    let mut lisi = open(&ws, "李四");
    let mut zhaoliu = open(&ws, "赵六");
    assert!(!lisi.sign(rec, 0).unwrap());
    leave(&lisi);
    assert!(refusal(zhaoliu.sign(rec, 1)).contains("role 市级审核 signed it already (李四)"));

    hs(&s)
        .args(["policy", DEMO, "--distinct-roles", "no"])
        .assert()
        .success()
        .stdout(policy_table(2, false, true));
    assert!(zhaoliu.sign(rec, 1).unwrap());
    let status = zhaoliu.status(rec).unwrap();
    assert!(status.locked);
    assert_eq!(
        status.signatures,
        [
            ("李四".to_string(), "市级审核".to_string()),
            ("赵六".to_string(), "市级审核".to_string())
        ]
    );

    // And on again.
    hs(&s)
        .args(["policy", DEMO, "--distinct-roles", "yes"])
        .assert()
        .success()
        .stdout(policy_table(2, true, true));
    let other = rowid(&ws, CLEAN_JINAN);
    assert!(!zhaoliu.sign(other, 0).unwrap());
    leave(&zhaoliu);
    assert_eq!(
        refusal(lisi.sign(other, 1)),
        format!(
            "record {CLEAN_JINAN} cannot be signed: role 市级审核 signed it already (赵六); the next signature must come from another role"
        )
    );
}

#[test]
fn four_eyes_the_only_corrector_may_not_give_the_last_signature() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, NO_RIVER);
    let mut zhangsan = open(&ws, "张三");
    let mut lisi = open(&ws, "李四");
    let mut wangwu = open(&ws, "王五");

    // 张三 fixes the record; 李四 gives the first signature.
    let report = zhangsan
        .correct(rec, 0, "receiving_water", "小清河", "企业核实")
        .unwrap();
    assert_eq!(report.resolved, [("R22".to_string(), NO_RIVER.to_string())]);
    leave(&zhangsan);
    assert!(!lisi.sign(rec, 1).unwrap());
    leave(&lisi);

    // The corrector may not give the last signature...
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(zhangsan.sign(rec, 2)),
        format!(
            "record {NO_RIVER} cannot be signed: four eyes: you (张三) are the only one who corrected it, so you may not give its last signature; signed so far by 李四 (市级审核); another reviewer, of a role other than 市级审核, must give the last signature"
        )
    );
    assert_eq!(fingerprint(&ws), before);
    // ...another reviewer can.
    assert!(wangwu.sign(rec, 2).unwrap());
    assert!(wangwu.status(rec).unwrap().locked);
    leave(&wangwu);

    // The corrector may give the first signature, though.
    let other = rowid(&ws, NO_SULPHUR);
    zhangsan
        .correct(other, 0, "coal_sulfur_pct", "1.2", "企业核实")
        .unwrap();
    assert!(!zhangsan.sign(other, 1).unwrap());
    leave(&zhangsan);
    assert!(lisi.sign(other, 2).unwrap());
    leave(&lisi);

    // With one signature enough, the only corrector cannot sign at all.
    hs(&s)
        .args(["policy", DEMO, "--signatures", "1"])
        .assert()
        .success();
    let third = rowid(&ws, CLEAN_JINAN);
    zhangsan
        .correct(
            third,
            0,
            "unit_name",
            "济阳凯胜热电有限公司一厂",
            "企业核实",
        )
        .unwrap();
    assert!(refusal(zhangsan.sign(third, 1)).contains("four eyes"));
    // When someone else corrected it too, the corrector is not the only one.
    leave(&zhangsan);
    lisi.correct(
        third,
        1,
        "unit_name",
        "济阳凯胜热电有限公司第一厂",
        "企业核实",
    )
    .unwrap();
    leave(&lisi);
    assert!(zhangsan.sign(third, 2).unwrap());
}

#[test]
fn four_eyes_can_be_switched_off() {
    let s = Scratch::new();
    let ws = demo(&s);
    hs(&s)
        .args(["policy", DEMO, "--four-eyes", "no"])
        .assert()
        .success()
        .stdout(policy_table(2, true, false));
    let rec = rowid(&ws, NO_RIVER);
    let mut zhangsan = open(&ws, "张三");
    let mut lisi = open(&ws, "李四");
    zhangsan
        .correct(rec, 0, "receiving_water", "小清河", "企业核实")
        .unwrap();
    leave(&zhangsan);
    assert!(!lisi.sign(rec, 1).unwrap());
    leave(&lisi);
    assert!(zhangsan.sign(rec, 2).unwrap());
    assert!(zhangsan.status(rec).unwrap().locked);
}

#[test]
fn an_undone_correction_does_not_make_its_author_a_corrector() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, CLEAN_JINAN);
    let mut zhangsan = open(&ws, "张三");
    let mut wangwu = open(&ws, "王五");
    zhangsan
        .correct(rec, 0, "output_value_10k_yuan", "5000", "录入错误")
        .unwrap();
    zhangsan.undo(rec, 1).unwrap();
    leave(&zhangsan);
    assert!(!wangwu.sign(rec, 2).unwrap());
    leave(&wangwu);
    // 张三's only correction was taken back: he changed nothing, so he may sign last.
    assert!(zhangsan.sign(rec, 3).unwrap());
}
