//! Reading the numbers of a rule: fields, constants, parameters and their linear
//! combinations, with SQLite's NULLs and its division of whole numbers.

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, UnaryOperator, Value,
};

use super::{Read, Reader, comparison, shown, unread};
use crate::locate::formula::Num;

/// A number read, and whether SQLite certainly holds it as a real (not a whole number).
pub(super) struct Typed {
    pub(super) num: Num,
    pub(super) real: bool,
}

impl Typed {
    /// Its value if it reads no field: `Some(None)` for NULL.
    pub(super) fn constant(&self) -> Option<Option<f64>> {
        match self.num {
            Num::Null => Some(None),
            Num::Const(v) => Some(Some(v)),
            _ => None,
        }
    }

    fn of(v: Option<f64>, real: bool) -> Typed {
        Typed {
            num: v.map_or(Num::Null, Num::Const),
            real,
        }
    }
}

/// A function's arguments, when it has a plain list of them.
pub(super) fn plain_args(f: &sqlparser::ast::Function) -> Option<Vec<&Expr>> {
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    if list.duplicate_treatment.is_some()
        || !list.clauses.is_empty()
        || !matches!(f.parameters, FunctionArguments::None)
        || f.null_treatment.is_some()
        || f.filter.is_some()
        || f.over.is_some()
        || !f.within_group.is_empty()
    {
        return None;
    }
    list.args
        .iter()
        .map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
            _ => None,
        })
        .collect()
}

impl Reader<'_> {
    /// A numeric field.
    pub(super) fn field(&mut self, name: &str, e: &Expr) -> Read<Typed> {
        let name = (self.numeric)(name).ok_or_else(|| shown(e, "not a numeric field"))?;
        if !self.fields.contains(&name) {
            self.fields.push(name.clone());
        }
        Ok(Typed {
            num: Num::Field(name),
            real: false,
        })
    }

    /// `e` as a number.
    pub(super) fn number(&mut self, e: &Expr) -> Read<Typed> {
        match e {
            Expr::Nested(x) => self.number(x),
            Expr::Identifier(id) => self.field(&id.value, e),
            Expr::CompoundIdentifier(parts) => match parts.as_slice() {
                [table, column] if table.value.eq_ignore_ascii_case(self.form) => {
                    self.field(&column.value, e)
                }
                _ => Err(shown(e, "a column of another table")),
            },
            Expr::Value(v) => self.value(&v.value, e),
            Expr::UnaryOp { op, expr } => {
                let x = self.number(expr)?;
                match op {
                    UnaryOperator::Plus => Ok(x),
                    UnaryOperator::Minus => Ok(match x.constant() {
                        Some(v) => Typed::of(v.map(|v| -v), x.real),
                        None => Typed {
                            num: Num::Neg(Box::new(x.num)),
                            real: x.real,
                        },
                    }),
                    _ => Err(shown(e, "not a linear operator")),
                }
            }
            Expr::BinaryOp { left, op, right } => self.arithmetic(e, left, op, right),
            Expr::Function(f) => {
                let name = f.name.to_string().to_ascii_lowercase();
                match (name.as_str(), plain_args(f)) {
                    ("coalesce", Some(args)) if args.len() >= 2 => self.coalesce(&args),
                    ("ifnull", Some(args)) if args.len() == 2 => self.coalesce(&args),
                    ("abs", _) => Err(shown(e, "abs other than as a side of a comparison")),
                    _ => Err(shown(e, &format!("the function {name}"))),
                }
            }
            Expr::Case { .. } => Err(shown(e, "a CASE read as a number")),
            Expr::Cast { .. } => Err(shown(e, "a CAST")),
            Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::Between { .. }
            | Expr::In { .. }
            | Expr::Exists { .. } => Err(shown(e, "a truth value read as a number")),
            other => Err(unread(other)),
        }
    }

    fn value(&mut self, v: &Value, e: &Expr) -> Read<Typed> {
        match v {
            Value::Null => Ok(Typed::of(None, true)),
            Value::Boolean(b) => Ok(Typed::of(Some(f64::from(u8::from(*b))), false)),
            Value::Number(text, _) => {
                let x: f64 = text.parse().map_err(|_| shown(e, "a number not read"))?;
                Ok(Typed::of(Some(x), text.parse::<i64>().is_err()))
            }
            Value::Placeholder(p) if !p.starts_with('?') => {
                let name = p.trim_start_matches(['$', ':', '@']);
                let x = *self
                    .params
                    .get(name)
                    .ok_or_else(|| shown(e, "a parameter that is not a number"))?;
                Ok(Typed::of(Some(x), x.fract() != 0.0))
            }
            _ => Err(shown(e, "not a number")),
        }
    }

    fn coalesce(&mut self, args: &[&Expr]) -> Read<Typed> {
        let args = args
            .iter()
            .map(|a| self.number(a))
            .collect::<Read<Vec<_>>>()?;
        let real = args.iter().all(|a| a.real);
        // NULLs can be passed over; a constant ends the list.
        let mut kept = Vec::new();
        for a in args {
            match a.constant() {
                Some(None) => {}
                Some(Some(_)) => {
                    kept.push(a.num);
                    break;
                }
                None => kept.push(a.num),
            }
        }
        let num = match <[Num; 1]>::try_from(kept) {
            Ok([x]) => x,
            Err(kept) if kept.is_empty() => Num::Null,
            Err(kept) => Num::Coalesce(kept),
        };
        Ok(Typed { num, real })
    }

    fn arithmetic(&mut self, e: &Expr, l: &Expr, op: &BinaryOperator, r: &Expr) -> Read<Typed> {
        if !matches!(
            op,
            BinaryOperator::Plus
                | BinaryOperator::Minus
                | BinaryOperator::Multiply
                | BinaryOperator::Divide
        ) {
            let truth = matches!(op, BinaryOperator::And | BinaryOperator::Or);
            let why = match comparison(op) {
                Some(_) => "a truth value read as a number".into(),
                None if truth => "a truth value read as a number".into(),
                None => format!("the operator {op}"),
            };
            return Err(shown(e, &why));
        }
        let (l, r) = (self.number(l)?, self.number(r)?);
        let real = l.real || r.real;
        let (lc, rc) = (l.constant(), r.constant());
        let num = match (op, lc, rc) {
            // SQLite: NULL in, NULL out; a division by zero is NULL.
            (_, Some(None), _) | (_, _, Some(None)) => return Ok(Typed::of(None, real)),
            (BinaryOperator::Divide, _, Some(Some(0.0))) => {
                return Ok(Typed::of(None, real));
            }
            (_, Some(Some(a)), Some(Some(b))) => {
                let v = match op {
                    BinaryOperator::Plus => a + b,
                    BinaryOperator::Minus => a - b,
                    BinaryOperator::Multiply => a * b,
                    _ if real => a / b,
                    _ => (a / b).trunc(),
                };
                return Ok(Typed::of(Some(v), real));
            }
            (BinaryOperator::Plus, ..) => Num::Add(Box::new(l.num), Box::new(r.num)),
            (BinaryOperator::Minus, ..) => Num::Sub(Box::new(l.num), Box::new(r.num)),
            (BinaryOperator::Multiply, Some(Some(c)), None) => Num::Mul(Box::new(r.num), c),
            (BinaryOperator::Multiply, None, Some(Some(c))) => Num::Mul(Box::new(l.num), c),
            (BinaryOperator::Multiply, ..) => return Err(shown(e, "a product of fields")),
            (_, _, Some(Some(c))) if real => Num::Div(Box::new(l.num), c),
            (_, _, Some(Some(_))) => {
                return Err(shown(
                    e,
                    "a division of whole numbers, which SQLite rounds towards zero; \
                     write the divisor with a point, as 3.0",
                ));
            }
            _ => return Err(shown(e, "a division by a field")),
        };
        Ok(Typed { num, real })
    }
}
