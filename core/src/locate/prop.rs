//! Propositions over linear constraints: what a rule says of the free fields of one record,
//! once its NULLs are settled. Two-valued, simplified as they are built.

/// How `a·x + b` compares with zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Rel {
    Eq,
    Le,
    Lt,
}

/// `a·x + b rel 0`; `amag` and `bmag` are the magnitudes of the numbers combined into the
/// coefficients and into the constant.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Lin {
    pub a: Vec<f64>,
    pub b: f64,
    pub rel: Rel,
    pub amag: f64,
    pub bmag: f64,
}

/// A two-valued proposition over linear constraints.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Prop {
    True,
    False,
    Atom(Lin),
    And(Vec<Prop>),
    Or(Vec<Prop>),
}

impl From<bool> for Prop {
    fn from(b: bool) -> Self {
        if b { Prop::True } else { Prop::False }
    }
}

impl Prop {
    /// All of `xs`, simplified.
    pub(super) fn and(xs: Vec<Prop>) -> Prop {
        let mut out = Vec::with_capacity(xs.len());
        for x in xs {
            match x {
                Prop::True => {}
                Prop::False => return Prop::False,
                Prop::And(ys) => out.extend(ys),
                other => out.push(other),
            }
        }
        match <[Prop; 1]>::try_from(out) {
            Ok([x]) => x,
            Err(out) if out.is_empty() => Prop::True,
            Err(out) => Prop::And(out),
        }
    }

    /// Any of `xs`, simplified.
    pub(super) fn or(xs: Vec<Prop>) -> Prop {
        let mut out = Vec::with_capacity(xs.len());
        for x in xs {
            match x {
                Prop::False => {}
                Prop::True => return Prop::True,
                Prop::Or(ys) => out.extend(ys),
                other => out.push(other),
            }
        }
        match <[Prop; 1]>::try_from(out) {
            Ok([x]) => x,
            Err(out) if out.is_empty() => Prop::False,
            Err(out) => Prop::Or(out),
        }
    }

    /// Where this does not hold.
    pub(super) fn negated(&self) -> Prop {
        match self {
            Prop::True => Prop::False,
            Prop::False => Prop::True,
            Prop::And(xs) => Prop::or(xs.iter().map(Prop::negated).collect()),
            Prop::Or(xs) => Prop::and(xs.iter().map(Prop::negated).collect()),
            Prop::Atom(l) => {
                let minus = || Lin {
                    a: l.a.iter().map(|x| -x).collect(),
                    b: -l.b,
                    ..l.clone()
                };
                match l.rel {
                    // Not `d = 0`: `d < 0` or `-d < 0`.
                    Rel::Eq => Prop::Or(vec![
                        Prop::Atom(Lin {
                            rel: Rel::Lt,
                            ..l.clone()
                        }),
                        Prop::Atom(Lin {
                            rel: Rel::Lt,
                            ..minus()
                        }),
                    ]),
                    Rel::Le => Prop::Atom(Lin {
                        rel: Rel::Lt,
                        ..minus()
                    }),
                    Rel::Lt => Prop::Atom(Lin {
                        rel: Rel::Le,
                        ..minus()
                    }),
                }
            }
        }
    }
}
