//! Whether a proposition of linear constraints over real variables can hold: its
//! disjunctions explored depth first (a lazy disjunctive normal form), each conjunction met on
//! the way decided by Fourier–Motzkin elimination, so that a branch stops as soon as its
//! constraints so far cannot hold together.
//!
//! Fourier–Motzkin is exact over the reals, strict inequalities included: two inequalities
//! combine into a strict one when either is strict, so `x < 0 AND x > 0` ends in `0 < 0` and
//! cannot hold, while `x < 1 AND x > 0` ends in `-1 < 0` and can. It runs in `f64`. A
//! coefficient or constant counts as zero when it is within [`TOLERANCE`] (relative) of the
//! magnitude of the numbers that were combined into it; so a non-strict constraint may be
//! missed by that much and still hold, and a strict one holds only with a margin above it.

use std::collections::HashMap;

/// The relative tolerance of feasibility.
pub(super) const TOLERANCE: f64 = 1e-9;

/// At most so many constraints at any step of an elimination; past it, the answer is not
/// known (the search reports it over budget).
const MAX_ROWS: usize = 4096;

use super::prop::{Lin, Prop, Rel};

/// How many steps a search may still take: one per set of fields tried, one per
/// elimination run.
#[derive(Debug)]
pub(super) struct Work {
    left: usize,
}

impl Work {
    pub(super) fn new(steps: usize) -> Self {
        Work { left: steps }
    }

    /// One step; None when there is none left.
    pub(super) fn spend(&mut self) -> Option<()> {
        self.left = self.left.checked_sub(1)?;
        Some(())
    }
}

/// Whether `p` can hold for some real values of its variables; None when the work ran out
/// before that was known.
pub(super) fn satisfiable(p: &Prop, work: &mut Work) -> Option<bool> {
    explore(vec![p], &mut Vec::new(), work)
}

/// Whether `pending` can all hold together with `conj`, which is known to be feasible.
fn explore(mut pending: Vec<&Prop>, conj: &mut Vec<Lin>, work: &mut Work) -> Option<bool> {
    // Constraints before choices, so that a branch is cut before it splits.
    while let Some(at) = pending
        .iter()
        .rposition(|p| !matches!(p, Prop::Or(_)))
        .or(pending.len().checked_sub(1))
    {
        match pending.swap_remove(at) {
            Prop::True => {}
            Prop::False => return Some(false),
            Prop::And(xs) => pending.extend(xs),
            Prop::Atom(l) => {
                conj.push(l.clone());
                if !eliminate(conj, work)? {
                    return Some(false);
                }
            }
            Prop::Or(xs) => {
                let depth = conj.len();
                for x in xs {
                    let mut branch = pending.clone();
                    branch.push(x);
                    let found = explore(branch, conj, work);
                    conj.truncate(depth);
                    if found != Some(false) {
                        return found;
                    }
                }
                return Some(false);
            }
        }
    }
    Some(true)
}

/// A tolerance scaled by an infinite magnitude is none: infinities compare exactly.
fn finite_or_zero(eps: f64) -> f64 {
    if eps.is_finite() { eps } else { 0.0 }
}

impl Lin {
    fn has_vars(&self) -> bool {
        self.a.iter().any(|x| *x != 0.0)
    }

    /// Coefficients within the tolerance of zero become zero.
    fn clean(&mut self) {
        let eps = finite_or_zero(TOLERANCE * self.amag);
        self.a
            .iter_mut()
            .filter(|x| x.abs() <= eps)
            .for_each(|x| *x = 0.0);
    }

    /// Whether a constraint without variables holds.
    fn holds(&self) -> bool {
        let eps = finite_or_zero(TOLERANCE * self.bmag);
        match self.rel {
            Rel::Eq => self.b.abs() <= eps,
            Rel::Le => self.b <= eps,
            Rel::Lt => self.b < -eps,
        }
    }

    fn scaled(&self, s: f64) -> Lin {
        Lin {
            a: self.a.iter().map(|x| x * s).collect(),
            b: self.b * s,
            rel: self.rel,
            amag: self.amag * s,
            bmag: self.bmag * s,
        }
    }

    /// Adds `f` times `other`.
    fn add(&mut self, other: &Lin, f: f64) {
        self.a
            .iter_mut()
            .zip(&other.a)
            .for_each(|(x, y)| *x += f * y);
        self.b += f * other.b;
        self.amag += f.abs() * other.amag;
        self.bmag += f.abs() * other.bmag;
    }
}

/// Whether the conjunction `rows` can hold, by Fourier–Motzkin elimination.
fn eliminate(rows: &[Lin], work: &mut Work) -> Option<bool> {
    work.spend()?;
    let mut rows = rows.to_vec();
    rows.iter_mut().for_each(Lin::clean);
    // Each equality is solved for its largest coefficient, and that variable put out of the
    // other constraints.
    while let Some(i) = rows.iter().position(|r| r.rel == Rel::Eq && r.has_vars()) {
        let e = rows.swap_remove(i);
        let j = (0..e.a.len()).fold(0, |m, k| if e.a[k].abs() > e.a[m].abs() { k } else { m });
        for r in &mut rows {
            let f = r.a[j] / e.a[j];
            if f != 0.0 {
                r.add(&e, -f);
                r.a[j] = 0.0;
                r.clean();
            }
        }
    }
    loop {
        if rows.iter().any(|r| !r.has_vars() && !r.holds()) {
            return Some(false);
        }
        rows.retain(Lin::has_vars);
        let vars = rows.first().map_or(0, |r| r.a.len());
        // The variable whose elimination makes the fewest new constraints.
        let count = |j: usize| {
            let pos = rows.iter().filter(|r| r.a[j] > 0.0).count();
            let neg = rows.iter().filter(|r| r.a[j] < 0.0).count();
            (pos * neg, pos + neg)
        };
        let Some(j) = (0..vars)
            .filter(|&j| count(j).1 > 0)
            .min_by_key(|&j| count(j).0)
        else {
            return Some(true);
        };
        let (with, mut rest): (Vec<Lin>, Vec<Lin>) = rows.into_iter().partition(|r| r.a[j] != 0.0);
        let (pos, neg): (Vec<&Lin>, Vec<&Lin>) = with.iter().partition(|r| r.a[j] > 0.0);
        for p in &pos {
            for n in &neg {
                let mut c = p.scaled(1.0 / p.a[j]);
                c.add(n, 1.0 / -n.a[j]);
                c.a[j] = 0.0;
                if p.rel == Rel::Lt || n.rel == Rel::Lt {
                    c.rel = Rel::Lt;
                }
                c.clean();
                rest.push(c);
            }
        }
        rows = distinct(rest);
        if rows.len() > MAX_ROWS {
            return None;
        }
    }
}

/// `rows` scaled to a largest coefficient of one, each kept once: of two with the same
/// coefficients, the tighter.
fn distinct(rows: Vec<Lin>) -> Vec<Lin> {
    let mut out: Vec<Lin> = Vec::with_capacity(rows.len());
    let mut seen: HashMap<Vec<u64>, usize> = HashMap::new();
    for r in rows {
        let top = r.a.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
        let r = if top > 0.0 { r.scaled(1.0 / top) } else { r };
        let key =
            r.a.iter()
                .map(|x| if *x == 0.0 { 0 } else { x.to_bits() })
                .collect();
        match seen.get(&key) {
            Some(&i) => {
                let old = &out[i];
                let tighter = r.b > old.b || (r.b == old.b && r.rel == Rel::Lt);
                if tighter {
                    out[i] = r;
                }
            }
            None => {
                seen.insert(key, out.len());
                out.push(r);
            }
        }
    }
    out
}
