//! Many reviewers on one workspace, each in their own process: no write is lost, nobody sees a
//! lock error, the audit trail verifies and the flags equal a full check; and the queue a
//! reviewer opens on shows their assignments. (Two reviewers on one record, claims and
//! take-overs are in claims.rs.)

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::db::one;
use common::workers::{team, worker_binary};
use common::{Scratch, demo, huishen};
use huishen_core::review::{Direction, QueueFilter, Session, Workspace};

/// Runs `n` scripted reviewers at once for `millis`; returns their summaries.
fn run_workers(ws: &Path, names: &[String], millis: u64) -> Vec<serde_json::Value> {
    run_workers_waiting(ws, names, millis, 10_000)
}

/// Runs the scripted reviewers, each waiting at most `wait_ms` for the write lock.
fn run_workers_waiting(
    ws: &Path,
    names: &[String],
    millis: u64,
    wait_ms: u64,
) -> Vec<serde_json::Value> {
    let children: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            Command::new(worker_binary())
                .arg(ws)
                .arg(name)
                .arg((i as u64 + 11).to_string())
                .arg(millis.to_string())
                .env("HUISHEN_BUSY_TIMEOUT_MS", wait_ms.to_string())
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
        let mut child = self
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The scripted reviewer's passphrase, as it signs in.
        use std::io::Write as _;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"load-test\n").unwrap();
        child
    }
}

fn concurrent(processes: usize, millis: u64) {
    let s = Scratch::new();
    let ws = demo(&s);
    let names = team(&ws, processes);
    let before = one::<u64>(&ws, "SELECT count(*) FROM events");
    let summaries = run_workers(&ws, &names, millis);
    assert_nothing_lost(&ws, before, &summaries);
}

/// Every reported action is an event and nothing else is, no reviewer saw an error, claims
/// ended, the trail verifies and the flags are those a full check gives.
fn assert_nothing_lost(ws: &Path, before: u64, summaries: &[serde_json::Value]) {
    let mut done: std::collections::BTreeMap<String, u64> = Default::default();
    for summary in summaries {
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
        one::<u64>(ws, "SELECT count(*) FROM events") - before,
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
            one::<u64>(ws, &format!("SELECT count(*) FROM {table}")),
            done.get(kind).copied().unwrap_or(0),
            "{kind}"
        );
    }
    // Claims end with the sessions.
    assert_eq!(one::<u64>(ws, "SELECT count(*) FROM claims"), 0);
    let mut w = Workspace::open(ws).unwrap();
    assert!(w.verify().unwrap().ok());
    let by = common::review::administrator(&w);
    let full = w.check(&[], &by, &mut |_, _, _| {}).unwrap();
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

/// A workspace of `records` generated records with the census rules, checked once.
fn generated(s: &Scratch, records: u64) -> PathBuf {
    let csv = s.path("generated.csv");
    huishen()
        .args(["sample", "--records", &records.to_string(), "--out"])
        .arg(&csv)
        .assert()
        .success();
    let ws = s.path("generated.huishen");
    huishen()
        .arg("init")
        .arg(&ws)
        .args([
            "--schema",
            common::SAMPLE_SCHEMA,
            "--rules",
            common::SAMPLE_RULES,
        ])
        .assert()
        .success();
    huishen()
        .arg("import")
        .arg(&ws)
        .arg(&csv)
        .args(["--form", "G101_1"])
        .assert()
        .success();
    huishen().arg("check").arg(&ws).assert().success();
    ws
}

/// The rule leader re-checks the whole workspace again and again while eight reviewers work:
/// a check holds the write lock only for short merges, so nobody waits long for it (the
/// reviewers give up after a second here, where a check of these records takes longer than
/// that), no write is lost, and the flags afterwards are those a fresh check gives.
#[test]
fn a_full_check_beside_eight_reviewers_keeps_nobody_waiting() {
    let s = Scratch::new();
    let ws = generated(&s, 200_000);
    let names = team(&ws, 8);
    let before = one::<u64>(&ws, "SELECT count(*) FROM events");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let leader = {
        let (ws, stop) = (ws.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut checks = 0;
            while checks == 0 || !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let out = huishen().arg("check").arg(&ws).output().unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                checks += 1;
            }
            checks
        })
    };
    let summaries = run_workers_waiting(&ws, &names, 6000, 1000);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let checks = leader.join().unwrap();
    assert!(checks >= 1);
    // Each full check is one signed event of the administrator's.
    assert_nothing_lost(&ws, before + checks, &summaries);
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
    let zhang = Session::open(&ws, "张三", common::review::passphrase_of("张三"), None).unwrap();
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
        .stdout("")
        .stderr(
            "error: `37x` is not a division-code prefix (digits, e.g. 3703); nothing was changed\n",
        );
}
