//! The full check computes the verdicts its fast way (the record rules of a form in one pass
//! over it, on two connections at once); checking each rule on its own takes the plain way
//! (one rule, one statement, one connection). On random livestock records both give every
//! rule the same counts and the workspace the same flags.

#![allow(clippy::unwrap_used)] // test helpers, like tests, may panic on a broken fixture

mod common;

use common::fixtures::livestock;
use common::{Scratch, open_flag_rows};
use huishen_core::review::Workspace;
use proptest::prelude::*;
use rusqlite::types::Value as Sql;

/// The number fields of N101 the random records set, with what the rules read of them.
const NUMBERS: &[&str] = &[
    "stock_end",
    "output_year",
    "manure_gen_t",
    "manure_used_t",
    "sewage_gen_t",
    "sewage_used_t",
    "land_mu",
];

/// Those of them that hold whole numbers.
const INTEGERS: &[&str] = &["stock_end", "output_year"];

/// A value as the rules can meet it: absent, zero, negative, small, large.
fn a_value() -> impl Strategy<Value = Sql> {
    prop_oneof![
        Just(Sql::Null),
        Just(Sql::Real(0.0)),
        (-5i64..5).prop_map(|v| Sql::Real(v as f64)),
        (0u32..5000).prop_map(|v| Sql::Real(f64::from(v) / 4.0)),
        Just(Sql::Real(1e9)),
    ]
}

/// Species and cleaning codes, absent or out of their lists too.
fn a_code() -> impl Strategy<Value = Sql> {
    prop_oneof![
        Just(Sql::Null),
        (0u8..8).prop_map(|c| Sql::Text(c.to_string())),
    ]
}

/// One record's new values: the number fields, then species and cleaning method.
fn a_record() -> impl Strategy<Value = (Vec<Sql>, Sql, Sql)> {
    (
        prop::collection::vec(a_value(), NUMBERS.len()),
        a_code(),
        a_code(),
    )
}

/// The same cases every run; PROPTEST_RNG_SEED=<n> explores others.
const SEED: u64 = 11;

#[test]
fn the_fast_full_check_gives_what_each_rule_gives_on_its_own() {
    let s = Scratch::new();
    let template = livestock(&s, true);
    let mut runner = common::fixed_runner(SEED, 16);
    let case = std::cell::Cell::new(0);
    runner
        .run(&prop::collection::vec(a_record(), 20), |records| {
            case.set(case.get() + 1);
            let fast = s.path(&format!("fast-{}.huishen", case.get()));
            let plain = s.path(&format!("plain-{}.huishen", case.get()));
            std::fs::copy(&template, &fast).unwrap();
            {
                let conn = rusqlite::Connection::open(&fast).unwrap();
                for (i, (numbers, species, cleaning)) in records.iter().enumerate() {
                    let rowid = i as i64 + 1;
                    for (field, value) in NUMBERS.iter().zip(numbers) {
                        // Head counts are whole numbers.
                        let value = match value {
                            Sql::Real(x) if INTEGERS.contains(field) => Sql::Integer(*x as i64),
                            other => other.clone(),
                        };
                        conn.execute(
                            &format!("UPDATE N101 SET {field} = ?1 WHERE rowid = ?2"),
                            rusqlite::params![value, rowid],
                        )
                        .unwrap();
                    }
                    conn.execute(
                        "UPDATE N101 SET species_code = ?1, cleaning_method_code = ?2 WHERE rowid = ?3",
                        rusqlite::params![species, cleaning, rowid],
                    )
                    .unwrap();
                }
                conn.pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
            }
            std::fs::copy(&fast, &plain).unwrap();

            let mut ws = Workspace::open(&fast).unwrap();
            let by = common::review::administrator(&ws);
            let all = ws.check(&[], &by, &mut |_, _, _| {}).unwrap();
            drop(ws);
            let mut ws = Workspace::open(&plain).unwrap();
            let ids: Vec<String> = all.rules.iter().map(|r| r.rule.clone()).collect();
            prop_assert_eq!(ids.len(), 7);
            for (id, summary) in ids.iter().zip(&all.rules) {
                let alone = ws.check(std::slice::from_ref(id), &by, &mut |_, _, _| {}).unwrap();
                prop_assert_eq!(&alone.rules, &vec![summary.clone()], "rule {}", id);
                prop_assert_eq!(&alone.runtime_errors, &all.runtime_errors);
            }
            drop(ws);
            prop_assert_eq!(
                open_flag_rows(&fast, "N101", "record_id"),
                open_flag_rows(&plain, "N101", "record_id")
            );
            Ok(())
        })
        .unwrap();
}
