//! Loading a rule file into the workspace: all of it or, on any problem, none of it. The
//! peers tables are made first so that the rules that read them can be vetted; then the
//! vetted rule set is stored, the indexes it asks for are made, and each of its rules is
//! trial-run on the workspace's data under its budget. A changed file becomes a
//! new rule set; an unchanged one is left as it is.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use super::vocabulary::StoredRule;
use super::{indexes, peers, trial, vet};
use crate::error::{Error, Result};
use crate::rules::{Param, RuleSet};
use crate::store::Workspace;

/// What loading a file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadReport {
    pub rule_set: i64,
    /// False when the file was the rule set in force already.
    pub changed: bool,
    pub rules: usize,
}

/// Where a rule set came from, as `rule_sets` records it.
struct Origin<'a> {
    file_name: &'a str,
    sha256: &'a str,
    source: &'a str,
    user: &'a str,
}

impl Workspace {
    /// Loads a rule file; all of it or, on any problem, none of it.
    pub fn load_rules(
        &mut self,
        set: &RuleSet,
        file_name: &str,
        source: &str,
        user: &str,
    ) -> Result<LoadReport> {
        let schema = self.schema()?;
        let sha256: String = Sha256::digest(source.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let to_error = self.error("loading the rules");
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(&to_error)?;
        let current: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, sha256 FROM rule_sets ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(&to_error)?;
        if let Some((id, hash)) = &current
            && *hash == sha256
        {
            return Ok(LoadReport {
                rule_set: *id,
                changed: false,
                rules: set.rules.len(),
            });
        }
        // Peers tables must exist for the rules that read them to prepare.
        for p in &set.peers {
            if schema.form(&p.form).is_some() {
                peers::create_table(&tx, p).map_err(&to_error)?;
            }
        }
        let stored = vet::vet(&tx, &self.sandbox, &schema, set).map_err(Error::Rules)?;
        let origin = Origin {
            file_name,
            sha256: &sha256,
            source,
            user,
        };
        let rule_set = store(&tx, &origin, set, &stored).map_err(&to_error)?;
        indexes::create(&tx, &self.sandbox, &stored, &set.peers).map_err(&to_error)?;
        // With the indexes made, so that each rule runs as a check will run it.
        trial::run(&tx, &self.sandbox, set, &stored)?;
        tx.commit().map_err(&to_error)?;
        Ok(LoadReport {
            rule_set,
            changed: true,
            rules: stored.len(),
        })
    }
}

/// Stores a vetted rule set: its origin, parameters, peers definitions and rules. Returns
/// its id.
fn store(
    conn: &Connection,
    origin: &Origin<'_>,
    set: &RuleSet,
    stored: &[StoredRule],
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO rule_sets (file_name, sha256, source, loaded_at, loaded_by)
         VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?4)",
        params![origin.file_name, origin.sha256, origin.source, origin.user],
    )?;
    let rule_set = conn.last_insert_rowid();
    for (name, value) in &set.params {
        let value = match value {
            Param::Integer(v) => rusqlite::types::Value::Integer(*v),
            Param::Real(v) => rusqlite::types::Value::Real(*v),
            Param::Text(v) => rusqlite::types::Value::Text(v.clone()),
            Param::Bool(v) => rusqlite::types::Value::Integer(i64::from(*v)),
        };
        conn.execute(
            "INSERT INTO rule_params (rule_set, name, value) VALUES (?1, ?2, ?3)",
            params![rule_set, name, value],
        )?;
    }
    for p in &set.peers {
        conn.execute(
            "INSERT INTO peers (rule_set, name, form, group_sql, value_sql, where_sql) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![rule_set, p.name, p.form, p.group, p.value, p.filter],
        )?;
    }
    for (position, r) in stored.iter().enumerate() {
        conn.execute(
            "INSERT INTO rules (rule_set, id, position, form, severity, title_zh, title_en, hint_zh, hint_en,
                                check_sql, when_sql, related_sql, fields, reach)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                rule_set, r.id, position, r.form, r.severity.as_str(), r.title.zh, r.title.en,
                r.hint.as_ref().map(|h| &h.zh), r.hint.as_ref().map(|h| &h.en),
                r.check, r.when, r.related, r.fields.join(" "), r.reach.as_str()
            ],
        )?;
    }
    Ok(rule_set)
}
