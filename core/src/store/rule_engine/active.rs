//! The rule set in force, read back from the workspace: its parameters, peers definitions and
//! rules, with what each of them reads. It is read once per rule set and shared.

use std::collections::BTreeMap;
use std::rc::Rc;

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;

use super::depends;
use super::vocabulary::{ActiveRules, Dependencies, Reach, StoredRule};
use crate::domain::{Localized, SourceLocation};
use crate::error::Result;
use crate::rules::{Budget, Param, Peers, RuleSet};
use crate::store::Workspace;

impl Workspace {
    /// The rule set in force, or `None` before any rules are loaded. It is read again only
    /// when a new rule set appears; until then every caller shares one copy.
    pub fn active_rules(&self) -> Result<Option<Rc<ActiveRules>>> {
        let to_error = self.error("reading the rules");
        let current: Option<i64> = self
            .conn
            .query_row("SELECT max(id) FROM rule_sets", [], |r| r.get(0))
            .map_err(&to_error)?;
        let mut cache = self.rules_cache.borrow_mut();
        if let (Some(id), Some(cached)) = (current, cache.as_ref())
            && cached.rule_set == id
        {
            return Ok(Some(Rc::clone(cached)));
        }
        let schema = self.schema_cached()?;
        let rules = read_active(&self.conn)
            .map_err(&to_error)?
            .map(|mut rules| {
                rules.depends = depends::learn(&self.conn, &self.sandbox, schema, &rules);
                Rc::new(rules)
            });
        cache.clone_from(&rules);
        Ok(rules)
    }
}

fn read_active(conn: &Connection) -> rusqlite::Result<Option<ActiveRules>> {
    let Some(rule_set) = conn.query_row("SELECT max(id) FROM rule_sets", [], |r| {
        r.get::<_, Option<i64>>(0)
    })?
    else {
        return Ok(None);
    };
    let source: String = conn.query_row(
        "SELECT source FROM rule_sets WHERE id = ?1",
        [rule_set],
        |r| r.get(0),
    )?;
    // Dataset rules, scores and fixes are read from the file as loaded (verify checks it
    // is): vetted then, they parse now.
    let (datasets, scores, fixes) = RuleSet::parse("rules", &source)
        .map(|set| (set.datasets, set.scores, set.fixes))
        .unwrap_or_default();
    Ok(Some(ActiveRules {
        rule_set,
        params: read_params(conn, rule_set)?,
        budget: Budget::of_source(&source),
        peers: read_peers(conn, rule_set)?,
        rules: read_rules(conn, rule_set)?,
        datasets,
        scores,
        fixes,
        depends: Dependencies::default(),
    }))
}

fn read_params(conn: &Connection, rule_set: i64) -> rusqlite::Result<BTreeMap<String, Param>> {
    conn.prepare("SELECT name, value FROM rule_params WHERE rule_set = ?1")?
        .query_map([rule_set], |r| {
            let value = match r.get::<_, SqlValue>(1)? {
                SqlValue::Integer(i) => Param::Integer(i),
                SqlValue::Real(x) => Param::Real(x),
                SqlValue::Text(t) => Param::Text(t),
                _ => Param::Text(String::new()),
            };
            Ok((r.get::<_, String>(0)?, value))
        })?
        .collect()
}

fn read_peers(conn: &Connection, rule_set: i64) -> rusqlite::Result<Vec<Peers>> {
    conn.prepare(
        "SELECT p.name, p.form, p.group_sql, p.value_sql, p.where_sql, q.quantiles
             FROM peers p LEFT JOIN peers_quantiles q ON q.rule_set = p.rule_set AND q.name = p.name
             WHERE p.rule_set = ?1 ORDER BY p.name",
    )?
    .query_map([rule_set], |r| {
        Ok(Peers {
            name: r.get(0)?,
            form: r.get(1)?,
            group: r.get(2)?,
            value: r.get(3)?,
            filter: r.get(4)?,
            quantiles: (r.get::<_, Option<String>>(5)?.as_deref())
                .and_then(crate::rules::Quantiles::parse)
                .unwrap_or_default(),
            location: SourceLocation {
                file: String::new(),
                line: 0,
                column: 0,
            },
        })
    })?
    .collect()
}

fn read_rules(conn: &Connection, rule_set: i64) -> rusqlite::Result<Vec<StoredRule>> {
    conn.prepare(
        "SELECT id, form, severity, title_zh, title_en, hint_zh, hint_en, check_sql, when_sql,
                related_sql, fields, reach
         FROM rules WHERE rule_set = ?1 ORDER BY position",
    )?
    .query_map([rule_set], |r| {
        let hint_zh: Option<String> = r.get(5)?;
        let hint_en: Option<String> = r.get(6)?;
        Ok(StoredRule {
            id: r.get(0)?,
            form: r.get(1)?,
            severity: r.get(2)?,
            title: Localized::new(r.get::<_, String>(3)?, r.get::<_, String>(4)?),
            hint: hint_zh.zip(hint_en).map(|(zh, en)| Localized { zh, en }),
            check: r.get(7)?,
            when: r.get(8)?,
            related: r.get(9)?,
            fields: r
                .get::<_, String>(10)?
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            reach: Reach::parse(&r.get::<_, String>(11)?),
        })
    })?
    .collect()
}
