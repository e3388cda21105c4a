//! Witnessed heads: `huishen verify --witness FILE` keeps the trail's head outside the
//! workspace and holds the trail to every head kept there. An attacker who can write the file,
//! rewrites an event and computes the whole chain again passes a plain `verify`; the witness
//! finds it. So does cutting the newest events off.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::demo::{CLEAN_JINAN, PM_KG};
use common::fixtures::run;
use common::{DEMO, Scratch, act, demo, hs, huishen};

/// A note on a sample record as 王五.
fn note(ws: &Path, key: &str, text: &str) {
    act(ws, "王五", key, |s, r, v| s.note(r, v, text));
}

fn witness(s: &Scratch) -> common::fixtures::Outcome {
    run(hs(s).args(["verify", DEMO, "--witness", "heads.txt"]))
}

#[test]
fn each_verification_adds_the_head_and_holds_the_trail_to_those_before() {
    let s = Scratch::new();
    let ws = demo(&s);
    note(&ws, PM_KG, "企业已核实");
    let first = witness(&s);
    assert_eq!(first.code, Some(0), "{first:?}");
    assert!(
        first
            .stdout
            .contains("witness heads.txt: no heads yet, nothing to hold the trail to"),
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains("added the head at event #"),
        "{}",
        first.stdout
    );
    note(&ws, CLEAN_JINAN, "现场核查无误");
    let second = witness(&s);
    assert_eq!(second.code, Some(0), "{second:?}");
    assert!(
        second
            .stdout
            .contains("the trail holds every one of its 1 heads"),
        "{}",
        second.stdout
    );
    let heads = std::fs::read_to_string(s.path("heads.txt")).unwrap();
    assert_eq!(heads.lines().count(), 2, "{heads}");
    assert!(
        heads.lines().all(|l| l.starts_with("huishen head: event #")
            && l.contains(" workspace demo.huishen root ")
            && l.contains(" signed by 王五 ")),
        "{heads}"
    );
    // Nothing new: the head is there already, and is not added twice.
    let third = witness(&s);
    assert_eq!(third.code, Some(0));
    assert!(!third.stdout.contains("added the head"), "{}", third.stdout);
}

#[test]
fn a_trail_rewritten_with_every_hash_recomputed_is_found_by_its_signatures_and_its_witness() {
    let s = Scratch::new();
    let ws = demo(&s);
    note(&ws, PM_KG, "企业已核实");
    assert_eq!(witness(&s).code, Some(0));
    note(&ws, CLEAN_JINAN, "现场核查无误");
    let conn = common::db::unguarded(&ws);
    let edited: i64 = conn
        .query_row(
            "SELECT id FROM events WHERE kind = 'note' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE events SET payload = replace(payload, '企业已核实', '无需核实') WHERE id = ?1",
        [edited],
    )
    .unwrap();
    conn.execute(
        "UPDATE notes SET text = '无需核实' WHERE event = ?1",
        [edited],
    )
    .unwrap();
    common::db::rehash_chain(&conn);
    drop(conn);
    // The chain links and every hash matches, but the rewritten events no longer carry
    // their signer's signature.
    let plain = run(hs(&s).args(["verify", DEMO]));
    assert_eq!(plain.code, Some(3), "{plain:?}");
    assert!(
        plain.stdout.contains(&format!(
            "event #{edited} (note of G101_1/{PM_KG} by 王五) does not carry 王五's signature"
        )),
        "{}",
        plain.stdout
    );
    let got = witness(&s);
    assert_eq!(got.code, Some(3), "{got:?}");
    assert!(
        got.stdout
            .contains("witness heads.txt: the trail does NOT hold what was witnessed:"),
        "{}",
        got.stdout
    );
    assert!(
        got.stdout.contains("the trail was rewritten"),
        "{}",
        got.stdout
    );
    assert!(got.stdout.contains("(heads.txt:1)"), "{}", got.stdout);
    assert_eq!(
        std::fs::read_to_string(s.path("heads.txt"))
            .unwrap()
            .lines()
            .count(),
        1,
        "a trail that does not verify adds no head"
    );
}

#[test]
fn a_trail_cut_back_behind_its_witness_is_found() {
    let s = Scratch::new();
    let ws = demo(&s);
    note(&ws, PM_KG, "企业已核实");
    note(&ws, CLEAN_JINAN, "现场核查无误");
    assert_eq!(witness(&s).code, Some(0));
    // The newest event goes, with its note, and the sequence is lowered to hide it.
    let conn = common::db::unguarded(&ws);
    let newest: i64 = conn
        .query_row("SELECT max(id) FROM events", [], |r| r.get(0))
        .unwrap();
    conn.execute("DELETE FROM notes WHERE event = ?1", [newest])
        .unwrap();
    conn.execute("DELETE FROM events WHERE id = ?1", [newest])
        .unwrap();
    conn.execute(
        "UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'events'",
        [newest - 1],
    )
    .unwrap();
    common::db::guard_again(&conn);
    drop(conn);
    assert_eq!(run(hs(&s).args(["verify", DEMO])).code, Some(0));
    let got = witness(&s);
    assert_eq!(got.code, Some(3), "{got:?}");
    assert!(
        got.stdout
            .contains(&format!("event #{newest}, witnessed at "))
            && got
                .stdout
                .contains("is no longer in the trail: its newest events were cut off"),
        "{}",
        got.stdout
    );
}

#[test]
fn a_witness_file_that_is_not_one_checks_nothing() {
    let s = Scratch::new();
    demo(&s);
    s.write("heads.txt", "event 12 was fine\n");
    let got = witness(&s);
    assert_eq!(got.code, Some(1), "{got:?}");
    assert_eq!(
        got.stderr,
        "error: heads.txt:1 is not a head huishen wrote (huishen head: event #N hash H at \
         TIME); nothing was checked. Restore the witness file, or give another\n"
    );
}

#[test]
fn a_witnessed_head_changed_by_hand_or_of_another_trail_is_found() {
    let s = Scratch::new();
    let ws = demo(&s);
    assert_eq!(witness(&s).code, Some(0));
    let heads = std::fs::read_to_string(s.path("heads.txt")).unwrap();
    // The time moved: the administrator's signature no longer holds.
    let moved = heads.replacen(" at 20", " at 19", 1);
    s.write("heads.txt", &moved);
    let got = witness(&s);
    assert_eq!(got.code, Some(3), "{got:?}");
    assert!(
        got.stdout
            .contains("does not carry 王五's signature: the witness file was changed"),
        "{}",
        got.stdout
    );
    // A head of this workspace kept beside another trail (a new root) is not its head.
    s.write("heads.txt", &heads);
    let other = s.path("other.huishen");
    huishen()
        .arg("demo")
        .arg("--workspace")
        .arg(&other)
        .assert()
        .success();
    common::db::fold_wal(&other);
    std::fs::copy(&other, &ws).unwrap();
    let got = witness(&s);
    assert_eq!(got.code, Some(3), "{got:?}");
    assert!(
        got.stdout.contains("the whole trail was replaced"),
        "{}",
        got.stdout
    );
}
