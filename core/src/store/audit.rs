//! The audit trail: an append-only chain of events, each holding the hash of the one before,
//! and the check that the chain and the signatures still hold.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::forms::quote;
use crate::domain::{EventKind, Form};
use crate::seal::Signer;

pub(crate) mod pages;
pub(crate) mod replay;
pub(crate) mod trail;
pub(crate) mod witness;

/// The hash the first event links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A value as JSON, for canonical texts.
pub fn json_value(v: &SqlValue) -> serde_json::Value {
    match v {
        SqlValue::Null => serde_json::Value::Null,
        SqlValue::Integer(i) => serde_json::Value::from(*i),
        SqlValue::Real(x) => serde_json::Value::from(*x),
        SqlValue::Text(t) => serde_json::Value::from(t.as_str()),
        SqlValue::Blob(b) => serde_json::Value::from(hex(b)),
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

/// The sha256 of a record's values, as signatures hold it.
pub fn record_hash(conn: &Connection, form: &Form, record: i64) -> rusqlite::Result<String> {
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
    Ok(hex(&Sha256::digest(
        serde_json::Value::Array(pairs).to_string().as_bytes(),
    )))
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
    /// The fingerprint of the key the trail's keys go back to.
    pub root: Option<String>,
    /// What the tables hold and the trail does not say (or the reverse), and events whose
    /// signature does not hold: each names the event, table, record and field.
    pub tampered: Vec<String>,
    /// With `--deep`: where the open flags and peers figures differ from what the rules give
    /// now (`None`: not checked).
    pub flags: Option<Vec<String>>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.broken.is_none()
            && self.stale_signatures.is_empty()
            && self.witness_problems.is_empty()
            && self.tampered.is_empty()
            && self.flags.as_ref().is_none_or(Vec::is_empty)
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
pub fn verify(conn: &Connection, forms: &[Form]) -> rusqlite::Result<Verification> {
    let mut v = Verification::default();
    let (last, events) = walk_chain(conn, &mut v)?;
    if v.broken.is_none() {
        v.broken = missing_tail(conn, last)?.or(orphans(conn)?);
    }
    let mut f = trail::Findings::default();
    trail::signatures(&events, &mut f);
    trail::administration(conn, &events, &mut f)?;
    let originals = trail::actions(conn, &events, &mut f)?;
    data(conn, forms, &events, &originals, &mut f)?;
    v.signed_events = f.signed;
    v.root = f.root;
    v.tampered = f.problems;
    let voided = voided_signatures(conn)?;
    for form in forms {
        check_signatures(conn, form, &voided, &mut v)?;
    }
    Ok(v)
}

/// Walks the chain from the first event, counting events and naming the first that was
/// changed, deleted or moved; returns the id of the last event that links.
fn walk_chain(
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

/// One import's records against the hashes kept of them and the digest its event signed:
/// names each record changed, deleted or added.
fn check_import(
    conn: &Connection,
    form: &Form,
    (import, rows, digest, by): (i64, u64, &str, &str),
    restore: &replay::Restore,
    f: &mut trail::Findings,
) -> rusqlite::Result<()> {
    let name = &form.name;
    let kept = replay::kept_row_hashes(conn, name, import)?;
    let kept_digest = replay::digest_of(kept.iter().map(|r| r.hash.as_str()));
    if kept_digest != digest || kept.len() as u64 != rows {
        f.problems.push(format!(
            "import_rows: the record hashes kept of import #{import} are not those {by} signed \
             ({rows} records): they were changed outside huishen"
        ));
    }
    let now = replay::row_hashes(conn, form, import, Some(restore))?;
    let now: std::collections::HashMap<i64, &replay::RowHash> =
        now.iter().map(|r| (r.record, r)).collect();
    for k in &kept {
        match now.get(&k.record) {
            None => f.problems.push(format!(
                "{name}/{}: the record of import #{import} ({by}) is not in the data: it was \
                 deleted outside huishen",
                k.key
            )),
            Some(r) if r.hash != k.hash => f.problems.push(format!(
                "{name}/{}: its values (with its corrections taken back) are not those \
                 imported by {by}: they were changed outside huishen",
                k.key
            )),
            Some(_) => {}
        }
    }
    let kept_records: std::collections::HashSet<i64> = kept.iter().map(|k| k.record).collect();
    let mut added: Vec<&&replay::RowHash> = now
        .values()
        .filter(|r| !kept_records.contains(&r.record))
        .collect();
    added.sort_by_key(|r| r.record);
    for r in added {
        f.problems.push(format!(
            "{name}/{}: the record is not one import #{import} ({by}) brought: it was added \
             outside huishen",
            r.key
        ));
    }
    Ok(())
}

/// The data replayed: each import's rows, with the imported value put back in every corrected
/// field, must have the digest its import event signed; and every row must come from an import.
fn data(
    conn: &Connection,
    forms: &[Form],
    events: &[trail::Event],
    originals: &std::collections::HashMap<(String, i64, String), serde_json::Value>,
    f: &mut trail::Findings,
) -> rusqlite::Result<()> {
    let mut imports: Vec<(i64, String, u64, String, String)> = Vec::new();
    for e in events {
        let p = &e.payload;
        let entry = |i: &serde_json::Value| {
            Some((
                i.get("import")?.as_i64()?,
                i.get("form")?.as_str()?.to_string(),
                i.get("rows")?.as_u64()?,
                i.get("digest")?.as_str()?.to_string(),
                format!("event #{}", e.id),
            ))
        };
        if e.kind == EventKind::Import.as_str() {
            imports.extend(entry(p));
        } else if e.kind == EventKind::Upgrade.as_str() {
            for i in p
                .get("imports")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                imports.extend(entry(i));
            }
        }
    }
    for form in forms {
        let restore: replay::Restore = originals
            .iter()
            .filter(|((f, _, _), _)| *f == form.name)
            .filter_map(|((_, record, field), v)| {
                let i = form.fields.iter().position(|x| &x.name == field)?;
                Some(((*record, i), v.clone()))
            })
            .collect();
        let mut known = Vec::new();
        for (import, _, rows, digest, by) in imports.iter().filter(|i| i.1 == form.name) {
            known.push(*import);
            check_import(conn, form, (*import, *rows, digest, by), &restore, f)?;
        }
        let list = known
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let stray: Option<String> = conn
            .query_row(
                &format!(
                    "SELECT CAST({} AS TEXT) FROM {} WHERE _import NOT IN ({list}) LIMIT 1",
                    quote(&form.key),
                    quote(&form.name)
                ),
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(key) = stray {
            f.problems.push(format!(
                "{}/{key}: the record comes from no import in the audit trail: it was added outside huishen",
                form.name
            ));
        }
    }
    Ok(())
}

/// Checks each standing signature of `form` against the trail (the event that signed, not
/// voided since) and against the record's values now.
fn check_signatures(
    conn: &Connection,
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
        let now = record_hash(conn, form, record).unwrap_or_default();
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

/// What an upgrade attests of a workspace written before keys: the trail's head, and what the
/// tables hold now, each as verify will replay it (imports with the digest of their records
/// as imported, rule sets with the digest of their stored rules, the policy, the work split).
pub fn attest(conn: &Connection, forms: &[Form]) -> rusqlite::Result<serde_json::Value> {
    let mut v = Verification::default();
    let (_, events) = walk_chain(conn, &mut v)?;
    let mut findings = trail::Findings::default();
    let originals = trail::actions(conn, &events, &mut findings)?;
    let mut imports = Vec::new();
    let mut stmt = conn.prepare("SELECT id, form, rows FROM imports ORDER BY id")?;
    let rows: Vec<(i64, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, form_name, rows) in rows {
        let Some(form) = forms.iter().find(|f| f.name == form_name) else {
            continue;
        };
        let restore: replay::Restore = originals
            .iter()
            .filter(|((f, _, _), _)| *f == form.name)
            .filter_map(|((_, record, field), value)| {
                let i = form.fields.iter().position(|x| &x.name == field)?;
                Some(((*record, i), value.clone()))
            })
            .collect();
        let digest = replay::keep_row_hashes(conn, form, id, Some(&restore))?;
        conn.execute(
            "UPDATE imports SET digest = ?2 WHERE id = ?1",
            rusqlite::params![id, digest],
        )?;
        imports.push(serde_json::json!({
            "import": id, "form": form_name, "rows": rows, "digest": digest,
        }));
    }
    let mut rule_sets = Vec::new();
    let mut stmt = conn.prepare("SELECT id, sha256 FROM rule_sets ORDER BY id")?;
    let sets: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, sha256) in sets {
        rule_sets.push(serde_json::json!({
            "rule_set": id, "sha256": sha256, "digest": replay::rule_set_digest(conn, id)?,
        }));
    }
    let policy = conn.query_row(
        "SELECT signatures_required, distinct_roles, four_eyes, claim_minutes FROM policy",
        [],
        |r| {
            Ok(serde_json::json!({
                "signatures_required": r.get::<_, i64>(0)?, "distinct_roles": r.get::<_, bool>(1)?,
                "four_eyes": r.get::<_, bool>(2)?, "claim_minutes": r.get::<_, i64>(3)?,
            }))
        },
    )?;
    let mut stmt = conn.prepare("SELECT reviewer, kind, value FROM assignments")?;
    let assignments: Vec<serde_json::Value> = stmt
        .query_map([], |r| {
            Ok(serde_json::json!([
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?
            ]))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let head = v
        .head
        .map(|(id, hash)| serde_json::json!({ "event": id, "hash": hash }));
    Ok(serde_json::json!({
        "head": head, "imports": imports, "rule_sets": rule_sets, "policy": policy,
        "assignments": assignments,
    }))
}
