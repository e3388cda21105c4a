//! Random work by the whole team on the demo workspace: any sequence of corrections,
//! explanations, notes, signatures, reopenings, undos, take-overs and stale writes by 张三, 李四
//! and 王五 leaves every refused action without effect, every record's version counting the
//! actions on it, the flags a full check gives and an audit trail that verifies.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::Scratch;
use common::db::rowid;
use common::demo::{
    CLEAN_JINAN, CLEAN_JINAN_2, CLEAN_QINGDAO, COAL_NO_SO2, JIANGSU, KILN, NO_RIVER, NO_SULPHUR,
    OUTLIER, PM_KG, PM_KG_2, TWICE_A, TWICE_B, demo_template,
};
use common::review::{edit_text, open};
use huishen_core::Error;
use huishen_core::domain::EventKind;
use huishen_core::review::{Session, Workspace};
use proptest::prelude::*;
use rusqlite::types::Value as Sql;

const TEAM: [&str; 3] = ["张三", "李四", "王五"];

/// The records the random actions touch: first five that are ready or one step from it (three
/// clean, a warning to explain, a unit error to divide by 1000), which the actions favour so
/// that records get signed, locked and reopened; then seeded defects of several kinds (two in
/// 张三's 3701, one in Jiangsu, a cross-record pair, a peer outlier).
const POOL: [&str; 13] = [
    CLEAN_JINAN,
    CLEAN_JINAN_2,
    CLEAN_QINGDAO,
    KILN,
    PM_KG,
    PM_KG_2,
    COAL_NO_SO2,
    NO_RIVER,
    NO_SULPHUR,
    OUTLIER,
    JIANGSU,
    TWICE_A,
    TWICE_B,
];

const NEARLY_READY: usize = 5;

#[derive(Debug, Clone, Copy)]
enum Kind {
    Real,
    Text,
}

/// Fields the random corrections change: those the seeded rules read, the credit code (which
/// R27/R28 compare across records) and the region (which moves records in and out of scope).
/// The unit name, which no rule reads, keeps a ready record ready.
const FIELDS: [(&str, Kind); 11] = [
    ("unit_name", Kind::Text),
    ("pm_emit_t", Kind::Real),
    ("pm_gen_t", Kind::Real),
    ("so2_gen_t", Kind::Real),
    ("fuel_coal_t", Kind::Real),
    ("coal_sulfur_pct", Kind::Real),
    ("receiving_water", Kind::Text),
    ("credit_code", Kind::Text),
    ("region_code", Kind::Text),
    ("output_value_10k_yuan", Kind::Real),
    ("so2_emit_t", Kind::Real),
];

#[derive(Debug, Clone)]
enum NewValue {
    /// The value the same field holds in another record of the pool.
    FromRecord(usize),
    /// One of five changes of the current value.
    Perturb(usize),
}

#[derive(Debug, Clone)]
enum Act {
    Correct {
        field: usize,
        value: NewValue,
    },
    Explain,
    Note,
    Sign,
    Reopen,
    Undo,
    /// The reviewer leaves the record they hold (moves on, or quits).
    Leave,
    /// The reviewer takes the record over from whoever holds it.
    TakeOver,
}

#[derive(Debug, Clone)]
struct Action {
    who: usize,
    record: usize,
    act: Act,
    /// Act on the version before the current one, as a reviewer who has not looked again
    /// (for the actions that name the version they saw).
    stale: bool,
}

fn an_action() -> impl Strategy<Value = Action> {
    let value = prop_oneof![
        (0..POOL.len()).prop_map(NewValue::FromRecord),
        (0..5usize).prop_map(NewValue::Perturb),
    ];
    let act = prop_oneof![
        4 => (0..FIELDS.len(), value).prop_map(|(field, value)| Act::Correct { field, value }),
        2 => Just(Act::Explain),
        1 => Just(Act::Note),
        5 => Just(Act::Sign),
        1 => Just(Act::Reopen),
        2 => Just(Act::Undo),
        2 => Just(Act::Leave),
        1 => Just(Act::TakeOver),
    ];
    let record = prop_oneof![3 => 0..NEARLY_READY, 2 => 0..POOL.len()];
    // 张三's scope (3701) covers few records of the pool: he acts less often.
    let who = prop_oneof![1 => Just(0usize), 2 => Just(1usize), 2 => Just(2usize)];
    (who, record, act, prop::bool::weighted(0.1)).prop_map(|(who, record, act, stale)| Action {
        who,
        record,
        act,
        stale,
    })
}

fn perturb(kind: Kind, current: &Sql, k: usize) -> String {
    match kind {
        Kind::Real => {
            let x = match current {
                Sql::Real(x) => *x,
                Sql::Integer(i) => *i as f64,
                _ => 0.0,
            };
            [x / 1000.0, x * 1000.0, 0.0, x + 0.5, x * 0.4][k].to_string()
        }
        Kind::Text => {
            let t = match current {
                Sql::Text(t) => t.clone(),
                _ => String::new(),
            };
            [
                String::new(),
                format!("{t}X"),
                "370105".to_string(),
                "小清河".to_string(),
                t.chars().rev().collect(),
            ][k]
                .clone()
        }
    }
}

/// What any action could change, cheaply: the audit trail and the tables that index it, every
/// record's state, every flag and the pool's records. (The full `fingerprint` reads every
/// table, which takes too long to do before every random action.)
fn trail_fingerprint(conn: &rusqlite::Connection, records: &[i64]) -> String {
    let mut out = String::new();
    let queries = [
        "SELECT id, hash FROM events ORDER BY id".to_string(),
        "SELECT * FROM record_state ORDER BY form, record".to_string(),
        "SELECT id, record, rule, state, outcome FROM flags ORDER BY id".to_string(),
        "SELECT * FROM corrections ORDER BY event".to_string(),
        "SELECT * FROM explanations ORDER BY event".to_string(),
        "SELECT * FROM notes ORDER BY event".to_string(),
        "SELECT * FROM signatures ORDER BY event".to_string(),
        "SELECT * FROM queue ORDER BY form, record".to_string(),
        "SELECT * FROM policy".to_string(),
        "SELECT * FROM claims ORDER BY form, record".to_string(),
        format!(
            "SELECT * FROM G101_1 WHERE rowid IN ({}) ORDER BY rowid",
            records
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    for sql in &queries {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..n {
                let v: Sql = row.get(i).unwrap();
                out.push_str(&format!("{v:?}|"));
            }
            out.push('\n');
        }
    }
    out
}

/// The seed of the random sequences unless PROPTEST_RNG_SEED says otherwise.
const SEED: u64 = 1;

#[test]
fn random_work_by_the_team_leaves_the_flags_a_full_check_gives_and_a_trail_that_verifies() {
    let s = Scratch::new();
    let records: Vec<i64> = POOL.iter().map(|k| rowid(demo_template(), k)).collect();
    // The same sixteen sequences every run, so that a failure is there on the next run too;
    // PROPTEST_RNG_SEED=<n> explores others.
    let mut runner = common::fixed_runner(SEED, 16);
    let case = std::cell::Cell::new(0);
    runner
        .run(&prop::collection::vec(an_action(), 1..=24), |actions| {
            case.set(case.get() + 1);
            let path = s.path(&format!("case-{}.huishen", case.get()));
            std::fs::copy(demo_template(), &path).unwrap();
            let mut team: Vec<Session> = TEAM.iter().map(|who| open(&path, who)).collect();
            let conn = rusqlite::Connection::open(&path).unwrap();
            let value_of = |record: i64, field: &str| -> Sql {
                conn.query_row(
                    &format!("SELECT {field} FROM G101_1 WHERE rowid = ?1"),
                    [record],
                    |r| r.get(0),
                )
                .unwrap()
            };
            for action in &actions {
                let record = records[action.record];
                let session = &mut team[action.who];
                let status = session.status(record).unwrap();
                let seen = if action.stale {
                    status.version + if status.version > 0 { -1 } else { 1 }
                } else {
                    status.version
                };
                let before = trail_fingerprint(&conn, &records);
                let result: huishen_core::Result<()> = match &action.act {
                    Act::Correct { field, value } => {
                        let (field, kind) = FIELDS[*field];
                        let text = match value {
                            NewValue::FromRecord(other) => {
                                edit_text(&value_of(records[*other], field))
                            }
                            NewValue::Perturb(k) => perturb(kind, &value_of(record, field), *k),
                        };
                        session
                            .correct(record, seen, field, &text, "随机更正")
                            .map(|_| ())
                    }
                    Act::Explain => {
                        let rule = status
                            .unexplained_warnings
                            .first()
                            .or(status.failing_errors.first())
                            .cloned()
                            .unwrap_or_else(|| "R21".to_string());
                        session.explain(record, seen, &rule, "随机说明")
                    }
                    Act::Note => session.note(record, seen, "随机备注"),
                    Act::Sign => session.sign(record, seen).map(|_| ()),
                    Act::Reopen => session.reopen(record, seen, "随机重开"),
                    Act::Undo => session.undo(record, seen).map(|_| ()),
                    Act::Leave => session.release(),
                    Act::TakeOver => session.take_over(record).map(|_| ()),
                };
                let names_a_version = !matches!(action.act, Act::Leave | Act::TakeOver);
                match result {
                    Ok(()) => prop_assert!(
                        !(action.stale && names_a_version),
                        "a stale {action:?} was accepted"
                    ),
                    Err(Error::Declined { .. }) => prop_assert_eq!(
                        trail_fingerprint(&conn, &records),
                        before,
                        "the refused {:?} changed the workspace",
                        action
                    ),
                    Err(other) => prop_assert!(false, "{action:?} failed: {other}"),
                }
            }
            // Every record's version counts the actions on it (a take-over changes who holds
            // the record, not the record); a locked record has its signatures.
            for &record in &records {
                let status = team[2].status(record).unwrap();
                let history = team[2].history(record).unwrap();
                let actions_on_it = history
                    .iter()
                    .filter(|e| e.kind != EventKind::TakeOver)
                    .count();
                prop_assert_eq!(status.version, actions_on_it as i64);
                if status.locked {
                    prop_assert!(
                        status.signatures.len() as i64 >= status.signatures_required,
                        "record {} is locked with {:?}",
                        record,
                        status.signatures
                    );
                }
            }
            drop(team);
            drop(conn);

            let mut ws = Workspace::open(&path).unwrap();
            let by = common::review::administrator(&ws);
            let report = ws.check(&[], &by, &mut |_, _, _| {}).unwrap();
            prop_assert!(report.runtime_errors.is_empty());
            prop_assert_eq!(
                (report.opened, report.resolved),
                (0, 0),
                "the full check after the actions opened or resolved flags"
            );
            let v = ws.verify().unwrap();
            prop_assert!(v.ok(), "verify after {:?}: {:?}", actions, v);
            drop(ws);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            Ok(())
        })
        .unwrap();
}
