//! No command panics on the way out. A command whose standard output is a pipe that its reader
//! has closed (`huishen verify WS | head -1`) stops and ends quietly with status 141, what a
//! shell reports for a program stopped by a closed pipe; and the review screen, which needs a
//! terminal, refuses to start without one before it asks for a passphrase.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::process::{Command, Stdio};

use common::{DEMO, Scratch, demo, hs};

/// The write end of a pipe whose read end is closed already: the reader, `true`, has ended.
fn closed_pipe() -> Stdio {
    let mut reader = Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("`true` runs");
    let write_end = reader.stdin.take().expect("the pipe");
    reader.wait().expect("`true` ends");
    Stdio::from(write_end)
}

/// `huishen ARGS` in the scratch folder with standard output into a closed pipe: its exit
/// code and what it wrote to standard error.
fn into_closed_pipe(s: &Scratch, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(assert_cmd::cargo::cargo_bin("huishen"))
        .args(args)
        .current_dir(s.dir.path())
        .env("HUISHEN_BUSY_TIMEOUT_MS", "300")
        .env("HUISHEN_ADMIN", common::ADMIN)
        .env("HUISHEN_ADMIN_PASSPHRASE", common::ADMIN_PASSPHRASE)
        .stdin(Stdio::null())
        .stdout(closed_pipe())
        .stderr(Stdio::piped())
        .output()
        .expect("the command runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_command_writing_into_a_closed_pipe_ends_quietly_with_status_141() {
    let s = Scratch::new();
    demo(&s);
    let commands: &[&[&str]] = &[
        &["verify", DEMO],
        &["rules", "list", DEMO],
        &["reviewer", "list", DEMO],
        &["status", DEMO],
        &["status", DEMO, "--json"],
        &["export", DEMO, "--what", "data"],
        &["export", DEMO, "--what", "flags", "--format", "json"],
        &["check", DEMO, "--json"],
        &["check", DEMO],
        &["policy", DEMO],
    ];
    let mut wrong = Vec::new();
    for args in commands {
        let got = into_closed_pipe(&s, args);
        if got != (Some(141), String::new()) {
            wrong.push(format!("huishen {}: {got:?}", args.join(" ")));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Nothing was half done: the workspace still verifies.
    hs(&s).args(["verify", DEMO]).assert().success();
}

#[test]
fn the_review_screen_without_a_terminal_refuses_before_asking_for_a_passphrase() {
    let s = Scratch::new();
    demo(&s);
    hs(&s)
        .args(["review", DEMO, "--reviewer", "王五"])
        .write_stdin("wangwu-2017\n")
        .assert()
        .failure()
        .code(1)
        .stdout("")
        .stderr(
            "error: huishen review opens the review screen, which needs a terminal, and neither \
             standard input nor standard output is one; nothing was opened. Run it in a terminal \
             window (over SSH, with `ssh -t`), without redirecting its input or output; for \
             scripts, use `huishen status`, `huishen apply` or `huishen export`\n",
        );
}

#[test]
fn the_demo_without_a_terminal_builds_the_workspace_and_says_why_no_screen_opened() {
    let s = Scratch::new();
    hs(&s)
        .args(["demo", "--workspace", "d.huishen"])
        .assert()
        .success()
        .stderr("")
        .stdout(predicates::str::ends_with(
            "(standard input or output is not a terminal, so the review screen was not opened)\n",
        ));
}
