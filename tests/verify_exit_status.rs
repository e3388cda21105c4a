//! `huishen verify`'s exit status tells a script what it found: 0 intact, 3 tampered (the
//! trail or a signature does not hold; see audit_trail.rs), 1 could not check (a damaged file,
//! see damaged_workspace.rs; a file that is not a workspace; no file at all). `--help` says so.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::fixtures::run;
use common::review::{DOES_NOT_VERIFY, verified};
use common::{DEMO, Scratch, demo, hs};

#[test]
fn verify_help_names_every_exit_status() {
    let s = Scratch::new();
    let got = run(hs(&s).args(["verify", "--help"]));
    assert_eq!(got.code, Some(0));
    for line in [
        "Exit status:\n",
        "  0    intact: every page is whole, the audit trail links from its first event to its last\n",
        "  3    tampered: the trail, a signature, a table or a witnessed head does not hold; it was\n",
        "  1    could not check: the file is damaged, cannot be read, is not a workspace, its trail\n",
        "  2    the command line was wrong (nothing was checked)\n",
    ] {
        assert!(got.stdout.contains(line), "{line:?} in\n{}", got.stdout);
    }
}

#[test]
fn an_intact_workspace_exits_0_and_says_what_was_checked() {
    let s = Scratch::new();
    let ws = demo(&s);
    let got = run(hs(&s).args(["verify", DEMO]));
    assert_eq!(
        (got.code, got.stdout, got.stderr),
        (Some(0), verified(&ws), String::new())
    );
}

#[test]
fn a_signed_record_changed_outside_huishen_exits_3() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rec = common::rowid(&ws, common::demo::CLEAN_QINGDAO);
    assert!(!common::review::sign_as(&ws, rec, &["李四"]));
    common::db::sqlite3_ok(
        &ws,
        &format!("UPDATE G101_1 SET output_value_10k_yuan = 1 WHERE rowid = {rec}"),
    );
    let got = run(hs(&s).args(["verify", DEMO]));
    assert_eq!((got.code, got.stderr.as_str()), (Some(3), DOES_NOT_VERIFY));
    assert!(got.stdout.contains("but its values have changed since"));
}

#[test]
fn what_is_not_a_workspace_could_not_be_checked() {
    let s = Scratch::new();
    s.write("notes.txt", "not a database, only words\n".repeat(200));
    let got = run(hs(&s).args(["verify", "notes.txt"]));
    assert_eq!((got.code, got.stdout.as_str()), (Some(1), ""), "{got:?}");
    assert!(
        got.stderr
            .starts_with("error: notes.txt is not a huishen workspace"),
        "{}",
        got.stderr
    );
    let got = run(hs(&s).args(["verify", "missing.huishen"]));
    assert_eq!((got.code, got.stdout.as_str()), (Some(1), ""), "{got:?}");
    assert!(
        got.stderr
            .starts_with("error: there is no workspace at missing.huishen"),
        "{}",
        got.stderr
    );
    let got = run(hs(&s).args(["verify"]));
    assert_eq!(got.code, Some(2), "{got:?}");
}
