//! The trail replayed: every event's signature against the keys the trail itself enrolled
//! (back to its root), and every table the trail speaks for held against what its events
//! say: reviewers, the policy, the work split, the rule sets, the imports, the side tables of
//! the review actions and each record's lock. What the tables hold and the trail does not
//! say, or the trail says and the tables do not hold, was changed outside huishen.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;
use serde_json::{Value, json};

use super::json_value;
use crate::domain::EventKind;
use crate::seal;

/// One event as the trail holds it.
pub struct Event {
    pub id: i64,
    pub at: String,
    pub reviewer: String,
    pub kind: String,
    pub form: Option<String>,
    pub record: Option<i64>,
    pub key: Option<String>,
    pub payload: Value,
    pub hash: String,
    pub signature: Option<String>,
}

impl Event {
    fn is(&self, kind: EventKind) -> bool {
        self.kind == kind.as_str()
    }

    fn get(&self, name: &str) -> Value {
        self.payload.get(name).cloned().unwrap_or(Value::Null)
    }

    fn text(&self, name: &str) -> String {
        self.payload
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    fn what(&self) -> String {
        match &self.key {
            Some(key) => format!(
                "event #{} ({} of {}/{key} by {})",
                self.id,
                self.kind,
                self.form.as_deref().unwrap_or(""),
                self.reviewer
            ),
            None => format!("event #{} ({} by {})", self.id, self.kind, self.reviewer),
        }
    }
}

/// Kinds only an administrator may sign.
const ADMINISTRATIVE: &[EventKind] = &[
    EventKind::ReviewerAdd,
    EventKind::ReviewerChange,
    EventKind::Policy,
    EventKind::Assign,
    EventKind::Import,
    EventKind::RulesLoad,
    EventKind::Check,
    EventKind::Upgrade,
];

/// A reviewer as the trail enrolled them.
#[derive(Debug, Clone, PartialEq)]
struct Enrolled {
    role: String,
    scope: String,
    admin: bool,
    public_key: String,
    sealed: String,
}

impl Enrolled {
    fn from(e: &Event) -> Enrolled {
        Enrolled {
            role: e.text("role"),
            scope: e.text("scope"),
            admin: e.get("admin").as_bool().unwrap_or(false),
            public_key: e.text("public_key"),
            sealed: e.text("sealed"),
        }
    }
}

/// What the trail's replay found wrong, each said with the event, table, record and field.
#[derive(Default)]
pub struct Findings {
    pub problems: Vec<String>,
    /// Events whose signature was checked.
    pub signed: u64,
    /// The root key's fingerprint.
    pub root: Option<String>,
}

/// Checks every event's signature. Events before the first signed one must be attested by
/// an upgrade event (their head hash in its payload); the first signed event is the root:
/// an administrator's enrolment, or an upgrade, signed by the key it names.
pub fn signatures(events: &[Event], f: &mut Findings) {
    let mut keys: HashMap<String, Enrolled> = HashMap::new();
    let attested = events
        .iter()
        .find(|e| e.is(EventKind::Upgrade))
        .and_then(|e| {
            let head = e.payload.get("head")?;
            Some((
                head.get("event")?.as_i64()?,
                head.get("hash")?.as_str()?.to_string(),
            ))
        });
    let mut rooted = false;
    for e in events {
        let Some(signature) = &e.signature else {
            let covered = attested
                .as_ref()
                .is_some_and(|(id, _)| e.id <= *id && !rooted);
            if !covered {
                f.problems.push(format!(
                    "{} is not signed: it was written outside huishen",
                    e.what()
                ));
            }
            // Reviewers enrolled before keys: known by name, without a key.
            if e.is(EventKind::ReviewerAdd) {
                keys.insert(e.text("name"), Enrolled::from(e));
            }
            continue;
        };
        if !rooted {
            rooted = true;
            let root_kind = e.is(EventKind::ReviewerAdd) || e.is(EventKind::Upgrade);
            let public = e.text("public_key");
            if !root_kind || !e.get("admin").as_bool().unwrap_or(false) {
                f.problems.push(format!(
                    "{} is the first signed event but enrols no administrator: the trail has no root",
                    e.what()
                ));
            }
            if let Some((id, hash)) = &attested {
                let head = events.iter().take_while(|x| x.id <= *id).last();
                if e.is(EventKind::Upgrade) && head.is_none_or(|h| &h.hash != hash || h.id != *id) {
                    f.problems.push(format!(
                        "{} attests a trail that is not this one: events before it were changed",
                        e.what()
                    ));
                }
            }
            f.root = Some(seal::fingerprint(&public));
            keys.insert(
                if e.is(EventKind::Upgrade) {
                    e.reviewer.clone()
                } else {
                    e.text("name")
                },
                Enrolled::from(e),
            );
        }
        let Some(signer) = keys.get(&e.reviewer) else {
            f.problems.push(format!(
                "{} is signed as {}, whom no administrator enrolled before it",
                e.what(),
                e.reviewer
            ));
            continue;
        };
        f.signed += 1;
        if signer.public_key.is_empty()
            || !seal::verifies(&signer.public_key, e.hash.as_bytes(), signature)
        {
            f.problems.push(format!(
                "{} does not carry {}'s signature: it was written or changed outside huishen",
                e.what(),
                e.reviewer
            ));
            continue;
        }
        let administrative = ADMINISTRATIVE.iter().any(|k| e.is(*k));
        if administrative && !signer.admin {
            f.problems.push(format!(
                "{} was signed by {}, who is not an administrator",
                e.what(),
                e.reviewer
            ));
        }
        if e.is(EventKind::ReviewerAdd) || e.is(EventKind::ReviewerChange) {
            keys.insert(e.text("name"), Enrolled::from(e));
        }
    }
}

/// Rows of a table as JSON arrays, keyed by their first column.
fn rows(conn: &Connection, sql: &str) -> rusqlite::Result<BTreeMap<String, Vec<Value>>> {
    let mut stmt = conn.prepare(sql)?;
    let n = stmt.column_count();
    let mut out = BTreeMap::new();
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let values = (0..n)
            .map(|i| r.get::<_, SqlValue>(i).map(|v| json_value(&v)))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let key = match &values[0] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.insert(key, values);
    }
    Ok(out)
}

/// Compares a table's rows with what the trail says they are; `columns` names the columns
/// after the key, `noun` says what a row is.
fn compare(
    table: &str,
    noun: &str,
    columns: &[&str],
    actual: &BTreeMap<String, Vec<Value>>,
    expected: &BTreeMap<String, Vec<Value>>,
    f: &mut Findings,
) {
    for (key, want) in expected {
        match actual.get(key) {
            None => f.problems.push(format!(
                "{table}: {noun} {key} is in the audit trail but not in the table: it was deleted"
            )),
            Some(have) => {
                for (i, column) in columns.iter().enumerate() {
                    let (h, w) = (&have[i + 1], &want[i + 1]);
                    if !same(h, w) {
                        f.problems.push(format!(
                            "{table}: {noun} {key} has {column} = {h}, but the audit trail says {w}"
                        ));
                    }
                }
            }
        }
    }
    for key in actual.keys().filter(|k| !expected.contains_key(*k)) {
        f.problems.push(format!(
            "{table}: {noun} {key} is not in the audit trail: it was added outside huishen"
        ));
    }
}

/// JSON values equal as stored values: 1 and 1.0 and true are one value to SQLite.
fn same(a: &Value, b: &Value) -> bool {
    let num = |v: &Value| match v {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Reviewers, the policy, the work split, rule sets and imports against their events.
pub fn administration(
    conn: &Connection,
    events: &[Event],
    f: &mut Findings,
) -> rusqlite::Result<()> {
    let mut reviewers: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut policy = vec![json!(1), json!(2), json!(1), json!(1), json!(10)];
    let mut assignments: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut rule_sets: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut imports: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let upgrade = events.iter().find(|e| e.is(EventKind::Upgrade));
    if let Some(u) = upgrade {
        // What an upgrade attested stands as if its events had said it.
        for s in u.get("rule_sets").as_array().into_iter().flatten() {
            let id = s.get("rule_set").cloned().unwrap_or(Value::Null);
            let now = super::replay::rule_set_digest(conn, id.as_i64().unwrap_or_default())?;
            if s.get("digest") != Some(&json!(now)) {
                f.problems.push(format!(
                    "rules: the rules of rule set {id} are not those {} attested (a rule, \
                     parameter or peers definition was changed outside huishen)",
                    u.what()
                ));
            }
            rule_sets.insert(
                id.to_string(),
                vec![id, s.get("sha256").cloned().unwrap_or_default()],
            );
        }
        for i in u.get("imports").as_array().into_iter().flatten() {
            let id = i.get("import").cloned().unwrap_or(Value::Null);
            let row = ["form", "rows", "digest"]
                .iter()
                .map(|k| i.get(*k).cloned().unwrap_or(Value::Null));
            imports.insert(id.to_string(), std::iter::once(id).chain(row).collect());
        }
        if let Some(p) = u.get("policy").as_object() {
            policy = policy_row(p);
        }
        for row in u.get("assignments").as_array().into_iter().flatten() {
            let cells: Vec<Value> = row.as_array().cloned().unwrap_or_default();
            let key = Value::Array(cells.clone()).to_string();
            assignments.insert(
                key.clone(),
                std::iter::once(json!(key)).chain(cells).collect(),
            );
        }
    }
    for e in events {
        if e.is(EventKind::ReviewerAdd)
            || e.is(EventKind::ReviewerChange)
            || (e.is(EventKind::Upgrade) && e.payload.get("name").is_some())
        {
            let r = Enrolled::from(e);
            let name = e.text("name");
            let legacy = e.payload.get("public_key").is_none();
            let row = vec![
                json!(name),
                json!(r.role),
                json!(r.scope),
                json!(r.admin),
                json!(r.public_key),
                if legacy { Value::Null } else { json!(r.sealed) },
            ];
            reviewers.insert(name, row);
        } else if e.is(EventKind::Policy) {
            if let Some(p) = e.payload.as_object() {
                policy = policy_row(p);
            }
        } else if e.is(EventKind::Assign) {
            let who = e.text("reviewer");
            if e.get("clear").as_bool().unwrap_or(false) {
                assignments.retain(|_, v| v.get(1) != Some(&json!(who)));
            }
            for add in e.get("add").as_array().into_iter().flatten() {
                let cells = vec![
                    json!(who),
                    add.get(0).cloned().unwrap_or_default(),
                    add.get(1).cloned().unwrap_or_default(),
                ];
                let key = Value::Array(cells.clone()).to_string();
                assignments.insert(
                    key.clone(),
                    std::iter::once(json!(key)).chain(cells).collect(),
                );
            }
        } else if e.is(EventKind::RulesLoad) {
            let id = e.get("rule_set");
            rule_sets.insert(id.to_string(), vec![id, e.get("sha256")]);
        } else if e.is(EventKind::Import) {
            let id = e.get("import");
            imports.insert(
                id.to_string(),
                vec![id, e.get("form"), e.get("rows"), e.get("digest")],
            );
        }
    }
    let mut actual = rows(
        conn,
        "SELECT name, role, scope, admin, public_key, sealed_key FROM reviewers",
    )?;
    for (key, row) in actual.iter_mut() {
        let legacy = reviewers.get(key).is_some_and(|r| r[5].is_null());
        row[5] = if legacy {
            Value::Null
        } else {
            json!(super::super::admin::sealed_digest(
                row[5].as_str().unwrap_or_default()
            ))
        };
    }
    compare(
        "reviewers",
        "reviewer",
        &[
            "role",
            "scope",
            "admin",
            "public key",
            "sealed key (sha256)",
        ],
        &actual,
        &reviewers,
        f,
    );
    let have = rows(
        conn,
        "SELECT id, signatures_required, distinct_roles, four_eyes, claim_minutes FROM policy",
    )?;
    let mut want = BTreeMap::new();
    want.insert("1".to_string(), policy);
    compare(
        "policy",
        "the policy",
        &[
            "signatures_required",
            "distinct_roles",
            "four_eyes",
            "claim_minutes",
        ],
        &have,
        &want,
        f,
    );
    let have = rows(
        conn,
        "SELECT json_array(reviewer, kind, value), reviewer, kind, value FROM assignments",
    )?;
    compare(
        "assignments",
        "assignment",
        &["reviewer", "kind", "value"],
        &have,
        &assignments,
        f,
    );
    let have = rows(conn, "SELECT id, sha256 FROM rule_sets")?;
    compare("rule_sets", "rule set", &["sha256"], &have, &rule_sets, f);
    let sources = rows(conn, "SELECT id, sha256, source FROM rule_sets")?;
    for (id, row) in &sources {
        let source = row[2].as_str().unwrap_or_default();
        let digest = super::super::admin::sealed_digest(source);
        if row[1].as_str() != Some(digest.as_str()) {
            f.problems.push(format!(
                "rule_sets: the source of rule set {id} is not the file that was loaded (its sha256 differs)"
            ));
        }
    }
    for e in events.iter().filter(|e| e.is(EventKind::RulesLoad)) {
        let id = e.get("rule_set").as_i64().unwrap_or_default();
        let now = super::replay::rule_set_digest(conn, id)?;
        if json!(now) != e.get("digest") {
            f.problems.push(format!(
                "rules: the rules of rule set {id} are not those loaded by {} (a rule, parameter \
                 or peers definition was changed outside huishen)",
                e.what()
            ));
        }
    }
    let have = rows(conn, "SELECT id, form, rows, digest FROM imports")?;
    let mut have = have;
    // Imports before the upgrade have no digest in the table; the upgrade attested it.
    for (id, row) in have.iter_mut() {
        if row[3] == json!("") {
            if let Some(w) = imports.get(id) {
                row[3] = w[3].clone();
            }
        }
    }
    compare(
        "imports",
        "import",
        &["form", "rows", "digest"],
        &have,
        &imports,
        f,
    );
    Ok(())
}

fn policy_row(p: &serde_json::Map<String, Value>) -> Vec<Value> {
    let get = |k: &str| p.get(k).cloned().unwrap_or(Value::Null);
    vec![
        json!(1),
        get("signatures_required"),
        get("distinct_roles"),
        get("four_eyes"),
        get("claim_minutes"),
    ]
}

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
