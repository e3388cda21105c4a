//! Many reviewers on one workspace, each in their own process: no write is lost, nobody sees a
//! lock error, the audit trail verifies and the flags equal a full check. Claims keep two
//! reviewers off one record; a take-over is explicit and audited; claims lapse.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Scratch, huishen};
use huishen_core::domain::EventKind;
use huishen_core::review::Session;
use huishen_core::review::{Direction, QueueFilter, Workspace};

fn demo(s: &Scratch) -> PathBuf {
    let ws = s.path("demo.huishen");
    huishen()
        .arg("demo")
        .arg("--workspace")
        .arg(&ws)
        .assert()
        .success();
    ws
}

/// The scripted reviewer built from examples/review_worker.rs, brought up to date first (a
/// stale one would speak an older workspace format).
fn worker_binary() -> PathBuf {
    static BUILT: std::sync::Once = std::sync::Once::new();
    BUILT.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--example", "review_worker"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success());
    });
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    dir.join("examples").join("review_worker")
}

/// Runs `n` scripted reviewers at once for `millis`; returns their summaries.
fn run_workers(ws: &Path, names: &[String], millis: u64) -> Vec<serde_json::Value> {
    let children: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            Command::new(worker_binary())
                .arg(ws)
                .arg(name)
                .arg((i as u64 + 11).to_string())
                .arg(millis.to_string())
                .env("HUISHEN_BUSY_TIMEOUT_MS", "10000")
                .output_async()
        })
        .collect();
    children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice(&out.stdout).unwrap()
        })
        .collect()
}

trait Spawn {
    fn output_async(&mut self) -> std::process::Child;
}

impl Spawn for Command {
    fn output_async(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }
}

/// Adds reviewers p1..pN with alternating roles, everywhere.
fn team(ws: &Path, n: usize) -> Vec<String> {
    let mut w = Workspace::open(ws).unwrap();
    let roles = ["县级审核", "市级审核", "省级审核", "统计部门"];
    (1..=n)
        .map(|i| {
            let name = format!("p{i}");
            w.add_reviewer(&name, roles[i % roles.len()], "", "load-test", "test")
                .unwrap();
            name
        })
        .collect()
}

fn count(ws: &Path, sql: &str) -> u64 {
    rusqlite::Connection::open(ws)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

fn concurrent(processes: usize, millis: u64) {
    let s = Scratch::new();
    let ws = demo(&s);
    let names = team(&ws, processes);
    let before = count(&ws, "SELECT count(*) FROM events");
    let summaries = run_workers(&ws, &names, millis);
    let mut done: std::collections::BTreeMap<String, u64> = Default::default();
    for summary in &summaries {
        assert_eq!(
            summary["errors"],
            serde_json::json!([]),
            "a reviewer saw an error: {summary}"
        );
        for (kind, n) in summary["done"].as_object().unwrap() {
            *done.entry(kind.clone()).or_default() += n.as_u64().unwrap();
        }
    }
    let total: u64 = done.values().sum();
    assert!(total > 0, "no action succeeded: {summaries:?}");
    // No write is lost: every reported action is an event, and nothing else is.
    assert_eq!(
        count(&ws, "SELECT count(*) FROM events") - before,
        total,
        "{done:?}"
    );
    for (kind, table) in [
        ("correct", "corrections"),
        ("note", "notes"),
        ("explain", "explanations"),
        ("sign", "signatures"),
    ] {
        assert_eq!(
            count(&ws, &format!("SELECT count(*) FROM {table}")),
            done.get(kind).copied().unwrap_or(0),
            "{kind}"
        );
    }
    // Claims end with the sessions.
    assert_eq!(count(&ws, "SELECT count(*) FROM claims"), 0);
    let mut w = Workspace::open(&ws).unwrap();
    assert!(w.verify().unwrap().ok());
    let full = w.check(&[], &mut |_, _, _| {}).unwrap();
    assert_eq!(
        (full.opened, full.resolved),
        (0, 0),
        "re-checks left flags a full check disagrees with"
    );
}

#[test]
fn two_reviewers_at_once_lose_nothing() {
    concurrent(2, 2500);
}

#[test]
fn eight_reviewers_at_once_lose_nothing() {
    concurrent(8, 4000);
}

fn rowid_of(session: &Session, key: &str) -> i64 {
    let filter = QueueFilter {
        search: Some(key.into()),
        ..QueueFilter::default()
    };
    session
        .window(&filter, None, Direction::Forward, 1)
        .unwrap()[0]
        .record
}

#[test]
fn a_claimed_record_is_read_only_to_others_until_taken_over() {
    let s = Scratch::new();
    let ws = demo(&s);
    let mut wang = Session::open(&ws, "王五", None).unwrap();
    let mut li = Session::open(&ws, "李四", None).unwrap();
    let record = rowid_of(&wang, "G3714250000019");
    wang.open_for_work(record).unwrap();
    let detail = li.record(record).unwrap().unwrap();
    assert_eq!(
        detail.claimed_by.as_ref().map(|c| c.reviewer.as_str()),
        Some("王五")
    );
    let v = detail.status.version;
    let err = li.note(record, v, "我也看看").unwrap_err().to_string();
    assert!(
        err.starts_with("王五 is working on record G3714250000019 (since "),
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
    let mut wang = Session::open(&ws, "王五", None).unwrap();
    let mut li = Session::open(&ws, "李四", None).unwrap();
    let record = rowid_of(&wang, "G3714250000019");
    wang.open_for_work(record).unwrap();
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

#[test]
fn the_queue_shows_my_assignments_by_default() {
    let s = Scratch::new();
    let ws = demo(&s);
    huishen()
        .args(["assign"])
        .arg(&ws)
        .args(["--reviewer", "张三", "--region", "3701"])
        .assert()
        .success()
        .stdout("张三 reviews: region 3701\n");
    let zhang = Session::open(&ws, "张三", None).unwrap();
    let mine = QueueFilter {
        mine: zhang.assignments().unwrap(),
        ..QueueFilter::default()
    };
    let rows = zhang.window(&mine, None, Direction::Forward, 500).unwrap();
    assert!(!rows.is_empty() && rows.iter().all(|r| r.region.starts_with("3701")));
    assert!(zhang.count(&mine).unwrap() < zhang.count(&QueueFilter::default()).unwrap());
    huishen()
        .args(["assign"])
        .arg(&ws)
        .args(["--reviewer", "张三", "--region", "37x"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "`37x` is not a division-code prefix",
        ));
}
