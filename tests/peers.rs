//! Peers figures under edits: after any sequence of corrections to the values, the groups and
//! the filters that peers statistics read, the figures a re-check left and the flags of the
//! rules that read them are exactly what a full check computes from scratch. The re-check
//! only recomputes the groups an edit touched, and only re-runs a rule over a group when a
//! figure that rule reads moved, so this is where it could go wrong.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{Scratch, correct, demo, edit_text, open_flag_rows, sample_rules};
use huishen_core::review::Workspace;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use rusqlite::types::Value as Sql;

/// Every row of the peers table, in order, as text.
fn figures(ws: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut stmt = conn
        .prepare("SELECT * FROM peers_so2_intensity ORDER BY grp")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((0..8)
            .map(|i| format!("{:?}", r.get::<_, Sql>(i).unwrap()))
            .collect::<Vec<_>>()
            .join("|"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The fields the peers definition and R29 read.
const FIELDS: [&str; 3] = ["so2_emit_t", "output_value_10k_yuan", "industry_code"];

#[derive(Debug, Clone)]
enum NewValue {
    /// The value the field holds in another record: it moves a record into another industry
    /// division, or gives it a value from elsewhere in the distribution.
    FromRecord(usize),
    /// Scaled far up, far down, to zero (out of the peers filter), or emptied.
    Scale(usize),
}

#[derive(Debug, Clone)]
struct Edit {
    record: usize,
    field: usize,
    value: NewValue,
}

/// Records to edit, so that edits pile up in the same groups.
const POOL: usize = 60;

fn an_edit() -> impl Strategy<Value = Edit> {
    let value = prop_oneof![
        3 => (0..POOL).prop_map(NewValue::FromRecord),
        2 => (0..4usize).prop_map(NewValue::Scale),
    ];
    (0..POOL, 0..FIELDS.len(), value).prop_map(|(record, field, value)| Edit {
        record,
        field,
        value,
    })
}

#[test]
fn rechecks_leave_the_peers_figures_and_flags_a_full_check_gives() {
    let s = Scratch::new();
    let template = demo(&s);
    // The pool: records of the small divisions, where a few edits move the quartiles and
    // the count crosses R29's threshold of five peers; those with a value first.
    let keys: Vec<String> = {
        let conn = rusqlite::Connection::open(&template).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT record_id FROM G101_1 WHERE substr(industry_code, 1, 2) IN
                   (SELECT grp FROM peers_so2_intensity WHERE n BETWEEN 4 AND 8)
                 ORDER BY so2_emit_t IS NULL, rowid LIMIT ?1",
            )
            .unwrap();
        stmt.query_map([POOL as i64], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(keys.len(), POOL);

    let defaults = Config::default();
    let rng_seed = match defaults.rng_seed {
        RngSeed::Random => RngSeed::Fixed(7),
        given => given,
    };
    let mut runner = TestRunner::new(Config {
        cases: 32,
        failure_persistence: None,
        rng_seed,
        ..defaults
    });
    let case = std::cell::Cell::new(0);
    runner
        .run(&prop::collection::vec(an_edit(), 1..=16), |edits| {
            case.set(case.get() + 1);
            let path = s.path(&format!("case-{}.huishen", case.get()));
            std::fs::copy(&template, &path).unwrap();
            let conn = rusqlite::Connection::open(&path).unwrap();
            let mut ws = Workspace::open(&path).unwrap();
            for edit in &edits {
                let field = FIELDS[edit.field];
                let value_of = |record: usize| -> Sql {
                    conn.query_row(
                        &format!("SELECT {field} FROM G101_1 WHERE record_id = ?1"),
                        [&keys[record]],
                        |r| r.get(0),
                    )
                    .unwrap()
                };
                let new = match &edit.value {
                    NewValue::FromRecord(other) => value_of(*other),
                    NewValue::Scale(k) => match (value_of(edit.record), k) {
                        (_, 3) => Sql::Null,
                        (Sql::Real(x), k) => Sql::Real(x * [1000.0, 0.001, 0.0][*k]),
                        (Sql::Integer(i), k) => Sql::Real(i as f64 * [1000.0, 0.001, 0.0][*k]),
                        (other, _) => other,
                    },
                };
                correct(&path, "G101_1", &keys[edit.record], field, &edit_text(&new));
            }
            let flags = open_flag_rows(&path, "G101_1", "record_id");
            let peers = figures(&path);
            let by = common::review::administrator(&ws);
            let report = ws.check(&[], &by, &mut |_, _, _| {}).unwrap();
            prop_assert!(report.runtime_errors.is_empty());
            prop_assert_eq!(
                (report.opened, report.resolved),
                (0, 0),
                "the full check after {:?} opened or resolved flags",
                edits
            );
            prop_assert_eq!(open_flag_rows(&path, "G101_1", "record_id"), flags);
            prop_assert_eq!(figures(&path), peers, "the figures moved after {:?}", edits);
            drop(ws);
            drop(conn);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn an_edit_that_moves_a_groups_quartiles_rechecks_the_whole_group() {
    let s = Scratch::new();
    let ws = demo(&s);
    // The outlier the sample seeds for R29, and the figures of its division.
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let (outlier, group): (String, String) = conn
        .query_row(
            "SELECT t.record_id, substr(t.industry_code, 1, 2) FROM flags f JOIN G101_1 t ON t.rowid = f.record
             WHERE f.rule = 'R29' AND f.state = 'open' ORDER BY t.rowid LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // Every other record of the division that R29 reads is pushed a thousandfold up: the
    // upper fence rises far above the outlier, which is no longer out of line.
    let others: Vec<String> = conn
        .prepare(
            "SELECT record_id FROM G101_1 WHERE substr(industry_code, 1, 2) = ?1 AND record_id <> ?2
               AND output_value_10k_yuan > 0 AND so2_emit_t > 0 ORDER BY rowid",
        )
        .unwrap()
        .query_map([&group, &outlier], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        others.len() >= 5,
        "division {group} has {} peers",
        others.len()
    );
    drop(conn);
    let mut w = Workspace::open(&ws).unwrap();
    let mut resolved = Vec::new();
    for key in &others {
        let so2: f64 = {
            let conn = rusqlite::Connection::open(&ws).unwrap();
            conn.query_row(
                "SELECT so2_emit_t FROM G101_1 WHERE record_id = ?1",
                [key],
                |r| r.get(0),
            )
            .unwrap()
        };
        let report = correct(
            &ws,
            "G101_1",
            key,
            "so2_emit_t",
            &(so2 * 1000.0).to_string(),
        );
        resolved.extend(report.resolved);
    }
    assert!(
        resolved.contains(&("R29".to_string(), outlier.clone())),
        "R29 on {outlier} was not resolved by its peers' edits: {resolved:?}"
    );
    let by = common::review::administrator(&w);
    let full = w.check(&[], &by, &mut |_, _, _| {}).unwrap();
    assert_eq!((full.opened, full.resolved), (0, 0));
}

#[test]
fn a_workspace_of_the_previous_format_keeps_its_rules_and_flags() {
    let s = Scratch::new();
    let ws = demo(&s);
    let flags_before = open_flag_rows(&ws, "G101_1", "record_id");
    // Format 6 had the same rules table without the `peers` reach; bringing it up to date
    // rebuilds the table.
    {
        let conn = rusqlite::Connection::open(&ws).unwrap();
        conn.execute(
            "UPDATE rules SET reach = 'related' WHERE reach = 'peers'",
            [],
        )
        .unwrap();
        // Nor the signing keys of format 8, nor the scores and proposals of format 9, nor
        // the scores left due of format 10, nor the parent forms of format 11.
        conn.execute_batch(
            "ALTER TABLE reviewers DROP COLUMN admin; ALTER TABLE reviewers DROP COLUMN public_key;
             ALTER TABLE reviewers DROP COLUMN sealed_key; ALTER TABLE events DROP COLUMN signature;
             ALTER TABLE imports DROP COLUMN digest; DROP TABLE import_rows;
             DROP TABLE scores; DROP TABLE proposals; DROP INDEX queue_by_score;
             ALTER TABLE fields DROP COLUMN reliability; ALTER TABLE queue DROP COLUMN score;
             ALTER TABLE queue DROP COLUMN priority; ALTER TABLE queue DROP COLUMN high;
             ALTER TABLE queue DROP COLUMN proposals; DROP TABLE refresh_due;
             ALTER TABLE forms DROP COLUMN parent_form; ALTER TABLE forms DROP COLUMN parent_field;",
        )
        .unwrap();
        // Before keys, a passphrase was kept as its argon2id hash.
        let phc = huishen_core::review::passphrase::hash(common::ADMIN_PASSPHRASE).unwrap();
        conn.execute(
            "UPDATE reviewers SET passphrase = ?1 WHERE name = ?2",
            [phc.as_str(), common::ADMIN],
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 6).unwrap();
    }
    let w = Workspace::open(&ws).unwrap();
    let version: i64 = rusqlite::Connection::open(&ws)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 11);
    let rules = w.rules().unwrap();
    assert_eq!(rules.rules.len(), sample_rules());
    assert_eq!(open_flag_rows(&ws, "G101_1", "record_id"), flags_before);
    // Its reviewers have no keys yet: nobody can sign until an upgrade attests the trail.
    assert!(w.sign_in(common::ADMIN, common::ADMIN_PASSPHRASE).is_err());
    drop(w);
    let events = common::db::event_count(&ws);
    let s2 = &s;
    common::hs(s2)
        .args(["upgrade", common::DEMO])
        .assert()
        .success()
        .stdout(predicates::str::contains(format!(
            "{events} events written before signing are attested by one upgrade event signed by 王五"
        )));
    // (This copy was made by taking the key columns out of a new workspace, whose enrolment
    // events still name the keys, so verify would rightly find the reviewers' keys missing;
    // what is checked here is that the upgrade lets the administrator act again.)
    let mut w = Workspace::open(&ws).unwrap();
    let by = common::review::administrator(&w);
    let full = w.check(&[], &by, &mut |_, _, _| {}).unwrap();
    assert_eq!((full.opened, full.resolved), (0, 0));
}
