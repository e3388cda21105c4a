//! A scripted reviewer: random review actions on one workspace for a while, through the same
//! review module the screen uses. Load tests and benchmarks run several at once.
//!
//!     review_worker WORKSPACE REVIEWER SEED MILLISECONDS [PAUSE_MILLISECONDS]
//!
//! With `HUISHEN_WORKER_FORM=G103_1` it reviews the boilers' rows (each a child row of its
//! census object) instead of the workspace's first form.
//!
//! The reviewer's passphrase is the first line of standard input: a scripted reviewer signs
//! in like anyone else, and every action it takes is signed with its key.
//!
//! Each round reads a window of the reviewer's queue ("mine": their work split, if they have
//! one) as the screen does, picks a record in it, then acts
//! on it: the action's latency runs from reading the record's status to the action's end,
//! what a reviewer waits for after a key. With a pause, the reviewer waits that long (a random
//! share of it, up to twice) between actions, as a person at a keyboard does; without, it
//! acts as fast as it can.
//!
//! Prints one JSON object: actions done by kind, refusals, unexpected errors (which should be
//! none), each action's latency in microseconds, the ten slowest actions, and the time of
//! each refresh of scores an action left due (what the screen's worker thread does).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use huishen_core::Error;
use huishen_core::review::Session;
use huishen_core::review::{Direction, QueueFilter};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The fields a reviewer of the boilers (G103_1) corrects.
const BOILER_FIELDS: &[&str] = &["coal_t", "sulphur_pct", "so2_emit_t", "so2_gen_t"];

const FIELDS: &[&str] = &[
    "so2_emit_t",
    "pm_emit_t",
    "cod_emit_t",
    "production_hours",
    "credit_code",
    "region_code",
];

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if !(5..=6).contains(&args.len()) {
        eprintln!("usage: review_worker WORKSPACE REVIEWER SEED MILLISECONDS [PAUSE_MILLISECONDS]");
        return std::process::ExitCode::from(2);
    }
    let path = PathBuf::from(&args[1]);
    let number = |i: usize, what: &str| -> Option<u64> {
        match args.get(i).map(|a| a.parse::<u64>()) {
            None => Some(0),
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => {
                eprintln!("{what} must be a whole number, not `{}`", args[i]);
                None
            }
        }
    };
    let (Some(seed), Some(millis), Some(pause)) = (
        number(3, "SEED"),
        number(4, "MILLISECONDS"),
        number(5, "PAUSE_MILLISECONDS"),
    ) else {
        return std::process::ExitCode::from(2);
    };
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut passphrase = String::new();
    if std::io::stdin().read_line(&mut passphrase).is_err() {
        eprintln!("give the reviewer's passphrase as the first line of standard input");
        return std::process::ExitCode::from(2);
    }
    let passphrase = passphrase.trim_end_matches(['\n', '\r']);
    // HUISHEN_WORKER_FORM=G103_1: the scripted reviewer works on the boilers' rows instead.
    let form = std::env::var("HUISHEN_WORKER_FORM").ok();
    let fields: &[&str] = match form.as_deref() {
        Some("G103_1") => BOILER_FIELDS,
        _ => FIELDS,
    };
    let mut session = match Session::open(&path, &args[2], passphrase, form.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut done: BTreeMap<&str, u64> = BTreeMap::new();
    let mut refused = 0u64;
    let mut errors: Vec<String> = Vec::new();
    let mut latencies: Vec<u64> = Vec::new();
    let mut refreshes: Vec<u64> = Vec::new();
    // The ten slowest actions: (microseconds, what).
    let mut slowest: Vec<(u64, String)> = Vec::new();
    let deadline = Instant::now() + Duration::from_millis(millis);
    // The reviewer's work split, as the screen shows it by default ("mine").
    let filter = QueueFilter {
        mine: session.assignments().unwrap_or_default(),
        ..QueueFilter::default()
    };
    while Instant::now() < deadline {
        if pause > 0 {
            std::thread::sleep(Duration::from_millis(rng.below(2 * pause + 1)));
        }
        let window = match session.window(&filter, None, Direction::Forward, 60) {
            Ok(w) => w,
            Err(e) => {
                errors.push(e.to_string());
                continue;
            }
        };
        let Some(row) = window.get(rng.below(window.len() as u64) as usize).cloned() else {
            break;
        };
        let other = window.get(rng.below(window.len() as u64) as usize).cloned();
        let started = Instant::now();
        // The kind of action done, and what it was about.
        let outcome: Result<(&str, &str), Error> = (|| {
            let status = session.status(row.record)?;
            let v = status.version;
            match rng.below(10) {
                0..=3 => {
                    let field = fields[rng.below(fields.len() as u64) as usize];
                    let source = other.map_or(row.record, |o| o.record);
                    let detail = session
                        .record(source)?
                        .ok_or_else(|| Error::declined("gone", "记录已不在"))?;
                    let value = detail
                        .values
                        .iter()
                        .find(|f| f.field.name == field)
                        .map(|f| f.text.clone())
                        .unwrap_or_default();
                    session
                        .correct(row.record, v, field, &value, "load test")
                        .map(|_| ("correct", field))
                }
                4 => session
                    .note(row.record, v, "load test note")
                    .map(|()| ("note", "")),
                5 | 6 => match status.unexplained_warnings.first() {
                    Some(rule) => session
                        .explain(row.record, v, rule, "load test explanation")
                        .map(|()| ("explain", "")),
                    None => session.sign(row.record, v).map(|_| ("sign", "")),
                },
                7 => session.sign(row.record, v).map(|_| ("sign", "")),
                8 => session.undo(row.record, v).map(|_| ("undo", "")),
                _ => session
                    .reopen(row.record, v, "load test reopen")
                    .map(|()| ("reopen", "")),
            }
        })();
        // A correction that moved a peers group leaves the group's scores due; the screen's
        // worker thread scores them beside the reviewer's next keys. Timed apart: the
        // reviewer does not wait for it, but its short write transactions are what the
        // other reviewers' actions meet.
        let took = started.elapsed().as_micros() as u64;
        let scoring = Instant::now();
        match session.refresh_due() {
            Ok(0) => {}
            Ok(_) => refreshes.push(scoring.elapsed().as_micros() as u64),
            Err(e) => errors.push(e.to_string()),
        }
        match outcome {
            Ok((kind, about)) => {
                *done.entry(kind).or_default() += 1;
                latencies.push(took);
                slowest.push((took, format!("{kind} {about}").trim_end().to_string()));
                slowest.sort_unstable_by_key(|s| std::cmp::Reverse(s.0));
                slowest.truncate(10);
            }
            Err(Error::Declined { .. }) => refused += 1,
            Err(e) => errors.push(e.to_string()),
        }
    }
    let _ = session.release();
    println!(
        "{}",
        serde_json::json!({ "done": done, "refused": refused, "errors": errors, "latencies_us": latencies, "refreshes_us": refreshes, "slowest": slowest })
    );
    std::process::ExitCode::SUCCESS
}
