//! Loading a rule file into the workspace. Every rule is prepared inside the sandbox before
//! anything is stored: a rule that does not parse, names an unknown field, function or
//! parameter, or would do anything but read, refuses the whole file with the rule's id and
//! place. A changed file becomes a new rule set; an unchanged one is left as it is.

use std::collections::BTreeMap;
use std::rc::Rc;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use super::Workspace;
use super::depends::{Dependencies, reads_rows_of};
use super::forms::quote;
use super::sandbox::{Access, Refusal, Sandbox};
use crate::domain::Severity;
use crate::domain::schema::Problem;
use crate::domain::{Form, Localized, Schema, SourceLocation};
use crate::error::{Error, Result};
use crate::rules::{Param, Peers, Rule, RuleFileError, RuleSet};

/// How far a rule's verdict on one record depends on other records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Only on the record itself.
    Record,
    /// On the records that share the (non-NULL) value of its `related` expression.
    Related,
    /// On the figures of its peers groups, and through them on the records of those groups.
    Peers,
    /// On any record of the form.
    Form,
}

impl Reach {
    fn as_str(self) -> &'static str {
        match self {
            Reach::Record => "record",
            Reach::Related => "related",
            Reach::Peers => "peers",
            Reach::Form => "form",
        }
    }

    fn parse(text: &str) -> Reach {
        match text {
            "record" => Reach::Record,
            "related" => Reach::Related,
            "peers" => Reach::Peers,
            _ => Reach::Form,
        }
    }
}

/// A rule as the workspace holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRule {
    pub id: String,
    pub form: String,
    pub severity: Severity,
    pub title: Localized,
    pub hint: Option<Localized>,
    pub check: String,
    pub when: Option<String>,
    pub related: Option<String>,
    pub fields: Vec<String>,
    pub reach: Reach,
}

/// The rule set in force.
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveRules {
    pub rule_set: i64,
    pub params: BTreeMap<String, Param>,
    pub peers: Vec<Peers>,
    pub rules: Vec<StoredRule>,
    /// What each rule and peers definition reads.
    pub depends: Dependencies,
}

/// What loading a file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadReport {
    pub rule_set: i64,
    /// False when the file was the rule set in force already.
    pub changed: bool,
    pub rules: usize,
}

/// The functions huishen registers; expressions that indexes store may not use them, or the
/// sqlite3 CLI could no longer write the table.
const OWN_FUNCTIONS: &[&str] = &[
    "uscc_valid",
    "region_exists",
    "region_name",
    "region_level",
    "region_parent",
    "region_retired",
    "industry_exists",
    "industry_name",
    "industry_level",
    "regexp",
];

/// The statement that evaluates a rule over its form: rowid and verdict of every record where
/// the rule applies and does not pass. Passing records cost one evaluation of `check`.
pub fn verdict_sql(form: &str, check: &str, when: Option<&str>, filter: &str) -> String {
    let table = quote(form);
    let when = when.map_or(String::new(), |w| format!(" AND ({w})"));
    format!(
        "SELECT {table}.rowid, CASE WHEN ({check}) IS NULL THEN 'missing' ELSE 'fail' END \
         FROM {table} WHERE NOT coalesce(({check}), 0){when}{filter}"
    )
}

/// Parameters huishen binds itself when it runs a rule over some records.
pub const INTERNAL_PARAMS: &[&str] = &["_record", "_before", "_after", "_group"];

/// Binds the rule set's parameters to a prepared statement by name; parameters named in
/// `internal` are left for the caller to bind.
pub fn bind_params(
    stmt: &mut rusqlite::Statement<'_>,
    params: &BTreeMap<String, Param>,
    internal: &[&str],
) -> std::result::Result<(), String> {
    for i in 1..=stmt.parameter_count() {
        let Some(name) = stmt.parameter_name(i) else {
            return Err("it uses `?`; name parameters instead, as $name".into());
        };
        let key = name.trim_start_matches(['$', ':', '@']);
        let Some(value) = params.get(key) else {
            if internal.contains(&key) {
                continue;
            }
            return Err(format!("it uses {name}, which [params] does not define"));
        };
        let result = match value {
            Param::Integer(v) => stmt.raw_bind_parameter(i, v),
            Param::Real(v) => stmt.raw_bind_parameter(i, v),
            Param::Text(v) => stmt.raw_bind_parameter(i, v),
            Param::Bool(v) => stmt.raw_bind_parameter(i, v),
        };
        result.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Whether `expr` is one expression that can stand in parentheses: outside string literals
/// no `;`, no comment and no parenthesis closed before it opens.
pub(super) fn plain_expression(expr: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for c in expr.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth < 0 {
                        return false;
                    }
                }
                ';' => return false,
                '-' if previous == '-' => return false,
                '*' if previous == '/' => return false,
                _ => {}
            },
        }
        previous = c;
    }
    depth == 0 && quote.is_none()
}

/// Whether `sql` names `table` as a word, outside quotes or not.
pub(super) fn mentions(sql: &str, table: &str) -> bool {
    let (sql, table) = (sql.to_ascii_lowercase(), table.to_ascii_lowercase());
    whole_words(&sql, &table).next().is_some()
}

/// What follows each whole-word occurrence of `word` in `text`, both in lower case.
pub(super) fn whole_words<'s>(text: &'s str, word: &'s str) -> impl Iterator<Item = &'s str> {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    text.match_indices(word)
        .filter(move |(i, _)| !is_word(text[..*i].chars().next_back()))
        .map(move |(i, _)| &text[i + word.len()..])
        .filter(move |rest| !is_word(rest.chars().next()))
}

struct Loader<'a> {
    conn: &'a Connection,
    sandbox: &'a Sandbox,
    schema: &'a Schema,
    set: &'a RuleSet,
    problems: Vec<Problem>,
}

impl Loader<'_> {
    fn problem(&mut self, location: &SourceLocation, message: String) {
        self.problems.push(Problem {
            location: location.clone(),
            message,
        });
    }

    fn form(&mut self, name: &str, location: &SourceLocation, what: &str) -> Option<Form> {
        let form = self.schema.form(name).cloned();
        if form.is_none() {
            let known: Vec<&str> = self.schema.forms.iter().map(|f| f.name.as_str()).collect();
            self.problem(
                location,
                format!(
                    "{what}: unknown form `{name}`; the workspace's forms are {}",
                    known.join(", ")
                ),
            );
        }
        form
    }

    /// Prepares `sql` in the sandbox with the parameters bound; a problem if it fails.
    fn try_prepare(&mut self, sql: &str, location: &SourceLocation, what: &str) -> Option<Access> {
        match self.sandbox.prepare(self.conn, sql) {
            Ok((mut stmt, access)) => match bind_params(&mut stmt, &self.set.params, &[]) {
                Ok(()) => Some(access),
                Err(why) => {
                    self.problem(location, format!("{what} is refused: {why}"));
                    None
                }
            },
            Err(Refusal::Forbidden(why)) => {
                self.problem(
                    location,
                    format!("{what} is refused: {why}; a rule may only read"),
                );
                None
            }
            Err(Refusal::Invalid(msg)) => {
                self.problem(location, format!("{what} is not valid SQL: {msg}"));
                None
            }
        }
    }

    /// Checks an expression that an index will store: no subquery, no parameter, none of
    /// huishen's own functions.
    fn indexable(&mut self, form: &Form, expr: &str, location: &SourceLocation, what: &str) {
        if !plain_expression(expr) {
            self.problem(
                location,
                format!("{what} must be one expression: no `;`, no comments, balanced parentheses"),
            );
            return;
        }
        let sql = format!("SELECT ({expr}) FROM {}", quote(&form.name));
        if let Some(access) = self.try_prepare(&sql, location, what) {
            let own = access
                .functions
                .iter()
                .find(|f| OWN_FUNCTIONS.iter().any(|o| o.eq_ignore_ascii_case(f)));
            if let Some(own) = own {
                self.problem(location, format!("{what} calls {own}(); it is indexed, so it may use only SQLite's own functions"));
            } else if mentions(expr, "select") || expr.contains(['$', ':', '@', '?']) {
                self.problem(location, format!("{what} must be an expression over the record alone, without subqueries or parameters"));
            }
        }
    }

    fn peers(&mut self, p: &Peers) {
        let what = format!("peers {}", p.name);
        let Some(form) = self.form(&p.form, &p.location, &what) else {
            return;
        };
        let filter = p.filter.as_deref().unwrap_or("1");
        let sql = format!(
            "SELECT ({}), ({}) FROM {} WHERE ({filter})",
            p.group,
            p.value,
            quote(&form.name)
        );
        self.try_prepare(&sql, &p.location, &what);
        self.indexable(&form, &p.group, &p.location, &format!("{what}: group"));
    }

    fn rule(&mut self, rule: &Rule) -> Option<StoredRule> {
        let what = format!("rule {}", rule.id);
        let form = self.form(&rule.form, &rule.location, &what)?;
        let sql = verdict_sql(&form.name, &rule.check, rule.when.as_deref(), "");
        let access = self.try_prepare(&sql, &rule.location, &what)?;
        let fields = match &rule.fields {
            Some(named) => {
                for f in named {
                    if form.field(f).is_none() {
                        self.problem(
                            &rule.location,
                            format!(
                                "{what}: `fields` names `{f}`, which is not a field of {}",
                                form.name
                            ),
                        );
                    }
                }
                named.clone()
            }
            None => form
                .fields
                .iter()
                .filter(|f| {
                    access.reads.iter().any(|(t, c)| {
                        t.eq_ignore_ascii_case(&form.name) && c.eq_ignore_ascii_case(&f.name)
                    })
                })
                .map(|f| f.name.clone())
                .collect(),
        };
        if let Some(related) = &rule.related {
            self.indexable(&form, related, &rule.location, &format!("{what}: related"));
        }
        let text = format!("{} {}", rule.check, rule.when.as_deref().unwrap_or(""));
        // A rule that names its own form's table, another form's or a peers table reads
        // other records than its own.
        let cross = self.schema.forms.iter().any(|f| mentions(&text, &f.name))
            || self.set.peers.iter().any(|p| mentions(&text, &p.table()));
        let reads_other_forms = self
            .schema
            .forms
            .iter()
            .any(|f| f.name != form.name && mentions(&text, &f.name));
        let reads_own_rows = reads_rows_of(&text, &form.name);
        let reach = match (&rule.related, cross) {
            (_, false) => Reach::Record,
            _ if reads_other_forms => Reach::Form,
            // Other records only through peers figures.
            _ if !reads_own_rows => Reach::Peers,
            (Some(_), true) => Reach::Related,
            (None, true) => Reach::Form,
        };
        Some(StoredRule {
            id: rule.id.clone(),
            form: form.name.clone(),
            severity: rule.severity,
            title: rule.title.clone(),
            hint: rule.hint.clone(),
            check: rule.check.clone(),
            when: rule.when.clone(),
            related: rule.related.clone(),
            fields,
            reach,
        })
    }
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
                super::peers::create_table(&tx, p).map_err(&to_error)?;
            }
        }
        let mut loader = Loader {
            conn: &tx,
            sandbox: &self.sandbox,
            schema: &schema,
            set,
            problems: Vec::new(),
        };
        for p in &set.peers {
            loader.peers(p);
        }
        let stored: Vec<StoredRule> = set.rules.iter().filter_map(|r| loader.rule(r)).collect();
        if !loader.problems.is_empty() {
            return Err(Error::Rules(RuleFileError {
                problems: loader.problems,
            }));
        }
        tx.execute(
            "INSERT INTO rule_sets (file_name, sha256, source, loaded_at, loaded_by)
             VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?4)",
            params![file_name, sha256, source, user],
        )
        .map_err(&to_error)?;
        let rule_set = tx.last_insert_rowid();
        for (name, value) in &set.params {
            let value = match value {
                Param::Integer(v) => rusqlite::types::Value::Integer(*v),
                Param::Real(v) => rusqlite::types::Value::Real(*v),
                Param::Text(v) => rusqlite::types::Value::Text(v.clone()),
                Param::Bool(v) => rusqlite::types::Value::Integer(i64::from(*v)),
            };
            tx.execute(
                "INSERT INTO rule_params (rule_set, name, value) VALUES (?1, ?2, ?3)",
                params![rule_set, name, value],
            )
            .map_err(&to_error)?;
        }
        for p in &set.peers {
            tx.execute(
                "INSERT INTO peers (rule_set, name, form, group_sql, value_sql, where_sql) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![rule_set, p.name, p.form, p.group, p.value, p.filter],
            )
            .map_err(&to_error)?;
        }
        for (position, r) in stored.iter().enumerate() {
            tx.execute(
                "INSERT INTO rules (rule_set, id, position, form, severity, title_zh, title_en, hint_zh, hint_en,
                                    check_sql, when_sql, related_sql, fields, reach)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    rule_set, r.id, position, r.form, r.severity.as_str(), r.title.zh, r.title.en,
                    r.hint.as_ref().map(|h| &h.zh), r.hint.as_ref().map(|h| &h.en),
                    r.check, r.when, r.related, r.fields.join(" "), r.reach.as_str()
                ],
            )
            .map_err(&to_error)?;
        }
        super::indexes::create(&tx, &self.sandbox, &stored, &set.peers).map_err(&to_error)?;
        tx.commit().map_err(&to_error)?;
        Ok(LoadReport {
            rule_set,
            changed: true,
            rules: stored.len(),
        })
    }

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
        let rules = read_active(&self.conn)
            .map_err(&to_error)?
            .map(|mut rules| {
                rules.depends =
                    Dependencies::learn(&self.conn, &self.sandbox, &rules.rules, &rules.peers);
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
    let params = conn
        .prepare("SELECT name, value FROM rule_params WHERE rule_set = ?1")?
        .query_map([rule_set], |r| {
            let value = match r.get::<_, rusqlite::types::Value>(1)? {
                rusqlite::types::Value::Integer(i) => Param::Integer(i),
                rusqlite::types::Value::Real(x) => Param::Real(x),
                rusqlite::types::Value::Text(t) => Param::Text(t),
                _ => Param::Text(String::new()),
            };
            Ok((r.get::<_, String>(0)?, value))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let peers = conn
        .prepare("SELECT name, form, group_sql, value_sql, where_sql FROM peers WHERE rule_set = ?1 ORDER BY name")?
        .query_map([rule_set], |r| {
            Ok(Peers {
                name: r.get(0)?,
                form: r.get(1)?,
                group: r.get(2)?,
                value: r.get(3)?,
                filter: r.get(4)?,
                location: SourceLocation { file: String::new(), line: 0, column: 0 },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let rules = conn
        .prepare(
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
                severity: Severity::parse(&r.get::<_, String>(2)?).unwrap_or(Severity::Error),
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
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(ActiveRules {
        rule_set,
        params,
        peers,
        rules,
        depends: Dependencies::default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_expressions_only() {
        assert!(plain_expression("substr(industry_code, 1, 2)"));
        assert!(plain_expression("name || ';' || code"));
        assert!(!plain_expression("credit_code)); DROP TABLE N101; --"));
        assert!(!plain_expression("a) , (b"));
        assert!(!plain_expression("a -- comment"));
        assert!(!plain_expression("a /* c */"));
    }

    #[test]
    fn mentions_finds_whole_words_only() {
        assert!(mentions("NOT EXISTS (SELECT 1 FROM G101_1 r2)", "G101_1"));
        assert!(mentions("x <= (SELECT q3 FROM peers_so2 p)", "peers_so2"));
        assert!(!mentions("G101_12 > 0", "G101_1"));
        assert!(!mentions("so2_emit_t <= so2_gen_t", "G101_1"));
    }
}
