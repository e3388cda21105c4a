//! The data replayed: each import's records, with the imported value put back in every
//! corrected field, against the hashes kept of them and the digest the import's event signed;
//! and what an upgrade attests of a trail written before keys.

use rusqlite::{Connection, OptionalExtension};

use super::{Verification, replay, trail, walk_chain};
use crate::domain::{EventKind, Form};
use crate::store::forms::quote;

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
pub(super) fn data(
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

/// What an upgrade attests of a workspace written before keys: the trail's head, and what the
/// tables hold now, each as verify will replay it (imports with the digest of their records
/// as imported, rule sets with the digest of their stored rules, the policy, the work split).
pub fn attest(conn: &Connection, forms: &[Form]) -> rusqlite::Result<serde_json::Value> {
    let mut v = Verification::default();
    let (_, events) = walk_chain(conn, &mut v)?;
    let mut findings = trail::Findings::default();
    let originals = trail::actions(conn, &events, &mut findings)?;
    let mut imports = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT id, form, rows, file_name, file_sha256, rejected, imported_by FROM imports ORDER BY id",
    )?;
    type Logged = (i64, String, i64, String, String, i64, String);
    let rows: Vec<Logged> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, form_name, rows, file, sha256, rejected, by) in rows {
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
            "import": id, "form": form_name, "rows": rows, "digest": digest, "file": file,
            "sha256": sha256, "rejected": rejected, "by": by,
        }));
    }
    let mut rule_sets = Vec::new();
    let mut stmt =
        conn.prepare("SELECT id, sha256, file_name, loaded_by FROM rule_sets ORDER BY id")?;
    let sets: Vec<(i64, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, sha256, file, by) in sets {
        rule_sets.push(serde_json::json!({
            "rule_set": id, "sha256": sha256, "digest": replay::rule_set_digest(conn, id)?,
            "file": file, "by": by,
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
    let source: String = conn.query_row("SELECT schema_source FROM workspace", [], |r| r.get(0))?;
    Ok(serde_json::json!({
        "head": head, "imports": imports, "rule_sets": rule_sets, "policy": policy,
        "assignments": assignments, "schema_sha256": super::schema::schema_digest(&source),
    }))
}
