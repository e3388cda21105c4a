//! One output convention on every command that reports: `--format json` is one JSON document,
//! `jsonl` one object per line, `csv` a header and rows, all on standard output and parsed here
//! as a script would; `check --fail-on` gives scripts an exit status; completions and manual
//! pages come from the command line's own definitions, and `--help` names the environment and
//! the exit statuses.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::demo::reviewed;
use common::fixtures::{TINY, copy_in, tiny};
use common::{DEMO, Scratch, hs};

/// The commands that report, each with its arguments after the workspace.
const REPORTING: &[&[&str]] = &[
    &["check", DEMO],
    &["status", DEMO],
    &["status", DEMO, "--by", "rule"],
    &["rules", "list", DEMO],
    &["reviewer", "list", DEMO],
    &["verify", DEMO],
    &["policy", DEMO],
    &["locate", DEMO],
];

fn output(s: &Scratch, args: &[&str], format: &str) -> String {
    let out = hs(s)
        .args(args)
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} --format {format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_reporting_command_speaks_json_json_lines_and_csv() {
    let s = Scratch::new();
    reviewed(&s);
    for args in REPORTING {
        let json: serde_json::Value = serde_json::from_str(&output(&s, args, "json"))
            .unwrap_or_else(|e| panic!("{args:?} --format json: {e}"));
        assert!(json.is_object() || json.is_array(), "{args:?}");
        let lines = output(&s, args, "jsonl");
        for line in lines.lines() {
            let row: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{args:?} --format jsonl: {e}: {line}"));
            assert!(row.is_object(), "{args:?}: {line}");
        }
        let csv = output(&s, args, "csv");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let width = reader.headers().unwrap().len();
        for record in reader.records() {
            assert_eq!(record.unwrap().len(), width, "{args:?} --format csv");
        }
    }
    // What the figures say is what the table says: one JSON line per rule in force.
    let rules: serde_json::Value =
        serde_json::from_str(&output(&s, &["rules", "list", DEMO], "json")).unwrap();
    let listed = rules["rules"].as_array().unwrap().len();
    assert_eq!(
        output(&s, &["check", DEMO], "jsonl").lines().count(),
        listed
    );
    assert_eq!(
        output(&s, &["rules", "list", DEMO], "csv").lines().count(),
        listed + 1
    );
    let reviewers = output(&s, &["reviewer", "list", DEMO], "jsonl");
    assert!(
        reviewers
            .lines()
            .any(|l| l.contains("\"name\":\"张三\"") && l.contains("\"scope\":\"3701\""))
    );
    let verified: serde_json::Value =
        serde_json::from_str(&output(&s, &["verify", DEMO], "json")).unwrap();
    assert_eq!(verified["ok"], true);
}

#[test]
fn import_reports_in_json_with_its_counts_and_tokens() {
    let s = Scratch::new();
    tiny(&s);
    copy_in(&s, "office/missing-tokens.csv");
    let report: serde_json::Value = serde_json::from_str(&output(
        &s,
        &[
            "import",
            TINY,
            "missing-tokens.csv",
            "--form",
            "T",
            "--null",
            "NA,-",
        ],
        "json",
    ))
    .unwrap();
    assert_eq!(report["rows"], 3);
    assert_eq!(report["rejected"], 0);
    assert_eq!(report["read_as"], "UTF-8");
    assert_eq!(report["missing"], serde_json::json!({ "NA": 2, "-": 2 }));
}

#[test]
fn check_fail_on_ends_with_status_4_when_rules_of_that_severity_fail() {
    let s = Scratch::new();
    reviewed(&s);
    let out = hs(&s)
        .args(["check", DEMO, "--fail-on", "error", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    // The report is still printed in full, the verdict said on standard error.
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let failing_errors = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["severity"] == "error" && r["fails"].as_u64() > Some(0))
        .count();
    assert!(failing_errors > 0);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "error: {failing_errors} rules of the --fail-on severity have failing records or groups: "
        )),
        "{stderr}"
    );
    // Without --fail-on the same check succeeds.
    hs(&s).args(["check", DEMO]).assert().code(0);
}

#[test]
fn completions_and_manual_pages_come_from_the_command_line_itself() {
    let s = Scratch::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = hs(&s).args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        for command in ["import", "export", "verify", "completions"] {
            assert!(text.contains(command), "{shell} completes {command}");
        }
    }
    let page = hs(&s).arg("man").output().unwrap();
    let page = String::from_utf8(page.stdout).unwrap();
    assert!(page.contains(".TH huishen 1"), "{page}");
    assert!(
        page.contains("HUISHEN_LANG"),
        "the page names the environment"
    );
    std::fs::create_dir(s.path("man")).unwrap();
    hs(&s)
        .args(["man", "--out", "man"])
        .assert()
        .success()
        .stdout(predicates::str::contains("manual pages to man"));
    let import = std::fs::read_to_string(s.path("man/huishen-import.1")).unwrap();
    assert!(import.contains(".TH huishen-import"), "{import}");
    assert!(
        import.contains("huishen import") && import.contains("\\-\\-sheet"),
        "{import}"
    );
    assert!(s.path("man/huishen.1").exists());
}

#[test]
fn help_names_the_environment_and_the_exit_statuses() {
    let out = common::huishen().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for name in [
        "HUISHEN_LANG",
        "HUISHEN_TZ",
        "HUISHEN_ADMIN_PASSPHRASE",
        "HUISHEN_BUSY_TIMEOUT_MS",
        "NO_COLOR",
        "Exit status:",
        "141",
    ] {
        assert!(help.contains(name), "--help names {name}");
    }
}
