//! Batch corrections with `huishen apply`, on the demo workspace: a CSV file of key, field,
//! value and reason (or 记录号, 指标, 新值, 原因, in UTF-8 or GBK) shows what it would change;
//! `--commit` writes each row as an audited correction with its re-check; a row whose value
//! is there already is skipped; and a file with any bad row (one file per invalid input under
//! `tests/fixtures/invalid/batch/`) is refused line by line and writes nothing, even with
//! `--commit`.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::db::{event_count, fingerprint, rowid, stored};
use common::demo::{CLEAN_JINAN, CLEAN_QINGDAO, PM_KG, PM_KG_2};
use common::fixtures::{Mismatches, Outcome, assert_table_covers, copy_invalid, run};
use common::review::{assert_verifies, open, sign_as};
use common::{DEMO, Scratch, demo, hs};
use huishen_core::review::Workspace;
use rusqlite::types::Value as Sql;

/// Two unit errors (R15) and a unit name the record holds already.
const FIXES: &str = "记录号,指标,新值,原因\n\
    G3702110001616,pm_emit_t,0.0164,单位换算错误\n\
    G3702140001937,pm_emit_t,0.1111,单位换算错误\n\
    G3701150000003,unit_name,济阳凯胜热电有限公司,企业核实\n";

/// What `apply` lists for [`FIXES`] written as `file`, before it says what it did.
fn listed(file: &str) -> String {
    format!(
        "{file}:2\t{PM_KG}\tpm_emit_t: 16.4 → 0.0164\t(单位换算错误)\n\
         {file}:3\t{PM_KG_2}\tpm_emit_t: 111.1 → 0.1111\t(单位换算错误)\n\
         {file}:4\t{CLEAN_JINAN}\talready has this value; skipped\n"
    )
}

/// `huishen apply demo.huishen FILE --reviewer WHO`, the passphrase on standard input.
fn apply(s: &Scratch, file: &str, who: &str, passphrase: &str) -> assert_cmd::Command {
    let mut cmd = hs(s);
    cmd.args(["apply", DEMO, file, "--reviewer", who])
        .write_stdin(format!("{passphrase}\n"));
    cmd
}

#[test]
fn without_commit_a_batch_shows_what_it_would_change_and_writes_nothing() {
    let s = Scratch::new();
    let ws = demo(&s);
    s.write("fixes.csv", FIXES);
    let before = fingerprint(&ws);
    apply(&s, "fixes.csv", "王五", "wangwu-2017")
        .assert()
        .success()
        .stdout(format!(
            "{}2 corrections would be written; run again with --commit to write them\n",
            listed("fixes.csv")
        ))
        .stderr("");
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn commit_writes_each_row_as_an_audited_correction_with_its_recheck() {
    let s = Scratch::new();
    let ws = demo(&s);
    s.write("fixes.csv", FIXES);
    let events = event_count(&ws);
    apply(&s, "fixes.csv", "王五", "wangwu-2017")
        .arg("--commit")
        .assert()
        .success()
        .stdout(format!(
            "{}wrote 2 corrections as 王五; 2 flags resolved, 0 opened\n",
            listed("fixes.csv")
        ));
    assert_eq!(stored(&ws, PM_KG, "pm_emit_t"), Sql::Real(0.0164));
    assert_eq!(stored(&ws, PM_KG_2, "pm_emit_t"), Sql::Real(0.1111));
    assert_eq!(event_count(&ws), events + 2);
    // Each is a correction like one made on screen: in the record's history with its reason,
    // its flag resolved, the record ready for sign-off.
    let mut wangwu = open(&ws, "王五");
    for (key, old, new) in [(PM_KG, 16.4, 0.0164), (PM_KG_2, 111.1, 0.1111)] {
        let record = rowid(&ws, key);
        let history = wangwu.history(record).unwrap();
        assert_eq!(history.len(), 1, "{key}");
        assert_eq!(
            (history[0].kind.as_str(), history[0].reviewer.as_str()),
            ("correct", "王五")
        );
        assert_eq!(history[0].payload["field"], "pm_emit_t");
        assert_eq!(history[0].payload["old"], old);
        assert_eq!(history[0].payload["new"], new);
        assert_eq!(history[0].payload["reason"], "单位换算错误");
        let status = wangwu.status(record).unwrap();
        assert!(status.failing_errors.is_empty(), "{key}: {status:?}");
        assert!(status.ready(), "{key}");
        assert_eq!(status.version, 1);
    }
    drop(wangwu);
    let mut workspace = Workspace::open(&ws).unwrap();
    let by = common::review::administrator(&workspace);
    let full = workspace.check(&[], &by, &mut |_, _, _| {}).unwrap();
    assert_eq!((full.opened, full.resolved), (0, 0));
    assert_verifies(&s, &ws);

    // Applied again, every row is there already.
    let after = fingerprint(&ws);
    apply(&s, "fixes.csv", "王五", "wangwu-2017")
        .arg("--commit")
        .assert()
        .success()
        .stdout(format!(
            "fixes.csv:2\t{PM_KG}\talready has this value; skipped\n\
             fixes.csv:3\t{PM_KG_2}\talready has this value; skipped\n\
             fixes.csv:4\t{CLEAN_JINAN}\talready has this value; skipped\n\
             wrote 0 corrections as 王五; 0 flags resolved, 0 opened\n"
        ));
    assert_eq!(fingerprint(&ws), after);
}

#[test]
fn a_gbk_batch_file_is_read_like_a_utf8_one() {
    let s = Scratch::new();
    demo(&s);
    let (gbk, _, _) = encoding_rs::GBK.encode(FIXES);
    s.write("fixes.csv", &gbk);
    assert!(std::str::from_utf8(&gbk).is_err());
    apply(&s, "fixes.csv", "王五", "wangwu-2017")
        .assert()
        .success()
        .stdout(format!(
            "{}2 corrections would be written; run again with --commit to write them\n",
            listed("fixes.csv")
        ));
}

#[test]
fn a_wrong_passphrase_applies_nothing() {
    let s = Scratch::new();
    let ws = demo(&s);
    s.write("fixes.csv", FIXES);
    let before = fingerprint(&ws);
    let mut cmd = hs(&s);
    cmd.args(["apply", DEMO, "fixes.csv", "--reviewer", "王五", "--commit"])
        .write_stdin("lisi-2017\nwangwu\nWANGWU-2017\n")
        .assert()
        .failure()
        .stdout("")
        .stderr(
            "wrong passphrase; 2 tries left\n\
             wrong passphrase; 1 try left\n\
             error: wrong passphrase for 王五 three times; nothing was opened\n",
        );
    assert_eq!(fingerprint(&ws), before);
}

/// Each fixture, who applies it, and what `huishen apply --commit` says of it: a row is refused
/// with the words a correction on the screen is refused with, after its file and line.
const TABLE: &[(&str, &str, &str)] = &[
    (
        "unknown-key.csv",
        "王五",
        "error: unknown-key.csv: 1 of 1 rows cannot be applied; nothing was written:\n  \
         unknown-key.csv:2: G101_1 has no record with key `G3702110009999`\n",
    ),
    (
        "unknown-field.csv",
        "王五",
        "error: unknown-field.csv: 1 of 1 rows cannot be applied; nothing was written:\n  \
         unknown-field.csv:2: form G101_1 has no field `pm_emitted`\n",
    ),
    (
        "value-not-a-number.csv",
        "王五",
        "error: value-not-a-number.csv: 1 of 1 rows cannot be applied; nothing was written:\n  \
         value-not-a-number.csv:2: “0.0164吨” is not a number; pm_emit_t is a number\n",
    ),
    (
        "no-reason.csv",
        "王五",
        "error: no-reason.csv: 1 of 1 rows cannot be applied; nothing was written:\n  \
         no-reason.csv:2: a correction needs a reason\n",
    ),
    (
        "corrects-the-key.csv",
        "王五",
        "error: corrects-the-key.csv: 1 of 1 rows cannot be applied; nothing was written:\n  \
         corrects-the-key.csv:2: the key identifies the record and cannot be corrected\n",
    ),
    // CLEAN_QINGDAO is signed by 李四 and 王五 before the table runs.
    (
        "locked-record.csv",
        "王五",
        "error: locked-record.csv: 1 of 1 rows cannot be applied; nothing was written:\n  \
         locked-record.csv:2: record G3702130000008 is signed and locked (by 李四 (市级审核), 王五 \
         (省级审核)); reopen it with a reason before changing it\n",
    ),
    // 张三's scope is 3701: the Jinan row is fine, the Qingdao one is not, and neither is
    // written.
    (
        "outside-scope.csv",
        "张三",
        "error: outside-scope.csv: 1 of 2 rows cannot be applied; nothing was written:\n  \
         outside-scope.csv:3: record G3702110001616 (region 370211) is outside your scope 3701; a \
         reviewer whose scope covers it must act on it\n",
    ),
    (
        "one-bad-row-among-good.csv",
        "王五",
        "error: one-bad-row-among-good.csv: 1 of 3 rows cannot be applied; nothing was written:\n  \
         one-bad-row-among-good.csv:4: “一点二” is not a number; coal_sulfur_pct is a number\n",
    ),
    (
        "no-key-column.csv",
        "王五",
        "error: no-key-column.csv has no `key` column; its header must name key, field, value and \
         reason; nothing was written\n",
    ),
    (
        "extra-cell.csv",
        "王五",
        "error: extra-cell.csv:3: the row has 5 cells but the header has 4 columns; every row \
         needs exactly one cell per column (quote a value that holds a comma); nothing was \
         written\n",
    ),
    (
        "missing-cell.csv",
        "王五",
        "error: missing-cell.csv:2: the row has 3 cells but the header has 4 columns; every row \
         needs exactly one cell per column (quote a value that holds a comma); nothing was \
         written\n",
    ),
    (
        "unterminated-quote.csv",
        "王五",
        "error: unterminated-quote.csv:3: a quoted value opens on this line and never closes (an \
         unterminated quote); close it or remove the stray quote; nothing was written\n",
    ),
    (
        "no-corrections.csv",
        "王五",
        "error: no-corrections.csv has no corrections; nothing was written\n",
    ),
];

#[test]
fn every_bad_batch_file_is_refused_line_by_line_and_writes_nothing() {
    assert_table_covers(
        "batch",
        &TABLE.iter().map(|(name, _, _)| *name).collect::<Vec<_>>(),
    );
    let template = Scratch::new();
    let ws = demo(&template);
    assert!(sign_as(&ws, rowid(&ws, CLEAN_QINGDAO), &["李四", "王五"]));
    let mut mismatches = Mismatches::default();
    for (name, who, message) in TABLE {
        let s = Scratch::new();
        let ws = s.path(DEMO);
        std::fs::copy(template.path(DEMO), &ws).unwrap();
        copy_invalid(&s, "batch", name);
        let (before, files) = (fingerprint(&ws), s.files());
        let passphrase = match *who {
            "张三" => "zhangsan-2017",
            _ => "wangwu-2017",
        };
        let got = run(hs(&s)
            .args(["apply", DEMO, name, "--reviewer", who, "--commit"])
            .write_stdin(format!("{passphrase}\n")));
        mismatches.check(name, "apply --commit", got, Outcome::refused(message));
        mismatches.check(name, "the workspace", fingerprint(&ws), before);
        mismatches.check(name, "the folder", s.files(), files);
    }
    mismatches.assert_none();
}
