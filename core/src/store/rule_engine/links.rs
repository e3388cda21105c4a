//! Rules that read across a census object: a parent's rule that sums its children
//! (`fuel_coal_t >= (SELECT coalesce(sum(b.coal_t), 0) FROM G103_1 b WHERE b.record_id =
//! G101_1.record_id)`) and a child's rule that reads its parent (`coal_t <= (SELECT
//! p.fuel_coal_t FROM G101_1 p WHERE p.record_id = G103_1.record_id)`). Read with the SQL
//! parser: when every row the rule reads of the other form is tied to the record at hand by
//! the parent link (a conjunct of the subquery's WHERE equating the link's two fields), an
//! edit of a child re-checks the rule on its parent only, and an edit of a parent on its
//! children only. Any other reading of the other form, or a reading the parser cannot tie,
//! leaves the rule re-checked over its whole form, as before: wider, never wrong.

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, Expr, Ident, ObjectName, ObjectNamePart, Query, SetExpr, TableFactor, Visit,
    Visitor,
};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;

use super::vocabulary::Link;
use crate::domain::{Form, Schema};
use crate::store::forms::quote;

/// The links of a rule of `form` with expressions `exprs` (its check and when): one per other
/// form it reads only through the parent link.
pub(super) fn links(schema: &Schema, form: &str, exprs: &[&str]) -> Vec<Link> {
    let Some(own) = schema.form(form) else {
        return Vec::new();
    };
    let mut reading = Reading {
        own,
        schema,
        seen: Vec::new(),
        gave_up: false,
    };
    for e in exprs {
        let dialect = SQLiteDialect {};
        let parsed = Parser::new(&dialect)
            .try_with_sql(e)
            .and_then(|mut p| p.parse_expr());
        match parsed {
            Ok(expr) => {
                let _ = expr.visit(&mut reading);
            }
            Err(_) => return Vec::new(),
        }
    }
    if reading.gave_up {
        return Vec::new();
    }
    let mut out: Vec<Link> = Vec::new();
    for (other, tied) in &reading.seen {
        let Some(link) = link_between(own, other) else {
            continue;
        };
        let all_tied = reading
            .seen
            .iter()
            .filter(|(f, _)| f.name == other.name)
            .all(|(_, t)| *t);
        if *tied && all_tied && !out.iter().any(|l| l.form == link.form) {
            out.push(link);
        }
    }
    out
}

/// The link between a rule's form and another form, when one is the other's parent.
fn link_between(own: &Form, other: &Form) -> Option<Link> {
    if let Some(p) = &other.parent
        && p.form.eq_ignore_ascii_case(&own.name)
    {
        // The rule's form is the parent: children tie by their parent key.
        return Some(Link {
            form: other.name.clone(),
            own: column(own, &own.key),
            theirs: column(other, &p.key),
        });
    }
    if let Some(p) = &own.parent
        && p.form.eq_ignore_ascii_case(&other.name)
    {
        return Some(Link {
            form: other.name.clone(),
            own: column(own, &p.key),
            theirs: column(other, &other.key),
        });
    }
    None
}

/// `"form"."field"`: a column qualified, as statements that join other tables need it.
fn column(form: &Form, field: &str) -> String {
    format!("{}.{}", quote(&form.name), quote(field))
}

/// What a walk over a rule's expressions found: each row source of another form of the
/// schema, and whether it was tied to the record at hand.
struct Reading<'s> {
    own: &'s Form,
    schema: &'s Schema,
    seen: Vec<(&'s Form, bool)>,
    /// A row source named like the rule's own form hides the record at hand: no link holds.
    gave_up: bool,
}

fn last(name: &ObjectName) -> Option<&Ident> {
    match name.0.last() {
        Some(ObjectNamePart::Identifier(i)) => Some(i),
        _ => None,
    }
}

impl Visitor for Reading<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        let SetExpr::Select(select) = query.body.as_ref() else {
            return ControlFlow::Continue(());
        };
        let factors = select
            .from
            .iter()
            .flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)));
        for factor in factors {
            let TableFactor::Table { name, alias, .. } = factor else {
                continue;
            };
            let Some(table) = last(name) else { continue };
            let shown = alias.as_ref().map_or(table, |a| &a.name);
            if shown.value.eq_ignore_ascii_case(&self.own.name) {
                self.gave_up = true;
            }
            let Some(other) = self.schema.form(&table.value) else {
                continue;
            };
            if other.name == self.own.name {
                continue;
            }
            let tied = link_between(self.own, other).is_some_and(|link| {
                select
                    .selection
                    .as_ref()
                    .is_some_and(|w| ties(w, &shown.value, &link, &self.own.name))
            });
            // The relation visit that follows counts it once more; `seen` keeps the verdict.
            self.seen.push((other, tied));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
        // A row source outside a plain SELECT's FROM (a CTE, a derived table's inside is
        // visited as a query of its own): counted untied unless a query tied it.
        if let Some(t) = last(relation)
            && let Some(other) = self.schema.form(&t.value)
            && other.name != self.own.name
            && !self.seen.iter().any(|(f, _)| f.name == other.name)
        {
            self.seen.push((other, false));
        }
        ControlFlow::Continue(())
    }
}

/// Whether `selection` has, among its top-level AND conjuncts, `inner.theirs = Own.own` (either
/// way round), with `inner` the row source's name or alias (or the column unqualified).
fn ties(selection: &Expr, inner: &str, link: &Link, own_form: &str) -> bool {
    // The field of a `"form"."field"` expression.
    let unquote = |q: &str| {
        let field = q.rsplit('.').next().unwrap_or(q);
        field.trim_matches('"').to_string()
    };
    let (theirs, own) = (unquote(&link.theirs), unquote(&link.own));
    let column = |e: &Expr, table: Option<&str>, field: &str| match e {
        Expr::Identifier(i) => table.is_none() && i.value.eq_ignore_ascii_case(field),
        Expr::CompoundIdentifier(parts) if parts.len() == 2 => {
            table.is_some_and(|t| parts[0].value.eq_ignore_ascii_case(t))
                && parts[1].value.eq_ignore_ascii_case(field)
        }
        _ => false,
    };
    let inner_side = |e: &Expr| column(e, Some(inner), &theirs) || column(e, None, &theirs);
    let outer_side = |e: &Expr| column(e, Some(own_form), &own);
    let mut stack = vec![selection];
    while let Some(e) = stack.pop() {
        match e {
            Expr::Nested(x) => stack.push(x),
            Expr::BinaryOp {
                left,
                op: BinaryOperator::And,
                right,
            } => {
                stack.push(left);
                stack.push(right);
            }
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Eq,
                right,
            } if (inner_side(left) && outer_side(right))
                || (inner_side(right) && outer_side(left)) =>
            {
                return true;
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"
[[form]]
name = "E"
label = { zh = "企业", en = "Enterprise" }
key = "id"
[[form.field]]
name = "id"
label = { zh = "编号", en = "ID" }
type = "text"
[[form.field]]
name = "coal"
label = { zh = "燃料煤", en = "Coal" }
type = "real"

[[form]]
name = "B"
label = { zh = "锅炉", en = "Boiler" }
key = "bid"
parent = "E"
parent_key = "eid"
[[form.field]]
name = "bid"
label = { zh = "锅炉编号", en = "Boiler ID" }
type = "text"
[[form.field]]
name = "eid"
label = { zh = "企业编号", en = "Enterprise ID" }
type = "text"
required = true
[[form.field]]
name = "coal"
label = { zh = "耗煤量", en = "Coal burnt" }
type = "real"
"#;

    fn schema() -> Schema {
        Schema::parse("s.toml", SCHEMA).unwrap()
    }

    #[test]
    fn a_parent_summing_its_children_is_tied_by_the_parent_key() {
        let s = schema();
        let got = links(
            &s,
            "E",
            &["coal >= (SELECT coalesce(sum(b.coal), 0) FROM B b WHERE b.eid = E.id)"],
        );
        assert_eq!(
            got,
            [Link {
                form: "B".into(),
                own: "\"E\".\"id\"".into(),
                theirs: "\"B\".\"eid\"".into()
            }]
        );
        // Unqualified inside, the other way round, among other conjuncts.
        let got = links(
            &s,
            "E",
            &["coal >= (SELECT sum(coal) FROM B WHERE coal > 0 AND (E.id = eid))"],
        );
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn a_child_reading_its_parent_is_tied_by_the_parent_key() {
        let s = schema();
        let got = links(
            &s,
            "B",
            &["coal <= (SELECT p.coal FROM E p WHERE p.id = B.eid)"],
        );
        assert_eq!(
            got,
            [Link {
                form: "E".into(),
                own: "\"B\".\"eid\"".into(),
                theirs: "\"E\".\"id\"".into()
            }]
        );
    }

    #[test]
    fn any_untied_reading_leaves_the_rule_to_its_whole_form() {
        let s = schema();
        for untied in [
            // Every boiler, not the record's.
            "coal >= (SELECT sum(b.coal) FROM B b)",
            // Another enterprise's boilers.
            "coal >= (SELECT sum(b.coal) FROM B b WHERE b.eid <> E.id)",
            // Tied in one place, untied in another.
            "coal >= (SELECT sum(b.coal) FROM B b WHERE b.eid = E.id) \
             AND EXISTS (SELECT 1 FROM B)",
            // An OR is no tie.
            "coal >= (SELECT sum(b.coal) FROM B b WHERE b.eid = E.id OR 1)",
            // An alias that hides the record at hand.
            "coal >= (SELECT sum(E.coal) FROM B E WHERE E.eid = E.id)",
        ] {
            assert_eq!(links(&s, "E", &[untied]), [], "{untied}");
        }
    }
}
