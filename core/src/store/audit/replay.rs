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

/// The digest of an import's rows, in rowid order. With `restore`, the values it names stand
/// in for the current ones (the originals of corrected fields), so that the digest is of the
/// rows as they were imported. Returns it with the number of rows.
pub fn import_digest(
    conn: &Connection,
    form: &Form,
    import: i64,
    restore: Option<&Restore>,
) -> rusqlite::Result<String> {
    import_digest_counted(conn, form, import, restore).map(|(d, _)| d)
}

/// [`import_digest`] and the number of rows it read.
pub fn import_digest_counted(
    conn: &Connection,
    form: &Form,
    import: i64,
    restore: Option<&Restore>,
) -> rusqlite::Result<(String, u64)> {
    let columns: Vec<String> = form.fields.iter().map(|f| quote(&f.name)).collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT rowid, {} FROM {} WHERE _import = ?1 ORDER BY rowid",
        columns.join(", "),
        quote(&form.name)
    ))?;
    let mut rows = stmt.query([import])?;
    let mut h = Sha256::new();
    let mut count = 0;
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
        h.update(serde_json::Value::Array(values).to_string().as_bytes());
        h.update(b"\n");
        count += 1;
    }
    Ok((finish(h), count))
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
    Ok(finish(h))
}
