//! `verify --deep`: every rule run again, as of the verification's one read snapshot and
//! writing nothing, and its verdicts held against the open flags; and every peers table
//! against the figures the data gives. The flags are derived, so a flag resolved, opened or
//! deleted outside huishen is found only this way.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;

use super::check::{CheckReport, peers_budgeted};
use super::peers;
use super::run::Run;
use super::sandbox::Sandbox;
use super::vocabulary::ActiveRules;
use crate::domain::Form;
use crate::error::{Error, Result};
use crate::store::forms::quote;

/// What a deep verification found: where the flags and peers figures stored differ from
/// those the rules give now, and the rules it could not run again (past their budget).
#[derive(Debug, Default)]
pub struct Deep {
    pub problems: Vec<String>,
    pub unchecked: Vec<String>,
}

/// Runs the rules again in the caller's read transaction. Nothing when there are no rules.
pub fn deep(
    conn: &Connection,
    sandbox: &Sandbox,
    rules: Option<&ActiveRules>,
    forms: &[Form],
) -> Result<Deep> {
    let Some(rules) = rules else {
        return Ok(Deep::default());
    };
    let to_error = |e: rusqlite::Error| Error::Storage {
        context: "re-running the rules".into(),
        detail: e.to_string(),
    };
    let mut problems = Vec::new();
    for p in &rules.peers {
        let now = peers_budgeted(conn, sandbox, rules, p)?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {} FROM {} ORDER BY grp",
                peers::COLUMNS.join(", "),
                quote(&p.table())
            ))
            .map_err(to_error)?;
        let stored: Vec<Vec<SqlValue>> = stmt
            .query_map([], |r| {
                (0..peers::COLUMNS.len()).map(|i| r.get(i)).collect()
            })
            .map_err(to_error)?
            .collect::<rusqlite::Result<_>>()
            .map_err(to_error)?;
        let sort = |mut rows: Vec<Vec<SqlValue>>| {
            rows.sort_by(|a, b| format!("{:?}", a[0]).cmp(&format!("{:?}", b[0])));
            rows
        };
        if sort(now) != sort(stored) {
            problems.push(format!(
                "peers {}: the figures stored are not those the data gives",
                p.name
            ));
        }
    }
    let mut run = Run {
        conn,
        sandbox,
        rules,
        to_error: &to_error,
        items_by_form: HashMap::new(),
    };
    let mut report = CheckReport::empty(rules.rule_set);
    for rule in &rules.rules {
        let Some(form) = forms.iter().find(|f| f.name == rule.form) else {
            continue;
        };
        let Some((_, verdicts)) = run.budgeted(rule, "", &mut report)? else {
            continue;
        };
        let now: BTreeMap<i64, String> = verdicts
            .iter()
            .map(|(record, outcome)| (*record, outcome.as_str().to_string()))
            .collect();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT f.record, f.outcome, coalesce(CAST(t.{} AS TEXT), '')
                 FROM flags f LEFT JOIN {} t ON t.rowid = f.record
                 WHERE f.form = ?1 AND f.rule = ?2 AND f.state = 'open'",
                quote(&form.key),
                quote(&form.name)
            ))
            .map_err(to_error)?;
        let open: BTreeMap<i64, (String, String)> = stmt
            .query_map([&rule.form, &rule.id], |r| {
                Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
            })
            .map_err(to_error)?
            .collect::<rusqlite::Result<_>>()
            .map_err(to_error)?;
        let key_of = |record: i64| -> Result<String> {
            conn.query_row(
                &format!(
                    "SELECT CAST({} AS TEXT) FROM {} WHERE rowid = ?1",
                    quote(&form.key),
                    quote(&form.name)
                ),
                [record],
                |r| r.get(0),
            )
            .map_err(to_error)
        };
        for (record, outcome) in &now {
            match open.get(record) {
                None => problems.push(format!(
                    "flags: rule {} fails on {}/{} ({outcome}), but its flag is not open: it \
                     was resolved or deleted outside huishen (run `huishen check` to open it again)",
                    rule.id,
                    form.name,
                    key_of(*record)?
                )),
                Some((stored, key)) if stored != outcome => problems.push(format!(
                    "flags: rule {} on {}/{key} says {outcome}, its open flag says {stored}",
                    rule.id, form.name
                )),
                Some(_) => {}
            }
        }
        for (record, (_, key)) in open.iter().filter(|(r, _)| !now.contains_key(r)) {
            let _ = record;
            problems.push(format!(
                "flags: the flag of rule {} on {}/{key} is open, but the rule passes now: it \
                 was opened outside huishen",
                rule.id, form.name
            ));
        }
    }
    let unchecked = report
        .over_budget
        .iter()
        .map(|o| {
            format!(
                "rule {} {}: raise {} to check it",
                o.rule, o.why.en, o.setting
            )
        })
        .collect();
    Ok(Deep {
        problems,
        unchecked,
    })
}
