//! Loading a rule file into the workspace: all of it or, on any problem, none of it. The
//! file is vetted (with temporary peers tables, so that the rules that read them prepare),
//! the indexes it asks for are made, each of its rules is trial-run on the workspace's data
//! under its budget, and then the rule set is stored. A changed file becomes a new rule set;
//! an unchanged one is left as it is.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use super::vocabulary::StoredRule;
use super::{indexes, peers, trial, vet};
use crate::domain::EventKind;
use crate::error::{Error, Result};
use crate::rules::{Param, Peers, RuleSet};
use crate::seal::Signer;
use crate::store::Workspace;
use crate::store::audit::{self, replay};
use crate::store::forms::quote;

/// What loading a file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadReport {
    pub rule_set: i64,
    /// False when the file was the rule set in force already.
    pub changed: bool,
    /// Its rules, record and dataset rules alike.
    pub rules: usize,
}

/// Where a rule set came from, as `rule_sets` records it.
struct Origin<'a> {
    file_name: &'a str,
    sha256: &'a str,
    source: &'a str,
    by: &'a Signer,
}

impl Workspace {
    /// Loads a rule file; all of it or, on any problem, none of it.
    ///
    /// Reviewers go on working meanwhile: the file is vetted and trial-run in read
    /// transactions, against temporary peers tables; only the indexes it asks for and, at the
    /// end, the rule set itself are written, each in a short write transaction. A file refused
    /// by its trial run leaves no index behind.
    pub fn load_rules(
        &mut self,
        set: &RuleSet,
        file_name: &str,
        source: &str,
        by: &Signer,
    ) -> Result<LoadReport> {
        let schema = self.schema()?;
        let sha256: String = Sha256::digest(source.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let to_error = self.error("loading the rules");
        if let Some(id) = self.loaded_already(&sha256).map_err(&to_error)? {
            return Ok(LoadReport {
                rule_set: id,
                changed: false,
                rules: set.rules.len() + set.datasets.len(),
            });
        }
        let peers: Vec<&Peers> = set
            .peers
            .iter()
            .filter(|p| schema.form(&p.form).is_some())
            .collect();
        let tried = self.try_rules(&schema, set, &peers);
        drop_temporary(&self.conn, &peers).map_err(&to_error)?;
        let (stored, made) = tried?;
        let to_store = || -> Result<i64> {
            let tx =
                rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
                    .map_err(&to_error)?;
            for p in &peers {
                peers::create_table(&tx, p).map_err(&to_error)?;
            }
            let origin = Origin {
                file_name,
                sha256: &sha256,
                source,
                by,
            };
            let rule_set = store(&tx, &origin, set, &stored).map_err(&to_error)?;
            let payload = serde_json::json!({
                "rule_set": rule_set, "file": file_name, "sha256": sha256,
                "rules": stored.len(),
                "digest": replay::rule_set_digest(&tx, rule_set).map_err(&to_error)?,
            });
            audit::append(&tx, by, EventKind::RulesLoad.as_str(), None, &payload)
                .map_err(&to_error)?;
            tx.commit().map_err(&to_error)?;
            Ok(rule_set)
        };
        let rule_set = to_store().inspect_err(|_| {
            let _ = drop_indexes(&self.conn, &made);
        })?;
        Ok(LoadReport {
            rule_set,
            changed: true,
            rules: stored.len() + set.datasets.len(),
        })
    }

    /// Brings the peers tables of the rule set in force up to date in a workspace made by an
    /// older huishen: the indexes of their values as this build makes them, then their figures
    /// computed again, as a check does first.
    pub(in crate::store) fn upgrade_peers(&self) -> Result<()> {
        let Some(rules) = self.active_rules()? else {
            return Ok(());
        };
        let to_error = self.error("bringing the peers figures up to date");
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(&to_error)?;
        indexes::upgrade(&tx, &self.sandbox, &rules.rules, &rules.peers).map_err(&to_error)?;
        tx.commit().map_err(&to_error)?;
        self.refresh_peers(&rules)
    }

    /// The rule set in force when it is the file with this hash.
    fn loaded_already(&self, sha256: &str) -> rusqlite::Result<Option<i64>> {
        let current: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, sha256 FROM rule_sets ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(current.filter(|(_, hash)| hash == sha256).map(|(id, _)| id))
    }

    /// Vets the file in a read transaction (with temporary peers tables, so that the rules
    /// that read them prepare), makes the indexes it asks for in a short write transaction,
    /// then trial-runs it in a read transaction. Returns the vetted rules and the indexes
    /// made; a refusal drops those indexes again.
    fn try_rules(
        &self,
        schema: &crate::domain::Schema,
        set: &RuleSet,
        peers: &[&Peers],
    ) -> Result<(Vec<StoredRule>, Vec<String>)> {
        let to_error = self.error("loading the rules");
        let begin = |behavior| {
            rusqlite::Transaction::new_unchecked(&self.conn, behavior).map_err(&to_error)
        };
        let tx = begin(TransactionBehavior::Deferred)?;
        for p in peers {
            create_temporary(&tx, p).map_err(&to_error)?;
        }
        let stored = vet::vet(&tx, &self.sandbox, schema, set).map_err(Error::Rules)?;
        tx.commit().map_err(&to_error)?;
        let before = index_names(&self.conn).map_err(&to_error)?;
        let tx = begin(TransactionBehavior::Immediate)?;
        indexes::create(&tx, &self.sandbox, &stored, &set.peers).map_err(&to_error)?;
        tx.commit().map_err(&to_error)?;
        let made: Vec<String> = index_names(&self.conn)
            .map_err(&to_error)?
            .into_iter()
            .filter(|name| !before.contains(name))
            .collect();
        // With the indexes made, so that each rule runs as a check will run it.
        let tried = begin(TransactionBehavior::Deferred).and_then(|tx| {
            trial::run(&tx, &self.sandbox, schema, set, &stored)?;
            tx.commit().map_err(&to_error)
        });
        match tried {
            Ok(()) => Ok((stored, made)),
            Err(e) => {
                drop_indexes(&self.conn, &made).map_err(&to_error)?;
                Err(e)
            }
        }
    }
}

/// A peers table of the connection alone, which shadows the workspace's own while a file is
/// vetted and tried (SQLite looks in `temp` first).
fn create_temporary(conn: &Connection, p: &Peers) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS temp.{t}; CREATE TEMP TABLE {t} {};",
        peers::DEFINITION,
        t = quote(&p.table())
    ))
}

fn drop_temporary(conn: &Connection, peers: &[&Peers]) -> rusqlite::Result<()> {
    for p in peers {
        conn.execute_batch(&format!("DROP TABLE IF EXISTS temp.{}", quote(&p.table())))?;
    }
    Ok(())
}

fn index_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM main.sqlite_master WHERE type = 'index'")?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

/// Drops indexes a refused file asked for, in a write transaction of its own.
fn drop_indexes(conn: &Connection, names: &[String]) -> rusqlite::Result<()> {
    if names.is_empty() {
        return Ok(());
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    for name in names {
        tx.execute_batch(&format!("DROP INDEX IF EXISTS main.{}", quote(name)))?;
    }
    tx.commit()
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
        params![
            origin.file_name,
            origin.sha256,
            origin.source,
            origin.by.name()
        ],
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
        if p.quantiles != crate::rules::Quantiles::default() {
            conn.execute(
                "INSERT INTO peers_quantiles (rule_set, name, quantiles) VALUES (?1, ?2, ?3)",
                params![rule_set, p.name, p.quantiles.as_str()],
            )?;
        }
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
