//! Writing imported records: one IMMEDIATE transaction per import, committed only when the
//! caller says so, so an import lands whole or not at all.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, Statement, TransactionBehavior, params};

use super::Workspace;
use super::audit::{self, replay};
use super::forms::{origin, quote};
use super::words::Bound;
use crate::domain::{EventKind, Form, Value};
use crate::error::{Error, Result};
use crate::seal::Signer;

/// What the import log records before the rows are read.
pub struct ImportStart<'a> {
    pub file_name: &'a str,
    pub encoding: &'a str,
    /// The administrator importing, who signs the import's event.
    pub by: &'a Signer,
}

/// What the import log records once all rows are read.
pub struct ImportFinish {
    pub sha256: String,
    pub rows: u64,
    pub rejected: u64,
}

/// Where a record with the same key already stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file_name: String,
    pub line: u64,
    /// The record came earlier in the same import (a duplicate inside the file).
    pub this_import: bool,
}

/// The result of inserting one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    New,
    Duplicate(Origin),
    /// A child row whose parent record is not in the workspace: the parent form's name.
    Orphan(String),
}

/// Takes the records of one import, in the order of the form's fields.
pub struct RowSink<'c> {
    conn: &'c Connection,
    insert: Statement<'c>,
    form: &'c Form,
    import_id: i64,
    to_error: &'c dyn Fn(rusqlite::Error) -> Error,
    /// For a child form: whether a parent record has a key, and the parent key's field.
    parent: Option<(Statement<'c>, usize)>,
    /// The parent key the last child row found: a file lists an object's rows together, so
    /// the next row's parent is most often the same, and is not looked up again.
    last_parent: Option<SqlValue>,
}

impl RowSink<'_> {
    /// Inserts one record (`values` in field order) read at `line` of the file.
    pub fn insert<'v>(
        &mut self,
        values: impl Iterator<Item = Value<'v>>,
        line: u64,
    ) -> Result<Inserted> {
        let key_index = self.form.key_index();
        let parent_index = self.parent.as_ref().map(|p| p.1);
        let mut key = Value::Null;
        let mut parent_key = Value::Null;
        let mut n = 0;
        for (i, v) in values.enumerate() {
            if i == key_index {
                key = v;
            }
            if Some(i) == parent_index {
                parent_key = v;
            }
            self.insert
                .raw_bind_parameter(i + 1, Bound(v))
                .map_err(self.to_error)?;
            n = i + 1;
        }
        self.insert
            .raw_bind_parameter(n + 1, self.import_id)
            .map_err(self.to_error)?;
        self.insert
            .raw_bind_parameter(n + 2, line as i64)
            .map_err(self.to_error)?;
        if let (Some((exists, _)), Some(link)) = (&mut self.parent, &self.form.parent) {
            let key = owned(parent_key);
            let same = key != SqlValue::Null && self.last_parent.as_ref() == Some(&key);
            let found = same
                || (parent_key != Value::Null
                    && exists.exists([Bound(parent_key)]).map_err(self.to_error)?);
            if !found {
                return Ok(Inserted::Orphan(link.form.clone()));
            }
            self.last_parent = Some(key);
        }
        let changed = self.insert.raw_execute().map_err(self.to_error)?;
        if changed == 1 {
            return Ok(Inserted::New);
        }
        let (import_id, file_name, line) = origin(self.conn, self.form, &key)
            .map_err(self.to_error)?
            .unwrap_or((0, String::new(), 0));
        Ok(Inserted::Duplicate(Origin {
            file_name,
            line,
            this_import: import_id == self.import_id,
        }))
    }
}

impl Workspace {
    /// Runs `body` inside one transaction that holds a new import's records. `body` returns
    /// `Some(finish)` to commit (the import log gets its row) or `None` to leave the workspace
    /// as it was. Returns the import's id when committed.
    pub fn import<E: From<Error>>(
        &mut self,
        form: &Form,
        start: &ImportStart<'_>,
        body: impl FnOnce(&mut RowSink<'_>) -> Result<Option<ImportFinish>, E>,
    ) -> Result<Option<i64>, E> {
        let to_error = self.error("importing records");
        let path = self.path.clone();
        let waited_ms = self.busy_timeout_ms;
        let to_error: &dyn Fn(rusqlite::Error) -> Error = &to_error;
        let _ = (path, waited_ms);
        let conn = &self.conn;
        conn.execute_batch("PRAGMA cache_size = -49152")
            .map_err(to_error)?;
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
            .map_err(to_error)?;
        if let Some(link) = &form.parent {
            let none: bool = tx
                .query_row(
                    &format!("SELECT NOT EXISTS (SELECT 1 FROM {})", quote(&link.form)),
                    [],
                    |r| r.get(0),
                )
                .map_err(to_error)?;
            if none {
                return Err(Error::declined(
                    format!(
                        "the rows of {} belong to records of {}, and the workspace has none yet: \
                         import {} first (`huishen import WORKSPACE --form {} FILE`), then this file",
                        form.name, link.form, link.form, link.form
                    ),
                    format!(
                        "{} 的各行属于 {} 的记录，而工作区中尚无 {} 记录：请先导入 {}（`huishen import WORKSPACE --form {} FILE`），再导入此文件",
                        form.name, link.form, link.form, link.form, link.form
                    ),
                )
                .into());
            }
        }
        tx.execute(
            "INSERT INTO imports (form, file_name, file_sha256, encoding, rows, rejected, imported_at, imported_by)
             VALUES (?1, ?2, '', ?3, 0, 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?4)",
            params![form.name, start.file_name, start.encoding, start.by.name()],
        )
        .map_err(to_error)?;
        let import_id = tx.last_insert_rowid();
        let columns: Vec<String> = form.fields.iter().map(|f| quote(&f.name)).collect();
        let placeholders: Vec<String> = (1..=columns.len() + 2).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}, _import, _line) VALUES ({}) ON CONFLICT DO NOTHING",
            quote(&form.name),
            columns.join(", "),
            placeholders.join(", ")
        );
        let finish = {
            let insert = tx.prepare(&sql).map_err(to_error)?;
            let parent = match &form.parent {
                None => None,
                Some(link) => {
                    let key = self
                        .schema_cached()?
                        .form(&link.form)
                        .map(|p| p.key.clone())
                        .unwrap_or_default();
                    let exists = tx
                        .prepare(&format!(
                            "SELECT 1 FROM {} WHERE {} = ?1",
                            quote(&link.form),
                            quote(&key)
                        ))
                        .map_err(to_error)?;
                    let index = form.fields.iter().position(|f| f.name == link.key);
                    index.map(|i| (exists, i))
                }
            };
            let mut sink = RowSink {
                conn: &tx,
                insert,
                form,
                import_id,
                to_error,
                parent,
                last_parent: None,
            };
            body(&mut sink)?
        };
        let Some(finish) = finish else {
            tx.rollback().map_err(to_error)?;
            return Ok(None);
        };
        let digest = replay::keep_row_hashes(&tx, form, import_id, None).map_err(to_error)?;
        super::search::fill(&tx, form, Some(import_id)).map_err(to_error)?;
        tx.execute(
            "UPDATE imports SET file_sha256 = ?1, rows = ?2, rejected = ?3, digest = ?4 WHERE id = ?5",
            params![finish.sha256, finish.rows, finish.rejected, digest, import_id],
        )
        .map_err(to_error)?;
        let payload = serde_json::json!({
            "form": form.name, "import": import_id, "file": start.file_name,
            "sha256": finish.sha256, "rows": finish.rows, "rejected": finish.rejected,
            "digest": digest,
        });
        audit::append(&tx, start.by, EventKind::Import.as_str(), None, &payload)
            .map_err(to_error)?;
        tx.commit().map_err(to_error)?;
        Ok(Some(import_id))
    }
}

/// A value as SQLite holds it, owned, to compare with the next row's.
fn owned(v: Value<'_>) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Integer(i) => SqlValue::Integer(i),
        Value::Real(x) => SqlValue::Real(x),
        Value::Text(t) => SqlValue::Text(t.to_string()),
    }
}
