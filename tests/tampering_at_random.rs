//! Random days of review, then one random change made behind huishen's back with SQL: verify
//! always finds it, unless it is a change the README names as out of verify's reach (the
//! claims); a flag changed by hand is found by `verify --deep`, which runs the rules again.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use std::path::Path;

use common::demo::{CLEAN_JINAN, CLEAN_QINGDAO, KILN, NO_RIVER, NO_SULPHUR, PM_KG};
use common::review::{leave, open, seen};
use common::{Scratch, demo, rowid};
use huishen_core::review::Workspace;
use proptest::prelude::*;

const KEYS: [&str; 6] = [
    PM_KG,
    KILN,
    NO_RIVER,
    NO_SULPHUR,
    CLEAN_JINAN,
    CLEAN_QINGDAO,
];
const WHO: [&str; 3] = ["王五", "李四", "张三"];

/// One reviewer action; refusals (scope, lock, four eyes, nothing to undo) are part of a day.
#[derive(Debug, Clone)]
enum Action {
    Correct(usize, usize, u32),
    Note(usize, usize),
    Explain(usize),
    Sign(usize, usize),
    Reopen(usize),
    Undo(usize, usize),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (0..3usize, 0..6usize, 1..500u32).prop_map(|(w, k, v)| Action::Correct(w, k, v)),
        (0..3usize, 0..6usize).prop_map(|(w, k)| Action::Note(w, k)),
        (0..6usize).prop_map(Action::Explain),
        (0..3usize, 0..6usize).prop_map(|(w, k)| Action::Sign(w, k)),
        (0..6usize).prop_map(Action::Reopen),
        (0..3usize, 0..6usize).prop_map(|(w, k)| Action::Undo(w, k)),
    ]
}

fn act(ws: &Path, a: &Action) {
    let (who, key) = match a {
        Action::Correct(w, k, _) | Action::Note(w, k) | Action::Sign(w, k) | Action::Undo(w, k) => {
            (WHO[*w], KEYS[*k])
        }
        Action::Explain(k) | Action::Reopen(k) => ("王五", KEYS[*k]),
    };
    let mut s = open(ws, who);
    let record = rowid(ws, key);
    let v = seen(&mut s, record);
    let _ = match a {
        Action::Correct(_, _, value) => s
            .correct(
                record,
                v,
                "production_hours",
                &value.to_string(),
                "企业核实",
            )
            .map(|_| ()),
        Action::Note(..) => s.note(record, v, "待核实"),
        Action::Explain(_) => s.explain(record, v, "R21", "经现场核查无误"),
        Action::Sign(..) => s.sign(record, v).map(|_| ()),
        Action::Reopen(_) => s.reopen(record, v, "需要复核"),
        Action::Undo(..) => s.undo(record, v).map(|_| ()),
    };
    leave(&s);
}

/// A change made with SQL on the file; `true` when verify must find it.
#[derive(Debug, Clone)]
enum Tamper {
    DataCell(usize),
    DataRow(usize),
    EventPayload(u32),
    SideRow(usize, u32),
    Reviewer(usize),
    Policy,
    Lock(usize),
    /// Found by `--deep` alone: flags are derived, and made again by a check.
    Flag(u32),
    /// Out of reach: who is on a record now.
    Claims,
}

fn tamper() -> impl Strategy<Value = Tamper> {
    prop_oneof![
        (0..6usize).prop_map(Tamper::DataCell),
        (0..6usize).prop_map(Tamper::DataRow),
        any::<u32>().prop_map(Tamper::EventPayload),
        (0..4usize, any::<u32>()).prop_map(|(t, n)| Tamper::SideRow(t, n)),
        (0..3usize).prop_map(Tamper::Reviewer),
        Just(Tamper::Policy),
        (0..6usize).prop_map(Tamper::Lock),
        any::<u32>().prop_map(Tamper::Flag),
        Just(Tamper::Claims),
    ]
}

/// Which verification must find a change.
#[derive(Debug, PartialEq)]
enum Reach {
    Verify,
    Deep,
    /// Nothing changed, or the change is out of reach.
    None,
}

/// Applies the change; says which verification must find it.
fn apply(ws: &Path, t: &Tamper) -> Reach {
    let plain = |changed: bool| if changed { Reach::Verify } else { Reach::None };
    plain(tamper_with(ws, t)).deepened(t)
}

impl Reach {
    fn deepened(self, t: &Tamper) -> Reach {
        match (self, t) {
            (Reach::Verify, Tamper::Flag(_)) => Reach::Deep,
            (_, Tamper::Claims) => Reach::None,
            (r, _) => r,
        }
    }
}

/// Makes the change with SQL; whether anything changed.
fn tamper_with(ws: &Path, t: &Tamper) -> bool {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let changed = |sql: &str| conn.execute(sql, []).unwrap() > 0;
    match t {
        Tamper::DataCell(k) => changed(&format!(
            "UPDATE G101_1 SET unit_name = unit_name || '（改）' WHERE record_id = '{}'",
            KEYS[*k]
        )),
        Tamper::DataRow(k) => changed(&format!(
            "DELETE FROM G101_1 WHERE record_id = '{}'",
            KEYS[*k]
        )),
        Tamper::EventPayload(n) => {
            conn.execute_batch("DROP TRIGGER events_append_only_update")
                .unwrap();
            changed(&format!(
                "UPDATE events SET payload = payload || ' ' WHERE id = 1 + {n} % (SELECT count(*) FROM events)"
            ))
        }
        Tamper::SideRow(table, n) => {
            let (table, set) = [
                ("corrections", "reason = reason || '改'"),
                ("notes", "text = text || '改'"),
                ("explanations", "text = text || '改'"),
                ("signatures", "role = role || '改'"),
            ][*table];
            changed(&format!(
                "UPDATE {table} SET {set} WHERE event = (SELECT event FROM {table} ORDER BY event
                   LIMIT 1 OFFSET {n} % max(1, (SELECT count(*) FROM {table})))"
            ))
        }
        Tamper::Reviewer(w) => changed(&format!(
            "UPDATE reviewers SET scope = '3799' WHERE name = '{}'",
            WHO[*w]
        )),
        Tamper::Policy => changed("UPDATE policy SET signatures_required = 1"),
        Tamper::Lock(k) => changed(&format!(
            "UPDATE record_state SET locked = 1 - locked
             WHERE record = (SELECT rowid FROM G101_1 WHERE record_id = '{}')",
            KEYS[*k]
        )),
        Tamper::Flag(n) => changed(&format!(
            "UPDATE flags SET state = 'resolved' WHERE state = 'open' AND rowid = (SELECT rowid
               FROM flags WHERE state = 'open' LIMIT 1 OFFSET {n} % (SELECT count(*) FROM flags
               WHERE state = 'open'))"
        )),
        Tamper::Claims => changed("DELETE FROM claims"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_change_behind_huishens_back_is_found(
        day in proptest::collection::vec(action(), 1..12),
        change in tamper(),
    ) {
        let s = Scratch::new();
        let ws = demo(&s);
        for a in &day {
            act(&ws, a);
        }
        let honest = Workspace::open(&ws).unwrap().verify_deep().unwrap();
        prop_assert!(honest.ok(), "the honest workspace does not verify: {honest:?}");
        let reach = apply(&ws, &change);
        let plain = Workspace::open(&ws).unwrap().verify().unwrap();
        let deep = Workspace::open(&ws).unwrap().verify_deep().unwrap();
        match reach {
            Reach::Verify => prop_assert!(!plain.ok(), "{change:?} after {day:?} was not found"),
            Reach::Deep => {
                prop_assert!(plain.ok(), "{plain:?}");
                prop_assert!(!deep.ok(), "{change:?} after {day:?} was not found by --deep");
            }
            Reach::None => {}
        }
    }
}
