//! Reading a rule linearly from the SQL parser's syntax tree, never from its text.
//!
//! Linear: numbers, numeric `$params`, numeric fields (bare or qualified with the form's
//! name), `+`, `-`, `*` where one side is constant, `/` by a constant, unary minus,
//! `coalesce`/`ifnull`, `abs(L)` as one side of a comparison, the comparisons `= == <> != <
//! <= > >=`, `BETWEEN`, `IN (…)` of numbers, `IS [NOT] NULL`, `AND`, `OR`, `NOT`, a truth-valued
//! `CASE`, `TRUE`, `FALSE`, `NULL`, and a number read as a truth value (true where it is not
//! zero). Anything else stops the rule, and is named: a product of fields, a division by a
//! field, functions of text, subqueries, `GLOB`, `LIKE`, text fields and literals.
//!
//! SQLite divides two whole numbers to a whole number, so `x / 3` is not `x` times a third
//! when `x` holds a whole number; a division is linear only when the divisor or the dividend
//! is certainly real (written with a point or an exponent, as `3.0`, or a parameter that is
//! not a whole number).

use std::collections::BTreeMap;

use sqlparser::ast::{BinaryOperator, Expr, InTarget, UnaryOperator, Value};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use super::formula::{Cmp, Formula, Num, Truth};
use super::{LinearRule, NotLinear};

mod number;

use number::plain_args;

/// Reads rule `id` of form `form`. `numeric` gives the name of a numeric field as the
/// record spells it (None for a field that is not numeric, or not one of the form's);
/// `params` are the rule set's numeric parameters.
pub(crate) fn read_rule(
    id: &str,
    check: &str,
    when: Option<&str>,
    form: &str,
    numeric: &dyn Fn(&str) -> Option<String>,
    params: &BTreeMap<String, f64>,
) -> Result<LinearRule, NotLinear> {
    let mut reader = Reader {
        form,
        numeric,
        params,
        fields: Vec::new(),
    };
    let stopped = |construct| NotLinear {
        rule: id.to_string(),
        construct,
    };
    let check = reader.text(check).map_err(stopped)?;
    let when = when.map(|w| reader.text(w)).transpose().map_err(stopped)?;
    Ok(LinearRule {
        id: id.to_string(),
        check,
        when,
        fields: reader.fields,
    })
}

/// A reading, or the construct that stopped it.
type Read<T> = Result<T, String>;

struct Reader<'a> {
    form: &'a str,
    numeric: &'a dyn Fn(&str) -> Option<String>,
    params: &'a BTreeMap<String, f64>,
    fields: Vec<String>,
}

/// An expression as the construct that stopped a rule, shortened to a readable length.
fn shown(e: &Expr, why: &str) -> String {
    let text = e.to_string();
    let text = match text.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    };
    format!("{text} ({why})")
}

/// `abs(x)`, its argument.
fn abs_of(e: &Expr) -> Option<&Expr> {
    match e {
        Expr::Nested(x) => abs_of(x),
        Expr::Function(f) if f.name.to_string().eq_ignore_ascii_case("abs") => {
            match plain_args(f)?.as_slice() {
                [x] => Some(*x),
                _ => None,
            }
        }
        _ => None,
    }
}

fn comparison(op: &BinaryOperator) -> Option<Cmp> {
    Some(match op {
        BinaryOperator::Eq => Cmp::Eq,
        BinaryOperator::NotEq => Cmp::Ne,
        BinaryOperator::Lt => Cmp::Lt,
        BinaryOperator::LtEq => Cmp::Le,
        BinaryOperator::Gt => Cmp::Gt,
        BinaryOperator::GtEq => Cmp::Ge,
        _ => return None,
    })
}

impl Reader<'_> {
    fn text(&mut self, sql: &str) -> Read<Formula> {
        let dialect = SQLiteDialect {};
        let mut parser = Parser::new(&dialect)
            .try_with_sql(sql)
            .map_err(|e| format!("not read by the SQL parser: {e}"))?;
        let e = parser
            .parse_expr()
            .map_err(|e| format!("not read by the SQL parser: {e}"))?;
        if parser.peek_token().token != Token::EOF {
            return Err("not one SQL expression".into());
        }
        self.truth(&e)
    }

    /// `e` as a truth value.
    fn truth(&mut self, e: &Expr) -> Read<Formula> {
        Ok(match e {
            Expr::Nested(x) => self.truth(x)?,
            Expr::BinaryOp { left, op, right } => match op {
                BinaryOperator::And => Formula::And(vec![self.truth(left)?, self.truth(right)?]),
                BinaryOperator::Or => Formula::Or(vec![self.truth(left)?, self.truth(right)?]),
                op => match comparison(op) {
                    Some(op) => self.compare(left, op, right)?,
                    None => self.truthy(e)?,
                },
            },
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                expr,
            } => Formula::Not(Box::new(self.truth(expr)?)),
            Expr::IsNull(x) => Formula::IsNull(self.number(x)?.num),
            Expr::IsNotNull(x) => Formula::Not(Box::new(Formula::IsNull(self.number(x)?.num))),
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => negate_if(
                *negated,
                Formula::And(vec![
                    self.compare(expr, Cmp::Ge, low)?,
                    self.compare(expr, Cmp::Le, high)?,
                ]),
            ),
            Expr::In {
                expr,
                target: InTarget::List(items),
                negated,
                global: false,
            } => {
                let any = items
                    .iter()
                    .map(|item| self.compare(expr, Cmp::Eq, item))
                    .collect::<Read<_>>()?;
                negate_if(*negated, Formula::Or(any))
            }
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                let mut arms = Vec::with_capacity(conditions.len());
                for arm in conditions {
                    let condition = match operand {
                        Some(operand) => self.compare(operand, Cmp::Eq, &arm.condition)?,
                        None => self.truth(&arm.condition)?,
                    };
                    arms.push((condition, self.truth(&arm.result)?));
                }
                let otherwise = match else_result {
                    Some(e) => Some(Box::new(self.truth(e)?)),
                    None => None,
                };
                Formula::Case { arms, otherwise }
            }
            Expr::Value(v) if v.value == Value::Null => Formula::Truth(Truth::Null),
            Expr::Value(_)
            | Expr::Identifier(_)
            | Expr::CompoundIdentifier(_)
            | Expr::Function(_)
            | Expr::UnaryOp { .. } => self.truthy(e)?,
            other => return Err(unread(other)),
        })
    }

    /// A number read as a truth value: true where it is not zero.
    fn truthy(&mut self, e: &Expr) -> Read<Formula> {
        let x = self.number(e)?;
        Ok(match x.constant() {
            Some(Some(v)) => Formula::Truth(if v != 0.0 { Truth::True } else { Truth::False }),
            Some(None) => Formula::Truth(Truth::Null),
            None => Formula::Cmp(x.num, Cmp::Ne, Num::Const(0.0)),
        })
    }

    /// `l op r`, either side possibly `abs(…)`.
    fn compare(&mut self, l: &Expr, op: Cmp, r: &Expr) -> Read<Formula> {
        match (abs_of(l), abs_of(r)) {
            (Some(_), Some(_)) => Err(shown(l, "abs on both sides of a comparison")),
            (None, Some(_)) => self.compare(r, op.flipped(), l),
            (Some(x), None) => {
                let x = self.number(x)?.num;
                let bound = self.number(r)?.num;
                let minus = Num::Neg(Box::new(x.clone()));
                let cmp = |l: &Num, op, r: &Num| Formula::Cmp(l.clone(), op, r.clone());
                let zero = Num::Const(0.0);
                // |x| op m, read as x and -x against m.
                Ok(match op {
                    Cmp::Le | Cmp::Lt => {
                        Formula::And(vec![cmp(&x, op, &bound), cmp(&minus, op, &bound)])
                    }
                    Cmp::Ge | Cmp::Gt => {
                        Formula::Or(vec![cmp(&x, op, &bound), cmp(&minus, op, &bound)])
                    }
                    Cmp::Eq | Cmp::Ne => negate_if(
                        op == Cmp::Ne,
                        Formula::Or(vec![
                            Formula::And(vec![cmp(&x, Cmp::Eq, &bound), cmp(&x, Cmp::Ge, &zero)]),
                            Formula::And(vec![
                                cmp(&minus, Cmp::Eq, &bound),
                                cmp(&x, Cmp::Le, &zero),
                            ]),
                        ]),
                    ),
                })
            }
            (None, None) => Ok(Formula::Cmp(self.number(l)?.num, op, self.number(r)?.num)),
        }
    }
}

/// Why `e` is not read, in a few words.
fn unread(e: &Expr) -> String {
    let why = match e {
        Expr::Exists { .. }
        | Expr::Subquery(_)
        | Expr::In {
            target: InTarget::Subquery(_),
            ..
        } => "a subquery",
        Expr::Like { .. } | Expr::ILike { .. } => "LIKE",
        Expr::Trim { .. } | Expr::Substring { .. } => "a function of text",
        _ => "not a linear construct",
    };
    shown(e, why)
}

fn negate_if(negated: bool, f: Formula) -> Formula {
    if negated {
        Formula::Not(Box::new(f))
    } else {
        f
    }
}
