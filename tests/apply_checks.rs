//! Batch corrections (`huishen apply`): every row passes the checks a correction on the
//! screen passes, when the file is planned and again when it is written, and a file with any
//! problem writes nothing.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use std::path::PathBuf;

use common::{Scratch, act, fingerprint, huishen, rowid};
use huishen_core::review::{Session, Workspace, read_batch};
use predicates::prelude::*;

const JIYANG: &str = "G3701150000003";
const LAIWU: &str = "G3701160000006";

/// The sample workspace with its team, checked.
fn sample(s: &Scratch) -> PathBuf {
    let ws = s.path("ws.huishen");
    let (mut workspace, by, _, _) = Workspace::demo(&ws).unwrap();
    workspace.check(&[], &by, &mut |_, _, _| {}).unwrap();
    ws
}

/// `huishen apply` as 王五 (passphrase given on standard input).
fn apply(s: &Scratch, file: &str, commit: bool) -> assert_cmd::assert::Assert {
    let mut cmd = huishen();
    cmd.current_dir(s.dir.path())
        .args(["apply", "ws.huishen", file, "--reviewer", "王五"]);
    if commit {
        cmd.arg("--commit");
    }
    cmd.write_stdin("wangwu-2017\n").assert()
}

fn corrections(ws: &std::path::Path) -> i64 {
    rusqlite::Connection::open(ws)
        .unwrap()
        .query_row("SELECT count(*) FROM corrections", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_batch_previews_then_writes_two_fields_of_one_record() {
    let s = Scratch::new();
    let ws = sample(&s);
    s.write(
        "fixes.csv",
        format!(
            "key,field,value,reason\n\
             {JIYANG},unit_name,济阳凯胜热电股份有限公司,企业核实\n\
             {JIYANG},so2_emit_t,19.34987,单位换算错误\n"
        ),
    );
    let before = fingerprint(&ws);
    apply(&s, "fixes.csv", false)
        .success()
        .stdout(predicates::str::contains(
            "2 corrections would be written; run again with --commit to write them",
        ));
    assert_eq!(fingerprint(&ws), before, "a preview writes nothing");
    apply(&s, "fixes.csv", true)
        .success()
        .stdout(predicates::str::contains("wrote 2 corrections as 王五"));
    assert_eq!(corrections(&ws), 2);
    let mut wangwu =
        Session::open(&ws, "王五", common::review::passphrase_of("王五"), None).unwrap();
    let detail = wangwu.record(rowid(&ws, JIYANG)).unwrap().unwrap();
    let shown = |name: &str| {
        detail
            .values
            .iter()
            .find(|v| v.field.name == name)
            .unwrap()
            .text
            .clone()
    };
    assert_eq!(shown("unit_name"), "济阳凯胜热电股份有限公司");
    assert_eq!(shown("so2_emit_t"), "19.34987");
    assert_eq!(detail.status.version, 2);
    assert!(Workspace::open(&ws).unwrap().verify().unwrap().ok());
}

#[test]
fn a_record_another_reviewer_is_on_refuses_the_batch() {
    let s = Scratch::new();
    let ws = sample(&s);
    s.write(
        "fixes.csv",
        format!("key,field,value,reason\n{LAIWU},so2_emit_t,0.0605,企业核实\n"),
    );
    // 李四 is working on the record (and stays on it while the batch runs).
    let mut lisi = Session::open(&ws, "李四", common::review::passphrase_of("李四"), None).unwrap();
    {
        let r = rowid(&ws, LAIWU);
        let seen = lisi.status(r).unwrap().version;
        lisi.open_for_work(r, seen).unwrap();
    }
    let before = fingerprint(&ws);
    apply(&s, "fixes.csv", true).failure().stderr(
        predicates::str::contains(format!("fixes.csv:2: 李四 is working on record {LAIWU}"))
            .and(predicates::str::contains("nothing was written")),
    );
    assert_eq!(fingerprint(&ws), before);
    drop(lisi);
}

#[test]
fn the_same_field_twice_refuses_the_batch() {
    let s = Scratch::new();
    let ws = sample(&s);
    s.write(
        "fixes.csv",
        format!(
            "key,field,value,reason\n\
             {JIYANG},so2_emit_t,19.34987,单位换算错误\n\
             {JIYANG},so2_emit_t,1.934987,单位换算错误\n"
        ),
    );
    let before = fingerprint(&ws);
    apply(&s, "fixes.csv", true)
        .failure()
        .stderr(predicates::str::contains(format!(
            "fixes.csv:3: so2_emit_t of record {JIYANG} is corrected at line 2 already; \
             give each field of a record one row"
        )));
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn a_row_with_the_value_the_field_holds_is_skipped() {
    let s = Scratch::new();
    let ws = sample(&s);
    s.write(
        "fixes.csv",
        format!("key,field,value,reason\n{LAIWU},so2_emit_t,0.0604,企业核实\n"),
    );
    apply(&s, "fixes.csv", true)
        .success()
        .stdout(predicates::str::contains(format!(
            "fixes.csv:2\t{LAIWU}\talready has this value; skipped"
        )))
        .stdout(predicates::str::contains("wrote 0 corrections"));
    assert_eq!(corrections(&ws), 0);
}

#[test]
fn a_record_changed_between_the_plan_and_the_write_refuses_the_batch() {
    let s = Scratch::new();
    let ws = sample(&s);
    let file = s.write(
        "fixes.csv",
        format!(
            "key,field,value,reason\n\
             {JIYANG},unit_name,济阳凯胜热电股份有限公司,企业核实\n\
             {LAIWU},so2_emit_t,0.0605,企业核实\n"
        ),
    );
    let rows = read_batch(&file).unwrap();
    let mut wangwu =
        Session::open(&ws, "王五", common::review::passphrase_of("王五"), None).unwrap();
    let plan = wangwu.plan_batch("fixes.csv", &rows).unwrap();
    assert_eq!(plan.changes.len(), 2);
    // 李四 adds a note to the second record after the plan was made.
    act(&ws, "李四", LAIWU, |s, r, v| s.note(r, v, "企业已核实"));
    let before = fingerprint(&ws);
    let err = wangwu.apply_batch(&plan).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("line 3: record {LAIWU} was changed by 李四 at")),
        "{err}"
    );
    assert!(
        err.ends_with("the batch was checked before this happened, so nothing was written"),
        "{err}"
    );
    assert_eq!(
        fingerprint(&ws),
        before,
        "the first row was not written either"
    );
}
