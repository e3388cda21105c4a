//! A workspace written by the huishen before signing keys (`tests/fixtures/previous-format/
//! format7.huishen`: the tiny form, two records, a rule and its check, reviewers 甲 (组长,
//! passphrase jia-2017) and 乙 (yi-20177), one correction by 甲, the policy at one signature;
//! its trail of 4 events verified clean with that huishen). It opens, nothing in it can be
//! signed or proved until `huishen upgrade` attests it, and afterwards verify proves it
//! unchanged since.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use common::fixtures::fixture;
use common::review::verified;
use common::{Scratch, unauthorised};
use huishen_core::review::{Session, Workspace};

const OLD: &str = "old.huishen";

fn old_workspace(s: &Scratch) -> std::path::PathBuf {
    let ws = s.path(OLD);
    std::fs::copy(fixture("previous-format/format7.huishen"), &ws).unwrap();
    ws
}

#[test]
fn an_older_workspace_is_attested_by_its_first_administrator_and_verifies_since() {
    let s = Scratch::new();
    let ws = old_workspace(&s);
    // Before the upgrade: verify cannot prove anything, and says what to do.
    let out = unauthorised(&s).args(["verify", OLD]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "old.huishen was written by a huishen from before signing keys: none of its 4 events is signed"
        ) && stderr.contains("huishen upgrade old.huishen --as NAME"),
        "{stderr}"
    );
    // Nobody can act in it yet.
    let refused = Session::open(&ws, "甲", "jia-2017", None).err().unwrap();
    assert!(refused.to_string().contains("huishen upgrade"), "{refused}");
    // A wrong passphrase upgrades nothing.
    let before = common::fingerprint(&ws);
    unauthorised(&s)
        .args(["upgrade", OLD, "--as", "甲"])
        .write_stdin("jia\njia-2016\nJIA-2017\n")
        .assert()
        .failure();
    assert_eq!(common::fingerprint(&ws), before);
    // 甲 attests the trail.
    let out = unauthorised(&s)
        .args(["upgrade", OLD, "--as", "甲"])
        .write_stdin("jia-2017\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "upgraded old.huishen: 4 events written before signing are attested by one upgrade event signed by 甲"
        ),
        "{stdout}"
    );
    unauthorised(&s)
        .args(["verify", OLD])
        .assert()
        .success()
        .stdout(verified(&ws));
    // A second upgrade has nothing to do.
    unauthorised(&s)
        .args(["upgrade", OLD, "--as", "甲"])
        .write_stdin("jia-2017\n")
        .assert()
        .failure()
        .stderr(predicates::str::contains("the trail is signed already"));
    // 乙 signs in once 甲 gives them a new passphrase (a key).
    assert!(Session::open(&ws, "乙", "yi-20177", None).is_err());
    unauthorised(&s)
        .args([
            "reviewer",
            "change",
            OLD,
            "乙",
            "--passphrase",
            "--as",
            "甲",
        ])
        .write_stdin("jia-2017\nyi-2026-new\n")
        .assert()
        .success();
    let mut yi = Session::open(&ws, "乙", "yi-2026-new", None).unwrap();
    let record = yi.find("A1").unwrap().unwrap();
    let v = yi.status(record).unwrap().version;
    yi.note(record, v, "已核实").unwrap();
    yi.release().unwrap();
    drop(yi);
    unauthorised(&s)
        .args(["verify", OLD])
        .assert()
        .success()
        .stdout(verified(&ws));
    let v = Workspace::open(&ws).unwrap().verify().unwrap();
    assert!(v.ok(), "{v:?}");
}

#[test]
fn an_attested_event_changed_after_the_upgrade_is_found() {
    let s = Scratch::new();
    let ws = old_workspace(&s);
    unauthorised(&s)
        .args(["upgrade", OLD, "--as", "甲"])
        .write_stdin("jia-2017\n")
        .assert()
        .success();
    // The old correction's reason, in its event and its row.
    common::db::sqlite3_ok(
        &ws,
        "DROP TRIGGER events_append_only_update;
         UPDATE events SET payload = replace(payload, '核实', '随意') WHERE kind = 'correct';
         UPDATE corrections SET reason = '随意';",
    );
    let out = unauthorised(&s).args(["verify", OLD]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("audit trail BROKEN: event #3 (correct by 甲"),
        "{stdout}"
    );
}
