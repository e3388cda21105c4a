//! A correction that moves a record between peers groups moves the group totals score S1
//! divides by, so every record of both groups needs scoring again. The action scores its own
//! record at once and leaves the two groups due; they are scored just after (a screen's
//! worker, the end of a bulk action, any session's `refresh_due`), and then agree with a
//! full check. Worked on the fixture `tests/fixtures/selective/` (its README has the totals).

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use std::path::Path;

use huishen_core::review::Session;

use common::db::sqlite3_ok;
use common::fixtures::selective;
use common::review::{leave, open, seen};
use common::screen::{chars, key};
use common::{ADMIN, ADMIN_PASSPHRASE, Scratch, hs};

fn rowid(ws: &Path, key: &str) -> i64 {
    let conn = rusqlite::Connection::open(ws).unwrap();
    conn.query_row("SELECT rowid FROM E WHERE id = ?1", [key], |r| r.get(0))
        .unwrap()
}

/// Score S1 of a record.
fn s1(session: &mut Session, record: i64) -> Option<f64> {
    let scores = session.scores(record).unwrap();
    scores.iter().find(|s| s.id == "S1").and_then(|s| s.value)
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= 1e-9 * b.abs().max(1.0))
}

/// Every record's S1, by key.
fn all_s1(ws: &Path) -> Vec<(String, Option<f64>)> {
    let mut session = open(ws, ADMIN);
    let out = ["A1", "A2", "A3", "B1", "B2"]
        .iter()
        .map(|k| (k.to_string(), s1(&mut session, rowid(ws, k))))
        .collect();
    leave(&session);
    out
}

/// Moves A1 from prefecture 3701 to 3702: 3701's totals become emit 90 and output 95, 3702's
/// emit 10 and output 140.
fn move_a1(session: &mut Session, ws: &Path) -> i64 {
    let a1 = rowid(ws, "A1");
    let v = seen(session, a1);
    session.correct(a1, v, "region", "3702", "moved").unwrap();
    a1
}

#[test]
fn a_move_scores_its_record_at_once_and_leaves_both_groups_due_until_refreshed() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut session = open(&ws, ADMIN);
    let a1 = move_a1(&mut session, &ws);
    // Its own score, with the new totals of 3702: max(100·2/10, 100·10/140).
    assert!(
        close(s1(&mut session, a1), 20.0),
        "{:?}",
        s1(&mut session, a1)
    );
    // A3 of 3701 still has its score against the old total (100·10/100), and the figures
    // say two groups are due.
    let a3 = rowid(&ws, "A3");
    assert!(close(s1(&mut session, a3), 10.0));
    assert_eq!(session.figures(None).unwrap().scores.due, 2);
    let status = hs(&s).arg("status").arg(&ws).assert().success();
    let out = String::from_utf8_lossy(&status.get_output().stdout).into_owned();
    assert!(
        out.contains("2 peers groups moved by corrections are being scored again"),
        "{out}"
    );

    // Another reviewer's session that only reads may score them: figures, not actions.
    let watcher = Session::observe(&ws, ADMIN, None).unwrap();
    assert_eq!(watcher.refresh_due().unwrap(), 2);
    assert!(close(s1(&mut session, a3), 100.0 * 10.0 / 90.0));
    let a2 = rowid(&ws, "A2");
    assert!(close(s1(&mut session, a2), 100.0 * 999_905.0 / 95.0));
    assert_eq!(session.figures(None).unwrap().scores.due, 0);
    // Nothing left: a second refresh settles nothing.
    assert_eq!(watcher.refresh_due().unwrap(), 0);
    leave(&session);

    // The figures now are those a full check computes from scratch.
    let refreshed = all_s1(&ws);
    let copy = s.path("copy.huishen");
    sqlite3_ok(&ws, &format!("VACUUM INTO '{}';", copy.display()));
    sqlite3_ok(&copy, "DELETE FROM scores;");
    hs(&s).arg("check").arg(&copy).assert().success();
    assert_eq!(all_s1(&copy), refreshed);
}

#[test]
fn an_edit_landing_while_a_group_is_scored_leaves_it_due_for_the_next_refresh() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut session = open(&ws, ADMIN);
    move_a1(&mut session, &ws);
    leave(&session);
    // As if another correction moved the groups again after the refresh read them: the
    // due rows carry an event the refresh's read cannot have seen.
    sqlite3_ok(
        &ws,
        "UPDATE refresh_due SET event = (SELECT max(id) FROM events) + 1;",
    );
    let watcher = Session::observe(&ws, ADMIN, None).unwrap();
    assert_eq!(watcher.refresh_due().unwrap(), 0, "nothing may be settled");
    assert_eq!(watcher.figures(None).unwrap().scores.due, 2);
    // A full check computes everything, from a read that sees every event so far: the rows
    // it covers go, those of a later event stay.
    hs(&s).arg("check").arg(&ws).assert().success();
    assert_eq!(watcher.figures(None).unwrap().scores.due, 2);
    sqlite3_ok(&ws, "UPDATE refresh_due SET event = 1;");
    hs(&s).arg("check").arg(&ws).assert().success();
    assert_eq!(watcher.figures(None).unwrap().scores.due, 0);
}

#[test]
fn a_screen_that_closes_scores_what_its_corrections_left_due() {
    use huishen::tui::i18n::Lang;
    use ratatui::crossterm::event::KeyCode;

    let s = Scratch::new();
    let ws = selective(&s);
    let mut app = common::screen::app_on(&ws, (ADMIN, ADMIN_PASSPHRASE), None, Lang::En, (120, 40));
    // The queue opens on A3 (an error first); the move is made on A2, from 3701 to 3702:
    // both prefectures' totals move.
    key(&mut app, KeyCode::Down);
    assert_eq!(app.selected().unwrap().key, "A2");
    key(&mut app, KeyCode::Tab);
    for _ in 0..app.record.as_ref().unwrap().values.len() {
        if app.record.as_ref().unwrap().values[app.field_cursor]
            .field
            .name
            == "region"
        {
            break;
        }
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char('e'));
    for _ in 0..8 {
        key(&mut app, KeyCode::Backspace);
    }
    chars(&mut app, "3702");
    key(&mut app, KeyCode::Enter);
    // The reason: the first of the schema's.
    key(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{}", common::screen::screen(&app));
    let observer = Session::observe(&ws, ADMIN, None).unwrap();
    let mut reader = open(&ws, ADMIN);
    let a2 = rowid(&ws, "A2");
    let region = |reader: &mut Session| {
        let detail = reader.record(a2).unwrap().unwrap();
        let field = detail.values.iter().find(|v| v.field.name == "region");
        field.unwrap().text.clone()
    };
    assert_eq!(
        region(&mut reader),
        "3702",
        "the correction was made on screen"
    );
    app.close().unwrap();
    assert_eq!(observer.figures(None).unwrap().scores.due, 0);
    // A3, left alone in 3701 (emit total 10 + 60 = 70), is scored against the new total.
    let a3 = rowid(&ws, "A3");
    assert!(close(s1(&mut reader, a3), 100.0 * 10.0 / 70.0));
    leave(&reader);
}

#[test]
fn an_export_with_scores_and_a_bulk_action_score_what_is_due_first() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut session = open(&ws, ADMIN);
    move_a1(&mut session, &ws);
    assert_eq!(session.figures(None).unwrap().scores.due, 2);
    // The export's scores are current: the groups are scored before it reads them.
    let export = hs(&s)
        .args(["export", common::fixtures::SELECTIVE, "--what", "data"])
        .args(["--with-scores", "--headers", "names"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&export.get_output().stdout).into_owned();
    let a3 = text.lines().find(|l| l.starts_with("A3,")).unwrap();
    let score: f64 = a3.rsplit(',').next().unwrap().parse().unwrap();
    assert!(close(Some(score), 100.0 * 10.0 / 90.0), "{a3}");
    assert_eq!(session.figures(None).unwrap().scores.due, 0);

    // A bulk action scores what its corrections (or anyone's) left due when it ends.
    move_back_and_forth(&mut session, &ws);
    assert_eq!(session.figures(None).unwrap().scores.due, 2);
    let records = vec![rowid(&ws, "A2")];
    let plan = session
        .plan_bulk(
            &records,
            huishen_core::review::BulkAction::Explain {
                rule: None,
                text: "checked with the enterprise".into(),
            },
        )
        .unwrap();
    session.run_bulk(&plan).unwrap();
    assert_eq!(session.figures(None).unwrap().scores.due, 0);
    leave(&session);
}

/// Moves A1 back to 3701, leaving both prefectures due again.
fn move_back_and_forth(session: &mut Session, ws: &Path) {
    let a1 = rowid(ws, "A1");
    let v = seen(session, a1);
    session
        .correct(a1, v, "region", "3701", "moved back")
        .unwrap();
}

#[test]
fn apply_scores_what_its_corrections_left_due_before_it_ends() {
    let s = Scratch::new();
    let ws = selective(&s);
    s.write(
        "moves.csv",
        "key,field,value,reason\nA1,region,3702,moved\n",
    );
    hs(&s)
        .args(["apply", common::fixtures::SELECTIVE, "moves.csv"])
        .args(["--reviewer", ADMIN, "--commit"])
        .write_stdin(format!("{ADMIN_PASSPHRASE}\n"))
        .assert()
        .success();
    let mut session = open(&ws, ADMIN);
    assert_eq!(session.figures(None).unwrap().scores.due, 0);
    let a3 = rowid(&ws, "A3");
    assert!(close(s1(&mut session, a3), 100.0 * 10.0 / 90.0));
    leave(&session);
}
