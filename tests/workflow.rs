//! The review workflow end to end, on the demo workspace (the Shandong sample, the census rules
//! checked, the team 张三 / 李四 / 王五): every bad input is refused with a clear message and
//! changes nothing; every policy rule holds; a record goes from flagged to locked and back;
//! undo takes back exactly one's own last action; `verify` passes on an honest workspace and
//! names what was tampered with otherwise; and random sequences of actions by the whole team
//! leave the flags a full check gives and an audit trail that verifies.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use common::{Scratch, fingerprint, huishen, rowid};
use huishen_core::Error;
use huishen_core::domain::EventKind;
use huishen_core::domain::Severity;
use huishen_core::review::Session;
use huishen_core::review::{Direction, QueueFilter, QueueRow, Workspace};
use predicates::str::contains;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use rusqlite::types::Value as Sql;

/// The workspace every test works on, inside its scratch folder.
const WS: &str = "ws.huishen";

// Records of the sample (keys from the defects table of sample-data/README.md).
/// R15: PM emitted entered in kg (16.4 for 0.0164 t); region 370211 (Qingdao); only that flag.
const PM_KG: &str = "G3702110001616";
/// R15 as well; region 370214.
const PM_KG_2: &str = "G3702140001937";
/// R21 (warning): cement kiln, SO2 far below the coal sulphur balance; region 371425.
const KILN: &str = "G3714250000019";
/// R20 (error) and R21 (warning): fuel coal burned with SO2 0; region 370704.
const COAL_NO_SO2: &str = "G3707040000041";
/// R22: wastewater discharged without receiving water; region 370105, inside 张三's 3701.
const NO_RIVER: &str = "G3701050000066";
/// R19: fuel coal without its sulphur content; region 370102, inside 3701.
const NO_SULPHUR: &str = "G3701020000108";
/// R29 (warning): SO2 intensity far above its division's peers; region 370105.
const OUTLIER: &str = "G3701050000123";
/// No flag at all; region 370115 (inside 3701).
const CLEAN_JINAN: &str = "G3701150000003";
/// No flag at all; region 370116 (inside 3701).
const CLEAN_JINAN_2: &str = "G3701160000006";
/// No flag at all; region 370213 (Qingdao, outside 3701).
const CLEAN_QINGDAO: &str = "G3702130000008";
/// R04 and R05: a Jiangsu border county (320722), outside Shandong.
const JIANGSU: &str = "G3207220000145";
/// R27 pair: the same credit code twice in county 371703.
const TWICE_A: &str = "G3717030000109";
const TWICE_B: &str = "G3717030000110";

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// The demo workspace, built once per test run with the binary and copied into each test's
/// scratch folder (building it takes a second; copying it, a millisecond).
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        // Templates of earlier runs that are more than an hour old are litter.
        if let Ok(entries) = std::fs::read_dir(root) {
            for entry in entries.flatten() {
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| SystemTime::now().duration_since(t).ok())
                    .is_some_and(|age| age > Duration::from_secs(3600));
                if old && entry.file_name().to_string_lossy().starts_with("workflow-") {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = root.join(format!("workflow-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let ws = dir.join("demo.huishen");
        huishen()
            .arg("demo")
            .arg("--workspace")
            .arg(&ws)
            .assert()
            .success()
            .stdout(contains("rule set 1: 314 flags opened, 0 resolved"));
        assert!(
            !dir.join("demo.huishen-wal").exists(),
            "the template must be whole in one file to be copied"
        );
        ws
    })
}

/// A fresh copy of the demo workspace at `WS` in the scratch folder.
fn demo(s: &Scratch) -> PathBuf {
    let ws = s.path(WS);
    std::fs::copy(template(), &ws).unwrap();
    ws
}

/// The binary, run in the scratch folder so that messages name the workspace as `ws.huishen`.
fn hs(s: &Scratch) -> assert_cmd::Command {
    let mut cmd = huishen();
    cmd.current_dir(s.dir.path());
    cmd
}

/// A review session of a team member (the passphrase is the screen's business).
fn open(ws: &Path, reviewer: &str) -> Session {
    Session::open(ws, reviewer, None).unwrap()
}

/// A record's queue line, found the way the screen finds it: searching the queue.
fn find_in_queue(session: &Session, key: &str) -> Option<QueueRow> {
    let filter = QueueFilter {
        search: Some(key.to_string()),
        ..QueueFilter::default()
    };
    session
        .window(&filter, None, Direction::Forward, 10)
        .unwrap()
        .into_iter()
        .find(|row| row.key == key)
}

/// One stored value, read with rusqlite.
fn stored(ws: &Path, key: &str, field: &str) -> Sql {
    let conn = rusqlite::Connection::open(ws).unwrap();
    conn.query_row(
        &format!("SELECT {field} FROM G101_1 WHERE record_id = ?1"),
        [key],
        |r| r.get(0),
    )
    .unwrap()
}

/// The version of a record the reviewer sees now.
fn seen(session: &mut Session, record: i64) -> i64 {
    session.status(record).unwrap().version
}

/// The text of a refusal; anything else fails the test.
fn refusal<T: std::fmt::Debug>(result: huishen_core::Result<T>) -> String {
    match result {
        Err(Error::Refused(text)) => text,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// (rule, state) of every flag line of a record.
fn flag_states(session: &mut Session, record: i64) -> Vec<(String, String)> {
    session
        .record(record)
        .unwrap()
        .unwrap()
        .flags
        .into_iter()
        .map(|f| (f.rule, f.state.as_str().to_string()))
        .collect()
}

/// The displayed text of one field of a record.
fn shown(session: &mut Session, record: i64, field: &str) -> String {
    session
        .record(record)
        .unwrap()
        .unwrap()
        .values
        .into_iter()
        .find(|v| v.field.name == field)
        .unwrap()
        .text
}

/// How many flagged records still have an open flag.
fn still_open(session: &Session) -> u64 {
    session.progress().unwrap().open
}

/// How many queue lines have an open error.
fn with_errors(session: &Session) -> u64 {
    let filter = QueueFilter {
        severity: Some(Severity::Error),
        ..QueueFilter::default()
    };
    session.count(&filter).unwrap()
}

/// Runs the sqlite3 command-line shell on the workspace.
fn sqlite3(ws: &Path, sql: &str) -> std::process::Output {
    std::process::Command::new("sqlite3")
        .arg(ws)
        .arg(sql)
        .output()
        .expect("the sqlite3 command-line shell")
}

/// Runs sqlite3 and insists that it succeeded.
fn sqlite3_ok(ws: &Path, sql: &str) {
    let out = sqlite3(ws, sql);
    assert!(
        out.status.success(),
        "sqlite3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// How many events the audit trail holds.
fn event_count(ws: &Path) -> i64 {
    let conn = rusqlite::Connection::open(ws).unwrap();
    conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap()
}

/// `at` of an event.
fn event_at(ws: &Path, id: i64) -> String {
    let conn = rusqlite::Connection::open(ws).unwrap();
    conn.query_row("SELECT at FROM events WHERE id = ?1", [id], |r| r.get(0))
        .unwrap()
}

/// What `huishen verify` prints for an audit trail of `events` events that holds, with every
/// standing signature matching.
fn verified(events: i64) -> String {
    format!(
        "audit trail: {events} events, every one linked to the one before and unchanged\n\
         signatures: every standing signature matches its record\n"
    )
}

/// `huishen verify` passes on the workspace and counts every event in it.
fn assert_verifies(s: &Scratch, ws: &Path) {
    let n = event_count(ws);
    hs(s)
        .args(["verify", WS])
        .assert()
        .success()
        .stdout(verified(n));
}

const DOES_NOT_VERIFY: &str = "error: ws.huishen does not verify: it was changed outside huishen; restore it from a backup and compare\n";

/// Registers a reviewer with the binary, the passphrase on standard input.
fn add_reviewer(s: &Scratch, name: &str, role: &str, scope: &str, passphrase: &str) {
    let mut cmd = hs(s);
    cmd.args(["reviewer", "add", WS, name, "--role", role]);
    if !scope.is_empty() {
        cmd.args(["--scope", scope]);
    }
    let where_ = if scope.is_empty() {
        "everywhere"
    } else {
        scope
    };
    cmd.write_stdin(format!("{passphrase}\n"))
        .assert()
        .success()
        .stdout(format!("added reviewer {name} ({role}), scope {where_}\n"));
}

/// `huishen policy` as the table it prints.
fn policy_table(signatures: i64, distinct_roles: bool, four_eyes: bool) -> String {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    format!(
        "signatures required: {signatures}\ndistinct roles:      {}\nfour eyes:           {}\n\
         claims lapse after:  10 minutes\n",
        yes_no(distinct_roles),
        yes_no(four_eyes)
    )
}

/// The reviewer leaves the record they worked on (as the screen does on moving on or exit):
/// their claim on it ends, so that others may act on it.
fn leave(session: &Session) {
    session.release().unwrap();
}

/// Signs a record as each of `signers` in turn, each seeing its current version and leaving
/// it after signing.
fn sign_as(ws: &Path, record: i64, signers: &[&str]) -> bool {
    let mut locked = false;
    for who in signers {
        let mut session = open(ws, who);
        let v = seen(&mut session, record);
        locked = session.sign(record, v).unwrap();
        leave(&session);
    }
    locked
}

/// What an action says while another reviewer holds the record.
fn working_on(who: &str, key: &str, since: &str) -> String {
    format!(
        "{who} is working on record {key} (since {}); you may read it, or take it over (T) if you must",
        hh_mm(since)
    )
}

/// When the reviewer's claim on a record began.
fn claimed_since(ws: &Path, who: &str) -> String {
    let conn = rusqlite::Connection::open(ws).unwrap();
    conn.query_row("SELECT since FROM claims WHERE reviewer = ?1", [who], |r| {
        r.get(0)
    })
    .unwrap()
}

/// An event's time as messages give it: `2026-11-29T14:03:07.123Z` as `14:03`.
fn hh_mm(at: &str) -> &str {
    &at[11..16]
}

/// What the `begin` of every action says about a record outside the reviewer's scope.
fn outside(key: &str, region: &str, scope: &str) -> String {
    format!(
        "record {key} (region {region}) is outside your scope {scope}; a reviewer whose scope covers it must act on it"
    )
}

fn locked_by(key: &str, signers: &str) -> String {
    format!(
        "record {key} is signed and locked (by {signers}); reopen it with a reason before changing it"
    )
}

// ---------------------------------------------------------------------------------------
// 1. Bad input is refused with a clear message and changes nothing
// ---------------------------------------------------------------------------------------

#[test]
fn a_value_of_the_wrong_type_is_refused() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, PM_KG);
    let mut lisi = open(&ws, "李四");
    let before = fingerprint(&ws);

    let cases = [
        (
            "pm_emit_t",
            "abc",
            "“abc” is not a number; pm_emit_t is a number",
        ),
        (
            "pm_emit_t",
            "1,640",
            "“1,640” is not a number (thousands separators are not accepted); pm_emit_t is a number",
        ),
        (
            "pm_emit_t",
            "１６.４",
            "“１６.４” is not a number (it has full-width characters; use ASCII digits); pm_emit_t is a number",
        ),
        (
            "pm_emit_t",
            "NaN",
            "“NaN” is not a number; pm_emit_t is a number",
        ),
        (
            "open_year",
            "2017.5",
            "“2017.5” is not a whole number; open_year is a whole number",
        ),
        (
            "has_gas_treatment",
            "maybe",
            "“maybe” is not yes or no (use 1/0, true/false, yes/no or 是/否); has_gas_treatment is yes or no (1/0)",
        ),
    ];
    for (field, text, message) in cases {
        assert_eq!(
            refusal(lisi.correct(rec, 0, field, text, "单位换算错误")),
            message,
            "{field} = {text}"
        );
    }
    assert_eq!(
        refusal(lisi.correct(rec, 0, "record_id", "G3702110009999", "录入错误")),
        "the key identifies the record and cannot be corrected"
    );
    assert_eq!(
        refusal(lisi.correct(rec, 0, "pm_emit_t", "16.4", "录入错误")),
        "pm_emit_t of record G3702110001616 is 16.4 already; nothing was written"
    );
    match lisi.correct(rec, 0, "pm_emitted", "0.0164", "单位换算错误") {
        Err(e @ Error::UnknownField { .. }) => {
            assert_eq!(e.to_string(), "form G101_1 has no field `pm_emitted`")
        }
        other => panic!("expected an unknown field, got {other:?}"),
    }
    assert_eq!(fingerprint(&ws), before);
    assert_eq!(stored(&ws, PM_KG, "pm_emit_t"), Sql::Real(16.4));
    assert_eq!(lisi.status(rec).unwrap().version, 0);
}

/// Clearing a field that is empty already changes nothing, and says so in words.
#[test]
fn clearing_an_empty_field_says_it_is_empty_already() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, NO_RIVER);
    assert_eq!(stored(&ws, NO_RIVER, "receiving_water"), Sql::Null);
    let mut lisi = open(&ws, "李四");
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(lisi.correct(rec, 0, "receiving_water", "", "企业核实")),
        format!("receiving_water of record {NO_RIVER} is empty already; nothing was written")
    );
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn an_empty_reason_or_text_is_refused() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, KILN);
    let clean = rowid(&ws, CLEAN_QINGDAO);
    let mut wangwu = open(&ws, "王五");
    assert!(sign_as(&ws, clean, &["李四", "王五"]));
    let before = fingerprint(&ws);
    let v = seen(&mut wangwu, clean);

    assert_eq!(
        refusal(wangwu.correct(rec, 0, "so2_gen_t", "20", "")),
        "a correction needs a reason"
    );
    assert_eq!(
        refusal(wangwu.correct(rec, 0, "so2_gen_t", "20", " \n\t ")),
        "a correction needs a reason"
    );
    assert_eq!(
        refusal(wangwu.explain(rec, 0, "R21", "   ")),
        "an explanation needs text: say why the value is right"
    );
    assert_eq!(refusal(wangwu.note(rec, 0, "\n")), "a note needs text");
    assert_eq!(
        refusal(wangwu.reopen(clean, v, "  ")),
        "reopening a signed record needs a reason"
    );
    assert_eq!(fingerprint(&ws), before);
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
            &at[11..16]
        )
    );
    assert_eq!(fingerprint(&ws), before);
    // Even with distinct roles off and one signature enough, one person cannot sign twice.
    hs(&s)
        .args(["policy", WS, "--distinct-roles", "no"])
        .assert()
        .success();
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(lisi.sign(rec, 1)),
        format!(
            "record {CLEAN_QINGDAO} cannot be signed: you signed it already at {}",
            &at[11..16]
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
fn an_error_cannot_be_explained() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, PM_KG);
    let mut lisi = open(&ws, "李四");
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(lisi.explain(rec, 0, "R15", "企业确认颗粒物排放量无误")),
        "R15 is an error: errors must be corrected, not explained"
    );
    assert_eq!(
        refusal(lisi.explain(rec, 0, "R21", "燃料中含固硫剂")),
        "rule R21 does not flag record G3702110001616; there is nothing to explain"
    );
    assert_eq!(
        refusal(lisi.explain(rec, 0, "R99", "燃料中含固硫剂")),
        "rule R99 does not flag record G3702110001616; there is nothing to explain"
    );
    assert_eq!(fingerprint(&ws), before);
    assert_eq!(lisi.status(rec).unwrap().failing_errors, ["R15"]);
}

#[test]
fn a_reviewer_cannot_act_outside_their_scope() {
    let s = Scratch::new();
    let ws = demo(&s);
    let qingdao = rowid(&ws, PM_KG);
    let jiangsu = rowid(&ws, JIANGSU);
    let clean_qingdao = rowid(&ws, CLEAN_QINGDAO);
    assert!(sign_as(&ws, clean_qingdao, &["李四", "王五"]));
    let v_clean = 2;
    let mut zhangsan = open(&ws, "张三");
    let before = fingerprint(&ws);

    let message = outside(PM_KG, "370211", "3701");
    assert_eq!(
        refusal(zhangsan.correct(qingdao, 0, "pm_emit_t", "0.0164", "单位换算错误")),
        message
    );
    assert_eq!(
        refusal(zhangsan.explain(qingdao, 0, "R15", "企业确认")),
        message
    );
    assert_eq!(refusal(zhangsan.note(qingdao, 0, "待核实")), message);
    assert_eq!(refusal(zhangsan.sign(qingdao, 0)), message);
    assert_eq!(refusal(zhangsan.undo(qingdao, 0)), message);
    assert_eq!(
        refusal(zhangsan.reopen(clean_qingdao, v_clean, "企业更正")),
        outside(CLEAN_QINGDAO, "370213", "3701")
    );
    // 李四's scope is Shandong (37): a Jiangsu record is outside it.
    let mut lisi = open(&ws, "李四");
    assert_eq!(
        refusal(lisi.note(jiangsu, 0, "应移交江苏")),
        outside(JIANGSU, "320722", "37")
    );
    assert_eq!(fingerprint(&ws), before);

    // Inside the scope the same actions are accepted; 王五's scope is everywhere.
    let jinan = rowid(&ws, NO_RIVER);
    zhangsan.note(jinan, 0, "已联系企业").unwrap();
    lisi.note(qingdao, 0, "疑似千克误填为吨").unwrap();
    let mut wangwu = open(&ws, "王五");
    wangwu.note(jiangsu, 0, "应移交江苏省").unwrap();
}

#[test]
fn a_reviewer_who_moves_a_record_out_of_their_scope_can_no_longer_act_on_it() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, CLEAN_JINAN);
    let mut zhangsan = open(&ws, "张三");
    zhangsan
        .correct(rec, 0, "region_code", "370213", "区划调整")
        .unwrap();
    let before = fingerprint(&ws);
    assert_eq!(
        refusal(zhangsan.undo(rec, 1)),
        outside(CLEAN_JINAN, "370213", "3701")
    );
    assert_eq!(fingerprint(&ws), before);
    // 李四 (Shandong) can take it back once 张三 has left it.
    leave(&zhangsan);
    let mut lisi = open(&ws, "李四");
    lisi.correct(rec, 1, "region_code", "370115", "区划调整")
        .unwrap();
    assert_eq!(
        stored(&ws, CLEAN_JINAN, "region_code"),
        Sql::Text("370115".into())
    );
}

#[test]
fn three_wrong_passphrases_open_nothing() {
    let s = Scratch::new();
    let ws = demo(&s);
    let before = fingerprint(&ws);
    hs(&s)
        .args(["review", WS, "--reviewer", "李四"])
        // Another member's passphrase, the right one in capitals, the right one with a space.
        .write_stdin("wangwu-2017\nLISI-2017\nlisi-2017 \n")
        .assert()
        .failure()
        .code(1)
        .stderr(contains("wrong passphrase; 2 tries left\n"))
        .stderr(contains(
            "error: wrong passphrase for 李四 three times; nothing was opened\n",
        ))
        .stdout("");
    hs(&s)
        .args(["review", WS, "--reviewer", "王五"])
        .write_stdin("a\nb\nc\n")
        .assert()
        .failure()
        .code(1)
        .stderr(contains(
            "error: wrong passphrase for 王五 three times; nothing was opened\n",
        ));
    // Standard input that ends early counts as wrong answers.
    hs(&s)
        .args(["review", WS, "--reviewer", "张三"])
        .write_stdin("")
        .assert()
        .failure()
        .code(1)
        .stderr(contains(
            "error: wrong passphrase for 张三 three times; nothing was opened\n",
        ));
    hs(&s)
        .args(["review", WS, "--reviewer", "赵六"])
        .write_stdin("zhaoliu-2017\n")
        .assert()
        .failure()
        .code(1)
        .stderr(
            "error: there is no reviewer 赵六 in ws.huishen; add one with `huishen reviewer add ws.huishen 赵六 --role ROLE`\n",
        );
    assert_eq!(fingerprint(&ws), before);
}

/// What a reviewer reads after each wrong passphrase, word for word.
#[test]
fn the_passphrase_prompt_counts_the_tries_left_in_plain_words() {
    let s = Scratch::new();
    demo(&s);
    hs(&s)
        .args(["review", WS, "--reviewer", "李四"])
        .write_stdin("a\nb\nc\n")
        .assert()
        .failure()
        .stderr(
            "wrong passphrase; 2 tries left\n\
             wrong passphrase; 1 try left\n\
             error: wrong passphrase for 李四 three times; nothing was opened\n",
        );
}

#[test]
fn a_reviewer_needs_a_passphrase_of_six_characters() {
    let s = Scratch::new();
    let ws = demo(&s);
    let before = fingerprint(&ws);
    hs(&s)
        .args(["reviewer", "add", WS, "赵六", "--role", "统计部门"])
        .write_stdin("12345\n")
        .assert()
        .failure()
        .stderr(
            "error: the passphrase is too short: use at least 6 characters; nothing was changed\n",
        );
    hs(&s)
        .args(["reviewer", "add", WS, "李四", "--role", "统计部门"])
        .write_stdin("lisi-2018\n")
        .assert()
        .failure()
        .stderr("error: reviewer 李四 exists already\n");
    hs(&s)
        .args([
            "reviewer",
            "add",
            WS,
            "赵六",
            "--role",
            "统计部门",
            "--scope",
            "济南",
        ])
        .write_stdin("zhaoliu-2017\n")
        .assert()
        .failure()
        .stderr("error: the scope `济南` is not a division-code prefix (digits, e.g. 3703); nothing was changed\n");
    assert_eq!(fingerprint(&ws), before);
}

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
        &at[11..16]
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

// ---------------------------------------------------------------------------------------
// 2. The policy
// ---------------------------------------------------------------------------------------

#[test]
fn the_policy_says_how_many_signatures_lock_a_record() {
    let s = Scratch::new();
    let ws = demo(&s);
    hs(&s)
        .args(["policy", WS])
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
        .args(["policy", WS, "--signatures", "1"])
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
        .args(["policy", WS, "--signatures", "0"])
        .assert()
        .failure()
        .code(1)
        .stderr("error: a record needs at least one signature\n");
    hs(&s)
        .args(["policy", WS, "--four-eyes", "perhaps"])
        .assert()
        .failure()
        .code(2);
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
        .args(["policy", WS, "--distinct-roles", "no"])
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
        .args(["policy", WS, "--distinct-roles", "yes"])
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
            "record {NO_RIVER} cannot be signed: four eyes: you are the only one who corrected it, so someone else must give the last signature"
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
        .args(["policy", WS, "--signatures", "1"])
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
        .args(["policy", WS, "--four-eyes", "no"])
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

// ---------------------------------------------------------------------------------------
// 3. The lifecycle
// ---------------------------------------------------------------------------------------

#[test]
fn a_record_goes_from_flagged_to_locked_and_back() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut lisi = open(&ws, "李四");
    let mut wangwu = open(&ws, "王五");
    let progress = lisi.progress().unwrap();
    assert_eq!(
        (progress.flagged, progress.open, progress.signed),
        (296, 296, 0)
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
    assert_eq!(still_open(&lisi), 295);
    assert_eq!(with_errors(&lisi), errors - 1);
    assert_eq!(lisi.progress().unwrap().flagged, 296);
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
    assert_eq!(still_open(&lisi), 295);

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

// ---------------------------------------------------------------------------------------
// 4. Undo
// ---------------------------------------------------------------------------------------

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
fn undo_of_the_locking_signature_unlocks() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, CLEAN_QINGDAO);
    assert!(sign_as(&ws, rec, &["李四", "王五"]));
    let mut wangwu = open(&ws, "王五");
    assert!(wangwu.status(rec).unwrap().locked);
    let undone = wangwu.undo(rec, 2).unwrap();
    assert_eq!(undone.kind, EventKind::Sign);
    let status = wangwu.status(rec).unwrap();
    assert!(!status.locked);
    assert_eq!(
        status.signatures,
        [("李四".to_string(), "市级审核".to_string())]
    );
    let history = wangwu.history(rec).unwrap();
    assert_eq!(history[0].kind, EventKind::Undo);
    assert_eq!(history[1].kind, EventKind::Sign);
    assert_eq!(history[1].undone_by, Some(history[0].id));
    assert_eq!(history[2].undone_by, None);
    // It can be signed again, and locks again.
    assert!(wangwu.sign(rec, 3).unwrap());
    assert_verifies(&s, &ws);
}

// ---------------------------------------------------------------------------------------
// 5. Signatures are bound to the values they signed
// ---------------------------------------------------------------------------------------

/// 李四 signs a ready record first; then 王五 corrects one of its values. 李四 signed other
/// values than the record now holds, so his signature may not count toward the lock (or the
/// correction must be refused while it stands), and `verify` must pass on this honest
/// workspace.
#[test]
fn a_correction_after_a_first_signature_does_not_leave_a_stale_signature() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = rowid(&ws, CLEAN_QINGDAO);
    let mut lisi = open(&ws, "李四");
    let mut wangwu = open(&ws, "王五");
    assert!(!lisi.sign(rec, 0).unwrap());
    leave(&lisi);
    match wangwu.correct(rec, 1, "unit_name", "青岛某某机械有限公司", "企业核实") {
        Ok(_) => {
            let status = wangwu.status(rec).unwrap();
            assert!(
                status.signatures.is_empty(),
                "李四's signature of the old values still stands: {:?}",
                status.signatures
            );
            // 王五 corrected it, so his signature cannot be the last; 李四's must be given anew.
            let v = status.version;
            assert!(!wangwu.sign(rec, v).unwrap());
            leave(&wangwu);
            assert!(lisi.sign(rec, v + 1).unwrap());
        }
        // Refusing the correction while a signature stands would do as well.
        Err(Error::Refused(why)) => assert!(why.contains("sign"), "{why}"),
        Err(other) => panic!("{other}"),
    }
    assert_verifies(&s, &ws);
}

// ---------------------------------------------------------------------------------------
// 6. verify
// ---------------------------------------------------------------------------------------

/// A day's work on the demo workspace by the whole team, through every kind of action.
/// Returns the rowid of a locked record and the ids of its two signature events.
fn a_days_work(s: &Scratch, ws: &Path) -> (i64, i64, i64) {
    add_reviewer(s, "赵六", "统计部门", "", "zhaoliu-2017");
    hs(s)
        .args(["policy", WS, "--four-eyes", "yes"])
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
        .args(["verify", WS])
        .assert()
        .success()
        .stdout(verified(3));
    a_days_work(&s, &ws);
    let n = event_count(&ws);
    assert!(n >= 20, "{n} events");
    hs(&s)
        .args(["verify", WS])
        .assert()
        .success()
        .stdout(verified(n));
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
        .args(["verify", WS])
        .assert()
        .failure()
        .code(1)
        .stdout(format!(
            "audit trail BROKEN: event #{id} (correct by 李四 at {at}) was changed after it was written: its content no longer matches its hash\n\
             signatures: every standing signature matches its record\n"
        ))
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
        .args(["verify", WS])
        .assert()
        .failure()
        .code(1)
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
        .args(["verify", WS])
        .assert()
        .failure()
        .code(1)
        .stdout(predicates::str::starts_with(format!(
            "audit trail BROKEN: event #{} ({kind} by {reviewer} at {at}) does not follow event #{}: the events between them were deleted\n",
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
        .args(["verify", WS])
        .assert()
        .failure()
        .code(1)
        .stdout(contains(format!(
            "audit trail BROKEN: event #2 (reviewer_add by tester at {at}) is not the first event written: earlier events were deleted\n"
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
        .args(["verify", WS])
        .assert()
        .failure()
        .code(1)
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
        .args(["verify", WS])
        .assert()
        .failure()
        .code(1)
        .stdout(predicates::str::starts_with(format!(
            "audit trail BROKEN: event #{a} ({kind} by {reviewer} at {at}) does not link to event #{}: events were deleted, inserted or reordered\n",
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
        .args(["verify", WS])
        .assert()
        .failure()
        .code(1)
        .stdout(format!(
            "audit trail: {n} events, every one linked to the one before and unchanged\n\
             signatures that no longer match their record:\n  \
             G101_1/{CLEAN_QINGDAO}: signed by 李四 (event #{signed_a}), but its values have changed since\n  \
             G101_1/{CLEAN_QINGDAO}: signed by 王五 (event #{signed_b}), but its values have changed since\n"
        ))
        .stderr(DOES_NOT_VERIFY);
    // Putting the value back makes the signatures match again.
    sqlite3_ok(
        &ws,
        &format!(
            "UPDATE G101_1 SET output_value_10k_yuan = output_value_10k_yuan / 10 WHERE record_id = '{CLEAN_QINGDAO}'"
        ),
    );
    hs(&s)
        .args(["verify", WS])
        .assert()
        .success()
        .stdout(verified(n));
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
        .args(["verify", WS])
        .assert()
        .failure()
        .code(1)
        .stdout(contains(format!("G101_1/{CLEAN_QINGDAO}")))
        .stderr(DOES_NOT_VERIFY);
}

// ---------------------------------------------------------------------------------------
// 7. Random work by the whole team
// ---------------------------------------------------------------------------------------

const TEAM: [&str; 3] = ["张三", "李四", "王五"];

/// The records the random actions touch: first five that are ready or one step from it (three
/// clean, a warning to explain, a unit error to divide by 1000), which the actions favour so
/// that records get signed, locked and reopened; then seeded defects of several kinds (two in
/// 张三's 3701, one in Jiangsu, a cross-record pair, a peer outlier).
const POOL: [&str; 13] = [
    CLEAN_JINAN,
    CLEAN_JINAN_2,
    CLEAN_QINGDAO,
    KILN,
    PM_KG,
    PM_KG_2,
    COAL_NO_SO2,
    NO_RIVER,
    NO_SULPHUR,
    OUTLIER,
    JIANGSU,
    TWICE_A,
    TWICE_B,
];
const NEARLY_READY: usize = 5;

#[derive(Debug, Clone, Copy)]
enum Kind {
    Real,
    Text,
}

/// Fields the random corrections change: those the seeded rules read, the credit code (which
/// R27/R28 compare across records) and the region (which moves records in and out of scope).
/// The unit name, which no rule reads, keeps a ready record ready.
const FIELDS: [(&str, Kind); 11] = [
    ("unit_name", Kind::Text),
    ("pm_emit_t", Kind::Real),
    ("pm_gen_t", Kind::Real),
    ("so2_gen_t", Kind::Real),
    ("fuel_coal_t", Kind::Real),
    ("coal_sulfur_pct", Kind::Real),
    ("receiving_water", Kind::Text),
    ("credit_code", Kind::Text),
    ("region_code", Kind::Text),
    ("output_value_10k_yuan", Kind::Real),
    ("so2_emit_t", Kind::Real),
];

#[derive(Debug, Clone)]
enum NewValue {
    /// The value the same field holds in another record of the pool.
    FromRecord(usize),
    /// One of five changes of the current value.
    Perturb(usize),
}

#[derive(Debug, Clone)]
enum Act {
    Correct {
        field: usize,
        value: NewValue,
    },
    Explain,
    Note,
    Sign,
    Reopen,
    Undo,
    /// The reviewer leaves the record they hold (moves on, or quits).
    Leave,
    /// The reviewer takes the record over from whoever holds it.
    TakeOver,
}

#[derive(Debug, Clone)]
struct Action {
    who: usize,
    record: usize,
    act: Act,
    /// Act on the version before the current one, as a reviewer who has not looked again
    /// (for the actions that name the version they saw).
    stale: bool,
}

fn an_action() -> impl Strategy<Value = Action> {
    let value = prop_oneof![
        (0..POOL.len()).prop_map(NewValue::FromRecord),
        (0..5usize).prop_map(NewValue::Perturb),
    ];
    let act = prop_oneof![
        4 => (0..FIELDS.len(), value).prop_map(|(field, value)| Act::Correct { field, value }),
        2 => Just(Act::Explain),
        1 => Just(Act::Note),
        5 => Just(Act::Sign),
        1 => Just(Act::Reopen),
        2 => Just(Act::Undo),
        2 => Just(Act::Leave),
        1 => Just(Act::TakeOver),
    ];
    let record = prop_oneof![3 => 0..NEARLY_READY, 2 => 0..POOL.len()];
    // 张三's scope (3701) covers few records of the pool: he acts less often.
    let who = prop_oneof![1 => Just(0usize), 2 => Just(1usize), 2 => Just(2usize)];
    (who, record, act, prop::bool::weighted(0.1)).prop_map(|(who, record, act, stale)| Action {
        who,
        record,
        act,
        stale,
    })
}

fn perturb(kind: Kind, current: &Sql, k: usize) -> String {
    match kind {
        Kind::Real => {
            let x = match current {
                Sql::Real(x) => *x,
                Sql::Integer(i) => *i as f64,
                _ => 0.0,
            };
            [x / 1000.0, x * 1000.0, 0.0, x + 0.5, x * 0.4][k].to_string()
        }
        Kind::Text => {
            let t = match current {
                Sql::Text(t) => t.clone(),
                _ => String::new(),
            };
            [
                String::new(),
                format!("{t}X"),
                "370105".to_string(),
                "小清河".to_string(),
                t.chars().rev().collect(),
            ][k]
                .clone()
        }
    }
}

/// What any action could change, cheaply: the audit trail and the tables that index it, every
/// record's state, every flag and the pool's records. (The full `fingerprint` reads every
/// table, which takes too long to do before every random action.)
fn trail_fingerprint(conn: &rusqlite::Connection, records: &[i64]) -> String {
    let mut out = String::new();
    let queries = [
        "SELECT id, hash FROM events ORDER BY id".to_string(),
        "SELECT * FROM record_state ORDER BY form, record".to_string(),
        "SELECT id, record, rule, state, outcome FROM flags ORDER BY id".to_string(),
        "SELECT * FROM corrections ORDER BY event".to_string(),
        "SELECT * FROM explanations ORDER BY event".to_string(),
        "SELECT * FROM notes ORDER BY event".to_string(),
        "SELECT * FROM signatures ORDER BY event".to_string(),
        "SELECT * FROM queue ORDER BY form, record".to_string(),
        "SELECT * FROM policy".to_string(),
        "SELECT * FROM claims ORDER BY form, record".to_string(),
        format!(
            "SELECT * FROM G101_1 WHERE rowid IN ({}) ORDER BY rowid",
            records
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    for sql in &queries {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..n {
                let v: Sql = row.get(i).unwrap();
                out.push_str(&format!("{v:?}|"));
            }
            out.push('\n');
        }
    }
    out
}

fn as_text(v: &Sql) -> String {
    match v {
        Sql::Null => String::new(),
        Sql::Integer(i) => i.to_string(),
        Sql::Real(x) => x.to_string(),
        Sql::Text(t) => t.clone(),
        Sql::Blob(_) => unreachable!("no blobs in G101_1"),
    }
}

/// The seed of the random sequences unless PROPTEST_RNG_SEED says otherwise.
const SEED: u64 = 1;

#[test]
fn random_work_by_the_team_leaves_the_flags_a_full_check_gives_and_a_trail_that_verifies() {
    let s = Scratch::new();
    let records: Vec<i64> = POOL.iter().map(|k| rowid(template(), k)).collect();
    // The same sixteen sequences every run, so that a failure is there on the next run too;
    // PROPTEST_RNG_SEED=<n> explores others.
    let defaults = Config::default();
    let rng_seed = match defaults.rng_seed {
        RngSeed::Random => RngSeed::Fixed(SEED),
        given => given,
    };
    let mut runner = TestRunner::new(Config {
        cases: 16,
        failure_persistence: None,
        rng_seed,
        ..defaults
    });
    let case = std::cell::Cell::new(0);
    runner
        .run(&prop::collection::vec(an_action(), 1..=24), |actions| {
            case.set(case.get() + 1);
            let path = s.path(&format!("case-{}.huishen", case.get()));
            std::fs::copy(template(), &path).unwrap();
            let mut team: Vec<Session> = TEAM.iter().map(|who| open(&path, who)).collect();
            let conn = rusqlite::Connection::open(&path).unwrap();
            let value_of = |record: i64, field: &str| -> Sql {
                conn.query_row(
                    &format!("SELECT {field} FROM G101_1 WHERE rowid = ?1"),
                    [record],
                    |r| r.get(0),
                )
                .unwrap()
            };
            for action in &actions {
                let record = records[action.record];
                let session = &mut team[action.who];
                let status = session.status(record).unwrap();
                let seen = if action.stale {
                    status.version + if status.version > 0 { -1 } else { 1 }
                } else {
                    status.version
                };
                let before = trail_fingerprint(&conn, &records);
                let result: huishen_core::Result<()> = match &action.act {
                    Act::Correct { field, value } => {
                        let (field, kind) = FIELDS[*field];
                        let text = match value {
                            NewValue::FromRecord(other) => {
                                as_text(&value_of(records[*other], field))
                            }
                            NewValue::Perturb(k) => perturb(kind, &value_of(record, field), *k),
                        };
                        session
                            .correct(record, seen, field, &text, "随机更正")
                            .map(|_| ())
                    }
                    Act::Explain => {
                        let rule = status
                            .unexplained_warnings
                            .first()
                            .or(status.failing_errors.first())
                            .cloned()
                            .unwrap_or_else(|| "R21".to_string());
                        session.explain(record, seen, &rule, "随机说明")
                    }
                    Act::Note => session.note(record, seen, "随机备注"),
                    Act::Sign => session.sign(record, seen).map(|_| ()),
                    Act::Reopen => session.reopen(record, seen, "随机重开"),
                    Act::Undo => session.undo(record, seen).map(|_| ()),
                    Act::Leave => session.release(),
                    Act::TakeOver => session.take_over(record).map(|_| ()),
                };
                let names_a_version = !matches!(action.act, Act::Leave | Act::TakeOver);
                match result {
                    Ok(()) => prop_assert!(
                        !(action.stale && names_a_version),
                        "a stale {action:?} was accepted"
                    ),
                    Err(Error::Refused(_)) => prop_assert_eq!(
                        trail_fingerprint(&conn, &records),
                        before,
                        "the refused {:?} changed the workspace",
                        action
                    ),
                    Err(other) => prop_assert!(false, "{action:?} failed: {other}"),
                }
            }
            // Every record's version counts the actions on it (a take-over changes who holds
            // the record, not the record); a locked record has its signatures.
            for &record in &records {
                let status = team[2].status(record).unwrap();
                let history = team[2].history(record).unwrap();
                let actions_on_it = history
                    .iter()
                    .filter(|e| e.kind != EventKind::TakeOver)
                    .count();
                prop_assert_eq!(status.version, actions_on_it as i64);
                if status.locked {
                    prop_assert!(
                        status.signatures.len() as i64 >= status.signatures_required,
                        "record {} is locked with {:?}",
                        record,
                        status.signatures
                    );
                }
            }
            drop(team);
            drop(conn);

            let mut ws = Workspace::open(&path).unwrap();
            let report = ws.check(&[], &mut |_, _, _| {}).unwrap();
            prop_assert!(report.runtime_errors.is_empty());
            prop_assert_eq!(
                (report.opened, report.resolved),
                (0, 0),
                "the full check after the actions opened or resolved flags"
            );
            let v = ws.verify().unwrap();
            prop_assert!(v.ok(), "verify after {:?}: {:?}", actions, v);
            drop(ws);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            Ok(())
        })
        .unwrap();
}
