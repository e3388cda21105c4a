//! `huishen export` refuses bad input with a clear message and leaves no file behind: an
//! unknown form or kind, an existing file without --force, a path that cannot be written, a
//! value GBK cannot hold (named by record and field), options that do not go together, and a
//! workspace that is not there.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::demo::{KILN, reviewed};
use common::{DEMO, Scratch, act, hs};
use predicates::prelude::*;

/// Runs an export that must fail with exactly `stderr` and leave no file in the folder but
/// the workspace (and whatever `keep` names).
fn refused(s: &Scratch, args: &[&str], stderr: &str, keep: &[&str]) {
    hs(s)
        .args(["export", DEMO])
        .args(args)
        .assert()
        .failure()
        .stdout("")
        .stderr(stderr.to_string());
    let mut left: Vec<String> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with(DEMO))
        .collect();
    left.sort();
    assert_eq!(left, keep, "files left behind");
}

#[test]
fn an_unknown_form_is_refused() {
    let s = Scratch::new();
    reviewed(&s);
    refused(
        &s,
        &["--what", "data", "--form", "G999", "--out", "x.csv"],
        "error: the workspace has no form `G999`; its forms are: G101_1, G103_1, G102\n",
        &[],
    );
}

#[test]
fn an_unknown_what_is_a_usage_error() {
    let s = Scratch::new();
    reviewed(&s);
    hs(&s)
        .args(["export", DEMO, "--what", "everything"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value 'everything' for '--what <WHAT>'",
        ))
        .stderr(predicate::str::contains(
            "[possible values: data, changes, flags, signatures, notes, all]",
        ));
}

#[test]
fn an_existing_file_is_kept_unless_force_is_given() {
    let s = Scratch::new();
    reviewed(&s);
    s.write("out.csv", "keep me");
    refused(
        &s,
        &["--what", "data", "--out", "out.csv"],
        "error: out.csv exists already; nothing was written. Choose another path, or add --force to replace it\n",
        &["out.csv"],
    );
    assert_eq!(
        std::fs::read_to_string(s.path("out.csv")).unwrap(),
        "keep me"
    );
    hs(&s)
        .args([
            "export", DEMO, "--what", "notes", "--out", "out.csv", "--force",
        ])
        .assert()
        .success()
        .stderr("exported 1 notes of G101_1 to out.csv (CSV, UTF-8)\n");
    let text = std::fs::read_to_string(s.path("out.csv")).unwrap();
    assert!(text.starts_with("\u{feff}普查对象记录号,备注,"), "{text}");
}

#[test]
fn an_output_that_cannot_be_written_is_refused() {
    let s = Scratch::new();
    reviewed(&s);
    refused(
        &s,
        &["--what", "data", "--out", "missing/out.csv"],
        "error: cannot write missing/out.csv: the folder missing does not exist\n",
        &[],
    );
    std::fs::create_dir(s.path("folder")).unwrap();
    refused(
        &s,
        &["--what", "data", "--out", "folder"],
        "error: cannot write folder: it is a folder; give the path of a file\n",
        &["folder"],
    );
}

#[test]
fn a_value_gbk_cannot_encode_names_record_and_field_and_writes_nothing() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    act(&ws, "王五", KILN, |s, r, v| {
        s.correct(r, v, "unit_name", "临朐𠮷祥水泥有限公司", "企业核实")
    });
    let message = format!(
        "error: cannot write out.csv in GBK: record {KILN}, field unit_name (单位详细名称) is “临朐𠮷祥水泥有限公司”, and GBK has no 𠮷 (U+20BB7); nothing was written. Export with --encoding utf-8, or correct the value\n"
    );
    refused(
        &s,
        &["--what", "data", "--encoding", "gbk", "--out", "out.csv"],
        &message,
        &[],
    );
    // With --force over an older export, the older file stays as it was.
    s.write("out.csv", "older export");
    refused(
        &s,
        &[
            "--what",
            "data",
            "--encoding",
            "gbk",
            "--out",
            "out.csv",
            "--force",
        ],
        &message,
        &["out.csv"],
    );
    assert_eq!(
        std::fs::read_to_string(s.path("out.csv")).unwrap(),
        "older export"
    );
    refused(
        &s,
        &[
            "--what",
            "changes",
            "--encoding",
            "gbk",
            "--headers",
            "names",
        ],
        &format!(
            "error: cannot write standard output in GBK: record {KILN}, field unit_name, column new is “临朐𠮷祥水泥有限公司”, and GBK has no 𠮷 (U+20BB7); nothing was written. Export with --encoding utf-8, or correct the value\n"
        ),
        &["out.csv"],
    );
    hs(&s)
        .args(["export", DEMO, "--what", "data", "--out", "utf8.csv"])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(s.path("utf8.csv"))
            .unwrap()
            .contains("临朐𠮷祥水泥有限公司")
    );
}

#[test]
fn options_that_do_not_go_together_are_refused() {
    let s = Scratch::new();
    reviewed(&s);
    refused(
        &s,
        &[
            "--what",
            "data",
            "--format",
            "json",
            "--encoding",
            "gbk",
            "--out",
            "x.json",
        ],
        "error: JSON is always UTF-8; leave out --encoding gbk, or export CSV\n",
        &[],
    );
    refused(
        &s,
        &["--what", "changes", "--with-original", "--out", "x.csv"],
        "error: --with-original adds original values to the data; use it with --what data (the change log has them already)\n",
        &[],
    );
}

#[test]
fn a_missing_workspace_is_refused() {
    let s = Scratch::new();
    hs(&s)
        .args(["export", "nothing.huishen", "--what", "data", "--out", "x.csv"])
        .assert()
        .failure()
        .stderr("error: there is no workspace at nothing.huishen; create one with `huishen init nothing.huishen --schema FILE`\n");
    assert!(!s.path("x.csv").exists());
}
