//! The templates the property draws its rules from: each renders as SQL for the reader, and
//! evaluates itself, with SQLite's NULLs, for the grid.

use proptest::prelude::*;

pub(super) const NAMES: [&str; 4] = ["a", "b", "c", "d"];

/// A rule's `check` or `when`, over fields by number.
#[derive(Debug, Clone)]
pub(super) enum T {
    Le(usize, usize, i32),
    Lt(usize, usize),
    Sum(usize, usize, usize),
    Twice(usize, usize, i32),
    Between(usize, i32, i32),
    Ne(usize, i32),
    Case(usize, usize),
    CoalesceLe(usize, i32),
    NotNull(usize),
    AbsDiff(usize, usize, i32),
    Imply(usize, i32, usize, i32),
    Gt(usize, i32),
}

impl T {
    pub(super) fn fields(&self) -> Vec<usize> {
        match *self {
            T::Sum(x, y, z) => vec![x, y, z],
            T::Le(x, y, _)
            | T::Lt(x, y)
            | T::Twice(x, y, _)
            | T::Case(x, y)
            | T::AbsDiff(x, y, _)
            | T::Imply(x, _, y, _) => vec![x, y],
            T::Between(x, ..) | T::Ne(x, _) | T::CoalesceLe(x, _) | T::NotNull(x) | T::Gt(x, _) => {
                vec![x]
            }
        }
    }

    pub(super) fn sql(&self) -> String {
        let n = |i: &usize| NAMES[*i];
        match self {
            T::Le(x, y, k) => format!("{} <= {} + {k}", n(x), n(y)),
            T::Lt(x, y) => format!("{} < {}", n(x), n(y)),
            T::Sum(x, y, z) => format!("{} + {} = {}", n(x), n(y), n(z)),
            T::Twice(x, y, c) => format!("2 * {} = {} + {c}", n(x), n(y)),
            T::Between(x, lo, hi) => format!("{} BETWEEN {lo} AND {hi}", n(x)),
            T::Ne(x, c) => format!("{} <> {c}", n(x)),
            T::Case(x, y) => format!(
                "CASE WHEN {} = 1 THEN {} >= 1 ELSE {} = 0 END",
                n(x),
                n(y),
                n(y)
            ),
            T::CoalesceLe(x, c) => format!("coalesce({}, 0) <= {c}", n(x)),
            T::NotNull(x) => format!("{} IS NOT NULL", n(x)),
            T::AbsDiff(x, y, c) => format!("abs({} - {}) <= {c}", n(x), n(y)),
            T::Imply(x, c, y, d) => format!("NOT ({} > {c}) OR {} >= {d}", n(x), n(y)),
            T::Gt(x, c) => format!("{} > {c}", n(x)),
        }
    }

    /// Its truth value in SQLite: None is NULL.
    pub(super) fn eval(&self, v: &[Option<f64>]) -> Option<bool> {
        let two = |x: &usize, y: &usize| Some((v[*x]?, v[*y]?));
        match self {
            T::Le(x, y, k) => two(x, y).map(|(x, y)| x <= y + f64::from(*k)),
            T::Lt(x, y) => two(x, y).map(|(x, y)| x < y),
            T::Sum(x, y, z) => two(x, y).and_then(|(x, y)| Some(x + y == v[*z]?)),
            T::Twice(x, y, c) => two(x, y).map(|(x, y)| 2.0 * x == y + f64::from(*c)),
            T::Between(x, lo, hi) => v[*x].map(|x| f64::from(*lo) <= x && x <= f64::from(*hi)),
            T::Ne(x, c) => v[*x].map(|x| x != f64::from(*c)),
            T::Case(x, y) if v[*x] == Some(1.0) => v[*y].map(|y| y >= 1.0),
            T::Case(_, y) => v[*y].map(|y| y == 0.0),
            T::CoalesceLe(x, c) => Some(v[*x].unwrap_or(0.0) <= f64::from(*c)),
            T::NotNull(x) => Some(v[*x].is_some()),
            T::AbsDiff(x, y, c) => two(x, y).map(|(x, y)| (x - y).abs() <= f64::from(*c)),
            T::Imply(x, c, y, d) => {
                let not_above = v[*x].map(|x| x <= f64::from(*c));
                let reached = v[*y].map(|y| y >= f64::from(*d));
                match (not_above, reached) {
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                }
            }
            T::Gt(x, c) => v[*x].map(|x| x > f64::from(*c)),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct R {
    pub(super) when: Option<T>,
    pub(super) check: T,
}

impl R {
    pub(super) fn fields(&self) -> Vec<usize> {
        let mut fields = self.check.fields();
        fields.extend(self.when.iter().flat_map(T::fields));
        fields
    }

    pub(super) fn holds(&self, v: &[Option<f64>]) -> bool {
        let applies = self.when.as_ref().is_none_or(|w| w.eval(v) == Some(true));
        !applies || self.check.eval(v) == Some(true)
    }
}

/// A template over `n` fields (at least three). `unit`: coefficients of one and a sum of
/// three different fields only, so that where the constraints meet is a multiple of a
/// quarter (a 3×3 determinant of zeros and ones is at most 4).
fn template(n: usize, unit: bool) -> BoxedStrategy<T> {
    let f = move || 0..n;
    let c = || 0..=4i32;
    let mut arms = vec![
        (f(), f(), 0..=2i32)
            .prop_map(|(x, y, k)| T::Le(x, y, k))
            .boxed(),
        (f(), f()).prop_map(|(x, y)| T::Lt(x, y)).boxed(),
        (f(), 0..=3i32, 0..=2i32)
            .prop_map(|(x, lo, w)| T::Between(x, lo, lo + w))
            .boxed(),
        (f(), c()).prop_map(|(x, k)| T::Ne(x, k)).boxed(),
        (f(), f()).prop_map(|(x, y)| T::Case(x, y)).boxed(),
        (f(), c()).prop_map(|(x, k)| T::CoalesceLe(x, k)).boxed(),
        f().prop_map(T::NotNull).boxed(),
        (f(), f(), 0..=2i32)
            .prop_map(|(x, y, k)| T::AbsDiff(x, y, k))
            .boxed(),
        (f(), c(), f(), c())
            .prop_map(|(x, k, y, d)| T::Imply(x, k, y, d))
            .boxed(),
        (f(), c()).prop_map(|(x, k)| T::Gt(x, k)).boxed(),
    ];
    if unit {
        let distinct = Just((0..n).collect::<Vec<_>>()).prop_shuffle();
        arms.push(distinct.prop_map(|v| T::Sum(v[0], v[1], v[2])).boxed());
    } else {
        arms.push(
            (f(), f(), f())
                .prop_map(|(x, y, z)| T::Sum(x, y, z))
                .boxed(),
        );
        arms.push(
            (f(), f(), 0..=2i32)
                .prop_map(|(x, y, k)| T::Twice(x, y, k))
                .boxed(),
        );
    }
    prop::strategy::Union::new(arms).boxed()
}

/// Rules, a record and weights over `n` fields.
pub(super) fn case(
    n: usize,
    unit: bool,
) -> impl Strategy<Value = (Vec<R>, Vec<Option<f64>>, Vec<f64>)> {
    let rule = (
        prop::option::weighted(0.3, template(n, unit)),
        template(n, unit),
    )
        .prop_map(|(when, check)| R { when, check });
    let value = prop::option::weighted(0.85, (0..=4i32).prop_map(f64::from));
    (
        prop::collection::vec(rule, 1..=4),
        prop::collection::vec(value, n),
        prop::collection::vec(prop::sample::select(vec![1.0, 2.0, 3.0]), n),
    )
}
