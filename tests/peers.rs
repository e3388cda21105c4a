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
use rusqlite::types::Value as Sql;

/// Every row of R29's peers table, in order, as text.
fn figures(ws: &Path) -> Vec<String> {
    table(ws, "peers_so2_intensity")
}

/// The columns of a peers table.
const COLUMNS: &str = "grp, n, min, q1, median, q3, max, mean, sum";

/// Every row of a peers table, in order, as text: reals to the last bit.
fn table(ws: &Path, name: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut stmt = conn
        .prepare(&format!("SELECT {COLUMNS} FROM {name} ORDER BY grp"))
        .unwrap();
    stmt.query_map([], |r| {
        Ok((0..9)
            .map(|i| match r.get::<_, Sql>(i).unwrap() {
                Sql::Real(x) => format!("{:#x}", x.to_bits()),
                other => format!("{other:?}"),
            })
            .collect::<Vec<_>>()
            .join("|"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// S1's two peers tables of 2016 totals (read for their sums alone) and R29's (read for its
/// quartiles).
const TABLES: [&str; 3] = [
    "peers_prev_so2_prefecture",
    "peers_prev_output_prefecture",
    "peers_so2_intensity",
];

/// Every score row, as text.
fn scores(ws: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut stmt = conn
        .prepare("SELECT record, score, value, high, items FROM scores ORDER BY record, score")
        .unwrap();
    stmt.query_map([], |r| {
        Ok(format!(
            "{}|{}|{:?}|{:?}|{}",
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<f64>>(2)?.map(f64::to_bits),
            r.get::<_, Option<i64>>(3)?,
            r.get::<_, String>(4)?
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// How many rows of a table have no quartiles, and how many have no sum.
fn without(ws: &Path, name: &str) -> (i64, i64, i64) {
    let conn = rusqlite::Connection::open(ws).unwrap();
    conn.query_row(
        &format!(
            "SELECT count(*), sum(q1 IS NULL AND median IS NULL AND q3 IS NULL), sum(sum IS NULL)
             FROM {name}"
        ),
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
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

    let mut runner = common::fixed_runner(7, 32);
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

/// R's quantile(type = 7) of sorted values at `p`.
fn type7(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let above = sorted.get(lo + 1).copied().unwrap_or(sorted[lo]);
    sorted[lo] + (h - h.floor()) * (above - sorted[lo])
}

#[test]
fn the_quartiles_a_rules_file_names_are_the_ones_r_gives_and_verify_holds_the_choice() {
    let s = Scratch::new();
    let ws = demo(&s);
    let rules = huishen_core::sample::RULES_TOML.replace(
        "where = \"output_value_10k_yuan > 0 AND so2_emit_t > 0\"\n",
        "where = \"output_value_10k_yuan > 0 AND so2_emit_t > 0\"\nquantiles = \"type7\"\n",
    );
    assert!(rules.contains("quantiles = \"type7\""));
    s.write("type7.toml", &rules);
    common::hs(&s)
        .args(["rules", "load", common::DEMO, "type7.toml"])
        .assert()
        .success();
    common::hs(&s)
        .args(["check", common::DEMO])
        .assert()
        .success();
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let mut values: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    let mut stmt = conn
        .prepare(
            "SELECT substr(industry_code, 1, 2), so2_emit_t * 1.0 / output_value_10k_yuan
             FROM G101_1 WHERE output_value_10k_yuan > 0 AND so2_emit_t > 0",
        )
        .unwrap();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?)))
        .unwrap()
    {
        let (group, value) = row.unwrap();
        values.entry(group).or_default().push(value);
    }
    let mut even = 0;
    for (group, mut v) in values {
        v.sort_by(f64::total_cmp);
        let (q1, median, q3): (f64, f64, f64) = conn
            .query_row(
                "SELECT q1, median, q3 FROM peers_so2_intensity WHERE grp = ?1",
                [&group],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
        assert!(close(q1, type7(&v, 0.25)), "{group}: q1 {q1}");
        assert!(close(q3, type7(&v, 0.75)), "{group}: q3 {q3}");
        assert!(close(median, type7(&v, 0.5)), "{group}: the median is R's");
        even += usize::from(v.len() % 2 == 0);
    }
    assert!(
        even > 0,
        "some group has an even count, whose median is a mean"
    );
    // The choice is part of the rule set the trail signed: taken away by hand, it is found.
    common::db::sqlite3(&ws, "DELETE FROM peers_quantiles");
    let out = common::hs(&s)
        .args(["verify", common::DEMO])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
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
        // Nor the sums of the peers tables of format 12.
        for t in TABLES {
            conn.execute_batch(&format!("ALTER TABLE {t} DROP COLUMN sum"))
                .unwrap();
        }
        // Before keys, a passphrase was kept as its argon2id hash.
        let phc = huishen_core::review::passphrase::hash(common::ADMIN_PASSPHRASE).unwrap();
        conn.execute(
            "UPDATE reviewers SET passphrase = ?1 WHERE name = ?2",
            [phc.as_str(), common::ADMIN],
        )
        .unwrap();
        // Nor the value labels of format 13.
        conn.execute_batch(
            "ALTER TABLE fields DROP COLUMN value_labels; ALTER TABLE fields DROP COLUMN names",
        )
        .unwrap();
        // Nor the name index of format 14.
        conn.execute_batch("DROP TABLE \"G101_1 search\"").unwrap();
        // Nor the aliases, missing-value tokens and quartile choices of format 15.
        conn.execute_batch(
            "ALTER TABLE fields DROP COLUMN aliases; ALTER TABLE forms DROP COLUMN null_values;
             DROP TABLE peers_quantiles;",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 6).unwrap();
    }
    let w = Workspace::open(&ws).unwrap();
    let version: i64 = rusqlite::Connection::open(&ws)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 15);
    let rules = w.rules().unwrap();
    assert_eq!(rules.rules.len() + rules.datasets.len(), sample_rules());
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

/// S1 reads its prefecture totals as `p.sum`, and nothing reads their quartiles: the two
/// tables are computed by one aggregate query each, and a re-check recomputes the groups a
/// record leaves and joins the same way. After corrections that move records between
/// prefectures and change and empty the 2016 values, the sums (and counts and means) the
/// re-checks left are those a full check computes afresh, to the last bit, and so are the
/// scores. R29 reads its table's quartiles, which it still has.
#[test]
fn rechecks_that_move_records_between_prefectures_keep_the_sums_a_full_check_gives() {
    let s = Scratch::new();
    let ws = demo(&s);
    for t in &TABLES[..2] {
        let (rows, no_quartiles, no_sum) = without(&ws, t);
        assert!(rows >= 10, "{t} has {rows} prefectures");
        assert_eq!((no_quartiles, no_sum), (rows, 0), "{t} is a table of sums");
    }
    let (rows, no_quartiles, _) = without(&ws, TABLES[2]);
    assert!(rows > 0);
    assert_eq!(no_quartiles, 0, "R29 reads q1 and q3 of its table");

    // Records of 3701 (Jinan) with 2016 values, and the division code of a record of 3702.
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let movers: Vec<String> = conn
        .prepare(
            "SELECT record_id FROM G101_1 WHERE substr(region_code, 1, 4) = '3701'
               AND prev_so2_emit_t > 0 AND prev_output_value_10k_yuan > 0
             ORDER BY rowid LIMIT 6",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(movers.len(), 6);
    let qingdao: String = conn
        .query_row(
            "SELECT region_code FROM G101_1 WHERE substr(region_code, 1, 4) = '3702'
             ORDER BY rowid LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let sums_before: Vec<String> = TABLES[..2]
        .iter()
        .map(|t| table(&ws, t).join("\n"))
        .collect();
    drop(conn);

    for key in &movers[..4] {
        correct(&ws, "G101_1", key, "region_code", &qingdao);
    }
    correct(&ws, "G101_1", &movers[0], "prev_so2_emit_t", "123456.789");
    correct(&ws, "G101_1", &movers[4], "prev_so2_emit_t", "0.1");
    correct(&ws, "G101_1", &movers[5], "prev_output_value_10k_yuan", "");
    // And one back where it came from.
    correct(&ws, "G101_1", &movers[1], "region_code", "370102");

    let after_rechecks: Vec<Vec<String>> = TABLES.iter().map(|t| table(&ws, t)).collect();
    assert_ne!(
        after_rechecks[..2]
            .iter()
            .map(|rows| rows.join("\n"))
            .collect::<Vec<_>>(),
        sums_before,
        "the corrections moved the prefecture totals"
    );
    // The moves left both prefectures' scores due; they are scored just after the actions,
    // as a screen's worker does.
    let mut w = Workspace::open(&ws).unwrap();
    assert!(w.refresh_due().unwrap() > 0, "the moves left groups due");
    let scored = scores(&ws);
    let flags = open_flag_rows(&ws, "G101_1", "record_id");
    let by = common::review::administrator(&w);
    let full = w.check(&[], &by, &mut |_, _, _| {}).unwrap();
    assert_eq!((full.opened, full.resolved), (0, 0));
    for (t, rows) in TABLES.iter().zip(&after_rechecks) {
        assert_eq!(&table(&ws, t), rows, "{t} after a full check");
    }
    assert_eq!(scores(&ws), scored, "S1 after a full check");
    assert_eq!(open_flag_rows(&ws, "G101_1", "record_id"), flags);
    for t in &TABLES[..2] {
        let (rows, no_quartiles, no_sum) = without(&ws, t);
        assert_eq!((no_quartiles, no_sum), (rows, 0));
    }
    assert!(w.verify_deep().unwrap().ok());
}

/// A workspace of format 11 has peers tables without `sum`, whose figures an older build
/// computed (quartiles and all), and partial indexes `WHERE 1` of the values of the peers
/// definitions without `where`, which SQLite does not use. Opened, it gains the column, the
/// indexes this build makes, and its figures are computed again as this build computes them:
/// a re-check can write them, and `verify --deep` finds them as the rules give them.
#[test]
fn a_workspace_of_format_11_gets_the_sums_of_its_peers_tables_when_opened() {
    let s = Scratch::new();
    let ws = demo(&s);
    let now: Vec<Vec<String>> = TABLES.iter().map(|t| table(&ws, t)).collect();
    {
        let conn = rusqlite::Connection::open(&ws).unwrap();
        for t in TABLES {
            // The older build kept every quartile.
            conn.execute_batch(&format!(
                "UPDATE {t} SET q1 = min, median = min, q3 = max; ALTER TABLE {t} DROP COLUMN sum;"
            ))
            .unwrap();
        }
        let whole: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'index'
                   AND sql LIKE '%ON \"G101_1\" ((substr(region_code, 1, 4)), (prev_%))'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(whole.len(), 2, "the indexes of S1's totals' values");
        for name in whole {
            conn.execute_batch(&format!("DROP INDEX \"{name}\""))
                .unwrap();
        }
        conn.execute_batch(
            "CREATE INDEX older ON G101_1 ((substr(region_code, 1, 4)), (prev_so2_emit_t)) WHERE 1",
        )
        .unwrap();
        // Nor the value labels of format 13.
        conn.execute_batch(
            "ALTER TABLE fields DROP COLUMN value_labels; ALTER TABLE fields DROP COLUMN names",
        )
        .unwrap();
        // Nor the name index of format 14.
        conn.execute_batch("DROP TABLE \"G101_1 search\"").unwrap();
        // Nor the aliases, missing-value tokens and quartile choices of format 15.
        conn.execute_batch(
            "ALTER TABLE fields DROP COLUMN aliases; ALTER TABLE forms DROP COLUMN null_values;
             DROP TABLE peers_quantiles;",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 11).unwrap();
    }
    let w = Workspace::open(&ws).unwrap();
    let whole: i64 = rusqlite::Connection::open(&ws)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index'
               AND sql LIKE '%ON \"G101_1\" ((substr(region_code, 1, 4)), (prev_%))'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(whole, 2, "the indexes of S1's totals' values, made again");
    let version: i64 = rusqlite::Connection::open(&ws)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 15);
    for (t, rows) in TABLES.iter().zip(&now) {
        assert_eq!(&table(&ws, t), rows, "{t} computed again");
    }
    assert!(w.verify_deep().unwrap().ok());
    drop(w);
    let key: String = rusqlite::Connection::open(&ws)
        .unwrap()
        .query_row(
            "SELECT record_id FROM G101_1 WHERE prev_so2_emit_t > 0 ORDER BY rowid LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    correct(&ws, "G101_1", &key, "prev_so2_emit_t", "98765.4321");
    let mut w = Workspace::open(&ws).unwrap();
    let by = common::review::administrator(&w);
    let full = w.check(&[], &by, &mut |_, _, _| {}).unwrap();
    assert_eq!((full.opened, full.resolved), (0, 0));
}
