//! The trail replayed: every event's signature against the keys the trail itself enrolled
//! (back to its root), and every table the trail speaks for held against what its events
//! say: reviewers, the policy, the work split, the rule sets, the imports, the side tables of
//! the review actions and each record's lock. What the tables hold and the trail does not
//! say, or the trail says and the tables do not hold, was changed outside huishen.

use std::collections::BTreeMap;

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;
use serde_json::{Value, json};

use super::json_value;
use crate::domain::EventKind;

mod actions;
mod keys;

pub use actions::actions;
use keys::Enrolled;
pub use keys::signatures;

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
    pub(super) fn is(&self, kind: EventKind) -> bool {
        self.kind == kind.as_str()
    }

    pub(super) fn get(&self, name: &str) -> Value {
        self.payload.get(name).cloned().unwrap_or(Value::Null)
    }

    pub(super) fn text(&self, name: &str) -> String {
        self.payload
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    }

    pub(super) fn what(&self) -> String {
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

/// What the trail's replay found wrong, each said with the event, table, record and field.
#[derive(Default)]
pub struct Findings {
    pub problems: Vec<String>,
    /// Events whose signature was checked.
    pub signed: u64,
    /// Events written before keys that an upgrade attests.
    pub attested: u64,
    /// The root key's fingerprint.
    pub root: Option<String>,
}

/// Rows of a table as JSON arrays, keyed by their first column.
pub(super) fn rows(conn: &Connection, sql: &str) -> rusqlite::Result<BTreeMap<String, Vec<Value>>> {
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
pub(super) fn compare(
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
/// (A flag is stored as the integer 0 or 1; every other value must be equal as it is: an
/// integer is not the real of the same value, and large integers compare exactly.)
pub(super) fn same(a: &Value, b: &Value) -> bool {
    let flag = |v: &Value| match v {
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    };
    match (a, b) {
        (Value::Bool(_), Value::Number(n)) | (Value::Number(n), Value::Bool(_)) => {
            n.as_i64() == flag(a).or(flag(b))
        }
        _ => a == b,
    }
}

/// Reviewers, the policy, the work split, rule sets and imports against their events.
/// `initial` is the policy of the signed schema, which a new workspace starts with.
pub fn administration(
    conn: &Connection,
    events: &[Event],
    initial: Option<crate::domain::schema::PolicySettings>,
    f: &mut Findings,
) -> rusqlite::Result<()> {
    let mut reviewers: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut policy = match initial {
        Some(p) => vec![
            json!(1),
            json!(p.signatures),
            json!(i64::from(p.distinct_roles)),
            json!(i64::from(p.four_eyes)),
            json!(10),
        ],
        None => vec![json!(1), json!(2), json!(1), json!(1), json!(10)],
    };
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
            let get = |k: &str| s.get(k).cloned().unwrap_or_default();
            rule_sets.insert(
                id.to_string(),
                vec![id, get("sha256"), get("file"), get("by")],
            );
        }
        for i in u.get("imports").as_array().into_iter().flatten() {
            let id = i.get("import").cloned().unwrap_or(Value::Null);
            let row = ["form", "rows", "digest", "file", "sha256", "rejected", "by"]
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
        } else if e.is(EventKind::ReviewerRemove) {
            let name = e.text("name");
            reviewers.remove(&name);
            assignments.retain(|_, v| v.get(1) != Some(&json!(name)));
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
            rule_sets.insert(
                id.to_string(),
                vec![id, e.get("sha256"), e.get("file"), json!(e.reviewer)],
            );
        } else if e.is(EventKind::Import) {
            let id = e.get("import");
            imports.insert(
                id.to_string(),
                vec![
                    id,
                    e.get("form"),
                    e.get("rows"),
                    e.get("digest"),
                    e.get("file"),
                    e.get("sha256"),
                    e.get("rejected"),
                    json!(e.reviewer),
                ],
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
            json!(crate::seal::digest(row[5].as_str().unwrap_or_default()))
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
    let have = rows(
        conn,
        "SELECT id, sha256, file_name, loaded_by FROM rule_sets",
    )?;
    compare(
        "rule_sets",
        "rule set",
        &["sha256", "file", "loaded by"],
        &have,
        &rule_sets,
        f,
    );
    let sources = rows(conn, "SELECT id, sha256, source FROM rule_sets")?;
    for (id, row) in &sources {
        let source = row[2].as_str().unwrap_or_default();
        let digest = crate::seal::digest(source);
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
    let have = rows(
        conn,
        "SELECT id, form, rows, digest, file_name, file_sha256, rejected, imported_by FROM imports",
    )?;
    compare(
        "imports",
        "import",
        &[
            "form",
            "rows",
            "digest",
            "file",
            "sha256",
            "rejected",
            "imported by",
        ],
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
