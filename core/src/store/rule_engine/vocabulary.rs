//! The words every part of the rule engine shares: a stored rule and how far it reaches, the
//! rule set in force with what each of its rules reads, the statement that gives a rule's
//! verdicts, binding a rule set's parameters, and the plain-text tests on rule SQL (one plain
//! expression, whole-word mentions). Nothing here runs a statement.

use std::collections::BTreeMap;

use crate::domain::{Localized, Severity};
use crate::rules::{Budget, DatasetRule, Fix, Param, Peers, Score};
use crate::store::forms::quote;

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
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Reach::Record => "record",
            Reach::Related => "related",
            Reach::Peers => "peers",
            Reach::Form => "form",
        }
    }

    pub(super) fn parse(text: &str) -> Reach {
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
    /// How long its rules may run.
    pub budget: Budget,
    pub peers: Vec<Peers>,
    pub rules: Vec<StoredRule>,
    /// Rules with one verdict per form or group of records.
    pub datasets: Vec<DatasetRule>,
    /// Score functions (selective editing).
    pub scores: Vec<Score>,
    /// Fix rules (proposed corrections).
    pub fixes: Vec<Fix>,
    /// What each rule and peers definition reads.
    pub depends: Dependencies,
}

/// One non-passing verdict: record rowid and outcome.
pub(super) type Verdict = (i64, crate::domain::Outcome);

/// (table, column) pairs in lower case; `None` when they could not be learned, which counts as
/// reading everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads(Option<Vec<(String, String)>>);

impl Reads {
    /// The reads a statement was seen to make (`None`: it could not be prepared), in lower
    /// case, sorted and without repeats.
    pub(super) fn seen(reads: Option<Vec<(String, String)>>) -> Reads {
        Reads(reads.map(|reads| {
            let mut reads: Vec<(String, String)> = reads
                .into_iter()
                .map(|(t, c)| (t.to_ascii_lowercase(), c.to_ascii_lowercase()))
                .collect();
            reads.sort_unstable();
            reads.dedup();
            reads
        }))
    }

    /// Whether this reads `column` of `table`.
    pub fn column(&self, table: &str, column: &str) -> bool {
        self.0.as_ref().is_none_or(|reads| {
            reads
                .iter()
                .any(|(t, c)| t.eq_ignore_ascii_case(table) && c.eq_ignore_ascii_case(column))
        })
    }

    /// The columns of `table` this reads; `None` for all of them.
    pub fn columns_of(&self, table: &str) -> Option<Vec<&str>> {
        self.0.as_ref().map(|reads| {
            reads
                .iter()
                .filter(|(t, _)| t.eq_ignore_ascii_case(table))
                .map(|(_, c)| c.as_str())
                .collect()
        })
    }
}

/// A rule's reading of another form through the parent link: an edit of a record of `form`
/// re-checks the rule's records whose `own` expression has the edited record's `theirs` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The other form (as the schema spells it).
    pub form: String,
    /// An expression over the rule's form (a quoted field).
    pub own: String,
    /// An expression over the other form (a quoted field).
    pub theirs: String,
}

/// What the rules in force read, parallel to their rules and peers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dependencies {
    pub rules: Vec<Reads>,
    pub peers: Vec<Reads>,
    pub scores: Vec<Reads>,
    pub fixes: Vec<Reads>,
    /// Per rule, the other forms it reads only through the parent link (`links`).
    pub links: Vec<Vec<Link>>,
}

/// Reads that could not be learned.
static EVERYTHING: Reads = Reads(None);

impl Dependencies {
    /// What the `i`th rule reads.
    pub fn rule(&self, i: usize) -> &Reads {
        self.rules.get(i).unwrap_or(&EVERYTHING)
    }

    /// What the `i`th score reads.
    pub fn score(&self, i: usize) -> &Reads {
        self.scores.get(i).unwrap_or(&EVERYTHING)
    }

    /// What the `i`th fix rule reads.
    pub fn fix(&self, i: usize) -> &Reads {
        self.fixes.get(i).unwrap_or(&EVERYTHING)
    }

    /// What the `i`th peers definition reads.
    pub fn peers(&self, i: usize) -> &Reads {
        self.peers.get(i).unwrap_or(&EVERYTHING)
    }

    /// The `i`th rule's link to `form`, when it reads that form only through the parent link.
    pub fn link(&self, i: usize, form: &str) -> Option<&Link> {
        self.links
            .get(i)
            .and_then(|ls| ls.iter().find(|l| l.form.eq_ignore_ascii_case(form)))
    }
}

/// The statement that evaluates a rule over its form: rowid and verdict of every record where
/// the rule applies and does not pass. Passing records cost one evaluation of `check`; records
/// where the rule does not apply, none (`when` comes first).
pub(super) fn verdict_sql(form: &str, check: &str, when: Option<&str>, filter: &str) -> String {
    let table = quote(form);
    let when = when.map_or(String::new(), |w| format!("({w}) AND "));
    format!(
        "SELECT {table}.rowid, CASE WHEN ({check}) IS NULL THEN 'missing' ELSE 'fail' END \
         FROM {table} WHERE {when}NOT coalesce(({check}), 0){filter}"
    )
}

/// Parameters huishen binds itself when it runs a rule over some records: the record, or
/// the group of records, to run it over. With them go the value slots `:_v0`, `:_v1`, …
/// that stand for proposed values (see `what_if`).
pub(super) const INTERNAL_PARAMS: &[&str] = &["_record", "_group"];

/// Whether `key` is a value slot: `_v` and digits.
fn value_slot(key: &str) -> bool {
    key.strip_prefix("_v")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Binds the rule set's parameters to a prepared statement by name; parameters named in
/// `internal` are left for the caller to bind.
pub(super) fn bind_params(
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
            if internal.contains(&key) || (!internal.is_empty() && value_slot(key)) {
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

/// Whether `expr` reads the record alone: one plain expression, no subquery, no parameter.
pub(super) fn over_the_record(expr: &str) -> bool {
    plain_expression(expr) && !mentions(expr, "select") && !expr.contains(['$', ':', '@', '?'])
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

    #[test]
    fn unknown_reads_count_as_everything() {
        let unknown = Reads(None);
        assert!(unknown.column("G101_1", "so2_emit_t"));
        let known = Reads(Some(vec![("g101_1".into(), "so2_emit_t".into())]));
        assert!(known.column("G101_1", "SO2_emit_t"));
        assert!(!known.column("G101_1", "credit_code"));
        assert_eq!(known.columns_of("peers_x"), Some(vec![]));
    }
}
