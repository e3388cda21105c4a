//! Why a record was flagged, through the door: `Session::flag_detail` on the demo workspace.
//! Its figures are held against the same figures computed here by hand from the stored rows;
//! its history against what the review session did.

#![allow(clippy::unwrap_used)] // tests may panic on a broken fixture

mod common;

use common::demo::{COAL_NO_SO2, KILN, OUTLIER, PM_KG, TWICE_A, TWICE_B, reviewed};
use common::review::{open, seen};
use common::{ADMIN, Scratch, demo, rowid};
use huishen_core::domain::{Datum, EventKind, Outcome};
use huishen_core::review::{FlagDetail, FlagLocated, FlagStep, Session};

fn detail(ws: &std::path::Path, key: &str, rule: &str) -> FlagDetail {
    let mut session = Session::observe(ws, ADMIN, None).unwrap();
    session
        .flag_detail(rowid(ws, key), rule)
        .unwrap()
        .unwrap_or_else(|| panic!("{rule} flags {key}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn number(d: &Option<Datum>) -> f64 {
    match d {
        Some(Datum::Real(x)) => *x,
        Some(Datum::Integer(i)) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// The first value at or past `quarters`/4 of `sorted`, as huishen's quartiles are defined.
fn quartile(sorted: &[f64], quarters: usize) -> f64 {
    sorted[(quarters * sorted.len()).div_ceil(4).max(1) - 1]
}

#[test]
fn r29_shows_the_division_its_quartiles_and_the_records_intensity_as_computed_by_hand() {
    let s = Scratch::new();
    let ws = demo(&s);
    let d = detail(&ws, OUTLIER, "R29");

    // By hand: every record's SO2 per 10k yuan, in the outlier's industry division.
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let (code, so2, output): (String, f64, f64) = conn
        .query_row(
            "SELECT industry_code, so2_emit_t, output_value_10k_yuan FROM G101_1 WHERE record_id = ?1",
            [OUTLIER],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let division = &code[..2];
    let mut stmt = conn
        .prepare("SELECT industry_code, so2_emit_t, output_value_10k_yuan FROM G101_1")
        .unwrap();
    let mut values: Vec<f64> = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<f64>>(1)?,
                r.get::<_, Option<f64>>(2)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .filter_map(|(c, s, o)| match (c, s, o) {
            (Some(c), Some(s), Some(o)) if c.starts_with(division) && o > 0.0 && s > 0.0 => {
                Some(s / o)
            }
            _ => None,
        })
        .collect();
    values.sort_by(f64::total_cmp);
    let (q1, q3) = (quartile(&values, 1), quartile(&values, 3));
    let own = so2 / output;
    let threshold = q3 + 3.0 * (q3 - q1);
    assert!(values.len() >= 5 && own > threshold, "the seeded outlier");

    let names: Vec<&str> = d.reads.iter().map(|v| v.field.name.as_str()).collect();
    assert_eq!(
        names,
        ["industry_code", "output_value_10k_yuan", "so2_emit_t"]
    );
    let [peers] = d.peers.as_slice() else {
        panic!("R29 reads one peers table: {:?}", d.peers)
    };
    assert_eq!(peers.name, "so2_intensity");
    assert_eq!(peers.group, Some(Datum::Text(division.to_string())));
    assert!(close(number(&peers.own), own));
    assert_eq!(peers.counted, Some(true));
    for column in ["grp", "n", "q1", "q3"] {
        assert!(peers.columns.iter().any(|c| c == column), "{column}");
    }
    let stats = peers.stats.as_ref().expect("the division's figures");
    assert_eq!(stats.n as usize, values.len());
    assert!(close(stats.q1.unwrap(), q1), "{:?} vs {q1}", stats.q1);
    assert!(close(stats.q3.unwrap(), q3), "{:?} vs {q3}", stats.q3);
    assert!(close(stats.min.unwrap(), values[0]));
    assert!(close(stats.max.unwrap(), *values.last().unwrap()));

    // The check's two sides, computed as the rule computes them.
    let [cmp] = d.comparisons.as_slice() else {
        panic!("one comparison: {:?}", d.comparisons)
    };
    assert_eq!(cmp.op, "<=");
    assert_eq!(
        cmp.sides[0].expr,
        "so2_emit_t * 1.0 / output_value_10k_yuan"
    );
    assert!(close(cmp.sides[0].number().unwrap(), own));
    assert!(close(cmp.sides[1].number().unwrap(), threshold));

    // Written as the rules file has it; opened by the demo's full check.
    assert_eq!(
        d.when.as_deref(),
        Some("coalesce(output_value_10k_yuan, 0) > 0 AND coalesce(so2_emit_t, 0) > 0")
    );
    assert!(
        d.check
            .starts_with("so2_emit_t * 1.0 / output_value_10k_yuan <= coalesce((SELECT p.q3")
    );
    assert!(d.flag.title_zh.starts_with("单位产值二氧化硫排放强度"));
    match &d.history[..] {
        [first] => match &first.step {
            FlagStep::Opened { outcome, by } => {
                assert_eq!(*outcome, Outcome::Fail);
                let by = by.as_ref().expect("the check that opened it");
                assert_eq!((by.kind, by.reviewer.as_str()), (EventKind::Check, ADMIN));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("one step: {other:?}"),
    }
    // A quotient of fields is not linear: localisation leaves R29 out, and says why.
    assert!(
        matches!(d.located, FlagLocated::LeftOut { .. }),
        "{:?}",
        d.located
    );
}

#[test]
fn p01_lists_the_boilers_it_sums_and_follows_a_boilers_correction_to_its_resolution() {
    let s = Scratch::new();
    let ws = demo(&s);
    let enterprise = "G3713020001081";
    let d = detail(&ws, enterprise, "P01");
    let [boilers] = d.linked.as_slice() else {
        panic!("P01 reads the boilers: {:?}", d.linked)
    };
    assert_eq!(boilers.form, "G103_1");
    let coal = boilers
        .fields
        .iter()
        .position(|f| f.name == "coal_t")
        .unwrap();
    // By hand: the boilers' coal from the file, and the enterprise's.
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let by_hand: f64 = conn
        .query_row(
            "SELECT sum(coal_t) FROM G103_1 WHERE record_id = ?1",
            [enterprise],
            |r| r.get(0),
        )
        .unwrap();
    let listed: f64 = boilers
        .rows
        .iter()
        .map(|(_, _, v)| number(&Some(v[coal].clone())))
        .sum();
    assert!(close(listed, by_hand));
    assert_eq!(boilers.total as usize, boilers.rows.len());
    assert!(
        boilers
            .rows
            .iter()
            .any(|(_, k, _)| k == "G3713020001081-02")
    );
    let [cmp] = d.comparisons.as_slice() else {
        panic!("{:?}", d.comparisons)
    };
    assert_eq!(cmp.op, ">=");
    assert!(close(cmp.sides[0].number().unwrap(), 32138.7));
    assert!(close(cmp.sides[1].number().unwrap(), by_hand - 1e-6));
    assert!(close(by_hand, 38777.9), "{by_hand}");

    // A boiler's coal corrected: P01 passes, and its history says which row changed.
    let mut boiler_session = open(&ws, ADMIN).on_form("G103_1").unwrap();
    let boiler = boiler_session.find("G3713020001081-02").unwrap().unwrap();
    let v = seen(&mut boiler_session, boiler);
    boiler_session
        .correct(boiler, v, "coal_t", "13278.4", "录入错误")
        .unwrap();
    boiler_session.release().unwrap();
    let d = detail(&ws, enterprise, "P01");
    assert!(!d.flag.is_open());
    let steps: Vec<&FlagStep> = d.history.iter().map(|e| &e.step).collect();
    match steps.as_slice() {
        [
            FlagStep::Opened { .. },
            FlagStep::Corrected {
                form,
                key,
                field,
                new,
                ..
            },
            FlagStep::Resolved,
        ] => {
            assert_eq!(
                (form.as_str(), key.as_str(), field.as_str()),
                ("G103_1", "G3713020001081-02", "coal_t")
            );
            assert_eq!(*new, Datum::Real(13278.4));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(d.history[1].reviewer.as_deref(), Some(ADMIN));
}

#[test]
fn a_correction_undone_reopens_the_flag_and_the_history_says_the_undo_opened_it() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let d = detail(&ws, COAL_NO_SO2, "R20");
    assert!(d.flag.is_open());
    assert_eq!(d.when.as_deref(), Some("coalesce(fuel_coal_t, 0) > 0"));
    assert_eq!(d.check, "coalesce(so2_gen_t, 0) > 0");
    let names: Vec<&str> = d.reads.iter().map(|v| v.field.name.as_str()).collect();
    assert_eq!(names, ["fuel_coal_t", "so2_gen_t"]);
    let [cmp] = d.comparisons.as_slice() else {
        panic!("{:?}", d.comparisons)
    };
    assert!(close(cmp.sides[0].number().unwrap(), 0.0));

    let kinds: Vec<String> = d
        .history
        .iter()
        .map(|e| match &e.step {
            FlagStep::Opened { by, .. } => format!("opened by {:?}", by.as_ref().map(|b| b.kind)),
            FlagStep::Corrected { field, new, .. } => format!(
                "{field} → {}{}",
                new.display(),
                if e.undone { " (undone)" } else { "" }
            ),
            FlagStep::Resolved => "resolved".into(),
            FlagStep::Undone { kind, field } => format!("undo of {kind} {field:?}"),
            FlagStep::Explained { text } => format!("explained {text}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "opened by Some(Check)",
            "so2_gen_t → 12.5 (undone)",
            "resolved",
            "undo of correct Some(\"so2_gen_t\")",
            "opened by Some(Undo)",
        ]
    );
}

#[test]
fn an_explanation_is_in_the_history_and_the_flag_says_it_is_explained() {
    let s = Scratch::new();
    let ws = reviewed(&s);
    let d = detail(&ws, KILN, "R21");
    assert!(d.flag.explained);
    let explained: Vec<_> = d
        .history
        .iter()
        .filter_map(|e| match &e.step {
            FlagStep::Explained { text } => Some((text.as_str(), e.reviewer.as_deref())),
            _ => None,
        })
        .collect();
    assert_eq!(explained, [("水泥窑固硫，经现场核查数据无误", Some(ADMIN))]);
    // R21 compares SO2 generated with two bounds from the coal.
    let [cmp] = d.comparisons.as_slice() else {
        panic!("{:?}", d.comparisons)
    };
    assert_eq!(cmp.op, "BETWEEN");
    assert_eq!(cmp.sides.len(), 3);
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let (coal, sulphur): (f64, f64) = conn
        .query_row(
            "SELECT fuel_coal_t, coal_sulfur_pct FROM G101_1 WHERE record_id = ?1",
            [KILN],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(close(
        cmp.sides[1].number().unwrap(),
        0.008 * coal * sulphur
    ));
    assert!(close(
        cmp.sides[2].number().unwrap(),
        0.024 * coal * sulphur
    ));
}

#[test]
fn a_linear_flag_names_the_located_field_and_a_rule_that_never_flagged_has_no_detail() {
    let s = Scratch::new();
    let ws = demo(&s);
    let d = detail(&ws, "G3714270001431", "R13");
    match &d.located {
        FlagLocated::Fields { fields, .. } => assert_eq!(fields, &["so2_gen_t".to_string()]),
        other => panic!("{other:?}"),
    }
    let mut session = Session::observe(&ws, ADMIN, None).unwrap();
    assert_eq!(
        session
            .flag_detail(rowid(&ws, "G3714270001431"), "R29")
            .unwrap(),
        None
    );
}

#[test]
fn a_cross_record_rule_lists_the_records_that_share_its_related_value() {
    let s = Scratch::new();
    let ws = demo(&s);
    let d = detail(&ws, TWICE_A, "R27");
    let (value, others) = d.related_records.as_ref().expect("R27 has related");
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let code: String = conn
        .query_row(
            "SELECT credit_code FROM G101_1 WHERE record_id = ?1",
            [TWICE_A],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(value, &Some(Datum::Text(code.clone())));
    let keys: Vec<&str> = others.rows.iter().map(|(_, k, _)| k.as_str()).collect();
    assert_eq!(keys, [TWICE_B]);
    assert_eq!(others.total, 1);
    let fields: Vec<&str> = others.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, ["credit_code", "region_code"]);
    assert_eq!(others.rows[0].2[0], Datum::Text(code));
    // A NOT EXISTS compares nothing of its own.
    assert!(d.comparisons.is_empty(), "{:?}", d.comparisons);
}

#[test]
fn a_flag_a_fix_would_settle_shows_the_proposal() {
    let s = Scratch::new();
    let ws = demo(&s);
    let d = detail(&ws, PM_KG, "R15");
    let [proposal] = d.proposals.as_slice() else {
        panic!("{:?}", d.proposals)
    };
    assert_eq!(proposal.fix, "F02");
    assert!(proposal.resolves.iter().any(|r| r == "R15"));
    let [change] = proposal.changes.as_slice() else {
        panic!("{:?}", proposal.changes)
    };
    assert_eq!(change.field, "pm_emit_t");
    assert_eq!(change.old, Datum::Real(16.4));
    assert!(close(number(&Some(change.new.clone())), 0.0164));
}
