//! Digests that let `verify` replay what the trail promises: an import's rows as imported,
//! and a rule set as it was stored. Each digest is the sha256 of the rows' canonical JSON,
//! one row per line, in a fixed order.

use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, Params};
use sha2::{Digest, Sha256};

use super::json_value;
use crate::domain::Form;
use crate::store::forms::quote;

/// Values to put back in place of the current ones: (record, field position) → value.
pub type Restore = HashMap<(i64, usize), serde_json::Value>;

fn finish(h: Sha256) -> String {
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest of every row `sql` yields (all its columns).
pub fn rows_digest(conn: &Connection, sql: &str, params: impl Params) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare(sql)?;
    let n = stmt.column_count();
    let mut rows = stmt.query(params)?;
    let mut h = Sha256::new();
    while let Some(row) = rows.next()? {
        let values = (0..n)
            .map(|i| row.get::<_, SqlValue>(i).map(|v| json_value(&v)))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        h.update(serde_json::Value::Array(values).to_string().as_bytes());
        h.update(b"\n");
    }
    Ok(finish(h))
}

/// One record of an import as the digest sees it: its rowid, key and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowHash {
    pub record: i64,
    pub key: String,
    pub hash: String,
}

/// The hash of each record of an import, in rowid order. With `restore`, the values it names
/// stand in for the current ones (the originals of corrected fields), so that the hashes are
/// of the records as they were imported.
pub fn row_hashes(
    conn: &Connection,
    form: &Form,
    import: i64,
    restore: Option<&Restore>,
) -> rusqlite::Result<Vec<RowHash>> {
    let columns: Vec<String> = form.fields.iter().map(|f| quote(&f.name)).collect();
    let key_index = form.key_index();
    let mut stmt = conn.prepare(&format!(
        "SELECT rowid, {} FROM {} WHERE _import = ?1 ORDER BY rowid",
        columns.join(", "),
        quote(&form.name)
    ))?;
    let mut rows = stmt.query([import])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let record: i64 = row.get(0)?;
        let mut values = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            let value = match restore.and_then(|r| r.get(&(record, i))) {
                Some(original) => original.clone(),
                None => json_value(&row.get::<_, SqlValue>(i + 1)?),
            };
            values.push(value);
        }
        let key = match &values[key_index] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let line = serde_json::Value::Array(values).to_string();
        out.push(RowHash {
            record,
            key,
            hash: finish(Sha256::new_with_prefix(line.as_bytes())),
        });
    }
    Ok(out)
}

/// The digest an import's event signs: the sha256 of its records' hashes, one per line.
pub fn digest_of<'a>(hashes: impl IntoIterator<Item = &'a str>) -> String {
    let mut h = Sha256::new();
    for hash in hashes {
        h.update(hash.as_bytes());
        h.update(b"\n");
    }
    finish(h)
}

/// Keeps an import's record hashes (as imported) and returns their digest.
pub fn keep_row_hashes(
    conn: &Connection,
    form: &Form,
    import: i64,
    restore: Option<&Restore>,
) -> rusqlite::Result<String> {
    let rows = row_hashes(conn, form, import, restore)?;
    let mut insert = conn.prepare(
        "INSERT OR REPLACE INTO import_rows (form, record, import, key, hash)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for r in &rows {
        insert.execute(rusqlite::params![
            form.name, r.record, import, r.key, r.hash
        ])?;
    }
    Ok(digest_of(rows.iter().map(|r| r.hash.as_str())))
}

/// The record hashes kept of an import, in rowid order.
pub fn kept_row_hashes(
    conn: &Connection,
    form: &str,
    import: i64,
) -> rusqlite::Result<Vec<RowHash>> {
    let mut stmt = conn.prepare(
        "SELECT record, key, hash FROM import_rows WHERE form = ?1 AND import = ?2 ORDER BY record",
    )?;
    stmt.query_map(rusqlite::params![form, import], |r| {
        Ok(RowHash {
            record: r.get(0)?,
            key: r.get(1)?,
            hash: r.get(2)?,
        })
    })?
    .collect()
}

/// The digest of a stored rule set: its rules, parameters and peers definitions.
pub fn rule_set_digest(conn: &Connection, rule_set: i64) -> rusqlite::Result<String> {
    let mut h = Sha256::new();
    for sql in [
        "SELECT * FROM rules WHERE rule_set = ?1 ORDER BY position, id",
        "SELECT * FROM rule_params WHERE rule_set = ?1 ORDER BY name",
        "SELECT * FROM peers WHERE rule_set = ?1 ORDER BY name",
    ] {
        h.update(rows_digest(conn, sql, [rule_set])?.as_bytes());
    }
    // Quartiles other than nearest rank; a rule set without any has the digest it had before
    // they could be chosen.
    let quantiles = "SELECT * FROM peers_quantiles WHERE rule_set = ?1 ORDER BY name";
    let chosen: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM peers_quantiles WHERE rule_set = ?1)",
        [rule_set],
        |r| r.get(0),
    )?;
    if chosen {
        h.update(rows_digest(conn, quantiles, [rule_set])?.as_bytes());
    }
    Ok(finish(h))
}
