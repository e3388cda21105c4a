//! The property: the set located is the lightest that lets the rules hold, and it does let
//! them hold. Small random records meet random rules drawn from templates, and two oracles
//! judge the answer:
//!
//! - a grid over the free fields, which evaluates the templates itself with SQLite's NULLs
//!   and knows nothing of the reading or of Fourier–Motzkin (three fields, and templates
//!   whose constraints meet at multiples of a quarter: a point it finds proves a set enough,
//!   and its quarter steps find one when there is one);
//! - every set of fields in plain order, each decided by the same feasibility test, which
//!   checks the search and its pruning (four fields).

use proptest::prelude::*;

use super::super::feasible::{Work, satisfiable};
use super::super::formula::Env;
use super::super::prop::Prop;
use super::templates::{NAMES, R, T, case};
use super::{BTreeMap, LinearRule, Outcome, locate, read_rule};

/// The rules read, the record and the weights as `locate` takes them.
type Input = (
    Vec<LinearRule>,
    BTreeMap<String, Option<f64>>,
    Vec<(String, f64)>,
);

fn input(rules: &[R], values: &[Option<f64>], weights: &[f64]) -> Input {
    let n = values.len();
    let numeric = |f: &str| NAMES[..n].contains(&f).then(|| f.to_string());
    let read = rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let when = r.when.as_ref().map(T::sql);
            read_rule(
                &format!("P{i}"),
                &r.check.sql(),
                when.as_deref(),
                "T",
                &numeric,
                &BTreeMap::new(),
            )
            .expect("every template is linear")
        })
        .collect();
    let record = (0..n).map(|i| (NAMES[i].to_string(), values[i])).collect();
    let fields = (0..n).map(|i| (NAMES[i].to_string(), weights[i])).collect();
    (read, record, fields)
}

/// The sets of `n` fields, as sorted field numbers, lightest first, then fewer, then first
/// in the schema.
fn sets_in_order(n: usize, weights: &[f64]) -> Vec<(f64, Vec<usize>)> {
    let mut sets: Vec<(f64, Vec<usize>)> = (0..1usize << n)
        .map(|mask| {
            let set: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
            (set.iter().map(|&i| weights[i]).sum(), set)
        })
        .collect();
    sets.sort_by(|(wa, a), (wb, b)| wa.total_cmp(wb).then(a.len().cmp(&b.len())).then(a.cmp(b)));
    sets
}

/// Whether some point of the grid for the fields of `free` lets `rules` hold. The grid
/// holds every quarter from -10 to 16, which the values the templates force stay within
/// (two of them chained from values of 0 to 4).
fn on_grid(rules: &[R], values: &[Option<f64>], free: &[usize]) -> bool {
    let grid: Vec<f64> = (0..=104).map(|i| -10.0 + f64::from(i) * 0.25).collect();
    // Each rule is judged as soon as the fields it reads have values.
    let mut judged: Vec<Vec<&R>> = vec![Vec::new(); free.len() + 1];
    for r in rules {
        let last = r
            .fields()
            .iter()
            .filter_map(|f| free.iter().position(|x| x == f))
            .max();
        judged[last.map_or(0, |at| at + 1)].push(r);
    }
    fn go(
        at: usize,
        free: &[usize],
        grid: &[f64],
        v: &mut [Option<f64>],
        judged: &[Vec<&R>],
    ) -> bool {
        if !judged[at].iter().all(|r| r.holds(v)) {
            return false;
        }
        let Some(&field) = free.get(at) else {
            return true;
        };
        grid.iter().any(|&g| {
            v[field] = Some(g);
            go(at + 1, free, grid, v, judged)
        })
    }
    go(0, free, &grid, &mut values.to_vec(), &judged)
}

fn numbers(names: &[String]) -> Vec<usize> {
    names
        .iter()
        .map(|f| NAMES.iter().position(|n| n == f).expect("a field"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_set_located_is_the_lightest_on_the_grid((rules, values, weights) in case(3, true)) {
        let (read, record, fields) = input(&rules, &values, &weights);
        let passes = rules.iter().all(|r| r.holds(&values));
        match locate(&read, &record, &fields) {
            Outcome::NothingToLocate => prop_assert!(passes),
            Outcome::Located(l) => {
                prop_assert!(!passes);
                let found = numbers(&l.fields);
                prop_assert!(on_grid(&rules, &values, &found), "{:?} is not enough", l.fields);
                let weight: f64 = found.iter().map(|&i| weights[i]).sum();
                prop_assert_eq!(l.weight, weight);
                for (w, set) in sets_in_order(3, &weights) {
                    if set == found {
                        break;
                    }
                    prop_assert!(!on_grid(&rules, &values, &set), "{:?} ({}) is enough", set, w);
                }
            }
            Outcome::Contradictory { rules: named } => {
                prop_assert!(!passes);
                let named: Vec<R> = named
                    .iter()
                    .map(|id| rules[id[1..].parse::<usize>().expect("P<n>")].clone())
                    .collect();
                prop_assert!(!on_grid(&named, &values, &[0, 1, 2]));
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn the_search_finds_the_first_set_in_plain_order((rules, values, weights) in case(4, false)) {
        let (read, record, fields) = input(&rules, &values, &weights);
        let first = sets_in_order(4, &weights).into_iter().find(|(_, set)| {
            let names: Vec<&str> = set.iter().map(|&i| NAMES[i]).collect();
            let env = Env::new(&record, &names);
            let all = Prop::and(read.iter().map(|r| r.holds(&env)).collect());
            satisfiable(&all, &mut Work::new(usize::MAX)).expect("no budget")
        });
        match (locate(&read, &record, &fields), first) {
            (Outcome::NothingToLocate, Some((_, set))) => prop_assert!(set.is_empty()),
            (Outcome::Located(l), Some((w, set))) => {
                prop_assert_eq!(numbers(&l.fields), set);
                prop_assert_eq!(l.weight, w);
            }
            (Outcome::Contradictory { .. }, None) => {}
            (outcome, first) => prop_assert!(false, "{:?} against {:?}", outcome, first),
        }
    }
}
