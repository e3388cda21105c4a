//! The audit trail: an append-only chain of events, each holding the hash of the one before,
//! and the check that the chain and the signatures still hold.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::forms::quote;
use crate::domain::{EventKind, Form};
use crate::seal::Signer;

pub(crate) mod data;
pub(crate) mod pages;
pub(crate) mod replay;
pub(crate) mod schema;
pub(crate) mod trail;
pub(crate) mod witness;

/// The hash the first event links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A value as JSON, for canonical texts, telling apart every stored value that differs: an
/// integer stays exact, a real that JSON cannot write (infinite, NaN) and a blob are tagged
/// objects, so that neither reads as NULL or as text.
pub fn json_value(v: &SqlValue) -> serde_json::Value {
    match v {
        SqlValue::Null => serde_json::Value::Null,
        SqlValue::Integer(i) => serde_json::Value::from(*i),
        SqlValue::Real(x) if x.is_finite() => serde_json::Value::from(*x),
        SqlValue::Real(x) => serde_json::json!({ "real": x.to_string() }),
        SqlValue::Text(t) => serde_json::Value::from(t.as_str()),
        SqlValue::Blob(b) => serde_json::json!({ "blob": hex(b) }),
    }
}

/// The canonical text of an event: JSON with sorted keys.
#[allow(clippy::too_many_arguments)]
fn canonical(
    id: i64,
    at: &str,
    reviewer: &str,
    kind: &str,
    form: Option<&str>,
    record: Option<i64>,
    key: Option<&str>,
    payload: &str,
) -> String {
    serde_json::json!({
        "id": id, "at": at, "reviewer": reviewer, "kind": kind,
        "form": form, "record": record, "key": key, "payload": payload,
    })
    .to_string()
}

fn link(prev: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex(&h.finalize())
}

/// What an event is about.
pub struct Subject<'a> {
    pub form: &'a str,
    pub record: i64,
    pub key: &'a str,
}

/// Appends an event signed by `signer` (its actor) and returns its id and time. `payload` is stored as its canonical JSON text.
pub fn append(
    conn: &Connection,
    signer: &Signer,
    kind: &str,
    subject: Option<&Subject<'_>>,
    payload: &serde_json::Value,
) -> rusqlite::Result<(i64, String)> {
    let (prev, at): (String, String) = conn.query_row(
        "SELECT coalesce((SELECT hash FROM events ORDER BY id DESC LIMIT 1), ?1),
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        [GENESIS],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let id: i64 = conn.query_row(
        "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) + 1",
        [],
        |r| r.get(0),
    )?;
    let payload = payload.to_string();
    let (form, record, key) = match subject {
        Some(s) => (Some(s.form), Some(s.record), Some(s.key)),
        None => (None, None, None),
    };
    let reviewer = signer.name();
    let hash = link(
        &prev,
        &canonical(id, &at, reviewer, kind, form, record, key, &payload),
    );
    let signature = signer.sign(hash.as_bytes());
    conn.execute(
        "INSERT INTO events (id, at, reviewer, kind, form, record, key, payload, prev_hash, hash, signature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            id, at, reviewer, kind, form, record, key, payload, prev, hash, signature
        ],
    )?;
    Ok((id, at))
}

/// The sha256 of a record's values, as signatures hold it. A record of a form without child
/// forms is hashed on its fields alone, as it always was; a record of a form with child forms
/// binds its census object beneath it: every row of each child form under it (all fields,
/// rows in key order, child forms in schema order), and so on down.
pub fn record_hash(
    conn: &Connection,
    forms: &[Form],
    form: &Form,
    record: i64,
) -> rusqlite::Result<String> {
    let canonical = record_canonical(conn, forms, form, record, 0)?;
    Ok(hex(&Sha256::digest(canonical.to_string().as_bytes())))
}

/// The canonical value a record hash is taken of: `[[field, value], ...]` for a form without
/// child forms; `[fields, [[child form, [row, ...]], ...]]` for one with them, each row
/// canonical in the same way.
fn record_canonical(
    conn: &Connection,
    forms: &[Form],
    form: &Form,
    record: i64,
    depth: usize,
) -> rusqlite::Result<serde_json::Value> {
    let columns: Vec<String> = form.fields.iter().map(|f| quote(&f.name)).collect();
    let values: Vec<SqlValue> = conn.query_row(
        &format!(
            "SELECT {} FROM {} WHERE rowid = ?1",
            columns.join(", "),
            quote(&form.name)
        ),
        [record],
        |r| (0..columns.len()).map(|i| r.get(i)).collect(),
    )?;
    let pairs: Vec<serde_json::Value> = form
        .fields
        .iter()
        .zip(&values)
        .map(|(f, v)| serde_json::json!([f.name, json_value(v)]))
        .collect();
    let fields = serde_json::Value::Array(pairs);
    let children: Vec<&Form> = super::object::child_forms(forms, form).collect();
    // The schema was checked free of cycles; the bound keeps a hand-made one finite.
    if children.is_empty() || depth > forms.len() {
        return Ok(fields);
    }
    let mut beneath = Vec::new();
    for child in children {
        let mut rows = Vec::new();
        for row in super::object::rows_under(conn, form, child, record)? {
            rows.push(record_canonical(conn, forms, child, row, depth + 1)?);
        }
        beneath.push(serde_json::json!([child.name, rows]));
    }
    Ok(serde_json::json!([fields, beneath]))
}

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Verification {
    /// Pages of the file, every one found whole by SQLite's page check.
    pub pages: u64,
    pub events: u64,
    /// Standing (not voided) signatures checked against the trail and their record.
    pub signatures: u64,
    /// The first event where the chain breaks, said in words.
    pub broken: Option<String>,
    /// Signatures whose record no longer has the values that were signed.
    pub stale_signatures: Vec<String>,
    /// The newest event that links, as (id, hash): the head a witness keeps.
    pub head: Option<(i64, String)>,
    /// Heads kept outside the workspace that the trail no longer extends.
    pub witness_problems: Vec<String>,
    /// Events whose signature was checked against the key the trail enrolled for its actor.
    pub signed_events: u64,
    /// Events written before keys, attested as a whole by an upgrade event.
    pub attested_events: u64,
    /// The fingerprint of the key the trail's keys go back to.
    pub root: Option<String>,
    /// What the tables hold and the trail does not say (or the reverse), and events whose
    /// signature does not hold: each names the event, table, record and field.
    pub tampered: Vec<String>,
    /// With `--deep`: where the open flags and peers figures differ from what the rules give
    /// now (`None`: not checked).
    pub flags: Option<Vec<String>>,
    /// With `--deep`: the rules that could not be run again (past their budget), so that the
    /// flags of those rules are not checked.
    pub unchecked_rules: Vec<String>,
    /// The whole trail was written by a huishen before signing keys: nothing in it can be
    /// proved until an administrator attests it (`huishen upgrade`).
    pub before_keys: bool,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.broken.is_none()
            && self.stale_signatures.is_empty()
            && self.witness_problems.is_empty()
            && self.tampered.is_empty()
            && self.flags.as_ref().is_none_or(Vec::is_empty)
            && !self.before_keys
    }
}

/// Events written after the last one present: SQLite's sequence remembers the highest id.
fn missing_tail(conn: &Connection, last: Option<i64>) -> rusqlite::Result<Option<String>> {
    let seq: Option<i64> = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'events'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match (seq, last) {
        (Some(seq), Some(last)) if seq > last => Some(format!(
            "the newest events (#{} to #{seq}) were deleted: the trail ends at event #{last}",
            last + 1
        )),
        (Some(seq), None) if seq > 0 => Some(format!("every event (#1 to #{seq}) was deleted")),
        _ => None,
    })
}

/// Corrections, explanations, notes or signatures whose event is not in the trail.
fn orphans(conn: &Connection) -> rusqlite::Result<Option<String>> {
    for (table, what) in [
        ("corrections", "a correction"),
        ("explanations", "an explanation"),
        ("notes", "a note"),
        ("signatures", "a signature"),
    ] {
        let orphan: Option<i64> = conn
            .query_row(
                &format!(
                    "SELECT event FROM {table} WHERE event NOT IN (SELECT id FROM events) LIMIT 1"
                ),
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(event) = orphan {
            return Ok(Some(format!(
                "{what} refers to event #{event}, which is not in the audit trail: it was deleted"
            )));
        }
    }
    Ok(None)
}

/// The signatures the trail says were voided: by a reopen, a correction or its undo, or an
/// undone signature.
fn voided_signatures(conn: &Connection) -> rusqlite::Result<std::collections::HashSet<i64>> {
    let mut voided = std::collections::HashSet::new();
    let mut stmt = conn
        .prepare("SELECT kind, payload FROM events WHERE kind IN ('reopen', 'correct', 'undo')")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (kind, payload) = row?;
        let Ok(p) = serde_json::from_str::<serde_json::Value>(&payload) else {
            continue;
        };
        if let Some(ids) = p.get("voids").and_then(|v| v.as_array()) {
            voided.extend(ids.iter().filter_map(serde_json::Value::as_i64));
        }
        if kind == EventKind::Undo.as_str()
            && p.get("kind").and_then(|k| k.as_str()) == Some(EventKind::Sign.as_str())
        {
            voided.extend(p.get("undoes").and_then(serde_json::Value::as_i64));
        }
    }
    Ok(voided)
}

type EventRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
);

/// Walks the chain from the first event and checks every active signature. Every read here
/// must see the same moment of the file: the caller runs this inside one read transaction.
/// The data is replayed for the forms of the signed schema; `tables` (the forms as the
/// workspace's tables have them) serve only when that schema cannot be read.
pub fn verify(conn: &Connection, tables: &[Form]) -> rusqlite::Result<Verification> {
    let mut v = Verification::default();
    let (last, events) = walk_chain(conn, &mut v)?;
    if v.broken.is_none() {
        v.broken = missing_tail(conn, last)?.or(orphans(conn)?);
    }
    let mut f = trail::Findings::default();
    v.before_keys = !events.is_empty() && events.iter().all(|e| e.signature.is_none());
    if !v.before_keys {
        trail::signatures(&events, &mut f);
    }
    let signed = if v.before_keys {
        None
    } else {
        schema::check(conn, &events, &mut f.problems)?
    };
    let forms: &[Form] = signed.as_ref().map_or(tables, |s| &s.forms);
    let initial = signed.as_ref().and_then(|s| s.policy);
    trail::administration(conn, &events, initial, &mut f)?;
    let originals = trail::actions(conn, &events, &mut f)?;
    data::data(conn, forms, &events, &originals, &mut f)?;
    v.signed_events = f.signed;
    v.attested_events = f.attested;
    v.root = f.root;
    v.tampered = f.problems;
    let voided = voided_signatures(conn)?;
    for form in forms {
        check_signatures(conn, forms, form, &voided, &mut v)?;
    }
    Ok(v)
}

/// Walks the chain from the first event, counting events and naming the first that was
/// changed, deleted or moved; returns the id of the last event that links.
pub(super) fn walk_chain(
    conn: &Connection,
    v: &mut Verification,
) -> rusqlite::Result<(Option<i64>, Vec<trail::Event>)> {
    let mut stmt = conn.prepare(
        "SELECT id, at, reviewer, kind, form, record, key, payload, prev_hash, hash, signature
         FROM events ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
            r.get::<_, Option<String>>(10)?,
        ))
    })?;
    let mut events = Vec::new();
    let mut prev_hash = GENESIS.to_string();
    let mut prev_id: Option<i64> = None;
    for row in rows {
        let (id, at, reviewer, kind, form, record, key, payload, stored_prev, hash, signature): EventRow =
            row?;
        v.events += 1;
        events.push(trail::Event {
            id,
            at: at.clone(),
            reviewer: reviewer.clone(),
            kind: kind.clone(),
            form: form.clone(),
            record,
            key: key.clone(),
            payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
            hash: hash.clone(),
            signature,
        });
        if v.broken.is_some() {
            continue;
        }
        let what = format!("event #{id} ({kind} by {reviewer} at {at})");
        if stored_prev != prev_hash {
            v.broken = Some(match prev_id {
                Some(p) if id != p + 1 => format!(
                    "{what} does not follow event #{p}: the events between them were deleted"
                ),
                Some(p) => format!(
                    "{what} does not link to event #{p}: events were deleted, inserted or reordered"
                ),
                None => {
                    format!("{what} is not the first event written: earlier events were deleted")
                }
            });
            continue;
        }
        let recomputed = link(
            &prev_hash,
            &canonical(
                id,
                &at,
                &reviewer,
                &kind,
                form.as_deref(),
                record,
                key.as_deref(),
                &payload,
            ),
        );
        if recomputed != hash {
            v.broken = Some(format!(
                "{what} was changed after it was written: its content no longer matches its hash"
            ));
            continue;
        }
        prev_hash = hash;
        prev_id = Some(id);
    }
    v.head = prev_id.map(|id| (id, prev_hash));
    Ok((prev_id, events))
}

/// Checks each standing signature of `form` against the trail (the event that signed, not
/// voided since) and against the record's values now (with the rows beneath it, for a form
/// with child forms).
fn check_signatures(
    conn: &Connection,
    forms: &[Form],
    form: &Form,
    voided: &std::collections::HashSet<i64>,
    v: &mut Verification,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT s.event, s.record, s.reviewer, s.record_hash, coalesce(CAST(t.{} AS TEXT), '')
             FROM signatures s LEFT JOIN {} t ON t.rowid = s.record
             WHERE s.form = ?1 AND s.voided_by IS NULL ORDER BY s.event",
        quote(&form.key),
        quote(&form.name)
    ))?;
    let sigs: Vec<(i64, i64, String, String, String)> = stmt
        .query_map([&form.name], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (event, record, reviewer, signed, key) in sigs {
        v.signatures += 1;
        let recorded: Option<(String, Option<i64>, String)> = conn
            .query_row(
                "SELECT kind, record, payload FROM events WHERE id = ?1",
                [event],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let matches_trail = recorded.is_some_and(|(kind, rec, payload)| {
            let hash = serde_json::from_str::<serde_json::Value>(&payload)
                .ok()
                .and_then(|p| {
                    p.get("record_hash")
                        .and_then(|h| h.as_str().map(str::to_string))
                });
            kind == EventKind::Sign.as_str()
                && rec == Some(record)
                && hash.as_deref() == Some(signed.as_str())
        });
        if !matches_trail || voided.contains(&event) {
            v.stale_signatures.push(format!(
                "{}/{key}: the signature by {reviewer} (event #{event}) stands, but the audit trail {}",
                form.name,
                if matches_trail { "voided it" } else { "does not hold it as signed" }
            ));
            continue;
        }
        let now = record_hash(conn, forms, form, record).unwrap_or_default();
        if now != signed {
            v.stale_signatures.push(format!(
                "{}/{key}: signed by {reviewer} (event #{event}), but its values have changed since",
                form.name
            ));
        }
    }
    Ok(())
}

/// The public key (hex) the trail's keys go back to: the key in the first signed event,
/// which enrols the first administrator or attests an older trail in an upgrade.
pub fn root_key(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let first: Option<String> = conn
        .query_row(
            "SELECT payload FROM events WHERE signature IS NOT NULL ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(first
        .and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok())
        .and_then(|p| p.get("public_key")?.as_str().map(str::to_string)))
}

pub use data::attest;
