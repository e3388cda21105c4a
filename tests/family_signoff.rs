//! Sign-off per census object, on the fixture `tests/fixtures/family/` (enterprises E and
//! their boilers B): a signature of an enterprise binds its boilers, a correction of a boiler
//! voids it as a correction of the enterprise does, and the lock, the region scope and the
//! claims of a boiler are its enterprise's. A form without child forms is signed as before.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use std::path::{Path, PathBuf};

use huishen_core::Error;
use huishen_core::review::{BulkAction, NewReviewer, Session, Workspace};
use sha2::Digest as _;

use common::db::{fingerprint, one, sqlite3_ok};
use common::fixtures::{TINY, tiny};
use common::review::{
    TESTER, TESTER_PASSPHRASE, administrator, claimed_since, enrol, hh_mm, leave, passphrase_of,
    refusal, seen,
};
use common::{Scratch, correct, hs};

/// The exit status of a workspace that was checked and does not verify.
const TAMPERED: i32 = 3;

/// The family fixture imported, its rules loaded and checked, [`TESTER`] enrolled, and boiler
/// E1-2's coal corrected from 50 to 35 t, which resolves E01 on E1: E1 and its three boilers
/// have no open flag, so E1 can be signed off (one signature locks it, by the fixture's
/// policy).
fn ready(s: &Scratch) -> PathBuf {
    let ws = common::fixtures::family(s);
    enrol(&ws, TESTER, "测试", TESTER_PASSPHRASE);
    correct(&ws, "B", "E1-2", "coal_t", "35");
    ws
}

/// A session of `who` on `form`.
fn on(ws: &Path, who: &str, form: &str) -> Session {
    Session::open(ws, who, passphrase_of(who), Some(form)).expect("a session")
}

fn record(session: &mut Session, key: &str) -> i64 {
    session.find(key).expect("finding a record").expect(key)
}

/// Acts on record `key` of `form` as `who`, at the version they see now, then leaves it.
fn act_on<T>(
    ws: &Path,
    who: &str,
    form: &str,
    key: &str,
    action: impl FnOnce(&mut Session, i64, i64) -> huishen_core::Result<T>,
) -> huishen_core::Result<T> {
    let mut session = on(ws, who, form);
    let r = record(&mut session, key);
    let v = seen(&mut session, r);
    let done = action(&mut session, r, v);
    leave(&session);
    done
}

/// The Chinese text of a refusal.
fn refusal_zh<T: std::fmt::Debug>(result: huishen_core::Result<T>) -> String {
    match result {
        Err(Error::Declined { zh, .. }) => zh,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The signatures that stand on enterprise `key`, by reviewer.
fn standing(ws: &Path, key: &str) -> Vec<String> {
    let mut session = on(ws, "王五", "E");
    let r = record(&mut session, key);
    let status = session.status(r).unwrap();
    status.signatures.into_iter().map(|(who, _)| who).collect()
}

/// The newest event: (kind, form, key, payload).
fn last_event(ws: &Path) -> (String, String, String, serde_json::Value) {
    let conn = rusqlite::Connection::open(ws).unwrap();
    conn.query_row(
        "SELECT kind, form, key, payload FROM events ORDER BY id DESC LIMIT 1",
        [],
        |r| {
            let payload: String = r.get(3)?;
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                serde_json::from_str(&payload).unwrap(),
            ))
        },
    )
    .unwrap()
}

fn last_event_id(ws: &Path) -> i64 {
    one(ws, "SELECT max(id) FROM events")
}

/// One signature no longer locks a record: two are needed.
fn two_signatures(ws: &Path) {
    let mut workspace = Workspace::open(ws).unwrap();
    let by = administrator(&workspace);
    let mut policy = workspace.policy().unwrap();
    policy.signatures_required = 2;
    workspace.set_policy(policy, &by).unwrap();
}

fn verifies(s: &Scratch) {
    hs(s)
        .args(["verify", "w.huishen"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "signatures: every standing signature matches its record",
        ));
}

/// What a change of a boiler says while its enterprise E1 is signed off by 王五.
const E1_2_LOCKED: &str = "record E1-2 belongs to census object E1, which is signed and locked \
                           (by 王五 (组长)); reopen E1 with a reason before changing it";

#[test]
fn a_signature_of_an_enterprise_is_voided_by_a_correction_of_one_of_its_boilers() {
    let s = Scratch::new();
    let ws = ready(&s);
    two_signatures(&ws);
    assert!(!act_on(&ws, "王五", "E", "E1", |s, r, v| s.sign(r, v)).unwrap());
    let signature = last_event_id(&ws);
    assert_eq!(standing(&ws, "E1"), ["王五"]);
    // Another screen has E1 open at the version it was signed at.
    let mut screen = on(&ws, "王五", "E");
    let e1 = record(&mut screen, "E1");
    let version = seen(&mut screen, e1);

    correct(&ws, "B", "E1-2", "so2_emit_t", "0.25");
    // The correction's event names the boiler, and voids E1's signature.
    let (kind, form, key, payload) = last_event(&ws);
    assert_eq!(
        (kind.as_str(), form.as_str(), key.as_str()),
        ("correct", "B", "E1-2")
    );
    assert_eq!(payload["voids"], serde_json::json!([signature]));
    assert!(standing(&ws, "E1").is_empty());
    // E1's version moved: the screen that saw it before is told, not overwritten.
    assert!(seen(&mut screen, e1) > version);
    let stale = refusal(screen.sign(e1, version));
    assert!(
        stale.starts_with("record E1 was changed by tester at "),
        "{stale}"
    );
    leave(&screen);
    drop(screen);

    // Signed again, then the boiler's correction undone: the undo voids it as well.
    assert!(!act_on(&ws, "王五", "E", "E1", |s, r, v| s.sign(r, v)).unwrap());
    let again = last_event_id(&ws);
    act_on(&ws, TESTER, "B", "E1-2", |s, r, v| s.undo(r, v)).unwrap();
    let (kind, form, key, payload) = last_event(&ws);
    assert_eq!(
        (kind.as_str(), form.as_str(), key.as_str()),
        ("undo", "B", "E1-2")
    );
    assert_eq!(payload["voids"], serde_json::json!([again]));
    assert!(standing(&ws, "E1").is_empty());
    verifies(&s);
}

#[test]
fn a_boiler_is_locked_while_its_enterprise_is_signed_off_and_open_again_after_reopening() {
    let s = Scratch::new();
    let ws = ready(&s);
    assert!(act_on(&ws, "王五", "E", "E1", |s, r, v| s.sign(r, v)).unwrap());
    // An export of what is signed off carries the boilers of the signed enterprise, and
    // no others.
    let signed = hs(&s)
        .args(["export", "w.huishen", "--what", "data", "--form", "B"])
        .args(["--headers", "names", "--only", "signed"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&signed.get_output().stdout).into_owned();
    let keys: Vec<&str> = (text.trim_start_matches('\u{feff}').lines().skip(1))
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(keys, ["E1-1", "E1-2", "E1-3"], "{text}");
    let before = fingerprint(&ws);
    let edit = |s: &mut Session, r, v| s.correct(r, v, "so2_emit_t", "0.25", "test edit");
    assert_eq!(refusal(act_on(&ws, TESTER, "B", "E1-2", edit)), E1_2_LOCKED);
    assert_eq!(
        refusal_zh(act_on(&ws, TESTER, "B", "E1-2", edit)),
        "记录 E1-2 所属的普查对象 E1 已签字锁定（签字：王五（组长））；修改前请填写原因重新打开 E1"
    );
    let explain = |s: &mut Session, r, v| s.explain(r, v, "B01", "核实无误");
    assert_eq!(
        refusal(act_on(&ws, TESTER, "B", "E1-2", explain)),
        E1_2_LOCKED
    );
    let note = |s: &mut Session, r, v| s.note(r, v, "待核实");
    assert_eq!(
        refusal(act_on(&ws, TESTER, "B", "E1-3", note)),
        E1_2_LOCKED.replace("E1-2", "E1-3")
    );
    assert_eq!(fingerprint(&ws), before, "a refused change writes nothing");
    // A boiler of another enterprise is not locked by E1's signature.
    correct(&ws, "B", "E2-1", "so2_emit_t", "0.9");

    // A boiler is reopened with its enterprise, not on its own.
    let reopen = |s: &mut Session, r, v| s.reopen(r, v, "复核");
    assert_eq!(
        refusal(act_on(&ws, "王五", "B", "E1-2", reopen)),
        "record E1-2 is not signed on its own: its census object E1 is signed, and is reopened \
         as a whole; reopen E1"
    );
    act_on(&ws, "王五", "E", "E1", reopen).unwrap();
    act_on(&ws, TESTER, "B", "E1-2", edit).unwrap();
    act_on(&ws, TESTER, "B", "E1-3", note).unwrap();
    verifies(&s);
}

#[test]
fn a_boiler_is_not_signed_on_its_own_and_its_enterprise_not_while_a_boiler_fails() {
    let s = Scratch::new();
    let ws = ready(&s);
    let sign = |s: &mut Session, r, v| s.sign(r, v);
    let alone = "record E1-2 (Boilers) is signed with its census object: sign E1 (Enterprise), \
                 whose signature covers it and every other row beneath it";
    assert_eq!(refusal(act_on(&ws, "王五", "B", "E1-2", sign)), alone);
    assert_eq!(
        refusal_zh(act_on(&ws, "王五", "B", "E1-2", sign)),
        "记录 E1-2（锅炉）随其所属普查对象一并签字：请对 E1（企业）签字，该签字涵盖其下所有记录"
    );
    // So in a bulk signature of boilers, each is refused for it.
    let mut boilers = on(&ws, "王五", "B");
    let e1_2 = record(&mut boilers, "E1-2");
    let plan = boilers.plan_bulk(&[e1_2], BulkAction::Sign).unwrap();
    assert!(plan.ready.is_empty());
    assert_eq!(plan.refused[0].why, alone);
    drop(boilers);

    // E3's warning E02 explained, E3 is still not signed off: its boiler E3-1 fails B01.
    act_on(&ws, "王五", "E", "E3", |s, r, v| {
        s.explain(r, v, "E02", "企业另有燃油锅炉")
    })
    .unwrap();
    assert_eq!(
        refusal(act_on(&ws, "王五", "E", "E3", sign)),
        "record E3 cannot be signed: errors still failing: B01 (E3-1)"
    );
    assert_eq!(
        refusal_zh(act_on(&ws, "王五", "E", "E3", sign)),
        "记录 E3 不能签字：仍有未通过的强制性错误：B01（E3-1）"
    );
    correct(&ws, "B", "E3-1", "so2_emit_t", "0.3");
    assert!(act_on(&ws, "王五", "E", "E3", sign).unwrap());
    verifies(&s);
}

#[test]
fn verify_finds_a_boiler_value_changed_with_sqlite3_under_a_signed_enterprise() {
    let s = Scratch::new();
    let ws = ready(&s);
    assert!(act_on(&ws, "王五", "E", "E1", |s, r, v| s.sign(r, v)).unwrap());
    let signature = last_event_id(&ws);
    verifies(&s);
    sqlite3_ok(
        &ws,
        "UPDATE B SET sulphur_pct = 0.9 WHERE boiler_id = 'E1-1';",
    );
    let out = hs(&s).args(["verify", "w.huishen"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(TAMPERED), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "E/E1: signed by 王五 (event #{signature}), but its values have changed since"
        )),
        "{stdout}"
    );
    // A boiler deleted from under it is found the same way.
    let s = Scratch::new();
    let ws = ready(&s);
    assert!(act_on(&ws, "王五", "E", "E1", |s, r, v| s.sign(r, v)).unwrap());
    sqlite3_ok(&ws, "DELETE FROM B WHERE boiler_id = 'E1-3';");
    let out = hs(&s).args(["verify", "w.huishen"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(TAMPERED), "{stdout}");
    assert!(stdout.contains("E/E1: signed by 王五 (event #"), "{stdout}");
}

#[test]
fn a_signature_of_a_form_without_child_forms_hashes_its_fields_as_before() {
    let s = Scratch::new();
    let ws = tiny(&s);
    for key in ["A1", "A2"] {
        let mut session = Session::open(&ws, "王五", passphrase_of("王五"), Some("T")).unwrap();
        let r = record(&mut session, key);
        let v = seen(&mut session, r);
        assert!(!session.sign(r, v).unwrap());
        leave(&session);
    }
    // The canonical text every signature of a record of one form has bound: its fields as
    // [name, value] pairs, in schema order.
    for (key, canonical) in [
        (
            "A1",
            r#"[["id","A1"],["name","济南一厂"],["count",3],["amount",1.5],["flag",1]]"#,
        ),
        (
            "A2",
            r#"[["id","A2"],["name","青岛二厂"],["count",null],["amount",2.0],["flag",0]]"#,
        ),
    ] {
        let want: String = sha2::Sha256::digest(canonical.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let stored: String = one(
            &ws,
            &format!(
                "SELECT s.record_hash FROM signatures s JOIN T t ON t.rowid = s.record \
                 WHERE t.id = '{key}'"
            ),
        );
        assert_eq!(stored, want, "{key}");
    }
    hs(&s)
        .args(["verify", TINY])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "signatures: every standing signature matches its record",
        ));
}

#[test]
fn a_reviewer_outside_an_enterprises_region_is_refused_on_its_boilers() {
    let s = Scratch::new();
    let ws = ready(&s);
    {
        let mut workspace = Workspace::open(&ws).unwrap();
        let by = administrator(&workspace);
        let new = NewReviewer {
            name: "赵六",
            role: "县级审核",
            scope: "3702",
            admin: false,
            passphrase: passphrase_of("赵六"),
        };
        workspace.add_reviewer(&new, &by).unwrap();
    }
    let before = fingerprint(&ws);
    let edit = |s: &mut Session, r, v| s.correct(r, v, "so2_emit_t", "0.25", "企业核实");
    assert_eq!(
        refusal(act_on(&ws, "赵六", "B", "E1-2", edit)),
        "record E1-2 belongs to census object E1 (region 3701), which is outside your scope \
         3702; a reviewer whose scope covers it must act on it"
    );
    assert_eq!(
        refusal_zh(act_on(&ws, "赵六", "B", "E1-2", edit)),
        "记录 E1-2 所属的普查对象 E1（区划 3701）不在您的审核范围 3702 内，须由范围覆盖它的审核员处理"
    );
    // Nor may a boiler of theirs be moved into an enterprise outside their scope.
    let to_e1 = |s: &mut Session, r, v| s.correct(r, v, "enterprise_id", "E1", "企业核实");
    assert_eq!(
        refusal(act_on(&ws, "赵六", "B", "E3-1", to_e1)),
        "moving record E3-1 to E1 changes census object E1 (region 3701), which is outside \
         your scope 3702"
    );
    assert_eq!(fingerprint(&ws), before, "a refused change writes nothing");
    // The boiler of their own region's enterprise is theirs.
    act_on(&ws, "赵六", "B", "E3-1", edit).unwrap();
    verifies(&s);
}

#[test]
fn a_claim_on_an_enterprise_covers_its_boilers() {
    let s = Scratch::new();
    let ws = ready(&s);
    let mut leader = on(&ws, "王五", "E");
    let e1 = record(&mut leader, "E1");
    {
        let r = e1;
        let seen = leader.status(r).unwrap().version;
        leader.open_for_work(r, seen).unwrap();
    }
    let since = hh_mm(&claimed_since(&ws, "王五"));
    let edit = |s: &mut Session, r, v| s.correct(r, v, "so2_emit_t", "0.25", "test edit");
    assert_eq!(
        refusal(act_on(&ws, TESTER, "B", "E1-2", edit)),
        format!(
            "王五 is working on census object E1 (since {since}), which record E1-2 belongs to; \
             you may read it, or take it over (T) if you must"
        )
    );
    // The screen shows who is on the boiler's object.
    let mut tester = on(&ws, TESTER, "B");
    let e1_2 = record(&mut tester, "E1-2");
    let shown = tester.record(e1_2).unwrap().unwrap().claimed_by;
    assert_eq!(shown.map(|c| c.reviewer).as_deref(), Some("王五"));
    // A boiler of another enterprise is free.
    let e2_1 = record(&mut tester, "E2-1");
    assert_eq!(tester.record(e2_1).unwrap().unwrap().claimed_by, None);
    drop(tester);
    act_on(&ws, TESTER, "B", "E2-1", edit).unwrap();
    // Once the leader leaves, the boilers are free again.
    leave(&leader);
    act_on(&ws, TESTER, "B", "E1-2", edit).unwrap();
    verifies(&s);
}

#[test]
fn moving_a_boiler_changes_both_enterprises() {
    let s = Scratch::new();
    let ws = ready(&s);
    let to = |to: &'static str| {
        move |s: &mut Session, r, v| s.correct(r, v, "enterprise_id", to, "企业核实")
    };
    // Into an enterprise that is signed off and locked: refused.
    assert!(act_on(&ws, "王五", "E", "E1", |s, r, v| s.sign(r, v)).unwrap());
    assert_eq!(
        refusal(act_on(&ws, TESTER, "B", "E2-1", to("E1"))),
        "moving record E2-1 to E1 changes census object E1, which is signed and locked (by \
         王五 (组长)); reopen E1 with a reason first"
    );
    // Under no enterprise at all: refused.
    assert_eq!(
        refusal(act_on(&ws, TESTER, "B", "E2-1", to("E9"))),
        "enterprise_id of record E2-1 cannot be E9: it names a record of E that is not in the \
         workspace, and every row of B belongs to one"
    );
    // Into an enterprise whose signature does not lock it yet: that signature is voided.
    act_on(&ws, "王五", "E", "E1", |s, r, v| s.reopen(r, v, "复核")).unwrap();
    two_signatures(&ws);
    assert!(!act_on(&ws, "王五", "E", "E1", |s, r, v| s.sign(r, v)).unwrap());
    let signature = last_event_id(&ws);
    act_on(&ws, TESTER, "B", "E2-1", to("E1")).unwrap();
    let (kind, form, key, payload) = last_event(&ws);
    assert_eq!(
        (kind.as_str(), form.as_str(), key.as_str()),
        ("correct", "B", "E2-1")
    );
    assert_eq!(payload["voids"], serde_json::json!([signature]));
    assert!(standing(&ws, "E1").is_empty());
    // E2, without its boiler now, is signed; the move undone brings the boiler back under
    // it, which voids that signature in turn.
    assert!(!act_on(&ws, "王五", "E", "E2", |s, r, v| s.sign(r, v)).unwrap());
    let on_e2 = last_event_id(&ws);
    act_on(&ws, TESTER, "B", "E2-1", |s, r, v| s.undo(r, v)).unwrap();
    let (kind, _, key, payload) = last_event(&ws);
    assert_eq!((kind.as_str(), key.as_str()), ("undo", "E2-1"));
    assert_eq!(payload["voids"], serde_json::json!([on_e2]));
    assert!(standing(&ws, "E2").is_empty());
    verifies(&s);
}
