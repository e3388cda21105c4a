//! A rule as read linearly, independent of any record ([`Formula`] over [`Num`]), and its
//! reading for one record with some fields free: a proposition of linear constraints over
//! the free fields ([`Prop`]).
//!
//! SQLite's three-valued logic settles here. A free field is never NULL and a fixed one is
//! NULL or not as the record says, so whether a number is NULL is known before any value is
//! chosen: a comparison that reads a NULL is NULL, `coalesce` takes its first argument that is
//! not NULL. What is left is two-valued: where a formula is true, where it is false.

use std::collections::BTreeMap;

use super::LinearRule;
use super::prop::{Lin, Prop, Rel};

/// A number a rule computes, linear in the fields it reads.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Num {
    Null,
    Const(f64),
    Field(String),
    Add(Box<Num>, Box<Num>),
    Sub(Box<Num>, Box<Num>),
    Neg(Box<Num>),
    /// Times a constant.
    Mul(Box<Num>, f64),
    /// Divided by a constant other than zero.
    Div(Box<Num>, f64),
    /// The first that is not NULL.
    Coalesce(Vec<Num>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    /// The operator that holds exactly where this one does not (between two numbers).
    fn negated(self) -> Cmp {
        match self {
            Cmp::Eq => Cmp::Ne,
            Cmp::Ne => Cmp::Eq,
            Cmp::Lt => Cmp::Ge,
            Cmp::Le => Cmp::Gt,
            Cmp::Gt => Cmp::Le,
            Cmp::Ge => Cmp::Lt,
        }
    }

    /// The operator with its sides swapped: `a < b` is `b > a`.
    pub(super) fn flipped(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Le => Cmp::Ge,
            Cmp::Gt => Cmp::Lt,
            Cmp::Ge => Cmp::Le,
            same => same,
        }
    }

    fn holds(self, l: f64, r: f64) -> bool {
        match self {
            Cmp::Eq => l == r,
            Cmp::Ne => l != r,
            Cmp::Lt => l < r,
            Cmp::Le => l <= r,
            Cmp::Gt => l > r,
            Cmp::Ge => l >= r,
        }
    }
}

/// A truth value of SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Truth {
    True,
    False,
    Null,
}

/// A truth value a rule computes.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Formula {
    Truth(Truth),
    Cmp(Num, Cmp, Num),
    IsNull(Num),
    Not(Box<Formula>),
    And(Vec<Formula>),
    Or(Vec<Formula>),
    /// `CASE WHEN c THEN r ... ELSE e END`; no `ELSE` is NULL.
    Case {
        arms: Vec<(Formula, Formula)>,
        otherwise: Option<Box<Formula>>,
    },
}

/// One record with some fields free: the value of each fixed field, the variable of each
/// free one.
pub(super) struct Env<'a> {
    values: &'a BTreeMap<String, Option<f64>>,
    free: BTreeMap<&'a str, usize>,
}

impl<'a> Env<'a> {
    /// `free` become variables 0, 1, …; a field missing from `values` is NULL.
    pub(super) fn new(values: &'a BTreeMap<String, Option<f64>>, free: &[&'a str]) -> Self {
        let free = free.iter().enumerate().map(|(i, f)| (*f, i)).collect();
        Env { values, free }
    }

    /// The number of free fields.
    pub(super) fn vars(&self) -> usize {
        self.free.len()
    }
}

/// `a·x + b`, with the magnitudes of the numbers that went into its coefficients and its
/// constant, which scale the tolerance.
#[derive(Debug, Clone)]
struct Affine {
    a: Vec<f64>,
    b: f64,
    amag: f64,
    bmag: f64,
}

impl Affine {
    fn constant(b: f64, vars: usize) -> Self {
        Affine {
            a: vec![0.0; vars],
            b,
            amag: 0.0,
            bmag: b.abs(),
        }
    }

    fn map(mut self, f: impl Fn(f64) -> f64, scale: f64) -> Self {
        self.a.iter_mut().for_each(|x| *x = f(*x));
        self.b = f(self.b);
        self.amag *= scale;
        self.bmag *= scale;
        self
    }

    fn zip(mut self, other: Affine, f: impl Fn(f64, f64) -> f64) -> Self {
        self.a
            .iter_mut()
            .zip(&other.a)
            .for_each(|(x, y)| *x = f(*x, *y));
        self.b = f(self.b, other.b);
        self.amag += other.amag;
        self.bmag += other.bmag;
        self
    }

    fn is_constant(&self) -> bool {
        self.a.iter().all(|x| *x == 0.0)
    }
}

impl Num {
    /// Its value for `env`: None where it is NULL. Fixed values are combined in the order
    /// SQLite combines them, so that a comparison of fixed values is SQLite's.
    fn eval(&self, env: &Env) -> Option<Affine> {
        let n = env.vars();
        Some(match self {
            Num::Null => return None,
            Num::Const(v) => Affine::constant(*v, n),
            Num::Field(f) => match env.free.get(f.as_str()) {
                Some(&i) => {
                    let mut x = Affine::constant(0.0, n);
                    x.a[i] = 1.0;
                    x.amag = 1.0;
                    x
                }
                None => Affine::constant((*env.values.get(f)?)?, n),
            },
            Num::Add(l, r) => l.eval(env)?.zip(r.eval(env)?, |x, y| x + y),
            Num::Sub(l, r) => l.eval(env)?.zip(r.eval(env)?, |x, y| x - y),
            Num::Neg(x) => x.eval(env)?.map(|v| -v, 1.0),
            Num::Mul(x, c) => x.eval(env)?.map(|v| v * c, c.abs()),
            Num::Div(x, c) => x.eval(env)?.map(|v| v / c, 1.0 / c.abs()),
            Num::Coalesce(xs) => return xs.iter().find_map(|x| x.eval(env)),
        })
    }
}

/// `l op r` between two numbers that are not NULL.
fn compare(l: Affine, op: Cmp, r: Affine) -> Prop {
    if l.is_constant() && r.is_constant() {
        return Prop::from(op.holds(l.b, r.b));
    }
    let d = |l: Affine, r: Affine| l.zip(r, |x, y| x - y);
    let lin = |x: Affine, rel| {
        Prop::Atom(Lin {
            a: x.a,
            b: x.b,
            rel,
            amag: x.amag,
            bmag: x.bmag,
        })
    };
    match op {
        Cmp::Eq => lin(d(l, r), Rel::Eq),
        Cmp::Ne => Prop::or(vec![
            lin(d(l.clone(), r.clone()), Rel::Lt),
            lin(d(r, l), Rel::Lt),
        ]),
        Cmp::Lt => lin(d(l, r), Rel::Lt),
        Cmp::Le => lin(d(l, r), Rel::Le),
        Cmp::Gt => lin(d(r, l), Rel::Lt),
        Cmp::Ge => lin(d(r, l), Rel::Le),
    }
}

impl Formula {
    /// Where this formula is true (`want`) or false (`!want`) for `env`; where it is NULL,
    /// it is neither.
    pub(super) fn is(&self, want: bool, env: &Env) -> Prop {
        match self {
            Formula::Truth(t) => Prop::from(match t {
                Truth::True => want,
                Truth::False => !want,
                Truth::Null => false,
            }),
            Formula::Cmp(l, op, r) => match (l.eval(env), r.eval(env)) {
                (Some(l), Some(r)) => compare(l, if want { *op } else { op.negated() }, r),
                _ => Prop::False,
            },
            Formula::IsNull(x) => Prop::from(x.eval(env).is_none() == want),
            Formula::Not(x) => x.is(!want, env),
            Formula::And(xs) if want => Prop::and(xs.iter().map(|x| x.is(true, env)).collect()),
            Formula::And(xs) => Prop::or(xs.iter().map(|x| x.is(false, env)).collect()),
            Formula::Or(xs) if want => Prop::or(xs.iter().map(|x| x.is(true, env)).collect()),
            Formula::Or(xs) => Prop::and(xs.iter().map(|x| x.is(false, env)).collect()),
            Formula::Case { arms, otherwise } => {
                // An arm is taken where its condition is true and no earlier one's is.
                let mut earlier_not_true = Vec::new();
                let mut ways = Vec::new();
                for (condition, result) in arms {
                    let taken = condition.is(true, env);
                    let mut way = earlier_not_true.clone();
                    way.push(taken.clone());
                    way.push(result.is(want, env));
                    ways.push(Prop::and(way));
                    earlier_not_true.push(taken.negated());
                }
                if let Some(otherwise) = otherwise {
                    earlier_not_true.push(otherwise.is(want, env));
                    ways.push(Prop::and(earlier_not_true));
                }
                Prop::or(ways)
            }
        }
    }
}

impl LinearRule {
    /// Where the rule holds for `env`: its `when` is not true, or its `check` is true.
    pub(super) fn holds(&self, env: &Env) -> Prop {
        let check = self.check.is(true, env);
        match &self.when {
            Some(when) => Prop::or(vec![when.is(true, env).negated(), check]),
            None => check,
        }
    }
}
