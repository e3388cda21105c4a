//! A team member at work through the review core, as the screen does it: sessions, the
//! refusals they give in words, and what `huishen verify` says of the audit trail.

use std::path::Path;

use huishen_core::Error;
use huishen_core::domain::{Datum, Severity};
use huishen_core::review::{
    Direction, NewReviewer, QueueFilter, QueueRow, RecheckReport, Session, Signer, Workspace,
};
use rusqlite::types::Value as Sql;

use super::db::{event_count, rowid};
use super::demo::DEMO;
use super::{Scratch, hs};

/// The passphrase of a reviewer the tests enrol: the sample team's, [`TESTER`]'s, 赵六's and
/// the scripted reviewers' (p1..pN).
pub fn passphrase_of(reviewer: &str) -> &'static str {
    match huishen_core::sample::TEAM.iter().find(|m| m.0 == reviewer) {
        Some(member) => member.3,
        None if reviewer == TESTER => TESTER_PASSPHRASE,
        None if reviewer == "赵六" => "zhaoliu-2017",
        None => "load-test",
    }
}

/// A review session of a team member, signed in with their passphrase.
pub fn open(ws: &Path, reviewer: &str) -> Session {
    Session::open(ws, reviewer, passphrase_of(reviewer), None).expect("a session")
}

/// The administrator of the test workspaces, signed in on `ws`.
pub fn administrator(ws: &Workspace) -> Signer {
    ws.sign_in(super::ADMIN, super::ADMIN_PASSPHRASE)
        .expect("the administrator signs in")
}

/// Enrols a reviewer through the core, as the administrator.
pub fn enrol(ws: &Path, name: &str, role: &str, passphrase: &str) {
    let mut workspace = Workspace::open(ws).expect("the workspace");
    let by = administrator(&workspace);
    let new = NewReviewer {
        name,
        role,
        scope: "",
        admin: false,
        passphrase,
    };
    workspace
        .add_reviewer(&new, &by)
        .expect("enrolling a reviewer");
}

/// The reviewer leaves the record they worked on (as the screen does on moving on or exit):
/// their claim on it ends, so that others may act on it.
pub fn leave(session: &Session) {
    session.release().expect("leaving the record");
}

/// The version of a record the reviewer sees now.
pub fn seen(session: &mut Session, record: i64) -> i64 {
    session.status(record).expect("the record's state").version
}

/// The text of a refusal; anything else fails the test.
pub fn refusal<T: std::fmt::Debug>(result: huishen_core::Result<T>) -> String {
    match result {
        Err(Error::Declined { en, .. }) => en,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Acts on a sample record as a reviewer, at the version the reviewer sees now, then leaves
/// it so that the next reviewer may act on it.
pub fn act<T>(
    ws: &Path,
    who: &str,
    key: &str,
    action: impl FnOnce(&mut Session, i64, i64) -> huishen_core::Result<T>,
) -> T {
    let mut session = open(ws, who);
    let record = rowid(ws, key);
    let version = seen(&mut session, record);
    let done = action(&mut session, record, version).expect("the action");
    leave(&session);
    done
}

/// Signs a record as each of `signers` in turn, each seeing its current version and leaving
/// it after signing; says whether the last signature locked it.
pub fn sign_as(ws: &Path, record: i64, signers: &[&str]) -> bool {
    let mut locked = false;
    for who in signers {
        let mut session = open(ws, who);
        let v = seen(&mut session, record);
        locked = session.sign(record, v).expect("the signature");
        leave(&session);
    }
    locked
}

/// A record's queue line, found the way the screen finds it: searching the queue.
pub fn find_in_queue(session: &Session, key: &str) -> Option<QueueRow> {
    let filter = QueueFilter {
        search: Some(key.to_string()),
        ..QueueFilter::default()
    };
    session
        .window(&filter, None, Direction::Forward, 10)
        .expect("the queue")
        .into_iter()
        .find(|row| row.key == key)
}

/// The rowid of a record in the queue, found by searching for its key.
pub fn queued(session: &Session, key: &str) -> i64 {
    find_in_queue(session, key)
        .unwrap_or_else(|| panic!("{key} is not in the queue"))
        .record
}

/// (rule, state) of every flag line of a record.
pub fn flag_states(session: &mut Session, record: i64) -> Vec<(String, String)> {
    session
        .record(record)
        .expect("the record")
        .expect("the record")
        .flags
        .into_iter()
        .map(|f| (f.rule, f.state.as_str().to_string()))
        .collect()
}

/// The displayed text of one field of a record.
pub fn shown(session: &mut Session, record: i64, field: &str) -> String {
    session
        .record(record)
        .expect("the record")
        .expect("the record")
        .values
        .into_iter()
        .find(|v| v.field.name == field)
        .expect("the field")
        .text
}

/// How many flagged records still have an open flag.
pub fn still_open(session: &Session) -> u64 {
    session.progress().expect("the progress").open
}

/// How many queue lines have an open error.
pub fn with_errors(session: &Session) -> u64 {
    let filter = QueueFilter {
        severity: Some(Severity::Error),
        ..QueueFilter::default()
    };
    session.count(&filter).expect("the count")
}

/// An event's time as messages give it, in this process's zone: `2026-11-29T14:03:07.123Z`
/// as `14:03 UTC` (tests/local_time.rs checks the zones themselves).
pub fn hh_mm(at: &str) -> String {
    huishen_core::review::short_time(at)
}

/// What an action says while another reviewer holds the record.
pub fn working_on(who: &str, key: &str, since: &str) -> String {
    format!(
        "{who} is working on record {key} (since {}); you may read it, or take it over (T) if you must",
        hh_mm(since)
    )
}

/// When the reviewer's claim on a record began.
pub fn claimed_since(ws: &Path, who: &str) -> String {
    let conn = rusqlite::Connection::open(ws).expect("open the workspace");
    conn.query_row("SELECT since FROM claims WHERE reviewer = ?1", [who], |r| {
        r.get(0)
    })
    .expect("a claim")
}

/// What every action says about a record outside the reviewer's scope.
pub fn outside(key: &str, region: &str, scope: &str) -> String {
    format!(
        "record {key} (region {region}) is outside your scope {scope}; a reviewer whose scope covers it must act on it"
    )
}

/// What every change says about a signed and locked record.
pub fn locked_by(key: &str, signers: &str) -> String {
    format!(
        "record {key} is signed and locked (by {signers}); reopen it with a reason before changing it"
    )
}

/// Registers a reviewer in the demo workspace with the binary, the passphrase on standard
/// input.
pub fn add_reviewer(s: &Scratch, name: &str, role: &str, scope: &str, passphrase: &str) {
    let mut cmd = hs(s);
    cmd.args(["reviewer", "add", DEMO, name, "--role", role]);
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
        .stdout(predicates::str::starts_with(format!(
            "added reviewer {name} ({role}), scope {where_}, key "
        )));
}

/// `huishen policy` as the table it prints.
pub fn policy_table(signatures: i64, distinct_roles: bool, four_eyes: bool) -> String {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    format!(
        "signatures required: {signatures}\ndistinct roles:      {}\nfour eyes:           {}\n\
         claims lapse after:  10 minutes\n",
        yes_no(distinct_roles),
        yes_no(four_eyes)
    )
}

/// What `huishen verify` prints for the workspace `ws` when everything in it holds: all its
/// events linked and signed, every table agreeing with the trail, every standing signature
/// matching.
pub fn verified(ws: &Path) -> String {
    let events = event_count(ws);
    let unsigned: i64 = super::db::one(ws, "SELECT count(*) FROM events WHERE signature IS NULL");
    let attested = match unsigned {
        0 => String::new(),
        n => format!(" ({n} written before keys, attested by the upgrade)"),
    };
    format!(
        "{PAGES_WHOLE}audit trail: {events} events, every one linked to the one before and unchanged\n\
         keys: {} events signed, each by its reviewer's key as an administrator enrolled it{attested}; root key {}\n\
         tables: reviewers, policy, work split, rule sets, imports, corrections, explanations, \
         notes, signatures and locks agree with the trail; the data is the imported records with \
         their corrections\n\
         signatures: every standing signature matches its record\n",
        events - unsigned,
        root_of(ws)
    )
}

/// The fingerprint of a workspace's root key, as the core reads it.
pub fn root_of(ws: &Path) -> String {
    Workspace::open(ws)
        .expect("the workspace")
        .root_fingerprint()
        .expect("the root")
        .expect("a root key")
}

/// The first line of what `huishen verify` says of a workspace whose pages are all whole.
pub const PAGES_WHOLE: &str =
    "page integrity: every page of the file is whole (SQLite's quick_check)\n";

/// What `huishen verify` says on standard error when the demo workspace does not verify.
pub const DOES_NOT_VERIFY: &str = "error: demo.huishen does not verify: it was changed outside huishen; restore it from a backup and compare\n";

/// `huishen verify` passes on the demo workspace and counts every event in it.
pub fn assert_verifies(s: &Scratch, ws: &Path) {
    hs(s)
        .args(["verify", DEMO])
        .assert()
        .success()
        .stdout(verified(ws));
}

/// A stored value as a reviewer would type it (empty for NULL; the test forms hold no blobs).
pub fn edit_text(v: &Sql) -> String {
    match v {
        Sql::Null => String::new(),
        Sql::Integer(i) => i.to_string(),
        Sql::Real(x) => x.to_string(),
        Sql::Text(t) => t.clone(),
        Sql::Blob(_) => unreachable!("no blobs in the test forms"),
    }
}

/// The reviewer the tests correct records as, enrolled on first use.
pub const TESTER: &str = "tester";
/// [`TESTER`]'s passphrase.
pub const TESTER_PASSPHRASE: &str = "tester-2017";

/// Corrects one field of a record of `form`, found by key, as [`TESTER`] through a review
/// session, and returns what the re-check changed. Typing the value the field holds already
/// changes nothing.
pub fn correct(ws: &Path, form: &str, key: &str, field: &str, text: &str) -> RecheckReport {
    let workspace = Workspace::open(ws).expect("the workspace");
    let enrolled = workspace.reviewers().expect("the reviewers");
    drop(workspace);
    if !enrolled.iter().any(|r| r.name == TESTER) {
        enrol(ws, TESTER, "测试", TESTER_PASSPHRASE);
    }
    let mut session = Session::open(ws, TESTER, TESTER_PASSPHRASE, Some(form)).expect("a session");
    let record = session
        .find(key)
        .expect("finding the record")
        .expect("the record");
    let detail = session
        .record(record)
        .expect("the record")
        .expect("the record");
    let now = detail
        .values
        .iter()
        .find(|v| v.field.name == field)
        .expect("the field");
    let ty = now.field.ty;
    let same = |a: &str, b: &str| Datum::parse(ty, a).ok() == Datum::parse(ty, b).ok();
    if same(&now.text, text) {
        return RecheckReport::default();
    }
    let version = detail.status.version;
    let report = session
        .correct(record, version, field, text, "test edit")
        .expect("the correction");
    leave(&session);
    report
}
