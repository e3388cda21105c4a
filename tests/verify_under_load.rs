//! `huishen verify` while the team works: eight scripted reviewers, each in their own process,
//! act as fast as they can while verify runs again and again. Verify reads the whole workspace
//! as of one moment (one read transaction), so an honest workspace verifies every time, and it
//! never takes the write lock, so nobody waits for it.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use common::db::one;
use common::workers::{team, worker_binary};
use common::{Scratch, demo, huishen};
use huishen_core::review::Workspace;

/// Starts the scripted reviewers, each acting for `millis` with its own seed.
fn start_workers(ws: &Path, names: &[String], round: u64, millis: u64) -> Vec<Child> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            Command::new(worker_binary())
                .arg(ws)
                .arg(name)
                .arg((round * 100 + i as u64 + 11).to_string())
                .arg(millis.to_string())
                .env("HUISHEN_BUSY_TIMEOUT_MS", "10000")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .map(|mut child| {
                    use std::io::Write as _;
                    let mut stdin = child.stdin.take().unwrap();
                    stdin.write_all(b"load-test\n").unwrap();
                    child
                })
                .unwrap()
        })
        .collect()
}

/// Waits for the reviewers; returns how many actions they did. None saw an error.
fn finish_workers(children: Vec<Child>) -> u64 {
    let mut actions = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            summary["errors"],
            serde_json::json!([]),
            "a reviewer saw an error: {summary}"
        );
        for n in summary["done"].as_object().unwrap().values() {
            actions += n.as_u64().unwrap();
        }
    }
    actions
}

/// One run of `huishen verify`: its exit code and what it said.
struct Run {
    code: Option<i32>,
    said: String,
}

/// Runs `huishen verify` again and again until `stop`; returns every run.
fn verify_until(ws: &Path, stop: &AtomicBool) -> Vec<Run> {
    let mut runs = Vec::new();
    while runs.is_empty() || !stop.load(Ordering::Relaxed) {
        let out = huishen()
            .arg("verify")
            .arg(ws)
            .env("HUISHEN_BUSY_TIMEOUT_MS", "10000")
            .output()
            .unwrap();
        runs.push(Run {
            code: out.status.code(),
            said: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        });
    }
    runs
}

/// Rounds of eight reviewers working for three seconds, with verify running in a loop beside
/// them, until verify has run at least 30 times under load: every run says the workspace is
/// intact and exits 0. Before verify read in one transaction, nearly every run said "the
/// newest events were deleted" or named a signature the trail did not hold yet.
#[test]
fn verify_never_cries_wolf_while_eight_reviewers_work() {
    let s = Scratch::new();
    let ws = demo(&s);
    let names = team(&ws, 8);
    let before = one::<u64>(&ws, "SELECT count(*) FROM events");
    let runs = Arc::new(Mutex::new(Vec::new()));
    let mut actions = 0;
    let mut round = 0;
    while runs.lock().unwrap().len() < 30 {
        round += 1;
        let workers = start_workers(&ws, &names, round, 3000);
        let stop = Arc::new(AtomicBool::new(false));
        let verifier = {
            let (ws, stop, runs) = (ws.clone(), stop.clone(), runs.clone());
            std::thread::spawn(move || {
                let done = verify_until(&ws, &stop);
                runs.lock().unwrap().extend(done);
            })
        };
        actions += finish_workers(workers);
        stop.store(true, Ordering::Relaxed);
        verifier.join().unwrap();
    }
    assert_eq!(
        one::<u64>(&ws, "SELECT count(*) FROM events") - before,
        actions
    );
    assert!(actions > 0);
    let runs = runs.lock().unwrap();
    eprintln!(
        "{} runs of verify in {round} rounds, {actions} actions",
        runs.len()
    );
    let alarms: Vec<String> = runs
        .iter()
        .filter(|r| r.code != Some(0))
        .map(|r| format!("exit {:?}:\n{}", r.code, r.said))
        .collect();
    assert!(
        alarms.is_empty(),
        "{} of {} runs of verify did not say intact:\n{}",
        alarms.len(),
        runs.len(),
        alarms.join("\n")
    );
    assert!(runs.iter().all(|r| {
        r.said
            .contains("every one linked to the one before and unchanged")
    }));
    // Once the team has stopped, the same file verifies too, in the library.
    assert!(Workspace::open(&ws).unwrap().verify().unwrap().ok());
}

/// A reviewer in the middle of a write holds the write lock; verify reads beside it and says
/// the workspace is intact, without waiting for the lock (its wait here is 300 ms, far less
/// than the writer holds the lock).
#[test]
fn verify_reads_beside_a_writer_that_holds_the_lock() {
    let s = Scratch::new();
    let ws = demo(&s);
    let writer = rusqlite::Connection::open(&ws).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    writer
        .execute(
            "UPDATE policy SET claim_minutes = claim_minutes WHERE id = 1",
            [],
        )
        .unwrap();
    let out = huishen().arg("verify").arg(&ws).output().unwrap();
    writer.execute_batch("ROLLBACK").unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
