//! One record's error localisation, timed record by record: a review session on a workspace
//! locates each record with an open flag on its own, through `Session::locate`, as the screen
//! does for the record it shows (its values read, then located against the form's linear
//! rules). Benchmarks run it; it is not a test.
//!
//!     locate_each WORKSPACE REVIEWER
//!
//! The reviewer's passphrase is the first line of standard input. The rules are read for
//! localisation once per session, by the first call, which is timed apart.
//!
//! Prints one JSON object: the records located, the first call's time, the others' p50, p99
//! and max in milliseconds, how many were located, needed no change, were contradictory or
//! stopped at the search budget, and the ten slowest records by key.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use huishen_core::domain::Located;
use huishen_core::review::{Direction, QueueFilter, Session};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: locate_each WORKSPACE REVIEWER (the passphrase on standard input)");
        return std::process::ExitCode::from(2);
    }
    let mut passphrase = String::new();
    if std::io::stdin().read_line(&mut passphrase).is_err() {
        eprintln!("give the reviewer's passphrase as the first line of standard input");
        return std::process::ExitCode::from(2);
    }
    let passphrase = passphrase.trim_end_matches(['\n', '\r']);
    match run(Path::new(&args[1]), &args[2], passphrase) {
        Ok(report) => {
            println!("{report}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(path: &Path, reviewer: &str, passphrase: &str) -> huishen_core::Result<String> {
    let mut session = Session::open(path, reviewer, passphrase, None)?;
    // Every record with an open flag, in queue order, as `huishen locate` takes them.
    let filter = QueueFilter::default();
    let mut flagged = Vec::new();
    let mut anchor = None;
    loop {
        let rows = session.window(&filter, anchor.as_ref(), Direction::Forward, 1000)?;
        let Some(last) = rows.last().cloned() else {
            break;
        };
        flagged.extend(
            rows.into_iter()
                .filter(|r| r.severity.is_some())
                .map(|r| (r.record, r.key)),
        );
        anchor = Some(last);
    }
    let mut first_ms = None;
    let mut times: Vec<f64> = Vec::with_capacity(flagged.len());
    let mut outcomes: BTreeMap<&str, u64> = BTreeMap::new();
    let mut slowest: Vec<(f64, String)> = Vec::new();
    for (record, key) in &flagged {
        let started = Instant::now();
        let located = session.locate(*record)?;
        let ms = started.elapsed().as_secs_f64() * 1e3;
        let kind = match located.map(|l| l.located) {
            None => "gone",
            Some(Located::Nothing) => "nothing",
            Some(Located::Fields { .. }) => "located",
            Some(Located::Contradictory { .. }) => "contradictory",
            Some(Located::OverBudget { .. }) => "over_budget",
        };
        *outcomes.entry(kind).or_default() += 1;
        if first_ms.is_none() {
            first_ms = Some(ms);
            continue;
        }
        times.push(ms);
        slowest.push((ms, key.clone()));
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        slowest.truncate(10);
    }
    let _ = session.release();
    times.sort_by(f64::total_cmp);
    let at = |q: f64| -> f64 {
        if times.is_empty() {
            return 0.0;
        }
        let i = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1;
        times[i]
    };
    let round = |ms: f64| (ms * 1000.0).round() / 1000.0;
    Ok(serde_json::json!({
        "records": flagged.len(),
        "first_ms": first_ms.map(round),
        "p50_ms": round(at(0.50)),
        "p99_ms": round(at(0.99)),
        "max_ms": round(times.last().copied().unwrap_or(0.0)),
        "outcomes": outcomes,
        "slowest": slowest.iter().map(|(ms, key)| (round(*ms), key)).collect::<Vec<_>>(),
    })
    .to_string())
}
