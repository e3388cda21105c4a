//! A record's life on the demo workspace: found in the queue, corrected or explained, signed by
//! two roles and locked, reopened with a reason (the signatures voided, kept in its history,
//! newest first) and signed again; a reopening is not an action one can undo.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::{fingerprint, rowid};
use common::demo::{CLEAN_JINAN, CLEAN_QINGDAO, KILN, PM_KG};
use common::review::{
    assert_verifies, find_in_queue, flag_states, hh_mm, leave, locked_by, open, refusal, seen,
    shown, sign_as, still_open, with_errors,
};
use common::seeded::seeded_records;
use common::{Scratch, demo};
use huishen_core::domain::Severity;

#[test]
fn a_record_goes_from_flagged_to_locked_and_back() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut lisi = open(&ws, "李四");
    let mut wangwu = open(&ws, "王五");
    let progress = lisi.progress().unwrap();
    assert_eq!(
        (progress.flagged, progress.open, progress.signed),
        (seeded_records(), seeded_records(), 0)
    );
    let errors = with_errors(&lisi);

    // The unit error: PM emitted entered in kg. 李四 finds it in the queue and divides by 1000.
    let line = find_in_queue(&lisi, PM_KG).expect("the R15 record is in the queue");
    assert_eq!(
        (line.severity, line.errors, line.warnings),
        (Some(Severity::Error), 1, 0)
    );
    let rec = line.record;
    assert_eq!(rec, rowid(&ws, PM_KG));
    assert_eq!(flag_states(&mut lisi, rec), [("R15".into(), "open".into())]);
    assert_eq!(shown(&mut lisi, rec, "pm_emit_t"), "16.4");
    let v = seen(&mut lisi, rec);
    assert_eq!(v, 0);
    let report = lisi
        .correct(rec, v, "pm_emit_t", "0.0164", "单位换算错误")
        .unwrap();
    assert_eq!(report.resolved, [("R15".to_string(), PM_KG.to_string())]);
    assert!(report.opened.is_empty());
    assert_eq!(
        flag_states(&mut lisi, rec),
        [("R15".into(), "resolved".into())]
    );
    assert_eq!(shown(&mut lisi, rec, "pm_emit_t"), "0.0164");
    // It had no other open flag: it leaves the open count and the errors, and waits at the
    // end of the queue for its signatures.
    assert_eq!(still_open(&lisi), seeded_records() - 1);
    assert_eq!(with_errors(&lisi), errors - 1);
    assert_eq!(lisi.progress().unwrap().flagged, seeded_records());
    let line = find_in_queue(&lisi, PM_KG).expect("a fixed record waits for sign-off");
    assert_eq!((line.severity, line.errors, line.warnings), (None, 0, 0));
    let status = lisi.status(rec).unwrap();
    assert!(status.ready());
    assert_eq!(status.version, 1);

    // A warning is explained (说明), not corrected; the record stays in the queue.
    let kiln = rowid(&ws, KILN);
    wangwu
        .explain(
            kiln,
            0,
            "R21",
            "水泥窑内物料固硫，实际产生量低于燃煤硫平衡估算",
        )
        .unwrap();
    let status = wangwu.status(kiln).unwrap();
    assert!(status.unexplained_warnings.is_empty());
    assert!(status.ready());
    assert_eq!(
        flag_states(&mut wangwu, kiln),
        [("R21".into(), "open".into())]
    );
    assert_eq!(still_open(&lisi), seeded_records() - 1);

    // Two signatures of different roles lock each of them. (A reviewer holds one record at a
    // time: 王五 signing the PM record leaves the kiln; 李四 leaves each record he signed.)
    assert!(!lisi.sign(rec, 1).unwrap());
    leave(&lisi);
    assert!(wangwu.sign(rec, 2).unwrap());
    assert!(!lisi.sign(kiln, 1).unwrap());
    leave(&lisi);
    assert!(wangwu.sign(kiln, 2).unwrap());
    assert_eq!(lisi.progress().unwrap().signed, 2);
    let status = lisi.status(rec).unwrap();
    assert!(status.locked);
    assert_eq!(status.version, 3);
    assert_eq!(
        status.signatures,
        [
            ("李四".to_string(), "市级审核".to_string()),
            ("王五".to_string(), "省级审核".to_string())
        ]
    );

    // Locked: a correction is refused, and changes nothing.
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(lisi.correct(rec, 3, "pm_gen_t", "0.72", "企业核实")),
        locked_by(PM_KG, "李四 (市级审核), 王五 (省级审核)")
    );
    assert_eq!(fingerprint(&ws), before);

    // Reopening takes a reason, unlocks and voids the signatures; they stay in the history.
    assert_eq!(
        refusal(wangwu.reopen(rowid(&ws, CLEAN_QINGDAO), 0, "复核")),
        format!("record {CLEAN_QINGDAO} is not signed; there is nothing to reopen")
    );
    wangwu
        .reopen(rec, 3, "企业补报颗粒物产生量，需重新核实")
        .unwrap();
    let status = wangwu.status(rec).unwrap();
    assert!(!status.locked);
    assert!(status.signatures.is_empty());
    assert_eq!(status.version, 4);
    let history = wangwu.history(rec).unwrap();
    let lines: Vec<(&str, &str)> = history
        .iter()
        .map(|e| (e.kind.as_str(), e.reviewer.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            ("reopen", "王五"),
            ("sign", "王五"),
            ("sign", "李四"),
            ("correct", "李四")
        ],
        "history is newest first"
    );
    assert!(history.windows(2).all(|w| w[0].id > w[1].id));
    assert!(history.windows(2).all(|w| w[0].at >= w[1].at));
    let reopen = history[0].id;
    assert_eq!(history[1].undone_by, Some(reopen));
    assert_eq!(history[2].undone_by, Some(reopen));
    assert_eq!(history[3].undone_by, None);
    assert_eq!(
        history[0].payload["reason"],
        "企业补报颗粒物产生量，需重新核实"
    );
    assert_eq!(
        history[0].payload["voids"],
        serde_json::json!([history[2].id, history[1].id])
    );
    assert_eq!(history[3].payload["field"], "pm_emit_t");
    assert_eq!(history[3].payload["old"], 16.4);
    assert_eq!(history[3].payload["new"], 0.0164);
    assert_eq!(history[3].payload["reason"], "单位换算错误");
    assert_eq!(history[2].payload["role"], "市级审核");
    assert_eq!(history[2].payload["locks"], false);
    assert_eq!(history[1].payload["locks"], true);

    assert_eq!(lisi.progress().unwrap().signed, 1);

    // Unlocked, it can be corrected again, and needs two new signatures.
    leave(&wangwu);
    lisi.correct(rec, 4, "pm_gen_t", "0.72", "企业核实")
        .unwrap();
    assert!(!lisi.sign(rec, 5).unwrap());
    leave(&lisi);
    assert!(wangwu.sign(rec, 6).unwrap());
    assert_eq!(lisi.progress().unwrap().signed, 2);

    // The other record is still locked.
    assert!(wangwu.status(kiln).unwrap().locked);
    assert_verifies(&s, &ws);
}

#[test]
fn a_reopen_cannot_be_undone() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, CLEAN_JINAN);
    assert!(sign_as(&ws, rec, &["张三", "李四"]));
    let mut zhangsan = open(&ws, "张三");
    zhangsan.reopen(rec, 2, "企业更正产值").unwrap();
    let at = zhangsan.history(rec).unwrap()[0].at.clone();
    leave(&zhangsan);
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(zhangsan.undo(rec, 3)),
        format!("your last action on record {CLEAN_JINAN} was a reopening, which cannot be undone")
    );
    let mut lisi = open(&ws, "李四");
    assert_eq!(
        refusal(lisi.undo(rec, 3)),
        format!(
            "the last action on record {CLEAN_JINAN} was 张三's reopening at {}; you can undo only your own last action",
            hh_mm(&at)
        )
    );
    assert_eq!(
        refusal(lisi.reopen(rec, 3, "再次复核")),
        format!("record {CLEAN_JINAN} is not signed; there is nothing to reopen")
    );
    assert_eq!(fingerprint(&ws), before);
}
