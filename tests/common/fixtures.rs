//! The files under `tests/fixtures`: the livestock dataset (form N101, rules L01-L07), the tiny
//! form the import tests fill, and one file per invalid input under `invalid/<kind>/`, named for
//! what is wrong with it. The invalid inputs are tried from tables, one per kind, each row a
//! fixture and the exact message a user reads; [`Mismatches`] gathers every row that differs so
//! that one run shows them all.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use super::{Scratch, hs};

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// A fixture file by its path under `tests/fixtures`.
pub fn fixture(path: &str) -> PathBuf {
    Path::new(FIXTURES).join(path)
}

/// Copies a fixture into the scratch folder under its own file name, and returns that name.
pub fn copy_in(s: &Scratch, path: &str) -> String {
    let from = fixture(path);
    let name = from
        .file_name()
        .expect("a fixture file")
        .to_string_lossy()
        .into_owned();
    std::fs::copy(&from, s.path(&name)).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    name
}

// ---------------------------------------------------------------------------------------
// Invalid inputs
// ---------------------------------------------------------------------------------------

/// The file names under `invalid/<kind>/`, sorted.
pub fn invalid_fixtures(kind: &str) -> Vec<String> {
    let dir = fixture(&format!("invalid/{kind}"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
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

/// Copies `invalid/<kind>/<name>` into the scratch folder under its own name.
pub fn copy_invalid(s: &Scratch, kind: &str, name: &str) -> String {
    copy_in(s, &format!("invalid/{kind}/{name}"))
}

/// Every fixture of a kind is in its table, once, and every row of the table has its file: a
/// fixture nobody tries is no test at all.
pub fn assert_table_covers(kind: &str, names: &[&str]) {
    let mut seen = BTreeSet::new();
    for name in names {
        assert!(seen.insert(*name), "{name} is twice in the table of {kind}");
    }
    let on_disk = invalid_fixtures(kind);
    let table: Vec<String> = seen.into_iter().map(String::from).collect();
    assert_eq!(
        table, on_disk,
        "the table of invalid {kind} inputs and the files under tests/fixtures/invalid/{kind} differ"
    );
}

/// What a command did: its exit code and its two outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// A refusal with exactly `stderr`: exit code 1 and nothing on standard output.
    pub fn refused(stderr: &str) -> Outcome {
        Outcome {
            code: Some(1),
            stdout: String::new(),
            stderr: stderr.to_string(),
        }
    }
}

/// Runs a command to its end, whatever it does.
pub fn run(cmd: &mut Command) -> Outcome {
    let out = cmd.output().expect("the command runs");
    Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The rows of a table whose outcome differs from what it should be.
#[derive(Default)]
pub struct Mismatches(Vec<String>);

impl Mismatches {
    pub fn check<T: PartialEq + Debug>(&mut self, fixture: &str, what: &str, got: T, want: T) {
        if got != want {
            self.0.push(format!(
                "{fixture}: {what}\n  expected: {want:#?}\n       got: {got:#?}"
            ));
        }
    }

    /// Fails the test with every mismatch found.
    pub fn assert_none(self) {
        assert!(
            self.0.is_empty(),
            "{} mismatches:\n\n{}",
            self.0.len(),
            self.0.join("\n\n")
        );
    }
}

// ---------------------------------------------------------------------------------------
// The tiny form
// ---------------------------------------------------------------------------------------

/// The workspace the tiny form's tests fill, inside the scratch folder.
pub const TINY: &str = "t.huishen";

/// The tiny form T (id, name required; count, amount, flag) as `tiny.toml` and its two good
/// records as `good.csv` in the scratch folder, and a workspace [`TINY`] of that form holding
/// them, made with the binary.
pub fn tiny(s: &Scratch) -> PathBuf {
    copy_in(s, "tiny/tiny.toml");
    copy_in(s, "tiny/good.csv");
    hs(s)
        .args(["init", TINY, "--schema", "tiny.toml"])
        .assert()
        .success();
    hs(s)
        .args(["import", TINY, "--form", "T", "good.csv"])
        .assert()
        .success();
    s.path(TINY)
}

/// Imports each invalid fixture of `kind` in `table` (file, the arguments after it, the message)
/// into a copy of the tiny form's workspace: each is refused with exactly its message, and the
/// workspace and the folder (no rejects file, nothing else) stay as they were. Every fixture of
/// the kind is in the table.
pub fn assert_imports_refused(kind: &str, table: &[(&str, &[&str], String)]) {
    assert_table_covers(
        kind,
        &table.iter().map(|(name, _, _)| *name).collect::<Vec<_>>(),
    );
    let template = Scratch::new();
    tiny(&template);
    let mut mismatches = Mismatches::default();
    for (name, args, message) in table {
        let s = Scratch::new();
        for file in template.files() {
            std::fs::copy(template.path(&file), s.path(&file)).expect("a copy of the template");
        }
        copy_invalid(&s, kind, name);
        let ws = s.path(TINY);
        let (before, files) = (super::fingerprint(&ws), s.files());
        let got = run(hs(&s)
            .args(["import", TINY, "--form", "T", name])
            .args(*args));
        mismatches.check(name, "import", got, Outcome::refused(message));
        mismatches.check(name, "the workspace", super::fingerprint(&ws), before);
        mismatches.check(name, "the folder", s.files(), files);
    }
    mismatches.assert_none();
}

// ---------------------------------------------------------------------------------------
// The livestock dataset
// ---------------------------------------------------------------------------------------

pub const LIVESTOCK_RULES: &str = include_str!("../fixtures/livestock/rules.toml");
pub const LIVESTOCK_README: &str = include_str!("../fixtures/livestock/README.md");

/// The workspace every livestock test works on, inside its scratch folder.
pub const N101: &str = "n101.huishen";

/// (rule, record) of every flag the livestock fixture must raise.
pub const EXPECTED_FLAGS: &[(&str, &str)] = &[
    ("L01", "N370687007"),
    ("L01", "N371721020"),
    ("L02", "N370724008"),
    ("L02", "N370783009"),
    ("L03", "N370782010"),
    ("L03", "N371721020"),
    ("L04", "N370828011"),
    ("L05", "N370921012"),
    ("L06", "N371083013"),
    ("L06", "N371721020"),
    ("L07", "N371122014"),
    ("L07", "N371321015"),
];

/// Copies the livestock fixture into the scratch folder and builds [`N101`] from it with the
/// binary: init, import and, with `rules`, loading rules.toml and a first check.
pub fn livestock(s: &Scratch, rules: bool) -> PathBuf {
    for file in ["schema.toml", "rules.toml", "n101.csv"] {
        copy_in(s, &format!("livestock/{file}"));
    }
    hs(s)
        .args(["init", N101, "--schema", "schema.toml"])
        .assert()
        .success();
    hs(s)
        .args(["import", N101, "--form", "N101", "n101.csv"])
        .assert()
        .success()
        .stdout(predicates::str::contains("imported 20 records into N101"));
    if rules {
        hs(s)
            .args(["rules", "load", N101, "rules.toml"])
            .assert()
            .success()
            .stdout("loaded 7 rules from rules.toml as rule set 1\n");
        hs(s).args(["check", N101]).assert().success();
    }
    s.path(N101)
}

/// Open flags as (rule, record key), read straight from the workspace file.
pub fn open_flags(ws: &Path, form: &str, key: &str) -> BTreeSet<(String, String)> {
    let conn = rusqlite::Connection::open(ws).expect("open the workspace");
    let sql = format!(
        "SELECT f.rule, t.{key} FROM flags f JOIN {form} t ON t.rowid = f.record WHERE f.state = 'open'"
    );
    let mut stmt = conn.prepare(&sql).expect("the flags");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("the flags")
        .collect::<Result<_, _>>()
        .expect("the flags")
}

pub fn expected_flags() -> BTreeSet<(String, String)> {
    EXPECTED_FLAGS
        .iter()
        .map(|(r, k)| (r.to_string(), k.to_string()))
        .collect()
}

/// What `rules list` says of a workspace in the scratch folder, with its exit status.
pub fn rules_list(s: &Scratch, ws: &str) -> (bool, String, String) {
    let out = hs(s)
        .args(["rules", "list", ws])
        .output()
        .expect("rules list");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ---------------------------------------------------------------------------------------
// The check's JSON report
// ---------------------------------------------------------------------------------------

/// A rule summary as the JSON report gives it:
/// (rule, severity, items, passes, fails, missing, not_applicable, errors).
pub type Counts = (String, String, u64, u64, u64, u64, u64, u64);

pub fn counts(report: &serde_json::Value) -> Vec<Counts> {
    report["rules"]
        .as_array()
        .expect("the rules")
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_u64().expect("a count");
            (
                r["rule"].as_str().expect("the rule").to_string(),
                r["severity"].as_str().expect("the severity").to_string(),
                n("items"),
                n("passes"),
                n("fails"),
                n("missing"),
                n("not_applicable"),
                n("errors"),
            )
        })
        .collect()
}

pub fn row(rule: &str, severity: &str, n: [u64; 6]) -> Counts {
    (
        rule.into(),
        severity.into(),
        n[0],
        n[1],
        n[2],
        n[3],
        n[4],
        n[5],
    )
}

/// `huishen check WS --json` in the scratch folder, parsed.
pub fn check_json(s: &Scratch, ws: &str) -> serde_json::Value {
    let out = hs(s).args(["check", ws, "--json"]).assert().success();
    serde_json::from_slice(&out.get_output().stdout).expect("the check's JSON")
}

// ---------------------------------------------------------------------------------------
// The selective-review fixture
// ---------------------------------------------------------------------------------------

/// The workspace of the selective-review fixture, inside its scratch folder.
pub const SELECTIVE: &str = "e.huishen";

/// The selective-review fixture (`tests/fixtures/selective/`) as workspace `name`, made with
/// the binary: init, import of `e.csv` with `edit` applied to its text, the rules and a first
/// check.
pub fn selective_with(s: &Scratch, name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    for f in ["schema.toml", "rules.toml"] {
        copy_in(s, &format!("selective/{f}"));
    }
    let csv = std::fs::read_to_string(fixture("selective/e.csv")).unwrap();
    s.write("e.csv", edit(csv));
    hs(s)
        .args(["init", name, "--schema", "schema.toml"])
        .assert()
        .success();
    hs(s)
        .args(["import", name, "--form", "E", "e.csv"])
        .assert()
        .success();
    hs(s)
        .args(["rules", "load", name, "rules.toml"])
        .assert()
        .success();
    hs(s).args(["check", name]).assert().success();
    s.path(name)
}

/// The selective-review fixture as it stands, at [`SELECTIVE`].
pub fn selective(s: &Scratch) -> PathBuf {
    selective_with(s, SELECTIVE, |csv| csv)
}

/// The census-object fixture (`tests/fixtures/family/`: enterprises E, boilers B) copied in,
/// as `w.huishen` with its schema only.
pub fn family_bare(s: &Scratch) -> PathBuf {
    for f in [
        "schema.toml",
        "rules.toml",
        "e.csv",
        "b.csv",
        "b-orphan.csv",
        "b-no-parent-key.csv",
    ] {
        copy_in(s, &format!("family/{f}"));
    }
    hs(s)
        .args(["init", "w.huishen", "--schema", "schema.toml"])
        .assert()
        .success();
    s.path("w.huishen")
}

/// The census-object fixture imported, its rules loaded and checked, as `w.huishen`.
pub fn family(s: &Scratch) -> PathBuf {
    let ws = family_bare(s);
    for (form, file) in [("E", "e.csv"), ("B", "b.csv")] {
        hs(s)
            .args(["import", "w.huishen", "--form", form, file])
            .assert()
            .success();
    }
    hs(s)
        .args(["rules", "load", "w.huishen", "rules.toml"])
        .assert()
        .success();
    hs(s).args(["check", "w.huishen"]).assert().success();
    ws
}
