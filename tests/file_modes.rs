//! Files huishen creates follow the umask like any other program's: the workspace, the WAL and
//! SHM files SQLite makes beside it while it is open, exports and rejects files. A team that
//! shares one workspace between OS accounts of one group gives it to the group with
//! `init --group-writable` (or works under `umask 002`).

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::fixtures::copy_in;
use common::{SAMPLE_SCHEMA, Scratch};

/// Runs `huishen ARGS` in the scratch folder under `umask`, and asserts that it succeeds.
fn under_umask(s: &Scratch, umask: &str, args: &str) {
    let bin = assert_cmd::cargo::cargo_bin("huishen");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" {args}"))
        .arg(bin)
        .current_dir(s.dir.path())
        .env("USER", "tester")
        .env("HUISHEN_ADMIN", common::ADMIN)
        .env("HUISHEN_ADMIN_PASSPHRASE", common::ADMIN_PASSPHRASE)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "huishen {args} under umask {umask}");
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_new_workspace_follows_the_umask() {
    let s = Scratch::new();
    for (umask, name, want) in [
        ("022", "a.huishen", 0o644),
        ("002", "b.huishen", 0o664),
        ("077", "c.huishen", 0o600),
    ] {
        under_umask(&s, umask, &format!("init {name} --schema {SAMPLE_SCHEMA}"));
        assert_eq!(mode(&s.path(name)), want, "{name} under umask {umask}");
    }
}

#[test]
fn group_writable_lets_the_group_read_and_write_whatever_the_umask() {
    let s = Scratch::new();
    under_umask(
        &s,
        "022",
        &format!("init g.huishen --schema {SAMPLE_SCHEMA} --group-writable"),
    );
    assert_eq!(mode(&s.path("g.huishen")), 0o664);
}

/// While a reviewer works, SQLite keeps `-wal` and `-shm` files beside the workspace; it
/// gives them the workspace's permissions, so whoever may write the workspace may write them.
#[test]
fn the_wal_and_shm_files_take_the_workspace_s_permissions() {
    let s = Scratch::new();
    under_umask(
        &s,
        "022",
        &format!("init w.huishen --schema {SAMPLE_SCHEMA} --group-writable"),
    );
    let ws = s.path("w.huishen");
    let conn = rusqlite::Connection::open(&ws).unwrap();
    conn.execute_batch("PRAGMA user_version = user_version")
        .unwrap();
    conn.execute("UPDATE policy SET claim_minutes = claim_minutes", [])
        .unwrap();
    for suffix in ["-wal", "-shm"] {
        let file = s.path(&format!("w.huishen{suffix}"));
        assert_eq!(mode(&file), 0o664, "{suffix}");
    }
    drop(conn);
}

#[test]
fn exports_and_rejects_files_follow_the_umask() {
    let s = Scratch::new();
    copy_in(&s, "tiny/tiny.toml");
    // One good row and one with a cell too many, which is set aside as it was.
    s.write(
        "mixed.csv",
        "编号,名称,数量,金额,标志\nR1,甲,1,2,1\nR2,乙,2,1,234,1\n",
    );
    copy_in(&s, "tiny/good.csv");
    under_umask(&s, "002", "init t.huishen --schema tiny.toml");
    under_umask(&s, "002", "import t.huishen --form T good.csv");
    under_umask(
        &s,
        "002",
        "import t.huishen --form T mixed.csv --skip-bad-rows",
    );
    let rejects = s.path("mixed.rejects.csv");
    assert_eq!(mode(&rejects), 0o664);
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        text.ends_with("R2,乙,2,1,234,3,has 6 fields; the header has 5,1\n"),
        "{text}"
    );
    under_umask(&s, "002", "export t.huishen --what data --out data.csv");
    assert_eq!(mode(&s.path("data.csv")), 0o664);
    under_umask(&s, "022", "export t.huishen --what data --out data2.csv");
    assert_eq!(mode(&s.path("data2.csv")), 0o644);
}
