//! A workspace that cannot be written, that was damaged outside huishen, or a folder given in
//! its place, is said so in words: what happened, which file, and what to do. No raw SQLite
//! message reaches the user ("attempt to write a readonly database", "database disk image is
//! malformed", "invalid utf-8 sequence"). `huishen verify` checks every page first and says a
//! damaged file could not be checked (exit 1), never that it was tampered with.

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::db::fingerprint;
use common::fixtures::{Outcome, run};
use common::{DEMO, Scratch, demo, hs};

const READ_ONLY: &str = "is read-only for this account, so adding a reviewer was not possible; \
    nothing was changed. Ask whoever owns it for write access to the file and its folder (see \
    “Sharing one workspace between OS accounts” in the README), or work on a copy\n";

/// A workspace nobody may write is still read (verify, export), and a change is refused in
/// words.
#[test]
fn a_read_only_workspace_is_read_and_a_change_is_refused_in_words() {
    let s = Scratch::new();
    let ws = demo(&s);
    std::fs::set_permissions(&ws, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = fingerprint(&ws);
    hs(&s).args(["verify", DEMO]).assert().success();
    hs(&s)
        .args(["export", DEMO, "--what", "data", "--out", "data.csv"])
        .assert()
        .success();
    let got = run(hs(&s)
        .args(["reviewer", "add", DEMO, "赵六", "--role", "统计部门"])
        .write_stdin("zhaoliu-2017\n"));
    assert_eq!(got, Outcome::refused(&format!("error: {DEMO} {READ_ONLY}")));
    assert_eq!(fingerprint(&ws), before);
}

/// Overwrites the first bytes of the page that holds the root of `table`, as a failing disk
/// or a careless tool would.
fn damage_table(ws: &Path, table: &str) {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let page_size: u64 = conn
        .pragma_query_value(None, "page_size", |r| r.get(0))
        .unwrap();
    let root: u64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(ws).unwrap();
    let start = ((root - 1) * page_size) as usize;
    bytes[start..start + 16].fill(0xff);
    std::fs::write(ws, bytes).unwrap();
}

#[test]
fn an_export_of_a_damaged_workspace_says_it_is_damaged_and_what_to_do() {
    let s = Scratch::new();
    let ws = demo(&s);
    damage_table(&ws, "G101_1");
    let got = run(hs(&s).args(["export", DEMO, "--what", "data", "--out", "data.csv"]));
    assert_eq!(
        got,
        Outcome::refused(
            "error: demo.huishen is damaged (SQLite found a damaged page while reading records); \
             nothing was changed. Restore it from a backup, or save what can still be read with \
             `sqlite3 demo.huishen .recover > recovered.sql`\n"
        )
    );
    assert!(!s.path("data.csv").exists());
}

/// Flips `len` bytes from `offset` on in the `nth` leaf page of `table` (found with SQLite's
/// `dbstat` table), as a failing disk does; returns the page's number.
fn flip_leaf(ws: &Path, table: &str, nth: u64, offset: usize, len: usize) -> u64 {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let page_size: u64 = conn
        .pragma_query_value(None, "page_size", |r| r.get(0))
        .unwrap();
    let page: u64 = conn
        .query_row(
            "SELECT pageno FROM dbstat WHERE name = ?1 AND pagetype = 'leaf' ORDER BY pageno
             LIMIT 1 OFFSET ?2",
            rusqlite::params![table, nth],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(ws).unwrap();
    let start = ((page - 1) * page_size) as usize + offset;
    for b in &mut bytes[start..start + len] {
        *b ^= 0xff;
    }
    std::fs::write(ws, bytes).unwrap();
    page
}

/// `huishen verify` on a damaged demo workspace: it could not check (exit 1, nothing on
/// standard output), says the file is damaged, where (`place`), and what to do, and leaves the
/// file as it was.
fn assert_verify_says_damaged(s: &Scratch, ws: &Path, place: &str) {
    let before = std::fs::read(ws).unwrap();
    let got = run(hs(s).args(["verify", DEMO]));
    assert_eq!((got.code, got.stdout.as_str()), (Some(1), ""), "{got:?}");
    let said = &got.stderr;
    assert!(
        said.starts_with("error: demo.huishen is damaged (SQLite's page check ")
            && said.contains(place)
            && said.ends_with(
                "); nothing was changed. Restore it from a backup, or save what can still be \
                 read with `sqlite3 demo.huishen .recover > recovered.sql`\n"
            ),
        "{said}"
    );
    assert!(
        std::fs::read(ws).unwrap() == before,
        "verify wrote to the file"
    );
}

/// `huishen verify` checks every page first: 256 flipped bytes of a page that the hash chain
/// and the signatures never read are found and said in words.
#[test]
fn verify_finds_flipped_bytes_and_says_what_to_do() {
    // The start of a records page: SQLite's check cannot read the page.
    let s = Scratch::new();
    let ws = demo(&s);
    flip_leaf(&ws, "G101_1", 10, 0, 256);
    assert_verify_says_damaged(&s, &ws, ", in table G101_1)");
    // The middle of a page of the regions table: the check names the page and the table.
    let s = Scratch::new();
    let ws = demo(&s);
    let page = flip_leaf(&ws, "regions", 2, 100, 256);
    assert_verify_says_damaged(&s, &ws, &format!(", on page {page}, in table regions"));
}

/// A damaged root page of the audit trail is damage, not tampering: verify could not check.
#[test]
fn verify_says_a_damaged_trail_could_not_be_checked() {
    let s = Scratch::new();
    let ws = demo(&s);
    damage_table(&ws, "events");
    assert_verify_says_damaged(&s, &ws, "in table events");
}

#[test]
fn text_that_is_not_utf8_is_named_by_form_record_and_field() {
    let s = Scratch::new();
    let ws = demo(&s);
    let conn = rusqlite::Connection::open(&ws).unwrap();
    conn.execute(
        "UPDATE G101_1 SET unit_name = CAST(X'E59EA6FF' AS TEXT) WHERE record_id = ?1",
        [common::demo::CLEAN_JINAN],
    )
    .unwrap();
    drop(conn);
    let got = run(hs(&s).args(["export", DEMO, "--what", "data", "--out", "data.csv"]));
    assert_eq!(
        got,
        Outcome::refused(&format!(
            "error: demo.huishen holds text that is not valid UTF-8 (form G101_1, record {}, \
             field unit_name), found while reading records: it was changed outside huishen; \
             nothing was changed. Restore it from a backup, or correct that value with the \
             sqlite3 CLI, and run `huishen verify`\n",
            common::demo::CLEAN_JINAN
        ))
    );
}

#[test]
fn a_folder_given_as_the_workspace_is_said_to_be_a_folder() {
    let s = Scratch::new();
    demo(&s);
    std::fs::create_dir(s.path("empty")).unwrap();
    let got = run(hs(&s).args(["verify", "."]));
    assert_eq!(
        got,
        Outcome::refused(
            "error: . is a folder, not a workspace; give the path of the workspace file (in it: \
             demo.huishen)\n"
        )
    );
    let got = run(hs(&s).args(["status", "empty"]));
    assert_eq!(
        got,
        Outcome::refused(
            "error: empty is a folder, not a workspace; give the path of the workspace file\n"
        )
    );
}
