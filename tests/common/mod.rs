//! Helpers shared by the end-to-end tests. Every test file includes this folder as
//! `mod common;` and uses what it needs:
//!
//! - here: a scratch folder per test, the real binary, the sample's files;
//! - [`demo`]: the demo workspace (the Shandong sample, the census rules checked, the sample
//!   team), built once per test binary and copied fresh into each test's scratch folder, the
//!   same workspace after a short review session, and the seeded records the tests act on;
//! - [`db`]: the workspace file read straight with rusqlite or the sqlite3 shell, as an auditor
//!   or an attacker would, and a fingerprint of its whole content to prove that a refused
//!   command changed nothing;
//! - [`review`]: a team member's session, the refusals it gives and the audit trail's verdict;
//! - [`screen`]: keys into the review screen and its frame as text;
//! - [`seeded`]: the defects seeded into the sample, as its README lists them;
//! - [`fixtures`]: the files under `tests/fixtures`: the livestock dataset, the tiny form, and
//!   one file per invalid input under `invalid/`, with the runner their tables share.

#![allow(dead_code, unused_imports)] // each test file uses only some of the helpers
#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

pub mod db;
pub mod demo;
pub mod fixtures;
pub mod review;
pub mod screen;
pub mod seeded;
pub mod workers;

use std::path::PathBuf;

use assert_cmd::Command;

pub use db::{fingerprint, open_flag_rows, rowid, stored_rows};
pub use demo::{DEMO, demo};
pub use review::{TESTER, act, correct, edit_text};

/// The administrator (组长) of every test workspace: the demo's leader, who also creates the
/// workspaces the tests make with `init`.
pub const ADMIN: &str = "王五";
/// The administrator's passphrase (the sample team's).
pub const ADMIN_PASSPHRASE: &str = "wangwu-2017";

pub const SAMPLE_SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-data/shandong-2017/schema.toml"
);
pub const SAMPLE_CSV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-data/shandong-2017/g101_1.csv"
);
/// The boilers (G103_1) beneath the sample's records.
pub const SAMPLE_BOILERS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-data/shandong-2017/g103_1.csv"
);
/// The wastewater outlets (G102) beneath the sample's records.
pub const SAMPLE_OUTLETS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-data/shandong-2017/g102.csv"
);
pub const SAMPLE_GBK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-data/shandong-2017/g101_1_gbk.csv"
);
pub const SAMPLE_RULES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-data/shandong-2017/rules.toml"
);

/// The number of fields of the sample's form G101_1.
pub fn sample_fields() -> usize {
    let schema =
        huishen_core::domain::Schema::parse(SAMPLE_SCHEMA, huishen_core::sample::SCHEMA_TOML)
            .expect("the sample schema parses");
    schema.form("G101_1").expect("form G101_1").fields.len()
}

/// The number of rules of the sample's census rule set.
pub fn sample_rules() -> usize {
    (huishen_core::sample::RULES_TOML.lines())
        .filter(|l| *l == "[[rule]]")
        .count()
}

/// The number of the sample's dataset rules (one verdict per form or group).
pub fn sample_dataset_rules() -> usize {
    (huishen_core::sample::RULES_TOML.lines())
        .filter(|l| l.starts_with("scope = \"form\"") || l.starts_with("scope = \"group\""))
        .count()
}

/// The number of the sample's record rules (a verdict per record).
pub fn sample_record_rules() -> usize {
    sample_rules() - sample_dataset_rules()
}

/// A proptest runner of `cases` cases that draws the same cases every run from `seed`, so
/// that a failure is there on the next run too; PROPTEST_RNG_SEED=<n> explores others.
pub fn fixed_runner(seed: u64, cases: u32) -> proptest::test_runner::TestRunner {
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    let defaults = Config::default();
    let rng_seed = match defaults.rng_seed {
        RngSeed::Random => RngSeed::Fixed(seed),
        given => given,
    };
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        rng_seed,
        ..defaults
    })
}

/// A folder of one's own for a test, removed when the test ends.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    }

    /// A file of the folder as text.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).expect("read a file of the folder")
    }

    /// The names of the files in the folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("the scratch folder")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    /// A new workspace `ws.huishen` for the sample schema.
    pub fn sample_workspace(&self) -> PathBuf {
        let ws = self.path("ws.huishen");
        huishen()
            .arg("init")
            .arg(&ws)
            .arg("--schema")
            .arg(SAMPLE_SCHEMA)
            .assert()
            .success();
        ws
    }
}

/// The huishen binary, with a short lock wait so lock tests finish quickly, and the
/// administrator of the test workspaces ([`ADMIN`]) named in the environment as a scripted
/// administrator command has it (tests of authority take it away with [`unauthorised`]).
pub fn huishen() -> Command {
    let mut cmd = Command::cargo_bin("huishen").expect("binary");
    cmd.env("HUISHEN_BUSY_TIMEOUT_MS", "300")
        // Times show in one zone whatever the computer's (tests/local_time.rs sets others).
        .env("HUISHEN_TZ", "UTC")
        .env("USER", "tester")
        .env("HUISHEN_ADMIN", ADMIN)
        .env("HUISHEN_ADMIN_PASSPHRASE", ADMIN_PASSPHRASE)
        // English, whatever the machine's locale: the tests of Chinese ask for it.
        .env("HUISHEN_LANG", "en");
    cmd
}

/// The binary without the administrator in its environment: as anyone at the terminal.
pub fn unauthorised(s: &Scratch) -> Command {
    let mut cmd = hs(s);
    cmd.env_remove("HUISHEN_ADMIN")
        .env_remove("HUISHEN_ADMIN_PASSPHRASE");
    cmd
}

/// The binary, run in the scratch folder so that messages name files as the user typed them.
pub fn hs(s: &Scratch) -> Command {
    let mut cmd = huishen();
    cmd.current_dir(s.dir.path());
    cmd
}
