//! Re-check after one edit: a reviewer's correction through a review session
//! (`Session::correct`: the version and scope checks, the claim, the audited event and the
//! re-check, in one transaction) on a checked workspace, timed per call, for three kinds of
//! edit:
//!
//! - `so2_gen_t`: a field that only single-record rules read (R13, R18, R20, R21, X05);
//! - `credit_code`: a field of the cross-record rules R27/R28, whose `related` expression is
//!   the credit code (the record takes another record's code, so the duplicate rules move);
//! - `output_value_10k_yuan`: a value of the R29 peers statistics, so the record's industry
//!   group is recomputed and R29 re-run over the group.
//!
//! Plain `main` (no harness). The workspace comes from the environment, made beforehand by
//! `scripts/bench_rules.py --build-only` (imported, rules loaded, checked once):
//!
//! ```sh
//! scripts/bench_rules.py --build-only --dir /tmp/bench 270000 3600000
//! HUISHEN_BENCH_WORKSPACE=/tmp/bench/ws_270000.huishen cargo bench --bench recheck
//! ```
//!
//! The workspace is copied first (to `NAME.recheck-bench` beside it, removed at the end), so
//! every run starts from the same flags. `HUISHEN_BENCH_ITERATIONS` (default 200) sets the
//! timed edits per kind; 5 more per kind warm up first. Records are picked by a fixed
//! pseudo-random sequence, the same on every run. Prints p50, p99 and max per kind, and how many
//! times a re-check ran a rule (over the record, or over a related or peers group).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use huishen_core::review::{NewReviewer, Session, Workspace};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

const FORM: &str = "G101_1";
const WARM_UP: usize = 5;
const REVIEWER: &str = "bench";

/// SplitMix64: a small deterministic generator, so that every run edits the same records.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: i64) -> i64 {
        (self.next() % n as u64) as i64
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    So2Gen,
    CreditCode,
    OutputValue,
}

impl Kind {
    fn field(self) -> &'static str {
        match self {
            Kind::So2Gen => "so2_gen_t",
            Kind::CreditCode => "credit_code",
            Kind::OutputValue => "output_value_10k_yuan",
        }
    }
}

/// A new value for `field` of the record at `rowid`: a real value scaled, or another record's
/// credit code.
enum NewValue {
    Real(f64),
    Text(String),
}

fn pick(reader: &Connection, rng: &mut Rng, max_rowid: i64, kind: Kind) -> (String, NewValue) {
    loop {
        let rowid = 1 + rng.below(max_rowid);
        let row: Option<(String, Option<f64>)> = match kind {
            Kind::CreditCode => None,
            _ => reader
                .query_row(
                    &format!(
                        "SELECT record_id, {} FROM {FORM} WHERE rowid = ?1",
                        kind.field()
                    ),
                    [rowid],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .expect("reading a record"),
        };
        match kind {
            Kind::So2Gen | Kind::OutputValue => {
                let Some((key, old)) = row else { continue };
                // Scale the value; the factor alternates so that values do not drift off.
                let factor = if rng.next() % 2 == 0 { 1.5 } else { 0.7 };
                let new = old.map_or(10.0, |x| (x * factor * 10_000.0).round() / 10_000.0);
                // A correction must change the value (0 scaled is 0 still).
                if old != Some(new) {
                    return (key, NewValue::Real(new));
                }
            }
            Kind::CreditCode => {
                let other = 1 + rng.below(max_rowid);
                let own: Option<(String, Option<String>)> = reader
                    .query_row(
                        &format!("SELECT record_id, credit_code FROM {FORM} WHERE rowid = ?1"),
                        [rowid],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()
                    .expect("reading a record");
                let code: Option<Option<String>> = reader
                    .query_row(
                        &format!("SELECT credit_code FROM {FORM} WHERE rowid = ?1"),
                        [other],
                        |r| r.get(0),
                    )
                    .optional()
                    .expect("reading a record");
                // Another record's code, never the one the record holds already.
                if let (Some((key, mine)), Some(Some(code))) = (own, code)
                    && mine.as_deref() != Some(code.as_str())
                {
                    return (key, NewValue::Text(code));
                }
            }
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn copy_workspace(from: &Path) -> PathBuf {
    let mut to = from.as_os_str().to_owned();
    to.push(".recheck-bench");
    let to = PathBuf::from(to);
    for suffix in ["", "-wal", "-shm"] {
        let mut f = to.as_os_str().to_owned();
        f.push(suffix);
        let _ = std::fs::remove_file(f);
    }
    std::fs::copy(from, &to).expect("copying the workspace");
    let mut wal = from.as_os_str().to_owned();
    wal.push("-wal");
    if Path::new(&wal).exists() {
        let mut to_wal = to.as_os_str().to_owned();
        to_wal.push("-wal");
        std::fs::copy(&wal, &to_wal).expect("copying the workspace's WAL");
    }
    to
}

fn remove_workspace(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut f = path.as_os_str().to_owned();
        f.push(suffix);
        let _ = std::fs::remove_file(f);
    }
}

/// The bench reviewer's passphrase.
const PASSPHRASE: &str = "bench-2017";

/// Enrols the bench reviewer, as the workspace's administrator (named in `HUISHEN_ADMIN` and
/// `HUISHEN_ADMIN_PASSPHRASE`, as the bench scripts set them).
fn enrol(path: &std::path::Path) {
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let mut ws = Workspace::open(path).expect("opening the workspace");
    let by = ws
        .sign_in(
            &var("HUISHEN_ADMIN", "bench-admin"),
            &var("HUISHEN_ADMIN_PASSPHRASE", "bench-admin-pass"),
        )
        .expect("the administrator signs in");
    let me = NewReviewer {
        name: REVIEWER,
        role: "省级审核",
        scope: "",
        admin: false,
        passphrase: PASSPHRASE,
    };
    ws.add_reviewer(&me, &by)
        .expect("enrolling the bench reviewer");
}

fn main() {
    // `cargo bench` passes `--bench`; there is nothing to parse.
    let Some(source) = std::env::var_os("HUISHEN_BENCH_WORKSPACE").map(PathBuf::from) else {
        eprintln!(
            "recheck: set HUISHEN_BENCH_WORKSPACE to a checked workspace, e.g. one made by\n  \
             scripts/bench_rules.py --build-only --dir /tmp/bench 270000\n  \
             HUISHEN_BENCH_WORKSPACE=/tmp/bench/ws_270000.huishen cargo bench --bench recheck"
        );
        return;
    };
    let iterations: usize = std::env::var("HUISHEN_BENCH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
        .max(1);
    let path = copy_workspace(&source);
    let reader = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("opening the workspace copy");
    let (records, max_rowid): (i64, i64) = reader
        .query_row(
            &format!("SELECT count(*), max(rowid) FROM {FORM}"),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("counting records");
    let open_flags: i64 = reader
        .query_row("SELECT count(*) FROM flags WHERE state = 'open'", [], |r| {
            r.get(0)
        })
        .expect("counting flags (is the workspace checked?)");
    enrol(&path);
    // A review session checkpoints beside the edits, not inside them.
    let mut session =
        Session::open(&path, REVIEWER, PASSPHRASE, Some(FORM)).expect("a review session");
    println!(
        "re-check after one edit: {} ({records} records, {open_flags} open flags), \
         {iterations} edits per kind after {WARM_UP} to warm up",
        source.display()
    );
    println!(
        "{:<24} {:>9} {:>9} {:>9} {:>9} {:>13}",
        "edit", "p50_ms", "p99_ms", "max_ms", "mean_ms", "rule_runs_p50"
    );
    let mut rng = Rng(0x4855_4953);
    for kind in [Kind::So2Gen, Kind::CreditCode, Kind::OutputValue] {
        let mut times = Vec::with_capacity(iterations);
        let mut runs = Vec::with_capacity(iterations);
        for i in 0..WARM_UP + iterations {
            let (key, new) = pick(&reader, &mut rng, max_rowid, kind);
            let text = match &new {
                NewValue::Real(x) => x.to_string(),
                NewValue::Text(t) => t.clone(),
            };
            let record = session
                .find(&key)
                .expect("finding the record")
                .expect("the record");
            let seen = session.status(record).expect("the record's state").version;
            let start = Instant::now();
            let report = session
                .correct(record, seen, kind.field(), &text, "bench")
                .expect("the correction");
            let took = start.elapsed();
            if i >= WARM_UP {
                times.push(took);
                runs.push(report.runs);
            }
        }
        times.sort_unstable();
        runs.sort_unstable();
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        println!(
            "{:<24} {:>9} {:>9} {:>9} {:>9} {:>13}",
            kind.field(),
            ms(percentile(&times, 0.50)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().expect("at least one edit")),
            ms(mean),
            runs[runs.len() / 2]
        );
    }
    drop(session);
    drop(reader);
    remove_workspace(&path);
}
