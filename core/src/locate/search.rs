//! The search for the lightest set of fields to change.
//!
//! Only the rules that the failing ones reach through fields that may change matter (the
//! others hold, and keep holding while their fields keep their values), and only the fields
//! those rules read. Their sets are taken best first (`best.rs`); a set is tried only if it
//! holds a field of every failing rule, and the first that lets all the rules hold is the
//! answer.
//!
//! More free fields do not always help: a NULL field that changes is no longer NULL, and may
//! bring in a rule whose `when` it was keeping out. So where a candidate is NULL, rules are
//! known to contradict each other only once every set has been tried; where none is, once
//! they cannot hold with every candidate free.

use std::collections::BTreeMap;

use super::best::{Sets, ties};
use super::feasible::{Work, satisfiable};
use super::formula::Env;
use super::prop::Prop;
use super::{LinearRule, Located, Outcome};

/// The steps one record's search may take: a set of fields taken from the heap is one, an
/// elimination run another.
const WORK: usize = 100_000;

/// The lightest set of fields to change so that `rules` can all hold, for a record of
/// `values`. `fields_in_order` are the fields that may change, in the schema's order, with
/// their weights; a weight that is not a finite number of at least zero counts as 1.
pub(crate) fn locate(
    rules: &[LinearRule],
    values: &BTreeMap<String, Option<f64>>,
    fields_in_order: &[(String, f64)],
) -> Outcome {
    locate_within(rules, values, fields_in_order, WORK)
}

fn ids(rules: &[&LinearRule]) -> Vec<String> {
    rules.iter().map(|r| r.id.clone()).collect()
}

/// One record's search.
struct Search<'a> {
    values: &'a BTreeMap<String, Option<f64>>,
    /// The fields that may change, in the schema's order, with their weights.
    candidates: Vec<(&'a str, f64)>,
    /// The candidates that matter, as positions among `candidates`, lightest first.
    sorted: Vec<usize>,
}

impl Search<'_> {
    /// The candidates `rule` reads.
    fn reads(&self, rule: &LinearRule) -> Vec<usize> {
        let at = |f: &String| self.candidates.iter().position(|(n, _)| n == f);
        rule.fields.iter().filter_map(at).collect()
    }

    /// Whether `rules` can all hold with the candidates `free` changed.
    fn can_hold(&self, free: &[usize], rules: &[&LinearRule], work: &mut Work) -> Option<bool> {
        let names: Vec<&str> = free.iter().map(|&c| self.candidates[c].0).collect();
        let env = Env::new(self.values, &names);
        satisfiable(
            &Prop::and(rules.iter().map(|r| r.holds(&env)).collect()),
            work,
        )
    }

    /// The lightest set of candidates that lets `rules` hold, in the schema's order, with its
    /// weight; `Some(None)` when none does, None when the work ran out.
    fn lightest(
        &self,
        rules: &[&LinearRule],
        work: &mut Work,
    ) -> Option<Option<(Vec<usize>, f64)>> {
        let fixed = Env::new(self.values, &[]);
        let needs: Vec<Vec<usize>> = rules
            .iter()
            .filter(|r| r.holds(&fixed) != Prop::True)
            .map(|r| self.reads(r))
            .collect();
        if needs.is_empty() {
            return Some(Some((Vec::new(), 0.0)));
        }
        if needs.iter().any(Vec::is_empty) {
            // A failing rule that reads no candidate fails whatever changes.
            return Some(None);
        }
        let weights: Vec<f64> = self.sorted.iter().map(|&c| self.candidates[c].1).collect();
        let mut best: Option<(f64, Vec<usize>, f64)> = None;
        for (fields, weight) in Sets::new(&self.sorted, &weights) {
            work.spend()?;
            if let Some((first, ..)) = &best {
                if weight > *first && !ties(weight, *first) {
                    break;
                }
            }
            let before = |b: &Vec<usize>| (fields.len(), &fields) < (b.len(), b);
            if best.as_ref().is_some_and(|(_, b, _)| !before(b))
                || !needs.iter().all(|n| n.iter().any(|c| fields.contains(c)))
            {
                continue;
            }
            if self.can_hold(&fields, rules, work)? {
                let first = best.as_ref().map_or(weight, |(w, ..)| *w);
                best = Some((first, fields, weight));
            }
        }
        Some(best.map(|(_, fields, weight)| (fields, weight)))
    }

    /// Whether no set of candidates lets `rules` hold; None when the work ran out.
    fn contradict(&self, rules: &[&LinearRule], any_null: bool, work: &mut Work) -> Option<bool> {
        if any_null {
            Some(self.lightest(rules, work)?.is_none())
        } else {
            Some(!self.can_hold(&self.sorted, rules, work)?)
        }
    }

    /// Of `rules`, which contradict each other, the ones each needed for it, as far as the
    /// work allows.
    fn contradiction(&self, rules: Vec<&LinearRule>, any_null: bool, work: &mut Work) -> Outcome {
        let mut keep = rules;
        let mut i = 0;
        while i < keep.len() {
            let mut without = keep.clone();
            without.remove(i);
            match self.contradict(&without, any_null, work) {
                Some(true) => keep = without,
                Some(false) => i += 1,
                None => break,
            }
        }
        Outcome::Contradictory { rules: ids(&keep) }
    }
}

/// [`locate`] within `steps` steps.
pub(super) fn locate_within(
    rules: &[LinearRule],
    values: &BTreeMap<String, Option<f64>>,
    fields_in_order: &[(String, f64)],
    steps: usize,
) -> Outcome {
    let mut work = Work::new(steps);
    let fixed = Env::new(values, &[]);
    let failing: Vec<&LinearRule> = rules
        .iter()
        .filter(|r| r.holds(&fixed) != Prop::True)
        .collect();
    if failing.is_empty() {
        return Outcome::NothingToLocate;
    }
    let over = || Outcome::OverBudget {
        failing: ids(&failing),
    };

    // The fields that may change and that some rule reads, each once, in the schema's order.
    let mut candidates: Vec<(&str, f64)> = Vec::new();
    for (name, weight) in fields_in_order {
        let read = rules.iter().any(|r| r.fields.contains(name));
        if read && !candidates.iter().any(|(n, _)| n == name) {
            let weight = if weight.is_finite() && *weight >= 0.0 {
                *weight
            } else {
                1.0
            };
            candidates.push((name, weight));
        }
    }
    let mut search = Search {
        values,
        candidates,
        sorted: Vec::new(),
    };

    // The rules the failing ones reach through candidates, and the candidates they read.
    let mut relevant: Vec<bool> = rules.iter().map(|r| failing.contains(&r)).collect();
    let mut reached = vec![false; search.candidates.len()];
    let mut grew = true;
    while grew {
        grew = false;
        for (i, r) in rules.iter().enumerate() {
            let fields = search.reads(r);
            if !relevant[i] && fields.iter().any(|&c| reached[c]) {
                relevant[i] = true;
                grew = true;
            }
            if relevant[i] {
                for c in fields {
                    grew |= !reached[c];
                    reached[c] = true;
                }
            }
        }
    }
    let relevant: Vec<&LinearRule> = rules
        .iter()
        .zip(&relevant)
        .filter_map(|(r, keep)| keep.then_some(r))
        .collect();
    let candidates = &search.candidates;
    let mut sorted: Vec<usize> = (0..candidates.len()).filter(|&c| reached[c]).collect();
    sorted.sort_by(|&x, &y| candidates[x].1.total_cmp(&candidates[y].1).then(x.cmp(&y)));
    let any_null = sorted
        .iter()
        .any(|&c| values.get(candidates[c].0).copied().flatten().is_none());
    search.sorted = sorted;

    if !any_null {
        match search.contradict(&relevant, false, &mut work) {
            None => return over(),
            Some(true) => return search.contradiction(relevant, false, &mut work),
            Some(false) => {}
        }
    }
    match search.lightest(&relevant, &mut work) {
        None => over(),
        Some(None) => search.contradiction(relevant, any_null, &mut work),
        Some(Some((fields, weight))) => Outcome::Located(Located {
            fields: fields
                .iter()
                .map(|&c| search.candidates[c].0.to_string())
                .collect(),
            weight,
            failing: ids(&failing),
            considered: rules.iter().map(|r| r.id.clone()).collect(),
        }),
    }
}
