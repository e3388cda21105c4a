//! Rule files (审核规则): parameters, peer statistics and rules, read from TOML and checked
//! for everything that can be checked without a workspace.
//!
//! ```toml
//! [params]
//! jurisdiction = "37"            # bound as $jurisdiction, never spliced into SQL
//!
//! [budget]                       # optional: how long rules may run (see `budget`)
//! rule_ms = 10000
//! recheck_ms = 300
//!
//! [[peers]]                      # statistics per group, as the table peers_so2_intensity
//! name = "so2_intensity"
//! form = "G101_1"
//! group = "substr(industry_code, 1, 2)"
//! value = "so2_emit_t * 1.0 / output_value_10k_yuan"
//! where = "output_value_10k_yuan > 0 AND so2_emit_t > 0"
//!
//! [[rule]]
//! id = "R13"
//! form = "G101_1"
//! severity = "error"             # error | warning
//! title = { zh = "二氧化硫排放量不得大于产生量", en = "SO2 emitted must not exceed SO2 generated" }
//! check = "so2_emit_t <= so2_gen_t"
//! when = "so2_gen_t IS NOT NULL" # optional: the rule applies only where this is true
//! related = "credit_code"        # optional, cross-record rules: records whose verdicts move together
//! ```
//!
//! Records relate through `related` when its values are equal; a record where it is NULL
//! relates to none, as with SQL's `=`.
//!
//! A peers table has one row per group: `grp`, `n`, `min`, `q1`, `median`, `q3`, `max`, `mean`
//! and `sum`. When nothing in the file reads its quartiles (`q1`, `median`, `q3`), it is
//! computed by one aggregate query and they are NULL; a rule, score or fix that reads one of
//! them makes the table compute them all. `sum` is correctly rounded and `mean` is `sum / n`.
//! The median is the middle value or the mean of the two middle ones (R's `median`); `q1` and
//! `q3` are nearest-rank (R's `quantile(type = 1)`), or R's default with `quantiles = "type7"`
//! in the `[[peers]]` definition.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::budget::Budget;
use super::dataset::{self, DatasetRule, Scope};
use super::expression;
use super::selective::{self, Fix, RawFix, RawScore, Score};
use crate::domain::schema::{Problem, check_identifier};
use crate::domain::{Localized, Severity, SourceLocation};

/// A parameter value.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Param {
    Integer(i64),
    Real(f64),
    Text(String),
    Bool(bool),
}

/// One review rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub form: String,
    pub severity: Severity,
    pub title: Localized,
    pub hint: Option<Localized>,
    pub check: String,
    pub when: Option<String>,
    /// Fields named by the file; when absent, found from what the check reads.
    pub fields: Option<Vec<String>>,
    pub related: Option<String>,
    /// Where the rule stands in its file, for messages.
    pub location: SourceLocation,
}

/// Per-group statistics of a value over a form's records: n, min, q1, median, q3, max, mean
/// and sum (the quartiles only when something reads them).
#[derive(Debug, Clone, PartialEq)]
pub struct Peers {
    pub name: String,
    pub form: String,
    pub group: String,
    pub value: String,
    pub filter: Option<String>,
    /// How `q1` and `q3` are taken.
    pub quantiles: Quantiles,
    pub location: SourceLocation,
}

/// How a peers table takes its quartiles (`quantiles = "..."`); the median is the middle
/// value, or the mean of the two middle ones, either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quantiles {
    /// The first value at or past the share (R's `quantile(type = 1)`): a value the group has.
    #[default]
    NearestRank,
    /// Linear between the two values around `(n - 1) × p` (R's default, `type = 7`).
    Type7,
}

impl Quantiles {
    pub fn as_str(self) -> &'static str {
        match self {
            Quantiles::NearestRank => "nearest-rank",
            Quantiles::Type7 => "type7",
        }
    }

    pub fn parse(text: &str) -> Option<Quantiles> {
        [Quantiles::NearestRank, Quantiles::Type7]
            .into_iter()
            .find(|q| q.as_str() == text)
    }
}

impl Peers {
    /// The table rules read the statistics from.
    pub fn table(&self) -> String {
        format!("peers_{}", self.name)
    }
}

/// A whole rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub params: BTreeMap<String, Param>,
    /// How long its rules may run.
    pub budget: Budget,
    pub peers: Vec<Peers>,
    pub rules: Vec<Rule>,
    /// Rules with one verdict per form or group of records (`scope = "form"`, `"group"`).
    pub datasets: Vec<DatasetRule>,
    /// Score functions: which records matter most.
    pub scores: Vec<Score>,
    /// Fix rules: corrections proposed to the reviewer.
    pub fixes: Vec<Fix>,
}

/// Everything wrong with a rule file, each with its place and rule id.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct RuleFileError {
    pub problems: Vec<Problem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    params: BTreeMap<Spanned<String>, Param>,
    #[serde(default)]
    budget: Budget,
    #[serde(default)]
    peers: Vec<RawPeers>,
    #[serde(default)]
    rule: Vec<RawRule>,
    #[serde(default)]
    score: Vec<RawScore>,
    #[serde(default)]
    fix: Vec<RawFix>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeers {
    name: Spanned<String>,
    form: Spanned<String>,
    group: Spanned<String>,
    value: Spanned<String>,
    #[serde(rename = "where")]
    filter: Option<Spanned<String>>,
    quantiles: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    form: Spanned<String>,
    severity: Severity,
    title: Localized,
    hint: Option<Localized>,
    check: Spanned<String>,
    when: Option<Spanned<String>>,
    fields: Option<Vec<String>>,
    related: Option<Spanned<String>>,
    scope: Option<Spanned<String>>,
    group: Option<Spanned<String>>,
}

impl RuleSet {
    /// Parses a rule file. `file` names it in messages.
    pub fn parse(file: &str, source: &str) -> Result<RuleSet, RuleFileError> {
        let at = |span: Option<Range<usize>>| {
            SourceLocation::from_offset(file, source, span.map_or(0, |s| s.start))
        };
        let raw: RawFile = toml::from_str(source).map_err(|e| RuleFileError {
            problems: vec![Problem {
                location: at(e.span()),
                message: e.message().trim().to_string(),
            }],
        })?;
        let mut problems = Vec::new();
        let params = checked_params(raw.params, &at, &mut problems);
        let one = |owner: &str, name: &str, text: &Spanned<String>| {
            expression::check(file, source, owner, name, text)
        };
        let peers = checked_peers(raw.peers, &at, &one, &mut problems);
        let (rules, datasets) = checked_rules(raw.rule, &at, &one, &mut problems);
        let scores = selective::checked_scores(raw.score, &at, &one, &mut problems);
        let fixes = selective::checked_fixes(raw.fix, &at, &one, &mut problems);
        if problems.is_empty() {
            Ok(RuleSet {
                params,
                budget: raw.budget,
                peers,
                rules,
                datasets,
                scores,
                fixes,
            })
        } else {
            Err(RuleFileError { problems })
        }
    }
}

/// The parameters, each name checked as an identifier.
fn checked_params(
    raw: BTreeMap<Spanned<String>, Param>,
    at: &impl Fn(Option<Range<usize>>) -> SourceLocation,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, Param> {
    let mut params = BTreeMap::new();
    for (name, value) in raw {
        if let Err(why) = check_identifier(name.get_ref()) {
            problems.push(Problem {
                location: at(Some(name.span())),
                message: format!("parameter name `{}` {why}", name.get_ref()),
            });
        }
        params.insert(name.into_inner(), value);
    }
    params
}

/// Checks one expression: a problem where it is not one expression.
type OneExpression<'a> = dyn Fn(&str, &str, &Spanned<String>) -> Option<Problem> + 'a;

/// The peer statistics, each name an identifier used once and each expression one expression.
fn checked_peers(
    raw: Vec<RawPeers>,
    at: &impl Fn(Option<Range<usize>>) -> SourceLocation,
    one: &OneExpression<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<Peers> {
    let mut peers: Vec<Peers> = Vec::new();
    for p in raw {
        if let Err(why) = check_identifier(p.name.get_ref()) {
            problems.push(Problem {
                location: at(Some(p.name.span())),
                message: format!("peers name `{}` {why}", p.name.get_ref()),
            });
        }
        if peers.iter().any(|q| q.name == *p.name.get_ref()) {
            problems.push(Problem {
                location: at(Some(p.name.span())),
                message: format!("peers `{}` is defined twice", p.name.get_ref()),
            });
        }
        let what = format!("peers {}", p.name.get_ref());
        for (name, text) in [("group", Some(&p.group)), ("value", Some(&p.value))]
            .into_iter()
            .chain([("where", p.filter.as_ref())])
        {
            problems.extend(text.and_then(|t| one(&what, name, t)));
        }
        let quantiles = match &p.quantiles {
            None => Quantiles::default(),
            Some(q) => Quantiles::parse(q.get_ref()).unwrap_or_else(|| {
                problems.push(Problem {
                    location: at(Some(q.span())),
                    message: format!(
                        "peers `{}`: quantiles = \"{}\" is not a way huishen takes quartiles; \
                         use \"nearest-rank\" (R's type 1, the default) or \"type7\" (R's default)",
                        p.name.get_ref(),
                        q.get_ref()
                    ),
                });
                Quantiles::default()
            }),
        };
        peers.push(Peers {
            quantiles,
            location: at(Some(p.name.span())),
            name: p.name.into_inner(),
            form: p.form.into_inner(),
            group: p.group.into_inner(),
            value: p.value.into_inner(),
            filter: p.filter.map(Spanned::into_inner),
        });
    }
    peers
}

/// The rules, each with a well-formed id used once (ignoring case) and a check, each
/// expression one expression; blank `when`, `related` and `group` count as absent. Those
/// with `scope = "form"` or `"group"` are dataset rules, apart from the record rules.
fn checked_rules(
    raw: Vec<RawRule>,
    at: &impl Fn(Option<Range<usize>>) -> SourceLocation,
    one: &OneExpression<'_>,
    problems: &mut Vec<Problem>,
) -> (Vec<Rule>, Vec<DatasetRule>) {
    let mut rules: Vec<Rule> = Vec::new();
    let mut datasets: Vec<DatasetRule> = Vec::new();
    // Every id so far, with its line.
    let mut seen: Vec<(String, usize)> = Vec::new();
    for r in raw {
        let location = at(Some(r.id.span()));
        let id = r.id.get_ref().trim().to_string();
        if id.is_empty()
            || id
                .chars()
                .any(|c| !(c.is_ascii_alphanumeric() || "_-.".contains(c)))
        {
            problems.push(Problem {
                location: location.clone(),
                message: format!("rule id `{id}` must be ASCII letters, digits, `_`, `-` or `.`"),
            });
        }
        if let Some((_, line)) = seen.iter().find(|(x, _)| x.eq_ignore_ascii_case(&id)) {
            problems.push(Problem {
                location: location.clone(),
                message: format!("rule {id}: the id is used twice (first at line {line})"),
            });
        }
        seen.push((id.clone(), location.line));
        if r.check.get_ref().trim().is_empty() {
            problems.push(Problem {
                location: at(Some(r.check.span())),
                message: format!("rule {id}: `check` is empty"),
            });
        }
        let when = r.when.filter(|w| !w.get_ref().trim().is_empty());
        let related = r.related.filter(|w| !w.get_ref().trim().is_empty());
        let group = r.group.filter(|w| !w.get_ref().trim().is_empty());
        let check = Some(&r.check).filter(|c| !c.get_ref().trim().is_empty());
        let what = format!("rule {id}");
        for (name, text) in [
            ("check", check),
            ("when", when.as_ref()),
            ("related", related.as_ref()),
            ("group", group.as_ref()),
        ] {
            problems.extend(text.and_then(|t| one(&what, name, t)));
        }
        let scope = match r.scope.as_ref().map(|s| s.get_ref().trim()) {
            None | Some("record") => None,
            Some("form") => Some(Scope::Form),
            Some("group") => match &group {
                Some(g) => Some(Scope::Group(g.get_ref().clone())),
                None => {
                    problems.push(Problem {
                        location: location.clone(),
                        message: format!(
                            "rule {id}: scope = \"group\" needs `group`, the expression whose \
                             value is each record's group (e.g. group = \"substr(region_code, 1, 4)\")"
                        ),
                    });
                    Some(Scope::Form)
                }
            },
            Some(other) => {
                problems.push(Problem {
                    location: r
                        .scope
                        .as_ref()
                        .map_or(location.clone(), |s| at(Some(s.span()))),
                    message: format!(
                        "rule {id}: scope = \"{other}\" is not a scope; use \"record\" (the \
                         default: a verdict per record), \"form\" (one verdict on the form) or \
                         \"group\" (one per group of records, with `group`)"
                    ),
                });
                None
            }
        };
        let Some(scope) = scope else {
            if let Some(g) = &group {
                problems.push(Problem {
                    location: at(Some(g.span())),
                    message: format!(
                        "rule {id}: `group` belongs to a rule with scope = \"group\"; a record \
                         rule that reads other records names them with `related`"
                    ),
                });
            }
            rules.push(Rule {
                id,
                form: r.form.into_inner(),
                severity: r.severity,
                title: r.title,
                hint: r.hint,
                check: r.check.into_inner(),
                when: when.map(Spanned::into_inner),
                fields: r.fields,
                related: related.map(Spanned::into_inner),
                location,
            });
            continue;
        };
        for (key, given) in [
            ("related", related.is_some()),
            ("fields", r.fields.is_some()),
            ("group", group.is_some() && scope == Scope::Form),
        ] {
            if given {
                problems.push(Problem {
                    location: location.clone(),
                    message: format!(
                        "rule {id}: `{key}` has no meaning for a rule with scope = \"{}\"; \
                         remove it",
                        scope.as_str()
                    ),
                });
            }
        }
        if let Some(w) = &when
            && let Some(why) = dataset::aggregate_in_when(w.get_ref())
        {
            problems.push(Problem {
                location: at(Some(w.span())),
                message: format!("rule {id}: {why}"),
            });
        }
        if let Some(why) = check.and_then(|c| dataset::not_aggregate(c.get_ref())) {
            problems.push(Problem {
                location: at(check.map(|c| c.span())),
                message: format!("rule {id}: {why}"),
            });
        }
        datasets.push(DatasetRule {
            id,
            form: r.form.into_inner(),
            scope,
            severity: r.severity,
            title: r.title,
            hint: r.hint,
            check: r.check.into_inner(),
            when: when.map(Spanned::into_inner),
            location,
        });
    }
    (rules, datasets)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
[params]
jurisdiction = "37"
year = 2017

[[rule]]
id = "R13"
form = "G101_1"
severity = "error"
title = { zh = "二氧化硫排放量不得大于产生量", en = "SO2 emitted must not exceed SO2 generated" }
check = "so2_emit_t <= so2_gen_t"
"#;

    #[test]
    fn a_rule_file_parses() {
        let set = RuleSet::parse("r.toml", ONE).unwrap();
        assert_eq!(set.rules[0].id, "R13");
        assert_eq!(set.rules[0].location.line, 7);
        assert_eq!(set.params["year"], Param::Integer(2017));
        assert_eq!(set.params["jurisdiction"], Param::Text("37".into()));
    }

    #[test]
    fn duplicate_ids_name_both_places() {
        let twice = format!("{ONE}\n{}", &ONE[ONE.find("[[rule]]").unwrap()..]);
        let err = RuleSet::parse("r.toml", &twice).unwrap_err().to_string();
        assert!(
            err.contains("r.toml:14:6: rule R13: the id is used twice (first at line 7)"),
            "{err}"
        );
    }

    #[test]
    fn unknown_severity_is_located() {
        let bad = ONE.replace("\"error\"", "\"fatal\"");
        let err = RuleSet::parse("r.toml", &bad).unwrap_err().to_string();
        assert!(
            err.starts_with("r.toml:9:12: unknown variant `fatal`, expected `error` or `warning`"),
            "{err}"
        );
    }
}
