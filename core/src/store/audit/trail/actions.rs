//! The review actions replayed: corrections, explanations, notes and signatures with their
//! undoing and voiding, each record's lock, and the value every correction left.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;
use serde_json::{Value, json};

use super::{Event, Findings, compare, rows, same};
use crate::domain::EventKind;
use crate::store::audit::json_value;

/// The side tables of the review actions, each record's lock and the corrected values,
/// against the events that wrote them. Returns, per form, the imported value of every
/// corrected field: (form, record, field) → value, for the data replay.
pub fn actions(
    conn: &Connection,
    events: &[Event],
    f: &mut Findings,
) -> rusqlite::Result<HashMap<(String, i64, String), Value>> {
    let mut corrections = BTreeMap::new();
    let mut explanations = BTreeMap::new();
    let mut notes = BTreeMap::new();
    let mut signatures = BTreeMap::new();
    let mut locks: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut originals = HashMap::new();
    let mut current: HashMap<(String, i64, String), Value> = HashMap::new();
    let mut keys: HashMap<(String, i64), String> = HashMap::new();
    let by_id: HashMap<i64, &Event> = events.iter().map(|e| (e.id, e)).collect();
    for e in events {
        let (Some(form), Some(record)) = (&e.form, e.record) else {
            continue;
        };
        keys.insert((form.clone(), record), e.key.clone().unwrap_or_default());
        let place = json!([form, record]);
        let lock_key = place.to_string();
        let locked = locks
            .get(&lock_key)
            .and_then(|v| v.get(1).cloned())
            .unwrap_or(json!(false));
        let mut set_lock = |v: Value| {
            locks.insert(lock_key.clone(), vec![json!(lock_key), v]);
        };
        let id = e.id.to_string();
        let who = json!(e.reviewer);
        let at = json!(e.at);
        let common = |rest: Vec<Value>| -> Vec<Value> {
            let mut row = vec![json!(e.id), json!(form), json!(record)];
            row.extend(rest);
            row
        };
        match e.kind.as_str() {
            k if k == EventKind::Correct.as_str() => {
                let field = e.text("field");
                let place = (form.clone(), record, field.clone());
                originals
                    .entry(place.clone())
                    .or_insert_with(|| e.get("old"));
                current.insert(place, e.get("new"));
                corrections.insert(
                    id,
                    common(vec![
                        json!(field),
                        e.get("old"),
                        e.get("new"),
                        e.get("reason"),
                        who,
                        at,
                        Value::Null,
                    ]),
                );
                void(&mut signatures, &e.get("voids"), e.id);
                set_lock(json!(false));
            }
            k if k == EventKind::Explain.as_str() => {
                explanations.insert(
                    id,
                    common(vec![e.get("rule"), e.get("text"), who, at, Value::Null]),
                );
                set_lock(json!(false));
            }
            k if k == EventKind::Note.as_str() => {
                notes.insert(id, common(vec![e.get("text"), who, at, Value::Null]));
                set_lock(locked);
            }
            k if k == EventKind::Sign.as_str() => {
                signatures.insert(
                    id,
                    common(vec![
                        who,
                        e.get("role"),
                        at,
                        e.get("record_hash"),
                        Value::Null,
                    ]),
                );
                set_lock(e.get("locks"));
            }
            k if k == EventKind::Reopen.as_str() => {
                void(&mut signatures, &e.get("voids"), e.id);
                set_lock(json!(false));
            }
            k if k == EventKind::Undo.as_str() => {
                let target = e.get("undoes").as_i64().unwrap_or_default();
                let t = target.to_string();
                void(&mut signatures, &e.get("voids"), e.id);
                let undone = |table: &mut BTreeMap<String, Vec<Value>>| {
                    if let Some(row) = table.get_mut(&t) {
                        if let Some(last) = row.last_mut() {
                            *last = json!(e.id);
                        }
                    }
                };
                match e.text("kind").as_str() {
                    "correct" => {
                        undone(&mut corrections);
                        if let Some(c) = by_id.get(&target) {
                            current.insert((form.clone(), record, c.text("field")), c.get("old"));
                        }
                        set_lock(locked);
                    }
                    "explain" => {
                        undone(&mut explanations);
                        set_lock(locked);
                    }
                    "note" => {
                        undone(&mut notes);
                        set_lock(locked);
                    }
                    "sign" => {
                        undone(&mut signatures);
                        set_lock(json!(false));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let tables: [Side<'_>; 4] = [
        (
            "corrections",
            "the correction of event",
            "SELECT event, form, record, field, old_value, new_value, reason, reviewer, at, undone_by FROM corrections",
            &[
                "form",
                "record",
                "field",
                "old value",
                "new value",
                "reason",
                "reviewer",
                "time",
                "undone by",
            ],
            &corrections,
        ),
        (
            "explanations",
            "the explanation of event",
            "SELECT event, form, record, rule, text, reviewer, at, undone_by FROM explanations",
            &[
                "form",
                "record",
                "rule",
                "text",
                "reviewer",
                "time",
                "undone by",
            ],
            &explanations,
        ),
        (
            "notes",
            "the note of event",
            "SELECT event, form, record, text, reviewer, at, undone_by FROM notes",
            &["form", "record", "text", "reviewer", "time", "undone by"],
            &notes,
        ),
        (
            "signatures",
            "the signature of event",
            "SELECT event, form, record, reviewer, role, at, record_hash, voided_by FROM signatures",
            &[
                "form",
                "record",
                "reviewer",
                "role",
                "time",
                "record hash",
                "voided by",
            ],
            &signatures,
        ),
    ];
    for (table, noun, sql, columns, expected) in tables {
        compare(table, noun, columns, &rows(conn, sql)?, expected, f);
    }
    let have = rows(
        conn,
        "SELECT json_array(form, record), locked FROM record_state",
    )?;
    for (place, want) in &locks {
        let now = have.get(place).map_or(json!(false), |r| r[1].clone());
        if !same(&now, &want[1]) {
            let key = serde_json::from_str::<Value>(place).ok();
            let (form, record) = key
                .as_ref()
                .map(|k| {
                    (
                        k[0].as_str().unwrap_or_default().to_string(),
                        k[1].as_i64().unwrap_or_default(),
                    )
                })
                .unwrap_or_default();
            let name = keys
                .get(&(form.clone(), record))
                .cloned()
                .unwrap_or_default();
            f.problems.push(format!(
                "record_state: {form}/{name} is {}, but its signatures say it is {}",
                if same(&now, &json!(true)) {
                    "locked"
                } else {
                    "not locked"
                },
                if same(&want[1], &json!(true)) {
                    "locked"
                } else {
                    "not locked"
                },
            ));
        }
    }
    for (place, locked) in &have {
        if !locks.contains_key(place) && same(&locked[1], &json!(true)) {
            f.problems.push(format!(
                "record_state: record {place} is locked, but no signature in the audit trail locked it"
            ));
        }
    }
    // Each corrected field holds the value its last correction (or undo) left.
    for ((form, record, field), want) in &current {
        let key = keys
            .get(&(form.clone(), *record))
            .cloned()
            .unwrap_or_default();
        let sql = format!(
            "SELECT {} FROM {} WHERE rowid = ?1",
            crate::store::forms::quote(field),
            crate::store::forms::quote(form)
        );
        let now: Option<SqlValue> = conn
            .query_row(&sql, [record], |r| r.get(0))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                other => Err(other),
            })?;
        match now {
            None => f.problems.push(format!(
                "{form}/{key}: the record is in the audit trail but not in the data: it was deleted"
            )),
            Some(v) if !same(&json_value(&v), want) => f.problems.push(format!(
                "{form}/{key}: {field} is {}, but the audit trail's corrections leave it {want}",
                json_value(&v)
            )),
            Some(_) => {}
        }
    }
    Ok(originals)
}

/// A side table to compare: its name, what a row is, the query, its columns after the key,
/// and the rows the trail says it holds.
type Side<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a [&'a str],
    &'a BTreeMap<String, Vec<Value>>,
);

/// Marks signatures voided by event `by`.
fn void(signatures: &mut BTreeMap<String, Vec<Value>>, ids: &Value, by: i64) {
    for id in ids.as_array().into_iter().flatten() {
        if let Some(row) = signatures.get_mut(&id.to_string()) {
            if let Some(last) = row.last_mut() {
                *last = json!(by);
            }
        }
    }
}
