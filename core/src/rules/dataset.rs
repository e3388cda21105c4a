//! Dataset rules (`scope = "form"` or `scope = "group"` in a `[[rule]]`): one verdict on a form
//! as a whole, or on each group of its records, where a record rule gives one per record.
//!
//! ```toml
//! [[rule]]
//! id = "D01"
//! form = "G101_1"
//! scope = "group"                               # form | group (record, the default, is a record rule)
//! group = "substr(region_code, 1, 4) || '00'"   # with scope = "group": the group of each record
//! severity = "warning"
//! title = { zh = "地市二氧化硫排放总量与上年相比变化不超过三成", en = "A prefecture's SO2 total within 30 % of last year's" }
//! when = "prev_so2_emit_t IS NOT NULL"          # optional: the records that count
//! check = "sum(so2_emit_t) BETWEEN 0.7 * sum(prev_so2_emit_t) AND 1.3 * sum(prev_so2_emit_t)"
//! ```
//!
//! The check is over the records that count, so every field it reads stands inside an
//! aggregate (`sum`, `total`, `avg`, `count`, `min`, `max`, `group_concat`) or a subquery;
//! a field read bare would take the value of one record SQLite happens to pick, and is
//! refused. A group is one value of `group`; records where it is NULL belong to no group.
//! A form rule gives one verdict even over no records (`count(*)` is 0 then, `sum` NULL).

use std::ops::ControlFlow;

use sqlparser::ast::{Expr, Query, Visit, Visitor};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;

use crate::domain::{Localized, Severity, SourceLocation};

/// What one verdict of a rule is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The form as a whole.
    Form,
    /// Each value of this expression over a record.
    Group(String),
}

impl Scope {
    pub fn as_str(&self) -> &'static str {
        match self {
            Scope::Form => "form",
            Scope::Group(_) => "group",
        }
    }
}

/// A rule with one verdict per form or per group of records.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetRule {
    pub id: String,
    pub form: String,
    pub scope: Scope,
    pub severity: Severity,
    pub title: Localized,
    pub hint: Option<Localized>,
    /// An aggregate condition over the records that count.
    pub check: String,
    /// Which records count; all of them when absent.
    pub when: Option<String>,
    pub location: SourceLocation,
}

/// SQLite's aggregate functions (with one argument for `min` and `max`, which with more are
/// plain functions).
const AGGREGATES: &[&str] = &[
    "sum",
    "total",
    "avg",
    "count",
    "min",
    "max",
    "group_concat",
    "string_agg",
];

/// Why `check` cannot be a dataset rule's check: it aggregates nothing, or reads a field
/// outside an aggregate. `None` when it is fit (or does not parse: that is said elsewhere).
pub(super) fn not_aggregate(check: &str) -> Option<String> {
    let dialect = SQLiteDialect {};
    let expr = Parser::new(&dialect)
        .try_with_sql(check)
        .and_then(|mut p| p.parse_expr())
        .ok()?;
    let mut walk = Walk::default();
    let _ = expr.visit(&mut walk);
    if let Some(bare) = walk.bare {
        Some(format!(
            "`check` reads `{bare}` outside an aggregate; a dataset rule's check is over all the \
             records that count, so write sum({bare}), min({bare}), max({bare}), count({bare}) or \
             another aggregate"
        ))
    } else if !walk.aggregates {
        Some(
            "`check` aggregates nothing; a dataset rule's check is over all the records that \
             count: use sum, total, avg, count, min or max (or make it a record rule: drop `scope`)"
                .into(),
        )
    } else {
        None
    }
}

/// The first aggregate `when` calls, if it calls one: `when` chooses the records that count,
/// one at a time.
pub(super) fn aggregate_in_when(when: &str) -> Option<String> {
    let dialect = SQLiteDialect {};
    let expr = Parser::new(&dialect)
        .try_with_sql(when)
        .and_then(|mut p| p.parse_expr())
        .ok()?;
    let mut found = None;
    let _ = sqlparser::ast::visit_expressions(&expr, |e| {
        if shelters(e)
            && let Expr::Function(f) = e
        {
            found = Some(f.name.to_string().to_ascii_lowercase());
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    found.map(|name| {
        format!(
            "`when` calls {name}(), an aggregate; `when` chooses the records that count one \
             at a time, so the aggregate belongs in `check`"
        )
    })
}

/// Finds the first column read outside an aggregate or a subquery.
#[derive(Default)]
struct Walk {
    /// How many aggregates or subqueries the walk is inside.
    depth: usize,
    aggregates: bool,
    bare: Option<String>,
}

/// Whether `e` is a call of an aggregate, inside which columns may be read (as in a
/// subquery).
fn shelters(e: &Expr) -> bool {
    let Expr::Function(f) = e else {
        return false;
    };
    let name = f.name.to_string().to_ascii_lowercase();
    let args = match &f.args {
        sqlparser::ast::FunctionArguments::List(l) => l.args.len(),
        _ => 0,
    };
    AGGREGATES.contains(&name.as_str()) && !(matches!(&*name, "min" | "max") && args > 1)
}

impl Visitor for Walk {
    type Break = ();

    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        if shelters(e) {
            self.aggregates = true;
            self.depth += 1;
        } else if self.depth == 0 && self.bare.is_none() {
            match e {
                Expr::Identifier(i) => self.bare = Some(i.value.clone()),
                Expr::CompoundIdentifier(parts) => {
                    self.bare = parts.last().map(|i| i.value.clone());
                }
                _ => {}
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
        self.depth += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        if shelters(e) {
            self.depth -= 1;
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_and_subqueries_shelter_their_fields() {
        assert_eq!(not_aggregate("sum(a) <= 1.3 * sum(b)"), None);
        assert_eq!(not_aggregate("count(*) >= $least"), None);
        assert_eq!(not_aggregate("avg(a IS NOT NULL) >= 0.95"), None);
        assert_eq!(
            not_aggregate("sum(a) <= (SELECT sum(x) FROM other WHERE y = 1)"),
            None
        );
        assert_eq!(not_aggregate("max(a) - min(a) < 10"), None);
        assert_eq!(
            not_aggregate("count(*) > 0 OR EXISTS (SELECT 1 FROM other WHERE z > 0)"),
            None
        );
    }

    #[test]
    fn a_bare_field_is_named() {
        let why = not_aggregate("sum(a) <= b").unwrap();
        assert!(
            why.starts_with("`check` reads `b` outside an aggregate"),
            "{why}"
        );
        let why = not_aggregate("sum(a) > 0 AND max(a, c) > 1").unwrap();
        assert!(
            why.contains("`a` outside") || why.contains("`c` outside"),
            "{why}"
        );
        let why = not_aggregate("sum(t.a) > 0 OR t.b > 1").unwrap();
        assert!(why.contains("`b` outside"), "{why}");
    }

    #[test]
    fn an_aggregate_in_when_is_named() {
        let why = aggregate_in_when("stock > 0 AND sum(stock) > 10").unwrap();
        assert!(why.starts_with("`when` calls sum(), an aggregate"), "{why}");
        assert_eq!(aggregate_in_when("max(a, b) > 0"), None);
    }

    #[test]
    fn a_check_over_one_record_aggregates_nothing() {
        let why = not_aggregate("1 = 1").unwrap();
        assert!(why.starts_with("`check` aggregates nothing"), "{why}");
    }
}
