//! The census-scale sections of a rule file: score functions (选择性审核, selective editing as
//! national statistical offices use it) and fix rules (修正规则, corrections proposed to the
//! reviewer, who decides).
//!
//! ```toml
//! [[score]]
//! id = "S1"
//! form = "G101_1"
//! title = { zh = "对地市排放总量的影响", en = "Impact on the prefecture totals" }
//! combine = "max"              # max | mean | weighted | minkowski (then p >= 1)
//! threshold = 5.0              # below: low impact
//! design_weight = "1"          # SQL expression, default 1
//! [[score.item]]
//! field = "so2_emit_t"
//! predicted = "prev_so2_emit_t"  # SQL expression
//! auxiliary = "so2_gen_t"        # used where predicted is NULL
//! standardiser = "(SELECT p.sum FROM peers_so2_region p WHERE p.grp = substr(G101_1.region_code, 1, 4))"
//! weight = 1                     # for combine = "weighted"
//!
//! [[fix]]
//! id = "F01"
//! form = "G101_1"
//! title = { zh = "工业总产值疑似以元填报（应为万元）", en = "Output reported in yuan, not 10k yuan" }
//! when = "unit_error(output_value_10k_yuan, prev_output_value_10k_yuan, 10000, 6500, 13500)"
//! set = { output_value_10k_yuan = "output_value_10k_yuan / 10000.0" }
//! also = []                      # fields that get the same factor as the first field set
//! reason = { zh = "单位换算错误", en = "Unit error" }
//! ```
//!
//! An item scores `100 × design weight × |value − predicted| / standardiser` (the auxiliary
//! standing in where the predicted value is NULL); the record's score combines its items.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::domain::schema::{Problem, check_identifier};
use crate::domain::{Localized, SourceLocation};

/// How a record's item scores make its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Combine {
    Max,
    Mean,
    /// The weighted mean with the items' weights.
    Weighted,
    /// (Σ scoreᵖ)^(1/p), p ≥ 1.
    Minkowski(f64),
}

impl Combine {
    /// The record's score from the scores of the items that could be scored, each with its
    /// weight; `None` when no item could be.
    pub fn combine(self, items: &[(f64, f64)]) -> Option<f64> {
        if items.is_empty() {
            return None;
        }
        Some(match self {
            Combine::Max => items.iter().map(|i| i.0).fold(f64::NEG_INFINITY, f64::max),
            Combine::Mean => items.iter().map(|i| i.0).sum::<f64>() / items.len() as f64,
            Combine::Weighted => {
                let total: f64 = items.iter().map(|i| i.1).sum();
                if total <= 0.0 {
                    return None;
                }
                items.iter().map(|(s, w)| s * w).sum::<f64>() / total
            }
            Combine::Minkowski(p) => items.iter().map(|i| i.0.powf(p)).sum::<f64>().powf(1.0 / p),
        })
    }

    /// How the rule file names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Combine::Max => "max",
            Combine::Mean => "mean",
            Combine::Weighted => "weighted",
            Combine::Minkowski(_) => "minkowski",
        }
    }
}

/// One item of a score: a field and what it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreItem {
    pub field: String,
    pub predicted: String,
    pub auxiliary: Option<String>,
    pub standardiser: String,
    pub weight: f64,
}

impl ScoreItem {
    /// The SQL of the item's score over one record (NULL where it cannot be scored): the
    /// design weight is multiplied in by the caller.
    pub fn sql(&self) -> String {
        let reference = match &self.auxiliary {
            Some(aux) => format!("coalesce(({}), ({aux}))", self.predicted),
            None => format!("({})", self.predicted),
        };
        format!(
            "100.0 * abs(({f}) - {reference}) / nullif(({s}), 0)",
            f = self.field,
            s = self.standardiser
        )
    }
}

/// A score function over a form's records.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub id: String,
    pub form: String,
    pub title: Localized,
    pub combine: Combine,
    pub threshold: f64,
    pub design_weight: String,
    pub items: Vec<ScoreItem>,
    pub location: SourceLocation,
}

/// A fix rule: where `when` holds, the values `set` proposes.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub id: String,
    pub form: String,
    pub title: Localized,
    pub when: String,
    /// (field, SQL expression of its new value), in the file's order.
    pub set: Vec<(String, String)>,
    /// Fields that get the factor by which the first field set changes.
    pub also: Vec<String>,
    pub reason: Localized,
    pub location: SourceLocation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScore {
    id: Spanned<String>,
    form: Spanned<String>,
    title: Localized,
    #[serde(default = "max")]
    combine: Spanned<String>,
    p: Option<f64>,
    threshold: f64,
    design_weight: Option<Spanned<String>>,
    #[serde(default)]
    item: Vec<RawItem>,
}

fn max() -> Spanned<String> {
    Spanned::new(0..0, "max".to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    field: Spanned<String>,
    predicted: Spanned<String>,
    auxiliary: Option<Spanned<String>>,
    standardiser: Spanned<String>,
    #[serde(default = "one")]
    weight: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFix {
    id: Spanned<String>,
    form: Spanned<String>,
    title: Localized,
    when: Spanned<String>,
    set: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    also: Vec<String>,
    reason: Localized,
}

/// Where a span is, for messages.
pub(super) type At<'a> = dyn Fn(Option<Range<usize>>) -> SourceLocation + 'a;
/// Checks one expression: a problem where it is not one expression.
pub(super) type One<'a> = dyn Fn(&str, &str, &Spanned<String>) -> Option<Problem> + 'a;

/// An id as rules have them: ASCII letters, digits, `_`, `-` or `.`.
pub(super) fn id_problem(what: &str, id: &str) -> Option<String> {
    (id.is_empty()
        || id
            .chars()
            .any(|c| !(c.is_ascii_alphanumeric() || "_-.".contains(c))))
    .then(|| format!("{what} id `{id}` must be ASCII letters, digits, `_`, `-` or `.`"))
}

/// The score definitions, each checked for everything a file alone can show.
pub(super) fn checked_scores(
    raw: Vec<RawScore>,
    at: &At<'_>,
    one: &One<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<Score> {
    let mut scores: Vec<Score> = Vec::new();
    for s in raw {
        let location = at(Some(s.id.span()));
        let id = s.id.get_ref().trim().to_string();
        let mut problem = |location: &SourceLocation, message: String| {
            problems.push(Problem {
                location: location.clone(),
                message,
            })
        };
        if let Some(why) = id_problem("score", &id) {
            problem(&location, why);
        }
        if scores.iter().any(|x| x.id.eq_ignore_ascii_case(&id)) {
            problem(&location, format!("score {id}: the id is used twice"));
        }
        let combine = match (s.combine.get_ref().as_str(), s.p) {
            ("max", None) => Some(Combine::Max),
            ("mean", None) => Some(Combine::Mean),
            ("weighted", None) => Some(Combine::Weighted),
            ("minkowski", Some(p)) if p >= 1.0 && p.is_finite() => Some(Combine::Minkowski(p)),
            ("minkowski", _) => {
                problem(
                    &at(Some(s.combine.span())),
                    format!("score {id}: `combine = \"minkowski\"` needs `p`, a number >= 1"),
                );
                None
            }
            ("max" | "mean" | "weighted", Some(_)) => {
                problem(
                    &at(Some(s.combine.span())),
                    format!("score {id}: `p` belongs to `combine = \"minkowski\"` only"),
                );
                None
            }
            (other, _) => {
                problem(
                    &at(Some(s.combine.span())),
                    format!(
                        "score {id}: unknown `combine = \"{other}\"`; write max, mean, weighted or minkowski"
                    ),
                );
                None
            }
        };
        if !s.threshold.is_finite() || s.threshold < 0.0 {
            problem(
                &location,
                format!("score {id}: `threshold` must be a number >= 0"),
            );
        }
        if s.item.is_empty() {
            problem(
                &location,
                format!("score {id}: it has no `[[score.item]]`; give at least one"),
            );
        }
        let what = format!("score {id}");
        problems.extend(
            s.design_weight
                .as_ref()
                .and_then(|d| one(&what, "design_weight", d)),
        );
        let mut items = Vec::new();
        for i in s.item {
            let owner = format!("score {id} item {}", i.field.get_ref());
            if check_identifier(i.field.get_ref()).is_err() {
                problems.push(Problem {
                    location: at(Some(i.field.span())),
                    message: format!(
                        "{owner}: `field` must name one field of {}",
                        s.form.get_ref()
                    ),
                });
            }
            for (name, text) in [
                ("predicted", Some(&i.predicted)),
                ("standardiser", Some(&i.standardiser)),
                ("auxiliary", i.auxiliary.as_ref()),
            ] {
                problems.extend(text.and_then(|t| one(&owner, name, t)));
            }
            if !i.weight.is_finite() || i.weight < 0.0 {
                problems.push(Problem {
                    location: at(Some(i.field.span())),
                    message: format!("{owner}: `weight` must be a number >= 0"),
                });
            }
            items.push(ScoreItem {
                field: i.field.into_inner(),
                predicted: i.predicted.into_inner(),
                auxiliary: i.auxiliary.map(Spanned::into_inner),
                standardiser: i.standardiser.into_inner(),
                weight: i.weight,
            });
        }
        scores.push(Score {
            id,
            form: s.form.into_inner(),
            title: s.title,
            combine: combine.unwrap_or(Combine::Max),
            threshold: s.threshold,
            design_weight: s
                .design_weight
                .map_or_else(|| "1".to_string(), Spanned::into_inner),
            items,
            location,
        });
    }
    scores
}

/// The fix rules, each checked for everything a file alone can show.
pub(super) fn checked_fixes(
    raw: Vec<RawFix>,
    at: &At<'_>,
    one: &One<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<Fix> {
    let mut fixes: Vec<Fix> = Vec::new();
    for f in raw {
        let location = at(Some(f.id.span()));
        let id = f.id.get_ref().trim().to_string();
        if let Some(why) = id_problem("fix", &id) {
            problems.push(Problem {
                location: location.clone(),
                message: why,
            });
        }
        if fixes.iter().any(|x| x.id.eq_ignore_ascii_case(&id)) {
            problems.push(Problem {
                location: location.clone(),
                message: format!("fix {id}: the id is used twice"),
            });
        }
        let what = format!("fix {id}");
        problems.extend(one(&what, "when", &f.when));
        if f.set.is_empty() {
            problems.push(Problem {
                location: location.clone(),
                message: format!("fix {id}: `set` proposes nothing; give field = \"expression\""),
            });
        }
        for (field, expr) in &f.set {
            problems.extend(one(&what, &format!("set.{field}"), expr));
        }
        if !f.also.is_empty() && f.set.len() != 1 {
            problems.push(Problem {
                location: location.clone(),
                message: format!(
                    "fix {id}: `also` takes the factor of the one field `set` changes; set exactly one field"
                ),
            });
        }
        for field in f.also.iter().filter(|a| f.set.contains_key(*a)) {
            problems.push(Problem {
                location: location.clone(),
                message: format!("fix {id}: `{field}` is in both `set` and `also`"),
            });
        }
        // The file's order of `set`: the spans say where each stood.
        let mut set: Vec<(String, Spanned<String>)> = f.set.into_iter().collect();
        set.sort_by_key(|(_, e)| e.span().start);
        fixes.push(Fix {
            id,
            form: f.form.into_inner(),
            title: f.title,
            when: f.when.into_inner(),
            set: set.into_iter().map(|(k, v)| (k, v.into_inner())).collect(),
            also: f.also,
            reason: f.reason,
            location,
        });
    }
    fixes
}

#[cfg(test)]
mod tests {
    use super::Combine;

    const ITEMS: [(f64, f64); 3] = [(3.0, 1.0), (4.0, 2.0), (12.0, 1.0)];

    #[test]
    fn each_combination_by_hand() {
        assert_eq!(Combine::Max.combine(&ITEMS), Some(12.0));
        // (3 + 4 + 12) / 3
        assert_eq!(Combine::Mean.combine(&ITEMS), Some(19.0 / 3.0));
        // (3·1 + 4·2 + 12·1) / (1 + 2 + 1) = 23 / 4
        assert_eq!(Combine::Weighted.combine(&ITEMS), Some(5.75));
        // p = 2: √(9 + 16 + 144) = 13
        assert_eq!(Combine::Minkowski(2.0).combine(&ITEMS), Some(13.0));
        // p = 1 is the sum.
        assert_eq!(Combine::Minkowski(1.0).combine(&ITEMS), Some(19.0));
    }

    #[test]
    fn no_item_scored_is_no_score_never_zero() {
        for c in [
            Combine::Max,
            Combine::Mean,
            Combine::Weighted,
            Combine::Minkowski(3.0),
        ] {
            assert_eq!(c.combine(&[]), None, "{c:?}");
        }
        assert_eq!(Combine::Weighted.combine(&[(5.0, 0.0)]), None);
    }
}
