//! Who may do what: every administrator command refused without a passphrase, with a wrong
//! one, and to a reviewer who is not an administrator, with nothing written; a session opens
//! only with the reviewer's passphrase, and one that only reads cannot act.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use common::db::rowid;
use common::demo::CLEAN_QINGDAO;
use common::{DEMO, Scratch, demo, fingerprint, unauthorised};
use huishen_core::Error;
use huishen_core::review::Session;

/// Every command only an administrator may run, on the demo workspace (files in the scratch
/// folder where a command reads one).
fn administrator_commands(s: &Scratch) -> Vec<Vec<&'static str>> {
    s.write("more.csv", std::fs::read(common::SAMPLE_CSV).unwrap());
    std::fs::copy(common::SAMPLE_RULES, s.path("rules.toml")).unwrap();
    vec![
        vec!["import", DEMO, "more.csv", "--form", "G101_1"],
        vec!["check", DEMO],
        vec!["rules", "load", DEMO, "rules.toml"],
        vec!["assign", DEMO, "--reviewer", "李四", "--region", "3702"],
        vec!["policy", DEMO, "--signatures", "1"],
        vec!["reviewer", "add", DEMO, "赵六", "--role", "统计部门"],
        vec!["reviewer", "change", DEMO, "张三", "--scope", ""],
        vec!["reviewer", "remove", DEMO, "张三"],
    ]
}

#[test]
fn administrator_commands_need_an_administrator_and_write_nothing_otherwise() {
    let s = Scratch::new();
    let ws = demo(&s);
    let before = fingerprint(&ws);
    for args in administrator_commands(&s) {
        // Nobody named.
        let out = unauthorised(&s)
            .args(&args)
            .write_stdin("")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{args:?} ran without an administrator"
        );
        assert!(
            stderr.contains("--as") || stderr.contains("ADMINISTRATOR"),
            "{args:?}: {stderr}"
        );
        // The administrator named, a wrong passphrase three times.
        let out = unauthorised(&s)
            .args(&args)
            .args(["--as", "王五"])
            .write_stdin("wangwu\nwangwu-2016\nWANGWU-2017\n")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{args:?} ran with a wrong passphrase"
        );
        assert!(
            stderr.contains("wrong passphrase for 王五 three times; nothing was done"),
            "{args:?}: {stderr}"
        );
        // A reviewer who is not an administrator, with their right passphrase.
        let out = unauthorised(&s)
            .args(&args)
            .args(["--as", "李四"])
            .write_stdin("lisi-2017\nzhaoliu-2017\n")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} ran for 李四");
        assert!(
            stderr.contains("李四 is not an administrator: only an administrator (组长) may"),
            "{args:?}: {stderr}"
        );
        assert_eq!(fingerprint(&ws), before, "{args:?} changed the workspace");
    }
}

#[test]
fn an_administrator_command_is_one_signed_event() {
    let s = Scratch::new();
    let ws = demo(&s);
    unauthorised(&s)
        .args([
            "assign",
            DEMO,
            "--reviewer",
            "李四",
            "--region",
            "3702",
            "--as",
            "王五",
        ])
        .write_stdin("wangwu-2017\n")
        .assert()
        .success();
    let (kind, by, signed): (String, String, bool) = rusqlite::Connection::open(&ws)
        .unwrap()
        .query_row(
            "SELECT kind, reviewer, signature IS NOT NULL FROM events ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (kind.as_str(), by.as_str(), signed),
        ("assign", "王五", true)
    );
    common::review::assert_verifies(&s, &ws);
}

#[test]
fn a_session_opens_only_with_the_reviewers_passphrase() {
    let s = Scratch::new();
    let ws = demo(&s);
    let wrong = Session::open(&ws, "李四", "wangwu-2017", None);
    assert!(
        matches!(&wrong, Err(Error::WrongPassphrase { reviewer }) if reviewer == "李四"),
        "{:?}",
        wrong.err()
    );
    assert!(Session::open(&ws, "李四", "lisi-2017", None).is_ok());
}

#[test]
fn a_session_that_only_reads_cannot_act() {
    let s = Scratch::new();
    let ws = demo(&s);
    let before = fingerprint(&ws);
    let mut observer = Session::observe(&ws, "王五", None).unwrap();
    let record = rowid(&ws, CLEAN_QINGDAO);
    assert!(observer.record(record).unwrap().is_some(), "it reads");
    let version = observer.status(record).unwrap().version;
    let refused = common::review::refusal(observer.note(record, version, "看一下"));
    assert_eq!(
        refused,
        "this session only reads: open it with the reviewer's passphrase to act"
    );
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn init_makes_the_first_administrator_and_prints_the_root_fingerprint() {
    let s = Scratch::new();
    let out = unauthorised(&s)
        .args([
            "init",
            "w.huishen",
            "--schema",
            common::SAMPLE_SCHEMA,
            "--admin",
            "王五",
        ])
        .write_stdin("wangwu-2017\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = common::review::root_of(&s.path("w.huishen"));
    assert!(
        stdout.contains(&format!(
            "administrator 王五 (组长); root key fingerprint {root}"
        )),
        "{stdout}"
    );
    // The administrator signs in; nobody else is enrolled yet.
    unauthorised(&s)
        .args([
            "assign",
            "w.huishen",
            "--reviewer",
            "王五",
            "--region",
            "37",
            "--as",
            "王五",
        ])
        .write_stdin("wangwu-2017\n")
        .assert()
        .success();
}

#[test]
fn a_removed_reviewer_can_no_longer_sign_in_and_their_work_stays() {
    let s = Scratch::new();
    let ws = demo(&s);
    common::act(&ws, "张三", common::demo::NO_RIVER, |s, r, v| {
        s.note(r, v, "待企业确认")
    });
    unauthorised(&s)
        .args(["reviewer", "remove", DEMO, "张三", "--as", "王五"])
        .write_stdin("wangwu-2017\n")
        .assert()
        .success()
        .stdout("removed reviewer 张三; what they did stays in the audit trail\n");
    assert!(Session::open(&ws, "张三", "zhangsan-2017", None).is_err());
    common::review::assert_verifies(&s, &ws);
    // Putting the reviewer back by hand is found.
    common::db::sqlite3_ok(
        &ws,
        "INSERT INTO reviewers (name, role, scope, passphrase, added_at, admin, public_key, sealed_key)
         VALUES ('张三', '县级审核', '3701', '', '2026-12-01T00:00:00Z', 0, '', '')",
    );
    let out = common::hs(&s).args(["verify", DEMO]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("reviewers: reviewer 张三 is not in the audit trail"),
        "{stdout}"
    );
}

#[test]
fn an_administrator_cannot_take_away_their_own_authority_nor_change_nothing() {
    let s = Scratch::new();
    let ws = demo(&s);
    let before = fingerprint(&ws);
    for (args, said) in [
        (
            vec!["reviewer", "change", DEMO, "王五", "--admin", "no"],
            "an administrator cannot take away their own authority: another administrator must",
        ),
        (
            vec!["reviewer", "remove", DEMO, "王五"],
            "an administrator cannot remove themselves: another administrator must",
        ),
        (
            vec!["reviewer", "change", DEMO, "李四", "--role", "市级审核"],
            "nothing to change for 李四: give a new --role, --scope, --admin or --passphrase",
        ),
    ] {
        let out = common::hs(&s).args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    }
    assert_eq!(fingerprint(&ws), before);
}

#[test]
fn a_witness_file_gets_a_head_only_from_an_administrator() {
    let s = Scratch::new();
    demo(&s);
    // Checked without anyone named: the file is held to, and nothing is appended.
    let out = unauthorised(&s)
        .args(["verify", DEMO, "--witness", "heads.txt"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "witness heads.txt: no head added: an administrator signs it (--as ADMINISTRATOR)"
        ),
        "{stdout}"
    );
    assert!(!s.path("heads.txt").exists());
    // A reviewer who is not one is refused.
    let out = unauthorised(&s)
        .args(["verify", DEMO, "--witness", "heads.txt", "--as", "李四"])
        .write_stdin("lisi-2017\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(
            "李四 is not an administrator: only an administrator (组长) may sign a witnessed head"
        ),
        "{stderr}"
    );
    assert!(!s.path("heads.txt").exists());
}
