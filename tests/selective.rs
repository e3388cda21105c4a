//! Review at census scale on the hand-worked fixture `tests/fixtures/selective/` (its README
//! gives every figure): the scores of score function S1 and the queue ordered by them, the
//! unit fix F01 proposed, accepted as the reviewer's correction and undone, dismissed, and
//! bulk actions planned, run and undone as one.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use huishen_core::domain::Datum;
use huishen_core::review::{
    BulkAction, Direction, Impact, QueueFilter, QueueRow, Session, batch_of,
};

use common::fixtures::{SELECTIVE as WS, selective};
use common::review::{leave, open, refusal, seen, verified};
use common::{ADMIN, Scratch, hs};

/// The rowid of a record of form E.
fn rowid(ws: &std::path::Path, key: &str) -> i64 {
    let conn = rusqlite::Connection::open(ws).unwrap();
    conn.query_row("SELECT rowid FROM E WHERE id = ?1", [key], |r| r.get(0))
        .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// (value, items) of score S1 on a record.
fn s1(session: &mut Session, record: i64) -> (Option<f64>, Vec<Option<f64>>) {
    let scores = session.scores(record).unwrap();
    let s = scores.iter().find(|s| s.id == "S1").expect("score S1");
    (s.value, s.items.iter().map(|i| i.1).collect())
}

fn window(session: &Session, filter: &QueueFilter) -> Vec<QueueRow> {
    session
        .window(filter, None, Direction::Forward, 50)
        .unwrap()
}

fn keys(rows: &[QueueRow]) -> Vec<String> {
    rows.iter().map(|r| r.key.clone()).collect()
}

/// A record's key, its score S1 and its items' scores, worked by hand.
type Worked = (&'static str, Option<f64>, [Option<f64>; 2]);

#[test]
fn every_score_is_the_hand_worked_figure_and_a_record_without_one_is_never_zero() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut session = open(&ws, ADMIN);
    let want: [Worked; 5] = [
        (
            "A1",
            Some(100.0 * 10.0 / 185.0),
            [Some(2.0), Some(100.0 * 10.0 / 185.0)],
        ),
        (
            "A2",
            Some(100.0 * 999_905.0 / 185.0),
            [Some(0.0), Some(100.0 * 999_905.0 / 185.0)],
        ),
        ("A3", Some(10.0), [Some(10.0), None]),
        ("B1", Some(0.0), [None, Some(0.0)]),
        ("B2", None, [None, None]),
    ];
    for (key, value, items) in want {
        let (got, got_items) = s1(&mut session, rowid(&ws, key));
        match (got, value) {
            (Some(g), Some(w)) => assert!(close(g, w), "{key}: {g} for {w}"),
            (g, w) => assert_eq!(g, w, "{key}"),
        }
        for (g, w) in got_items.iter().zip(items) {
            match (g, w) {
                (Some(g), Some(w)) => assert!(close(*g, w), "{key}: item {g} for {w}"),
                (g, w) => assert_eq!(*g, w, "{key}"),
            }
        }
    }
    let a3 = session.scores(rowid(&ws, "A3")).unwrap();
    assert_eq!(a3[0].high(), Some(true), "10 reaches the threshold 10");
    let b2 = session.scores(rowid(&ws, "B2")).unwrap();
    assert_eq!(b2[0].high(), None);
}

#[test]
fn the_queue_orders_by_score_and_filters_by_impact_and_proposals() {
    let s = Scratch::new();
    let ws = selective(&s);
    let session = open(&ws, ADMIN);
    // By severity: A3's error before A2's warning.
    assert_eq!(
        keys(&window(&session, &QueueFilter::default())),
        ["A3", "A2"]
    );
    let by_score = QueueFilter {
        by_score: true,
        ..QueueFilter::default()
    };
    let rows = window(&session, &by_score);
    assert_eq!(keys(&rows), ["A2", "A3"]);
    assert!(close(rows[1].score.unwrap(), 10.0));
    assert_eq!(rows[0].proposals, 1);
    // Keyset reading from an anchor goes on in the same order, both ways.
    let after = session
        .window(&by_score, Some(&rows[0]), Direction::Forward, 5)
        .unwrap();
    assert_eq!(keys(&after), ["A3"]);
    let before = session
        .window(&by_score, Some(&rows[1]), Direction::Backward, 5)
        .unwrap();
    assert_eq!(keys(&before), ["A2"]);
    assert_eq!(session.position(&by_score, &rows[1]).unwrap(), 1);
    let proposals = QueueFilter {
        proposals: true,
        ..QueueFilter::default()
    };
    assert_eq!(keys(&window(&session, &proposals)), ["A2"]);
    assert_eq!(session.count(&proposals).unwrap(), 1);
    let low = QueueFilter {
        impact: Some(Impact::Low),
        ..QueueFilter::default()
    };
    assert_eq!(session.count(&low).unwrap(), 0);
    let high = QueueFilter {
        impact: Some(Impact::High),
        ..QueueFilter::default()
    };
    assert_eq!(session.count(&high).unwrap(), 2);
}

#[test]
fn a_unit_fix_is_proposed_with_its_effect_accepted_as_a_correction_and_undone_in_one() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut session = open(&ws, ADMIN);
    let a2 = rowid(&ws, "A2");
    let proposals = session.proposals(a2).unwrap();
    assert_eq!(proposals.len(), 1);
    let p = &proposals[0];
    assert_eq!(p.fix, "F01");
    assert_eq!(p.changes.len(), 1);
    assert_eq!(p.changes[0].field, "output");
    assert_eq!(p.changes[0].old, Datum::Real(1_000_000.0));
    assert_eq!(p.changes[0].new, Datum::Real(100.0));
    assert_eq!(p.resolves, ["E02"]);
    assert!(p.opens.is_empty());

    let v = seen(&mut session, a2);
    let report = session.accept_fix(a2, v, "F01").unwrap();
    assert_eq!(report.resolved, [("E02".to_string(), "A2".to_string())]);
    let detail = session.record(a2).unwrap().unwrap();
    assert_eq!(detail.values[4].text, "100");
    assert!(detail.proposals.is_empty(), "{:?}", detail.proposals);
    let (score, _) = s1(&mut session, a2);
    assert!(close(score.unwrap(), 100.0 * 5.0 / 185.0));
    let history = session.history(a2).unwrap();
    assert_eq!(history[0].payload["fix"], "F01");
    assert!(batch_of(&history[0]).is_some());
    assert!(
        history[0].payload["reason"]
            .as_str()
            .unwrap()
            .contains("单位换算错误"),
        "{:?}",
        history[0].payload
    );
    leave(&session);
    hs(&s)
        .args(["verify", WS])
        .assert()
        .success()
        .stdout(verified(&ws));

    let v = seen(&mut session, a2);
    session.undo(a2, v).unwrap();
    let detail = session.record(a2).unwrap().unwrap();
    assert_eq!(detail.values[4].text, "1000000");
    assert_eq!(detail.proposals.len(), 1);
    assert!(
        detail
            .flags
            .iter()
            .any(|f| f.rule == "E02" && f.state.as_str() == "open")
    );
    leave(&session);
    hs(&s)
        .args(["verify", WS])
        .assert()
        .success()
        .stdout(verified(&ws));
}

#[test]
fn a_dismissed_proposal_leaves_the_queue_count_and_comes_back_when_undone() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut session = open(&ws, ADMIN);
    let a2 = rowid(&ws, "A2");
    let v = seen(&mut session, a2);
    session.dismiss_fix(a2, v, "F01").unwrap();
    let proposals = QueueFilter {
        proposals: true,
        ..QueueFilter::default()
    };
    assert_eq!(session.count(&proposals).unwrap(), 0);
    assert!(session.proposals(a2).unwrap()[0].dismissed);
    let v = seen(&mut session, a2);
    let again = refusal(session.dismiss_fix(a2, v, "F01"));
    assert!(again.contains("dismissed already"), "{again}");
    // A check keeps the dismissal while the fix proposes the same values.
    leave(&session);
    hs(&s).args(["check", WS]).assert().success();
    assert_eq!(session.count(&proposals).unwrap(), 0);
    let v = seen(&mut session, a2);
    session.undo(a2, v).unwrap();
    assert_eq!(session.count(&proposals).unwrap(), 1);
    leave(&session);
    hs(&s)
        .args(["verify", WS])
        .assert()
        .success()
        .stdout(verified(&ws));
}

#[test]
fn a_bulk_explanation_is_planned_with_its_refusals_run_and_undone_as_one_batch() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut session = open(&ws, ADMIN);
    let all = session.select(&QueueFilter::default()).unwrap();
    assert_eq!(all.len(), 2);
    let action = BulkAction::Explain {
        rule: None,
        text: "企业核实：产值属实".into(),
    };
    let plan = session.plan_bulk(&all, action).unwrap();
    assert_eq!(plan.selected, 2);
    assert_eq!(
        plan.ready
            .iter()
            .map(|r| r.key.as_str())
            .collect::<Vec<_>>(),
        ["A2"]
    );
    assert_eq!(plan.refused.len(), 1);
    assert_eq!(plan.refused[0].key, "A3");
    assert!(
        plan.refused[0]
            .why
            .contains("no unexplained failing warning"),
        "{:?}",
        plan.refused
    );
    let report = session.run_bulk(&plan).unwrap();
    assert_eq!(report.done, 1);
    let a2 = rowid(&ws, "A2");
    let flags = session.record(a2).unwrap().unwrap().flags;
    assert!(flags.iter().any(|f| f.rule == "E02" && f.explained));
    let history = session.history(a2).unwrap();
    assert_eq!(batch_of(&history[0]), Some(report.batch.as_str()));

    let (undone, left) = session.undo_batch(&report.batch).unwrap();
    assert_eq!((undone, left.len()), (1, 0));
    let flags = session.record(a2).unwrap().unwrap().flags;
    assert!(flags.iter().any(|f| f.rule == "E02" && !f.explained));
    leave(&session);
    hs(&s)
        .args(["verify", WS])
        .assert()
        .success()
        .stdout(verified(&ws));
}

#[test]
fn a_record_changed_after_the_plan_is_refused_when_the_batch_runs() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut session = open(&ws, ADMIN);
    let a2 = rowid(&ws, "A2");
    let plan = session
        .plan_bulk(&[a2], BulkAction::Accept { fix: None })
        .unwrap();
    assert_eq!(plan.ready.len(), 1);
    let v = seen(&mut session, a2);
    session.note(a2, v, "看过").unwrap();
    let report = session.run_bulk(&plan).unwrap();
    assert_eq!(report.done, 0);
    assert_eq!(report.refused.len(), 1);
    assert!(
        report.refused[0].why.contains("was changed by"),
        "{:?}",
        report.refused
    );
    assert!(
        report.refused[0].why_zh.contains("修改"),
        "{:?}",
        report.refused
    );
    let detail = session.record(a2).unwrap().unwrap();
    assert_eq!(detail.values[4].text, "1000000", "nothing was written");
}

#[test]
fn localisation_changes_the_lighter_field_and_locate_json_agrees_with_the_record() {
    let s = Scratch::new();
    let ws = selective(&s);
    let mut session = open(&ws, ADMIN);
    // A3 fails E01 (emit 50 > gen 40): emit weighs 1, gen 2, so emit is the one to change.
    let a3 = session.record(rowid(&ws, "A3")).unwrap().unwrap();
    let located = a3.located.expect("A3 fails a linear rule");
    assert_eq!(
        located.located,
        huishen_core::domain::Located::Fields {
            fields: vec!["emit".into()],
            weight: 1.0,
            failing: vec!["E01".into()],
        }
    );
    let out = hs(&s).args(["locate", WS, "--json"]).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let a3_json = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "A3")
        .unwrap();
    assert_eq!(a3_json["fields"], serde_json::json!(["emit"]));
    assert_eq!(a3_json["failing"], serde_json::json!(["E01"]));
    assert_eq!(json["left_out"], serde_json::json!([]));
}
